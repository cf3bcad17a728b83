package io.aigne.hub.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.BadRequestException;
import com.openai.errors.InternalServerException;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.images.ImageGenerateParams;
import com.openai.models.images.ImagesResponse;
import io.aigne.hub.testing.FakeAnthropicProvider;
import io.aigne.hub.testing.FakeBedrockProvider;
import io.aigne.hub.testing.FakeGeminiProvider;
import io.aigne.hub.testing.FakeIdeogramProvider;
import io.aigne.hub.testing.FakeOpenAiProvider;
import io.aigne.hub.testing.TestHub;
import io.aigne.hub.usage.CallRecord;
import io.aigne.hub.usage.CallStatus;
import io.aigne.hub.usage.CallType;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OpenAI door's embeddings and image generation on native providers (Gemini, Bedrock Titan and Cohere,
 * Imagen, Ideogram), driven by openai-java, and provider errors told in OpenAI's shape with their meaning kept.
 */
class TranslatedMediaAndErrorsTest {
    private static final String AKID = "AKIAMEDIAEXAMPLE0001";
    private static final String SECRET = "mediaSecret/+/0123456789abcdefABCDEF";

    private static FakeGeminiProvider gemini;
    private static FakeBedrockProvider bedrock;
    private static FakeIdeogramProvider ideogram;
    private static FakeAnthropicProvider anthropic;
    private static FakeOpenAiProvider doubao;
    private static TestHub hub;
    private static OpenAIClient sdk;

    @BeforeAll
    static void start() {
        gemini = FakeGeminiProvider.start();
        bedrock = FakeBedrockProvider.start(Map.of(AKID, SECRET));
        ideogram = FakeIdeogramProvider.start();
        anthropic = FakeAnthropicProvider.start();
        doubao = FakeOpenAiProvider.start();
        hub = TestHub.builder()
                .provider("google", "google", gemini.baseUrl(), null, List.of(), "gm-ok-media")
                .provider("bedrock", "bedrock", bedrock.baseUrl(), "us-west-2", List.of(), AKID + ":" + SECRET)
                .provider("ideogram", "ideogram", ideogram.baseUrl(), null, List.of(), "ideo-ok-media")
                .provider("limited", "anthropic", anthropic.baseUrl(), null, List.of(), "sk-ant-429")
                .provider("overloaded", "anthropic", anthropic.baseUrl(), null, List.of(), "sk-ant-529")
                .provider("refused", "anthropic", anthropic.baseUrl(), null, List.of(), "sk-ant-401")
                .provider("doubao", "doubao", doubao.baseUrl(), null, List.of(), "ark-ok-media")
                .start();
        sdk = OpenAIOkHttpClient.builder().baseUrl(hub.baseUrl() + "/v1").apiKey(hub.ownerKey()).maxRetries(0)
                .timeout(Duration.ofSeconds(20)).build();
    }

    @AfterAll
    static void stop() {
        hub.close();
        gemini.close();
        bedrock.close();
        ideogram.close();
        anthropic.close();
        doubao.close();
    }

    private static CreateEmbeddingResponse embed(String model, List<String> inputs) {
        return sdk.embeddings().create(EmbeddingCreateParams.builder().model(model)
                .inputOfArrayOfStrings(inputs).build());
    }

    @Test
    void geminiEmbeddingsComeBackAsOpenAiVectorsInInputOrder() {
        CreateEmbeddingResponse response = embed("google/gemini-embedding-001", List.of("first", "second"));

        assertThat(response.data()).hasSize(2);
        assertThat(response.data()).extracting(e -> e.index()).containsExactly(0L, 1L);
        assertThat(response.data().getFirst().embedding()).hasSize(FakeGeminiProvider.EMBEDDING_DIMENSIONS);
        assertThat(response.data().get(0).embedding()).isNotEqualTo(response.data().get(1).embedding());
        CallRecord call = hub.lastCall();
        assertThat(call.type()).isEqualTo(CallType.EMBEDDING);
        assertThat(call.provider()).isEqualTo("google");
        assertThat(call.status()).isEqualTo(CallStatus.SUCCESS);
    }

    @Test
    void bedrockTitanEmbeddingsTakeTheRequestedDimensionsAndCountTokens() {
        CreateEmbeddingResponse response = sdk.embeddings().create(EmbeddingCreateParams.builder()
                .model("bedrock/" + FakeBedrockProvider.TITAN_V2_MODEL).inputOfArrayOfStrings(List.of("a b c", "d e"))
                .dimensions(256).build());

        assertThat(response.data()).hasSize(2);
        assertThat(response.data()).allSatisfy(e -> assertThat(e.embedding()).hasSize(256));
        assertThat(response.usage().promptTokens()).isPositive();
        CallRecord call = hub.lastCall();
        assertThat(call.provider()).isEqualTo("bedrock");
        assertThat(call.usage().inputTokens()).isEqualTo(response.usage().promptTokens());
        assertThat(bedrock.lastRequest().path()).contains("/invoke");
    }

