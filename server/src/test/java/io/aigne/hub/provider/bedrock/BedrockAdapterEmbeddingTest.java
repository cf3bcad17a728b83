package io.aigne.hub.provider.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aigne.hub.gateway.canonical.EmbeddingRequest;
import io.aigne.hub.gateway.canonical.EmbeddingResponse;
import io.aigne.hub.provider.ProviderFailure;
import io.aigne.hub.server.ApiException;
import io.aigne.hub.testing.FakeBedrockProvider;
import io.aigne.hub.usage.Usage;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Embeddings through InvokeModel against the fake: Titan one text per call, Cohere in batches of 96. */
class BedrockAdapterEmbeddingTest {
    private static BedrockFixture bedrock;
    private static FakeBedrockProvider fake;

    @BeforeAll
    static void start() {
        bedrock = new BedrockFixture();
        fake = bedrock.fake;
    }

    @AfterAll
    static void stop() {
        bedrock.close();
    }

    @BeforeEach
    void reset() {
        fake.clearRequests();
    }

    private static EmbeddingRequest embed(List<String> inputs, Integer dimensions) {
        return new EmbeddingRequest("aws/embedder", inputs, dimensions, null);
    }

    @Test
    void titanEmbedsEachTextInItsOwnCallAndSumsTheTokens() throws Exception {
        List<String> inputs = List.of("the quick brown fox", "jumps", "over the lazy dog");

        EmbeddingResponse response = bedrock.adapter.embed(bedrock.route(FakeBedrockProvider.TITAN_V2_MODEL),
                embed(inputs, 256));

        assertThat(response.model()).isEqualTo(FakeBedrockProvider.TITAN_V2_MODEL);
        assertThat(response.vectors()).hasSize(3);
        for (int i = 0; i < inputs.size(); i++) {
            assertThat(response.vectors().get(i)).containsExactly(FakeBedrockProvider.embeddingOf(inputs.get(i), 256));
        }
        assertThat(response.usage()).isEqualTo(Usage.tokens(4 + 1 + 4, 0, 0, 0, 0));
        assertThat(fake.requests()).hasSize(3);
        assertThat(fake.requests().getFirst().path()).isEqualTo("/model/amazon.titan-embed-text-v2%3A0/invoke");
        assertThat(fake.requests().getFirst().json().toString())
                .isEqualTo("{\"inputText\":\"the quick brown fox\",\"dimensions\":256}");
        assertThat(fake.rejections()).isEmpty();
    }

    @Test
    void titanG1TakesNoSizeAndRefusesOtherSizes() throws Exception {
        EmbeddingResponse native1536 = bedrock.adapter.embed(bedrock.route(FakeBedrockProvider.TITAN_V1_MODEL),
                embed(List.of("hello world"), 1536));

        assertThat(native1536.vectors().getFirst()).hasSize(1536);
        assertThat(fake.lastRequest().json().toString()).isEqualTo("{\"inputText\":\"hello world\"}");
        assertThatThrownBy(() -> bedrock.adapter.embed(bedrock.route(FakeBedrockProvider.TITAN_V1_MODEL),
                embed(List.of("hello"), 512)))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.param()).isEqualTo("dimensions");
                    assertThat(e.getMessage()).contains("1536");
                });
    }

    @Test
    void cohereEmbedsInBatchesOf96InInputOrderWithTokensFromTheHeader() throws Exception {
        List<String> inputs = IntStream.range(0, 100).mapToObj(i -> "text number " + i).toList();

        EmbeddingResponse response = bedrock.adapter.embed(bedrock.route(FakeBedrockProvider.COHERE_V3_MODEL),
                embed(inputs, null));

        assertThat(response.vectors()).hasSize(100);
        assertThat(response.vectors().get(0)).containsExactly(FakeBedrockProvider.embeddingOf("text number 0", 1024));
        assertThat(response.vectors().get(99)).containsExactly(FakeBedrockProvider.embeddingOf("text number 99", 1024));
        // Cohere's body has no token count: it comes from X-Amzn-Bedrock-Input-Token-Count, summed over both calls.
        assertThat(response.usage().inputTokens()).isEqualTo(300);
        assertThat(fake.requests()).hasSize(2);
        assertThat(fake.requests().get(0).json().path("texts")).hasSize(96);
        assertThat(fake.requests().get(1).json().path("texts")).hasSize(4);
        assertThat(fake.requests().get(0).json().path("input_type").asText()).isEqualTo("search_document");
    }

    @Test
    void cohereV4TakesAnOutputDimensionAndAnswersByType() throws Exception {
        EmbeddingResponse response = bedrock.adapter.embed(bedrock.route(FakeBedrockProvider.COHERE_V4_MODEL),
                embed(List.of("alpha", "beta gamma"), 512));

        assertThat(response.vectors()).hasSize(2);
        assertThat(response.vectors().get(1)).containsExactly(FakeBedrockProvider.embeddingOf("beta gamma", 512));
        assertThat(response.usage().inputTokens()).isEqualTo(3);
        assertThat(fake.lastRequest().json().path("output_dimension").asInt()).isEqualTo(512);
        assertThat(fake.lastRequest().json().path("embedding_types").toString()).isEqualTo("[\"float\"]");
    }

    @Test
    void anEmbeddingModelOfAnUnknownFamilyIsA400NamingTheModel() {
        assertThatThrownBy(() -> bedrock.adapter.embed(bedrock.route("anthropic.claude-3-haiku-20240307-v1:0"),
                embed(List.of("hi"), null)))
                .isInstanceOfSatisfying(ProviderFailure.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.error().param()).isEqualTo("model");
                    assertThat(e.error().message()).contains("anthropic.claude-3-haiku-20240307-v1:0")
                            .contains("amazon.titan-embed-text-v2:0");
                });
        assertThat(fake.requests()).isEmpty();
    }

    @Test
    void embeddingFailuresCarryBedrocksStatus() {
        assertThatThrownBy(() -> bedrock.adapter.embed(bedrock.route(FakeBedrockProvider.TITAN_V2_MODEL,
                BedrockFixture.keys(BedrockFixture.AKID, "wrong-secret-value")), embed(List.of("hi"), null)))
                .isInstanceOfSatisfying(ProviderFailure.class, e -> {
                    assertThat(e.status()).isEqualTo(403);
                    assertThat(e.error().code()).isEqualTo("InvalidSignatureException");
                });
    }
}
