package io.aigne.hub.gateway.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.errors.NotFoundException;
import com.anthropic.errors.RateLimitException;
import com.anthropic.errors.SseException;
import com.anthropic.errors.UnauthorizedException;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.aigne.hub.testing.FakeAnthropicProvider;
import io.aigne.hub.testing.FakeOpenAiProvider;
import io.aigne.hub.testing.TestHub;
import io.aigne.hub.usage.CallRecord;
import io.aigne.hub.usage.CallStatus;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Anthropic front door on its own terms: authentication by {@code x-api-key} or bearer, errors in Anthropic's
 * shape (which anthropic-java turns into its typed exceptions), the native pass-through to Anthropic providers,
 * and failures before and during a stream.
 */
class AnthropicGatewayTest {
    private static FakeAnthropicProvider anthropic;
    private static FakeOpenAiProvider openai;
    private static TestHub hub;

    @BeforeAll
    static void start() {
        anthropic = FakeAnthropicProvider.start();
        openai = FakeOpenAiProvider.start();
        hub = TestHub.builder()
                .provider("anthropic", "anthropic", anthropic.baseUrl(), null, List.of(), "sk-ant-ok-door")
                .provider("limited", "anthropic", anthropic.baseUrl(), null, List.of(), "sk-ant-429")
                .provider("overloaded", "anthropic", anthropic.baseUrl(), null, List.of(), "sk-ant-529")
                .provider("flaky", "anthropic", anthropic.baseUrl(), null, List.of(), "sk-ant-stream-error")
                .openAiProvider("openai", "openai", openai.baseUrl(), List.of(), "sk-ok-door")
                .start();
    }

    @AfterAll
    static void stop() {
        hub.close();
        anthropic.close();
        openai.close();
    }

    private static AnthropicClient sdk(String key) {
        return AnthropicOkHttpClient.builder().baseUrl(hub.baseUrl()).apiKey(key).maxRetries(0)
                .responseValidation(true).timeout(Duration.ofSeconds(20)).build();
    }

    private static MessageCreateParams hello(String model) {
        return MessageCreateParams.builder().model(model).maxTokens(256).addUserMessage("Say hello").build();
    }

