package io.aigne.hub.routing;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigne.hub.testing.FakeOpenAiProvider;
import io.aigne.hub.testing.TestHub;
import io.aigne.hub.usage.CallRecord;
import io.aigne.hub.usage.CallStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Failover as a caller experiences it: a credential that answers 500, 429, a reset or a dead stream is skipped
 * before the first byte reaches the caller and the call succeeds on another; a refused (401) credential leaves
 * rotation; when nothing is left the caller gets the provider's status and message, never its key.
 */
class FailoverTest {
    private static final String CHAT = "{\"model\":\"%s\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]%s}";
    private static FakeOpenAiProvider fake;
    private TestHub hub;

    @BeforeAll
    static void startFake() {
        fake = FakeOpenAiProvider.start();
    }

    @AfterAll
    static void stopFake() {
        fake.close();
    }

    @AfterEach
    void stopHub() {
        if (hub != null) {
            hub.close();
        }
        fake.clearRequests();
    }

    private TestHub hubWithKeys(String... keys) {
        hub = TestHub.builder().openAiProvider("openai", null, fake.baseUrl(), List.of("gpt-4o-mini"), keys).start();
        return hub;
    }

    private HttpResponse<String> chat(String model) {
        return hub.post("/v1/chat/completions", hub.ownerKey(), CHAT.formatted(model, ""));
    }

    private HttpResponse<String> stream(String model) {
        return hub.post("/v1/chat/completions", hub.ownerKey(), CHAT.formatted(model, ",\"stream\":true"));
    }

    private List<String> keysTried() {
        return fake.requests().stream().filter(r -> r.path().endsWith("/chat/completions"))
                .map(FakeOpenAiProvider.RecordedRequest::bearer).toList();
    }

