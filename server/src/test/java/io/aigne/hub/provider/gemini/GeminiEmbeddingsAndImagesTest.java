package io.aigne.hub.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigne.hub.gateway.canonical.EmbeddingRequest;
import io.aigne.hub.gateway.canonical.EmbeddingResponse;
import io.aigne.hub.gateway.canonical.ImageRequest;
import io.aigne.hub.gateway.canonical.ImageResponse;
import io.aigne.hub.provider.ProviderFailure;
import io.aigne.hub.server.ApiException;
import io.aigne.hub.server.Json;
import io.aigne.hub.testing.FakeGeminiProvider;
import io.aigne.hub.usage.Usage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** batchEmbedContents, Imagen's predict and Gemini image models, against the fake. */
class GeminiEmbeddingsAndImagesTest {
    private static final String EMBEDDING_MODEL = "gemini-embedding-001";
    private static final String IMAGEN = "imagen-4.0-generate-001";

    private static GeminiFixture gemini;

    @BeforeAll
    static void start() {
        gemini = new GeminiFixture();
    }

    @AfterAll
    static void stop() {
        gemini.close();
    }

    @BeforeEach
    void forget() {
        gemini.fake.clearRequests();
    }

    @Test
    void embeddingsComeBackInInputOrder() throws Exception {
        EmbeddingResponse response = gemini.adapter.embed(gemini.route(EMBEDDING_MODEL),
                new EmbeddingRequest(EMBEDDING_MODEL, List.of("one", "two"), null, null));

        assertThat(response.vectors()).hasSize(2);
        assertThat(response.vectors().get(0)).isEqualTo(FakeGeminiProvider.embeddingFor(0));
        assertThat(response.vectors().get(1)).isEqualTo(FakeGeminiProvider.embeddingFor(1));
        assertThat(response.model()).isEqualTo(EMBEDDING_MODEL);
        // The Gemini API reports no token usage for embeddings.
        assertThat(response.usage()).isEqualTo(Usage.NONE);

        FakeGeminiProvider.RecordedRequest recorded = gemini.fake.lastRequest();
        assertThat(recorded.path()).isEqualTo("/v1beta/models/gemini-embedding-001:batchEmbedContents");
        JsonNode requests = recorded.json().path("requests");
        assertThat(requests.get(0).path("model").asText()).isEqualTo("models/gemini-embedding-001");
        assertThat(requests.get(1).at("/content/parts/0/text").asText()).isEqualTo("two");
        assertThat(requests.get(0).has("outputDimensionality")).isFalse();
    }

    @Test
    void dimensionsShortenTheVectors() throws Exception {
        EmbeddingResponse response = gemini.adapter.embed(gemini.route("models/" + EMBEDDING_MODEL),
                new EmbeddingRequest(EMBEDDING_MODEL, List.of("one"), 3, null));

        assertThat(response.vectors().getFirst()).isEqualTo(Arrays.copyOf(FakeGeminiProvider.embeddingFor(0), 3));
        assertThat(gemini.fake.lastRequest().json().at("/requests/0/outputDimensionality").asInt()).isEqualTo(3);
        assertThat(gemini.fake.lastRequest().json().at("/requests/0/model").asText())
                .isEqualTo("models/gemini-embedding-001");
    }

    @Test
    void moreInputsThanOneBatchTakesSeveralCalls() throws Exception {
        List<String> inputs = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            inputs.add("text " + i);
        }

        EmbeddingResponse response = gemini.adapter.embed(gemini.route(EMBEDDING_MODEL),
                new EmbeddingRequest(EMBEDDING_MODEL, inputs, null, null));