    private static HttpResponse<String> post(String json, String... headers) {
        var request = hub.request("/v1/messages", null).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(json));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return hub.send(request);
    }

    @Test
    void theHubKeyIsAcceptedAsXApiKeyAndTheCallerBodyReachesAnthropicWithOnlyTheModelChanged() {
        String body = "{\"model\":\"anthropic/claude-sonnet-4-5\",\"max_tokens\":64,\"metadata\":{\"user_id\":\"u-7\"},"
                + "\"system\":[{\"type\":\"text\",\"text\":\"Be brief.\",\"cache_control\":{\"type\":\"ephemeral\"}}],"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        HttpResponse<String> response = post(body, "x-api-key", hub.ownerKey(), "anthropic-version", "2023-06-01",
                "anthropic-beta", "prompt-caching-2024-07-31");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode answer = TestHub.json(response);
        assertThat(answer.path("type").asText()).isEqualTo("message");
        assertThat(answer.path("content").get(0).path("text").asText()).isEqualTo("Hello from fake claude-sonnet-4-5");
        assertThat(response.headers().firstValue("x-aigne-hub-call-id")).isPresent();

        FakeAnthropicProvider.RecordedRequest sent = anthropic.lastRequest();
        assertThat(sent.json().path("model").asText()).isEqualTo("claude-sonnet-4-5");
        assertThat(sent.json().at("/system/0/cache_control/type").asText()).isEqualTo("ephemeral");
        assertThat(sent.json().at("/metadata/user_id").asText()).isEqualTo("u-7");
        assertThat(sent.headers().get("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(sent.headers().get("anthropic-beta")).isEqualTo("prompt-caching-2024-07-31");
        assertThat(sent.headers().get("x-api-key")).isEqualTo("sk-ant-ok-door");
    }

    @Test
    void aPassThroughStreamReachesTheCallerByteForByteAndItsUsageIsRecorded() {
        String body = "{\"model\":\"anthropic/claude-sonnet-4-5\",\"max_tokens\":64,\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        HttpResponse<String> response = post(body, "x-api-key", hub.ownerKey(), "anthropic-version", "2023-06-01");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type").orElseThrow()).startsWith("text/event-stream");
        assertThat(response.body()).startsWith("event: message_start\n").contains("event: ping\n")
                .endsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");

        CallRecord call = hub.lastCall();
        assertThat(call.status()).isEqualTo(CallStatus.SUCCESS);
        assertThat(call.streamed()).isTrue();
        assertThat(call.usage().inputTokens()).isEqualTo(13 + 4 + 6);
        assertThat(call.usage().outputTokens()).isEqualTo(9);
        assertThat(call.usage().cachedTokens()).isEqualTo(6);
        assertThat(call.usage().cacheWriteTokens()).isEqualTo(4);
    }

    @Test
    void anUnknownKeyIsAnAnthropicAuthenticationError() {
        assertThatThrownBy(() -> sdk("blocklet-not-a-key").messages().create(hello("anthropic/claude-sonnet-4-5")))
                .isInstanceOf(UnauthorizedException.class);
        HttpResponse<String> response = post("{}", "x-api-key", "blocklet-not-a-key");
        assertThat(response.statusCode()).isEqualTo(401);
        JsonNode error = TestHub.json(response);
        assertThat(error.path("type").asText()).isEqualTo("error");
        assertThat(error.at("/error/type").asText()).isEqualTo("authentication_error");
    }

    @Test
    void anUnknownModelIsANotFoundErrorNamingIt() {
        assertThatThrownBy(() -> sdk(hub.ownerKey()).messages().create(hello("nobody/nothing-9")))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("nobody/nothing-9");
    }

    @Test
    void aMissingMaxTokensIsABadRequestNamingTheField() {
        HttpResponse<String> response = post("{\"model\":\"openai/gpt-4o-mini\",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"hi\"}]}", "x-api-key", hub.ownerKey());
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = TestHub.json(response);
        assertThat(error.at("/error/type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.at("/error/message").asText()).contains("max_tokens");
    }

    @Test
    void aMalformedBodyIsABadRequestNotAServerError() {
        HttpResponse<String> response = post("{\"model\": ", "x-api-key", hub.ownerKey());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(TestHub.json(response).at("/error/type").asText()).isEqualTo("invalid_request_error");
        HttpResponse<String> wrongType = post("{\"model\":\"openai/gpt-4o-mini\",\"max_tokens\":\"many\","
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "x-api-key", hub.ownerKey());
        assertThat(wrongType.statusCode()).isEqualTo(400);
        assertThat(TestHub.json(wrongType).at("/error/message").asText()).contains("max_tokens");
    }

    @Test
    void aRateLimitedProviderIsARateLimitErrorWithRetryAfter() {
        HttpResponse<String> response = post("{\"model\":\"limited/claude-sonnet-4-5\",\"max_tokens\":64,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "x-api-key", hub.ownerKey());
        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("retry-after")).contains("5");
        assertThat(TestHub.json(response).at("/error/type").asText()).isEqualTo("rate_limit_error");
        assertThatThrownBy(() -> sdk(hub.ownerKey()).messages().create(hello("limited/claude-sonnet-4-5")))
                .isInstanceOf(RateLimitException.class);
        assertThat(hub.lastCall().httpStatus()).isEqualTo(429);
    }

    @Test
    void anOverloadedProviderIsAnOverloadedError() {
        HttpResponse<String> response = post("{\"model\":\"overloaded/claude-sonnet-4-5\",\"max_tokens\":64,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "x-api-key", hub.ownerKey());
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(TestHub.json(response).at("/error/type").asText()).isEqualTo("overloaded_error");
        assertThat(response.body()).doesNotContain("sk-ant-529");
    }

    @Test
    void anErrorEventMidStreamReachesTheCallerAsAnErrorAndIsRecorded() {
        List<RawMessageStreamEvent> events = new ArrayList<>();
        assertThatThrownBy(() -> {
            try (StreamResponse<RawMessageStreamEvent> stream = sdk(hub.ownerKey()).messages()
                    .createStreaming(hello("flaky/claude-sonnet-4-5"))) {
                stream.stream().forEach(events::add);
            }
        }).isInstanceOfAny(SseException.class, AnthropicServiceException.class).hasMessageContaining("verloaded");
        assertThat(events).isNotEmpty();

        CallRecord call = hub.lastCall();
        assertThat(call.status()).isEqualTo(CallStatus.FAILED);
        assertThat(call.streamed()).isTrue();
        assertThat(call.error()).contains("mid-stream");
    }

    @Test
    void aBearerKeyWorksAndAnOpenAiProviderAnswersInAnthropicShape() {
        Message message = sdk(hub.ownerKey()).messages().create(hello("openai/gpt-4o-mini"));
        assertThat(message.content().getFirst().text().orElseThrow().text()).isEqualTo("Hello from fake gpt-4o-mini");
        assertThat(message.id()).startsWith("msg_");
        assertThat(message.model().asString()).startsWith("gpt-4o-mini");
    }

    @Test
    void countTokensPassesThroughToAnthropicAndIsRefusedPlainlyForOtherModels() {
        HttpResponse<String> counted = hub.send(hub.request("/v1/messages/count_tokens", null)
                .header("Content-Type", "application/json").header("x-api-key", hub.ownerKey())
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"model\":\"anthropic/claude-sonnet-4-5\","
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")));
        assertThat(counted.statusCode()).isEqualTo(200);
        assertThat(TestHub.json(counted).path("input_tokens").asInt()).isEqualTo(13);
        assertThat(anthropic.lastRequest().path()).isEqualTo("/v1/messages/count_tokens");
        assertThat(anthropic.lastRequest().json().path("model").asText()).isEqualTo("claude-sonnet-4-5");

        HttpResponse<String> refused = hub.send(hub.request("/v1/messages/count_tokens", null)
                .header("Content-Type", "application/json").header("x-api-key", hub.ownerKey())
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"model\":\"openai/gpt-4o-mini\","
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(TestHub.json(refused).at("/error/message").asText()).contains("only available");
    }
}
