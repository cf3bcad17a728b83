package io.aigne.hub.gateway.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.core.ObjectMappers;
import com.openai.models.images.ImageGenerateParams;
import com.openai.models.images.ImagesResponse;
import io.aigne.hub.gateway.canonical.ImageRequest;
import io.aigne.hub.gateway.canonical.ImageResponse;
import io.aigne.hub.server.ApiException;
import io.aigne.hub.server.Json;
import io.aigne.hub.usage.Usage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Translated image generation: requests as openai-java sends them, answers as it reads them. */
class OpenAiImagesCodecTest {

    private static ObjectNode json(String text) {
        return Json.parseObject(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anOpenAiJavaRequestKeepsItsSettings() throws Exception {
        ImageGenerateParams params = ImageGenerateParams.builder().model("ideogram/V_3").prompt("a red fox")
                .n(2).size(ImageGenerateParams.Size._1024X1024).quality(ImageGenerateParams.Quality.HD)
                .style(ImageGenerateParams.Style.NATURAL)
                .responseFormat(ImageGenerateParams.ResponseFormat.B64_JSON).user("u-9").build();
        ObjectNode body = Json.parseObject(ObjectMappers.jsonMapper().writeValueAsBytes(params._body()));

        ImageRequest request = OpenAiImagesCodec.imagesToCanonical(body);

        assertThat(request).isEqualTo(new ImageRequest("ideogram/V_3", "a red fox", 2, "1024x1024", "hd", "natural",
                "b64_json", null, "u-9"));
        assertThat(request.wantsBase64()).isTrue();
    }

    @Test
    void defaultsAndExtensions() {
        ImageRequest request = OpenAiImagesCodec.imagesToCanonical(json(
                "{\"model\": \"m\", \"prompt\": \"p\", \"negative_prompt\": \"blur\", \"background\": \"auto\","
                        + " \"safety_identifier\": \"s-1\"}"));

        assertThat(request).isEqualTo(new ImageRequest("m", "p", 1, null, null, null, null, "blur", "s-1"));
    }

    @Test
    void badOrUntranslatableFieldsAreRefusedByName() {
        assertThat(refused("{\"model\": \"m\", \"prompt\": \"  \"}")).isEqualTo("prompt");
        assertThat(refused("{\"model\": \"m\"}")).isEqualTo("prompt");
        assertThat(refused("{\"model\": \"m\", \"prompt\": \"p\", \"n\": 0}")).isEqualTo("n");
        assertThat(refused("{\"model\": \"m\", \"prompt\": \"p\", \"n\": 11}")).isEqualTo("n");
        assertThat(refused("{\"model\": \"m\", \"prompt\": \"p\", \"response_format\": \"png\"}"))
                .isEqualTo("response_format");
        assertThat(refused("{\"model\": \"m\", \"prompt\": \"p\", \"stream\": true}")).isEqualTo("stream");
        assertThat(refused("{\"model\": \"m\", \"prompt\": \"p\", \"size\": 1024}")).isEqualTo("size");
    }

    private static String refused(String body) {
        try {
            OpenAiImagesCodec.imagesToCanonical(json(body));
        } catch (ApiException e) {
            assertThat(e.status()).isEqualTo(400);
            return e.param();
        }
        throw new AssertionError("accepted: " + body);
    }

    @Test
    void urlImagesAreReadByOpenAiJava() throws Exception {
        ImageResponse answer = new ImageResponse(1_700_000_000L, List.of(
                new ImageResponse.GeneratedImage("https://cdn.example/1.png", null, null, "a red fox, detailed"),
                new ImageResponse.GeneratedImage("https://cdn.example/2.png", null, null, null)),
                Usage.NONE.withImageCount(2));

        byte[] json = OpenAiImagesCodec.imagesToJson(answer);
        ImagesResponse response = ObjectMappers.jsonMapper().readValue(json, ImagesResponse.class).validate();

        assertThat(response.created()).isEqualTo(1_700_000_000L);
        assertThat(response.data().orElseThrow()).hasSize(2);
        assertThat(response.data().orElseThrow().get(0).url()).contains("https://cdn.example/1.png");
        assertThat(response.data().orElseThrow().get(0).revisedPrompt()).contains("a red fox, detailed");
        assertThat(response.data().orElseThrow().get(1).b64Json()).isEmpty();
        assertThat(response.usage()).isEmpty();
        assertThat(response.outputFormat()).isEmpty();
    }

    @Test
    void base64ImagesCarryTheirFormatAndTokenUsage() throws Exception {
        ImageResponse answer = new ImageResponse(1_700_000_001L, List.of(
                new ImageResponse.GeneratedImage(null, "iVBORw0KGgo=", "image/webp", null)),
                new Usage(50, 1056, 0, 0, 1106, 1));

        ImagesResponse response = ObjectMappers.jsonMapper()
                .readValue(OpenAiImagesCodec.imagesToJson(answer), ImagesResponse.class).validate();

        assertThat(response.data().orElseThrow().getFirst().b64Json()).contains("iVBORw0KGgo=");
        assertThat(response.outputFormat()).contains(ImagesResponse.OutputFormat.WEBP);
        ImagesResponse.Usage usage = response.usage().orElseThrow();
        assertThat(usage.inputTokens()).isEqualTo(50);
        assertThat(usage.outputTokens()).isEqualTo(1056);
        assertThat(usage.totalTokens()).isEqualTo(1106);
        assertThat(usage.inputTokensDetails().textTokens()).isEqualTo(50);
        assertThat(usage.inputTokensDetails().imageTokens()).isZero();
    }
}