    @Test
    void aServerErrorMovesTheCallToTheNextCredential() {
        hubWithKeys("sk-500", "sk-ok-second");
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> response = chat("openai/gpt-4o-mini");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("Hello from fake gpt-4o-mini");
        }
        assertThat(keysTried()).contains("sk-500", "sk-ok-second");
        CallRecord retried = hub.calls().stream().filter(c -> c.attempts() == 2).findFirst().orElseThrow();
        assertThat(retried.status()).isEqualTo(CallStatus.SUCCESS);
        assertThat(retried.credentialId()).isNotNull();
    }

    @Test
    void aRateLimitedCredentialIsSkippedAndDemoted() {
        hubWithKeys("sk-429", "sk-ok-second");
        for (int i = 0; i < 6; i++) {
            assertThat(chat("openai/gpt-4o-mini").statusCode()).isEqualTo(200);
        }
        JsonNode health = TestHub.json(hub.get("/api/ai-providers/health", hub.ownerKey()));
        assertThat(health.path("providers").path("openai").path("k0").path("state").asText()).isEqualTo("rate_limited");
        // Demoted to a tenth of its weight, it is tried far less often than the healthy one.
        long rateLimitedTries = keysTried().stream().filter("sk-429"::equals).count();
        assertThat(rateLimitedTries).isLessThanOrEqualTo(2);
    }

    @Test
    void aConnectionResetMovesTheCallToTheNextCredential() {
        hubWithKeys("sk-reset", "sk-ok-second");
        for (int i = 0; i < 3; i++) {
            assertThat(chat("openai/gpt-4o-mini").statusCode()).isEqualTo(200);
        }
        assertThat(keysTried()).contains("sk-reset");
    }

    @Test
    void aRefusedCredentialLeavesRotationAndItsKeyIsNeverShown() {
        hubWithKeys("sk-401", "sk-ok-second");
        for (int i = 0; i < 6; i++) {
            assertThat(chat("openai/gpt-4o-mini").statusCode()).isEqualTo(200);
        }
        assertThat(keysTried().stream().filter("sk-401"::equals).count()).isEqualTo(1);
        JsonNode entry = TestHub.json(hub.get("/api/ai-providers/health", hub.ownerKey()))
                .path("providers").path("openai").path("k0");
        assertThat(entry.path("running").asBoolean()).isFalse();
        assertThat(entry.path("state").asText()).isEqualTo("rejected");
        assertThat(entry.path("lastError").asText()).contains("Incorrect API key").doesNotContain("sk-401");
        // The public view says only whether it runs.
        JsonNode anonymous = TestHub.json(hub.get("/api/ai-providers/health", null));
        assertThat(anonymous.path("providers").path("openai").path("k0").has("lastError")).isFalse();
    }

    @Test
    void aRefusedCredentialIsRetestedInTheBackground() {
        hubWithKeys("sk-401", "sk-ok-second");
        assertThat(chat("openai/gpt-4o-mini").statusCode()).isEqualTo(200);
        // First re-test after 1 s (routing.retestInitialSeconds in tests), then with back-off.
        await().atMost(Duration.ofSeconds(10)).until(() -> fake.requests().stream()
                .anyMatch(r -> r.path().endsWith("/models") && "sk-401".equals(r.bearer())));
    }

    @Test
    void whenEveryCredentialIsRateLimitedTheCallerGets429WithRetryAfter() {
        hubWithKeys("sk-429");
        HttpResponse<String> response = chat("openai/gpt-4o-mini");
        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("retry-after")).contains("7");
        JsonNode error = TestHub.json(response).path("error");
        assertThat(error.path("code").asText()).isEqualTo("rate_limit_exceeded");
        assertThat(error.path("message").asText()).contains("openai");
        assertThat(hub.lastCall().status()).isEqualTo(CallStatus.FAILED);
        assertThat(hub.lastCall().httpStatus()).isEqualTo(429);
    }

    @Test
    void whenTheProviderFailsTheCallerGetsItsStatusAndMessage() {
        hubWithKeys("sk-500");
        HttpResponse<String> response = chat("openai/gpt-4o-mini");
        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(TestHub.json(response).path("error").path("message").asText())
                .contains("failed with 500").contains("The server had an error");
    }

    @Test
    void anOverloadedProviderIs503() {
        hubWithKeys("sk-503");
        assertThat(chat("openai/gpt-4o-mini").statusCode()).isEqualTo(503);
    }

    @Test
    void whenEveryCredentialIsRefusedTheCallerIsToldWithoutTheKey() {
        hubWithKeys("sk-401");
        HttpResponse<String> first = chat("openai/gpt-4o-mini");
        assertThat(first.statusCode()).isEqualTo(502);
        assertThat(first.body()).contains("refused the hub's credential").doesNotContain("sk-401");
        HttpResponse<String> second = chat("openai/gpt-4o-mini");
        assertThat(second.statusCode()).isEqualTo(503);
        assertThat(TestHub.json(second).path("error").path("code").asText()).isEqualTo("no_available_credential");
    }

    @Test
    void aProviderErrorAboutTheRequestIsTheCallersAndNotRetried() {
        hubWithKeys("sk-ok-first", "sk-ok-second");
        HttpResponse<String> response = chat("openai/missing-model");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(TestHub.json(response).path("error").path("code").asText()).isEqualTo("model_not_found");
        assertThat(keysTried()).hasSize(1);
    }

    @Test
    void aBareModelFailsOverToAnotherProvider() {
        hub = TestHub.builder()
                .openAiProvider("openai", null, fake.baseUrl(), List.of(), "sk-500")
                .openAiProvider("backup", "openrouter", fake.baseUrl(), List.of(), "sk-ok-backup")
                .start();
        for (int i = 0; i < 3; i++) {
            assertThat(chat("gpt-4o-mini").statusCode()).isEqualTo(200);
        }
        List<FakeOpenAiProvider.RecordedRequest> viaBackup = fake.requests().stream()
                .filter(r -> "sk-ok-backup".equals(r.bearer())).toList();
        assertThat(viaBackup).isNotEmpty();
        // OpenRouter names models vendor/model.
        assertThat(viaBackup.getFirst().json().path("model").asText()).isEqualTo("openai/gpt-4o-mini");
        // With the provider named explicitly, there is no cross-provider failover.
        assertThat(chat("openai/gpt-4o-mini").statusCode()).isEqualTo(502);
    }

    @Test
    void aStreamThatDiesBeforeItsFirstByteIsRetried() {
        hubWithKeys("sk-headers-then-die", "sk-ok-second");
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> response = stream("openai/gpt-4o-mini");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("\"content\":\" fake\"").endsWith("data: [DONE]\n\n");
        }
        assertThat(keysTried()).contains("sk-headers-then-die");
    }

    @Test
    void aStreamThatBreaksMidwayEndsWithAnErrorEventAndIsRecordedAsFailed() {
        hubWithKeys("sk-drop");
        HttpResponse<String> response = stream("openai/gpt-4o-mini");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"role\":\"assistant\"").contains("upstream_stream_interrupted")
                .doesNotContain("[DONE]");
        CallRecord call = hub.lastCall();
        assertThat(call.status()).isEqualTo(CallStatus.FAILED);
        assertThat(call.error()).contains("broke off");
    }

    @Test
    void aClientThatHangsUpMidStreamIsRecordedAsCancelled() throws Exception {
        hubWithKeys("sk-slow");
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + hub.ownerKey())
                .POST(HttpRequest.BodyPublishers.ofString(CHAT.formatted("openai/gpt-4o-mini", ",\"stream\":true")))
                .build();
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            byte[] first = body.readNBytes(20);
            assertThat(new String(first, StandardCharsets.UTF_8)).startsWith("data: ");
        }
        client.shutdownNow();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            CallRecord call = hub.lastCall();
            assertThat(call.status()).isEqualTo(CallStatus.CANCELLED);
            assertThat(call.error()).contains("client disconnected");
            // The hub kept reading after the client left, so the provider's real usage is on the record.
            assertThat(call.usage().inputTokens()).isEqualTo(11);
            assertThat(call.usage().outputTokens()).isEqualTo(7);
        });
    }

    @Test
    void aProviderThatGoesSilentIsCutOffByTheIdleTimeout() {
        hub = TestHub.builder()
                .setting("AIGNE_HUB_UPSTREAM_STREAM_IDLE_TIMEOUT_MILLIS", "150")
                .openAiProvider("openai", null, fake.baseUrl(), List.of("gpt-4o-mini"), "sk-slow")
                .start();
        // sk-slow sends its first chunk, then nothing for 300 ms: longer than the idle timeout.
        HttpResponse<String> response = stream("openai/gpt-4o-mini");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("upstream_stream_interrupted").contains("sent nothing for");
        CallRecord call = hub.lastCall();
        assertThat(call.status()).isEqualTo(CallStatus.FAILED);
        assertThat(call.error()).contains("sent nothing for");
    }

    @Test
    void aProviderThatDoesNotAnswerInTimeIs504() {
        hub = TestHub.builder()
                .setting("AIGNE_HUB_UPSTREAM_FIRST_BYTE_TIMEOUT_MILLIS", "100")
                .openAiProvider("openai", null, fake.baseUrl(), List.of("gpt-4o-mini"), "sk-slow")
                .start();
        // sk-slow answers a non-streamed call after 300 ms.
        HttpResponse<String> response = chat("openai/gpt-4o-mini");
        assertThat(response.statusCode()).isEqualTo(504);
        JsonNode error = TestHub.json(response).path("error");
        assertThat(error.path("code").asText()).isEqualTo("upstream_timeout");
        assertThat(error.path("message").asText()).contains("sent nothing for 100 ms");
        assertThat(hub.lastCall().httpStatus()).isEqualTo(504);
    }
}
