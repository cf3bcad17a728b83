package io.aigne.hub.gateway.aigne;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigne.hub.testing.FakeOpenAiProvider;
import io.aigne.hub.testing.TestHub;
import io.aigne.hub.usage.CallRecord;
import io.aigne.hub.usage.CallType;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The AIGNE door's other endpoints: embeddings (envelope and the older {@code {model, input}} body), images, and
 * the model list, status and user info the SDK and CLI read, with the field types their schemas require.
 */
class AigneMediaAndInfoTest {
    private static FakeOpenAiProvider openai;
    private static TestHub hub;

    @BeforeAll
    static void start() {
        openai = FakeOpenAiProvider.start();
        hub = TestHub.builder()
                .openAiProvider("openai", "openai", openai.baseUrl(), List.of(), "sk-ok-aigne-media")
                .start();
    }

    @AfterAll
    static void stop() {
        hub.close();
        openai.close();
    }

    private static HttpResponse<String> post(String path, String body) {
        return hub.send(hub.request(path, hub.ownerKey()).header("Content-Type", "application/json")
                .header("x-aigne-hub-client-did", "zNKapp").POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    @Test
    void embeddingsThroughTheEnvelopeAnswerVectorsWithUsage() {
        HttpResponse<String> response = post("/api/v2/embeddings", "{\"input\":{\"input\":[\"one\",\"two\"],"
                + "\"modelOptions\":{\"model\":\"openai/text-embedding-3-small\"}}}");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode out = TestHub.json(response);
        assertThat(out.path("embeddings")).hasSize(2);
        assertThat(out.path("embeddings").get(0)).hasSize(FakeOpenAiProvider.EMBEDDING_DIMENSIONS);
        assertThat(out.path("embeddings").get(0).get(0).isNumber()).isTrue();
        assertThat(out.at("/usage/inputTokens").asLong()).isEqualTo(2L * FakeOpenAiProvider.EMBEDDING_TOKENS_PER_INPUT);
        assertThat(out.at("/usage/outputTokens").asLong()).isZero();
        assertThat(out.path("modelWithProvider").asText()).isEqualTo("openai/text-embedding-3-small");
        assertThat(openai.lastRequest().json().path("model").asText()).isEqualTo("text-embedding-3-small");

        CallRecord call = hub.lastCall();
        assertThat(call.type()).isEqualTo(CallType.EMBEDDING);
        assertThat(call.appDid()).isEqualTo("zNKapp");
        assertThat(call.usage().inputTokens()).isEqualTo(2L * FakeOpenAiProvider.EMBEDDING_TOKENS_PER_INPUT);
    }

    @Test
    void theOlderEmbeddingsBodyAnswersData() {
        HttpResponse<String> response = post("/api/v2/embeddings",
                "{\"model\":\"openai/text-embedding-3-small\",\"input\":\"hello\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode data = TestHub.json(response).path("data");
        assertThat(data).hasSize(1);
        assertThat(data.get(0).path("object").asText()).isEqualTo("embedding");
        assertThat(data.get(0).path("index").asInt()).isZero();
        assertThat(data.get(0).path("embedding")).hasSize(FakeOpenAiProvider.EMBEDDING_DIMENSIONS);
    }

    @Test
    void embeddingsWithoutAModelAreRefused() {
        HttpResponse<String> response = post("/api/v2/embeddings", "{\"input\":{\"input\":\"hello\"}}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(TestHub.json(response).path("error").asText()).isEqualTo("Model is required for embedding");
    }

    @Test
    void anImageTheProviderReturnsInlineComesBackAsABase64File() {
        HttpResponse<String> response = post("/api/v2/image", "{\"input\":{\"prompt\":\"a cat\",\"n\":2,"
                + "\"modelOptions\":{\"model\":\"openai/gpt-image-1\",\"size\":\"1024x1024\"},\"outputFileType\":\"file\"},"
                + "\"agent\":\"$IMAGE_MODEL\",\"options\":{\"streaming\":false}}");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode out = TestHub.json(response);
        assertThat(out.path("images")).hasSize(2);
        JsonNode image = out.path("images").get(0);
        assertThat(image.path("type").asText()).isEqualTo("file");
        assertThat(image.path("data").asText()).isEqualTo(FakeOpenAiProvider.TINY_PNG_BASE64);
        assertThat(image.path("mimeType").asText()).isEqualTo("image/png");
        assertThat(out.at("/usage/inputTokens").asLong()).isEqualTo(FakeOpenAiProvider.IMAGE_INPUT_TOKENS);
        assertThat(out.at("/usage/outputTokens").asLong())
                .isEqualTo(2L * FakeOpenAiProvider.IMAGE_OUTPUT_TOKENS_PER_IMAGE);
        assertThat(out.has("creditPrefix")).isFalse();
        assertThat(out.at("/usage/creditPrefix").isMissingNode()).isTrue();
        assertThat(out.path("modelWithProvider").asText()).isEqualTo("openai/gpt-image-1");
        JsonNode sent = openai.lastRequest().json();
        assertThat(sent.path("size").asText()).isEqualTo("1024x1024");
        assertThat(sent.path("n").asInt()).isEqualTo(2);

        CallRecord call = hub.lastCall();
        assertThat(call.type()).isEqualTo(CallType.IMAGE);
        assertThat(call.usage().imageCount()).isEqualTo(2);
    }

    @Test
    void anImageTheProviderHostsComesBackAsItsUrl() {
        HttpResponse<String> response = post("/api/v2/image",
                "{\"input\":{\"prompt\":\"a dog\",\"modelOptions\":{\"model\":\"openai/dall-e-2\"}}}");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode image = TestHub.json(response).path("images").get(0);
        assertThat(image.path("type").asText()).isEqualTo("url");
        assertThat(image.path("url").asText()).isEqualTo("https://fake.example/img/0.png");
    }

    @Test
    void anImageWithoutAPromptIsRefused() {
        HttpResponse<String> response = post("/api/v2/image", "{\"input\":{\"modelOptions\":{}}}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(TestHub.json(response).path("error").asText()).contains("input.prompt");
    }

    @Test
    void theModelListIsPublicAndTypedAsTheSdkSchemaRequires() {
        HttpResponse<String> response = hub.get("/api/ai/models?type=chat", null);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode list = TestHub.json(response);
        assertThat(list.isArray()).isTrue();
        List<String> keys = new ArrayList<>();
        list.forEach(m -> keys.add(m.path("key").asText()));
        assertThat(keys).contains("openai/gpt-4o-mini", "openai/gpt-4o")
                .doesNotContain("openai/text-embedding-3-small", "openai/gpt-image-1");
        for (JsonNode model : list) {
            assertThat(model.path("model").isTextual()).isTrue();
            assertThat(model.path("type").asText()).isEqualTo("chat");
            assertThat(model.path("provider").asText()).isEqualTo("openai");
            assertThat(model.path("providerId").isTextual()).isTrue();
            assertThat(model.path("input_credits_per_token").isTextual()).isTrue();
            assertThat(model.path("output_credits_per_token").isTextual()).isTrue();
            assertThat(model.path("providerDisplayName").isTextual()).isTrue();
            assertThat(model.path("status").path("available").isBoolean()).isTrue();
            assertThat(model.path("status").path("available").asBoolean()).isTrue();
            assertThat(model.path("modelMetadata").isNull() || model.path("modelMetadata").isObject()).isTrue();
        }

        JsonNode images = TestHub.json(hub.get("/api/ai/models?type=image", null));
        assertThat(images).hasSize(1);
        assertThat(images.get(0).path("key").asText()).isEqualTo("openai/gpt-image-1");
        assertThat(images.get(0).path("type").asText()).isEqualTo("image_generation");
        JsonNode embeddings = TestHub.json(hub.get("/api/ai/models?type=embedding", null));
        assertThat(embeddings.get(0).path("key").asText()).isEqualTo("openai/text-embedding-3-small");
        assertThat(TestHub.json(hub.get("/api/ai/models", null))).hasSize(FakeOpenAiProvider.MODELS.size());
    }

    @Test
    void statusIsAlways200AndSaysWhetherTheModelCanBeServed() {
        HttpResponse<String> any = hub.get("/api/v2/status", null);
        assertThat(any.statusCode()).isEqualTo(200);
        assertThat(TestHub.json(any).path("available").asBoolean()).isTrue();

        JsonNode served = TestHub.json(hub.get("/api/v2/status?model=openai/gpt-4o-mini", hub.ownerKey()));
        assertThat(served.path("available").asBoolean()).isTrue();
        assertThat(served.has("error")).isFalse();

        HttpResponse<String> unknown = hub.get("/api/v2/status?model=nobody/nothing-9", null);
        assertThat(unknown.statusCode()).isEqualTo(200);
        JsonNode body = TestHub.json(unknown);
        assertThat(body.path("available").asBoolean()).isFalse();
        assertThat(body.path("error").asText()).isEqualTo("No providers available");
        assertThat(body.path("code").asInt()).isEqualTo(503);
    }

    @Test
    void userInfoShowsTheCallerWithCreditsDisabled() {
        HttpResponse<String> response = hub.get("/api/user/info", hub.ownerKey());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode info = TestHub.json(response);
        assertThat(info.at("/user/did").asText()).isNotBlank();
        assertThat(info.at("/user/fullName").isTextual()).isTrue();
        assertThat(info.path("enableCredit").asBoolean(true)).isFalse();
        assertThat(info.path("creditBalance").isNull()).isTrue();
        assertThat(info.path("paymentLink").isNull()).isTrue();
        assertThat(info.path("profileLink").asText()).startsWith(hub.baseUrl());

        HttpResponse<String> anonymous = hub.get("/api/user/info", "blocklet-not-a-key");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(TestHub.json(anonymous).path("error").asText()).isEqualTo("User not authenticated");
    }
}
