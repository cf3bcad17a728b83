package io.aigne.hub.gateway.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.core.ObjectMappers;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import io.aigne.hub.gateway.canonical.EmbeddingRequest;
import io.aigne.hub.gateway.canonical.EmbeddingResponse;
import io.aigne.hub.server.ApiException;
import io.aigne.hub.server.Json;
import io.aigne.hub.usage.Usage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Translated embedding calls: requests as openai-java sends them, answers as it reads them. */
class OpenAiEmbeddingsCodecTest {
    private static final float[] FIRST = {0.25f, -0.5f, 0.125f};
    private static final float[] SECOND = {1f, 0.0625f, -2f};

    private static ObjectNode json(String text) {
        return Json.parseObject(text.getBytes(StandardCharsets.UTF_8));
    }

    private static EmbeddingResponse answer() {
        return new EmbeddingResponse("gemini-embedding-001", List.of(FIRST, SECOND), new Usage(7, 0, 0, 0, 7, 0));
    }

    @Test
    void anOpenAiJavaRequestKeepsItsInputsDimensionsAndFormat() throws Exception {
        EmbeddingCreateParams params = EmbeddingCreateParams.builder().model("google/gemini-embedding-001")
                .inputOfArrayOfStrings(List.of("alpha", "beta")).dimensions(256).user("u-1")
                .encodingFormat(EmbeddingCreateParams.EncodingFormat.BASE64).build();
        ObjectNode body = Json.parseObject(ObjectMappers.jsonMapper().writeValueAsBytes(params._body()));

        EmbeddingRequest request = OpenAiEmbeddingsCodec.embeddingsToCanonical(body);

        assertThat(request).isEqualTo(new EmbeddingRequest("google/gemini-embedding-001", List.of("alpha", "beta"),
                256, "u-1"));
        assertThat(OpenAiEmbeddingsCodec.encodingFormat(body)).isEqualTo("base64");
        assertThat(OpenAiEmbeddingsCodec.encodingFormat(json("{\"input\": \"x\"}"))).isEqualTo("float");
        assertThat(OpenAiEmbeddingsCodec.embeddingsToCanonical(json("{\"model\": \"m\", \"input\": \"one\"}"))
                .inputs()).containsExactly("one");
    }

    @Test
    void tokenIdsAndBadFieldsAreRefusedByName() {
        assertThatThrownBy(() -> OpenAiEmbeddingsCodec.embeddingsToCanonical(
                json("{\"model\": \"m\", \"input\": [1, 2, 3]}")))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.param()).isEqualTo("input");
                    assertThat(e.getMessage()).contains("token ids").contains("OpenAI-compatible");
                });
        assertThatThrownBy(() -> OpenAiEmbeddingsCodec.embeddingsToCanonical(
                json("{\"model\": \"m\", \"input\": [[1, 2], [3]]}")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.param()).isEqualTo("input"));
        assertThatThrownBy(() -> OpenAiEmbeddingsCodec.embeddingsToCanonical(json("{\"model\": \"m\", \"input\": []}")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.param()).isEqualTo("input"));
        assertThatThrownBy(() -> OpenAiEmbeddingsCodec.embeddingsToCanonical(
                json("{\"model\": \"m\", \"input\": \"x\", \"encoding_format\": \"int8\"}")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.param()).isEqualTo("encoding_format"));
        assertThatThrownBy(() -> OpenAiEmbeddingsCodec.embeddingsToCanonical(
                json("{\"model\": \"m\", \"input\": \"x\", \"dimensions\": \"big\"}")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.param()).isEqualTo("dimensions"));
    }

    @Test
    void floatVectorsAreReadByOpenAiJava() throws Exception {
        byte[] json = OpenAiEmbeddingsCodec.embeddingsToJson(answer(), "google/gemini-embedding-001", "float");
        CreateEmbeddingResponse response = ObjectMappers.jsonMapper().readValue(json, CreateEmbeddingResponse.class)
                .validate();

        assertThat(response.model()).isEqualTo("gemini-embedding-001");
        assertThat(response.data()).hasSize(2);
        assertThat(response.data().get(0).index()).isZero();
        assertThat(response.data().get(0).embedding()).containsExactly(0.25f, -0.5f, 0.125f);
        assertThat(response.data().get(1).index()).isEqualTo(1);
        assertThat(response.data().get(1).embedding()).containsExactly(1f, 0.0625f, -2f);
        assertThat(response.usage().promptTokens()).isEqualTo(7);
        assertThat(response.usage().totalTokens()).isEqualTo(7);
    }

    @Test
    void base64VectorsAreLittleEndianFloat32AsOpenAiPacksThem() throws Exception {
        byte[] json = OpenAiEmbeddingsCodec.embeddingsToJson(answer(), "google/gemini-embedding-001", "base64");
        CreateEmbeddingResponse response = ObjectMappers.jsonMapper().readValue(json, CreateEmbeddingResponse.class)
                .validate();

        String packed = response.data().get(1).embeddingValue().asBase64();
        ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(packed)).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(new float[] {bytes.getFloat(), bytes.getFloat(), bytes.getFloat()}).containsExactly(SECOND);
        assertThat(bytes.hasRemaining()).isFalse();
        // The SDK unpacks it into the same floats.
        assertThat(response.data().get(1).embedding()).containsExactly(1f, 0.0625f, -2f);
    }

    @Test
    void theRequestedModelIsShownWhenTheProviderNamedNone() throws Exception {
        EmbeddingResponse anonymous = new EmbeddingResponse(null, List.of(FIRST), Usage.NONE);
        byte[] json = OpenAiEmbeddingsCodec.embeddingsToJson(anonymous, "google/gemini-embedding-001", "float");

        assertThat(ObjectMappers.jsonMapper().readValue(json, CreateEmbeddingResponse.class).validate().model())
                .isEqualTo("google/gemini-embedding-001");
    }
}