    @Test
    void bedrockCohereEmbeddingsAreBatched() {
        CreateEmbeddingResponse response = embed("bedrock/" + FakeBedrockProvider.COHERE_V3_MODEL,
                List.of("one", "two", "three"));

        assertThat(response.data()).hasSize(3);
        assertThat(response.data().getFirst().embedding()).hasSize(1024);
        assertThat(bedrock.requests().stream().filter(r -> r.path().contains("cohere"))).hasSize(1);
    }

    @Test
    void imagenImagesComeBackAsBase64() {
        ImagesResponse response = sdk.images().generate(ImageGenerateParams.builder()
                .model("google/imagen-4.0-generate-001").prompt("a lighthouse").n(2).size(ImageGenerateParams.Size._1792X1024)
                .responseFormat(ImageGenerateParams.ResponseFormat.B64_JSON).build());

        List<String> images = response.data().orElseThrow().stream().map(i -> i.b64Json().orElseThrow()).toList();
        assertThat(images).hasSize(2);
        assertThat(Base64.getDecoder().decode(images.getFirst())).startsWith(0x89, 'P', 'N', 'G');
        assertThat(gemini.lastRequest().body()).contains("\"sampleCount\":2").contains("16:9");
        CallRecord call = hub.lastCall();
        assertThat(call.type()).isEqualTo(CallType.IMAGE);
        assertThat(call.usage().imageCount()).isEqualTo(2);
    }

    @Test
    void ideogramImagesComeBackAsUrlsOrDownloadedBase64() {
        ImagesResponse byUrl = sdk.images().generate(ImageGenerateParams.builder()
                .model("ideogram/ideogram-v3").prompt("a poster").n(1).build());
        String url = byUrl.data().orElseThrow().getFirst().url().orElseThrow();
        assertThat(url).startsWith(ideogram.baseUrl());

        ImagesResponse inline = sdk.images().generate(ImageGenerateParams.builder()
                .model("ideogram/ideogram-v3").prompt("a poster").n(1)
                .responseFormat(ImageGenerateParams.ResponseFormat.B64_JSON).build());
        assertThat(Base64.getDecoder().decode(inline.data().orElseThrow().getFirst().b64Json().orElseThrow()))
                .isNotEmpty();
        CallRecord call = hub.lastCall();
        assertThat(call.provider()).isEqualTo("ideogram");
        assertThat(call.usage().imageCount()).isEqualTo(1);
    }

    @Test
    void doubaoSeedreamImagesPassThroughWithTheirOwnParameters() {
        ImagesResponse response = sdk.images().generate(ImageGenerateParams.builder()
                .model("doubao/doubao-seedream-3-0-t2i-250415").prompt("a temple at dawn").size(ImageGenerateParams.Size._1024X1024)
                .putAdditionalBodyProperty("watermark", com.openai.core.JsonValue.from(false))
                .build());

        assertThat(response.data().orElseThrow().getFirst().url()).isPresent();
        FakeOpenAiProvider.RecordedRequest sent = doubao.lastRequest();
        assertThat(sent.path()).isEqualTo("/v1/images/generations");
        assertThat(sent.json().path("model").asText()).isEqualTo("doubao-seedream-3-0-t2i-250415");
        assertThat(sent.json().path("watermark").asBoolean(true)).isFalse();
        assertThat(sent.bearer()).isEqualTo("ark-ok-media");
        CallRecord call = hub.lastCall();
        assertThat(call.provider()).isEqualTo("doubao");
        assertThat(call.usage().imageCount()).isEqualTo(1);
    }

    @Test
    void chatOnAnImageOnlyProviderIsABadRequestNamingTheModel() {
        assertThatThrownBy(() -> sdk.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("ideogram/ideogram-v3").addUserMessage("hi").build()))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("ideogram");
    }

    @Test
    void aRateLimitedNativeProviderIsA429WithItsRetryAfter() {
        HttpResponse<String> response = hub.post("/v1/chat/completions", hub.ownerKey(),
                "{\"model\":\"limited/claude-sonnet-4-5\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("retry-after")).contains("5");
        assertThat(TestHub.json(response).at("/error/type").asText()).isEqualTo("rate_limit_error");
        assertThatThrownBy(() -> sdk.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("limited/claude-sonnet-4-5").addUserMessage("hi").build()))
                .isInstanceOf(RateLimitException.class);
    }

    @Test
    void anOverloadedNativeProviderIsA503() {
        HttpResponse<String> response = hub.post("/v1/chat/completions", hub.ownerKey(),
                "{\"model\":\"overloaded/claude-sonnet-4-5\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(TestHub.json(response).at("/error/message").asText()).contains("overloaded").contains("529");
        assertThatThrownBy(() -> sdk.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("overloaded/claude-sonnet-4-5").addUserMessage("hi").build()))
                .isInstanceOf(InternalServerException.class);
    }

    @Test
    void aRefusedNativeCredentialIsA502ThatNeverShowsTheKey() {
        HttpResponse<String> response = hub.post("/v1/chat/completions", hub.ownerKey(),
                "{\"model\":\"refused/claude-sonnet-4-5\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(response.statusCode()).isIn(502, 503);
        assertThat(response.body()).doesNotContain("sk-ant-401");
        assertThat(hub.lastCall().status()).isEqualTo(CallStatus.FAILED);
    }
}