        assertThat(response.vectors()).hasSize(150);
        assertThat(gemini.fake.requests()).extracting(r -> r.json().path("requests").size()).containsExactly(100, 50);
        assertThat(gemini.fake.requests().get(1).json().at("/requests/0/content/parts/0/text").asText())
                .isEqualTo("text 100");
    }

    @Test
    void imagenImagesComeBackAsBase64() throws Exception {
        ImageResponse response = gemini.adapter.generateImages(gemini.route(IMAGEN),
                new ImageRequest(IMAGEN, "a cat", 2, "1792x1024", null, null, "b64_json", null, null));

        assertThat(response.images()).hasSize(2);
        assertThat(response.images()).allSatisfy(image -> {
            assertThat(image.base64()).isEqualTo(FakeGeminiProvider.TINY_PNG_BASE64);
            assertThat(image.mediaType()).isEqualTo("image/png");
            assertThat(image.url()).isNull();
        });
        assertThat(response.usage().imageCount()).isEqualTo(2);

        FakeGeminiProvider.RecordedRequest recorded = gemini.fake.lastRequest();
        assertThat(recorded.path()).isEqualTo("/v1beta/models/imagen-4.0-generate-001:predict");
        assertThat(recorded.json().at("/instances/0/prompt").asText()).isEqualTo("a cat");
        assertThat(recorded.json().at("/parameters/sampleCount").asInt()).isEqualTo(2);
        assertThat(recorded.json().at("/parameters/aspectRatio").asText()).isEqualTo("16:9");
        assertThat(recorded.json().at("/parameters").has("negativePrompt")).isFalse();
    }

    @Test
    void imagenTakesANegativePrompt() throws Exception {
        gemini.adapter.generateImages(gemini.route(IMAGEN),
                new ImageRequest(IMAGEN, "a cat", 1, null, null, null, null, "dogs", null));

        JsonNode parameters = gemini.fake.lastRequest().json().path("parameters");
        assertThat(parameters.path("negativePrompt").asText()).isEqualTo("dogs");
        assertThat(parameters.has("aspectRatio")).isFalse();
    }

    @Test
    void geminiImageModelsAreAskedForAnImageOncePerPicture() throws Exception {
        String model = "gemini-2.5-flash-image";

        ImageResponse response = gemini.adapter.generateImages(gemini.route(model),
                new ImageRequest(model, "a cat", 2, "1536x1024", null, null, null, null, null));

        assertThat(response.images()).hasSize(2);
        assertThat(response.images().getFirst().base64()).isEqualTo(FakeGeminiProvider.TINY_PNG_BASE64);
        assertThat(response.images().getFirst().url()).isNull();
        int perCall = FakeGeminiProvider.CANDIDATES_TOKENS + FakeGeminiProvider.THOUGHTS_TOKENS;
        assertThat(response.usage().imageCount()).isEqualTo(2);
        assertThat(response.usage().inputTokens()).isEqualTo(2L * FakeGeminiProvider.PROMPT_TOKENS);
        assertThat(response.usage().outputTokens()).isEqualTo(2L * perCall);

        assertThat(gemini.fake.requests()).hasSize(2);
        FakeGeminiProvider.RecordedRequest recorded = gemini.fake.lastRequest();
        assertThat(recorded.path()).isEqualTo("/v1beta/models/gemini-2.5-flash-image:generateContent");
        assertThat(recorded.json().at("/contents/0/parts/0/text").asText()).isEqualTo("a cat");
        assertThat(recorded.json().at("/generationConfig/responseModalities").toString())
                .isEqualTo("[\"TEXT\",\"IMAGE\"]");
        assertThat(recorded.json().at("/generationConfig/imageConfig/aspectRatio").asText()).isEqualTo("3:2");
    }

    @Test
    void answersWithoutImagesAreRefusalsOfThePromptOrTheModel() throws Exception {
        JsonNode textOnly = Json.MAPPER.readTree("""
                {"candidates":[{"content":{"parts":[{"text":"I can only talk."}]},"finishReason":"STOP"}]}""");
        assertThatThrownBy(() -> GeminiImages.geminiImages(textOnly))
                .isInstanceOfSatisfying(ProviderFailure.class, failure -> {
                    assertThat(failure.status()).isEqualTo(400);
                    assertThat(failure.error().code()).isEqualTo("no_image");
                    assertThat(failure.error().message()).contains("without an image").contains("image model");
                });

        JsonNode unsafe = Json.MAPPER.readTree("{\"candidates\":[{\"finishReason\":\"IMAGE_SAFETY\"}]}");
        assertThatThrownBy(() -> GeminiImages.geminiImages(unsafe))
                .isInstanceOfSatisfying(ProviderFailure.class, failure -> {
                    assertThat(failure.error().code()).isEqualTo("content_filter");
                    assertThat(failure.error().message()).contains("IMAGE_SAFETY");
                });

        JsonNode filtered = Json.MAPPER.readTree("""
                {"predictions":[{"raiFilteredReason":"Your prompt may violate our policies."}]}""");
        assertThatThrownBy(() -> GeminiImages.imagenImages(filtered))
                .isInstanceOfSatisfying(ProviderFailure.class, failure -> {
                    assertThat(failure.error().code()).isEqualTo("content_filter");
                    assertThat(failure.error().message()).contains("may violate our policies");
                });
    }

    @Test
    void sizesMapToTheNearestSupportedRatio() {
        List<String> imagen = List.of("1:1", "3:4", "4:3", "9:16", "16:9");
        assertThat(GeminiImages.aspectRatio("1024x1024", imagen)).isEqualTo("1:1");
        assertThat(GeminiImages.aspectRatio("1024x1792", imagen)).isEqualTo("9:16");
        assertThat(GeminiImages.aspectRatio("1536x1024", imagen)).isEqualTo("4:3");
        assertThat(GeminiImages.aspectRatio("1024x1536", imagen)).isEqualTo("3:4");
        assertThat(GeminiImages.aspectRatio("256x256", imagen)).isEqualTo("1:1");
        assertThat(GeminiImages.aspectRatio("auto", imagen)).isNull();
        assertThat(GeminiImages.aspectRatio(null, imagen)).isNull();
        assertThatThrownBy(() -> GeminiImages.aspectRatio("big", imagen))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.param()).isEqualTo("size"));
    }
}
