package io.aigne.hub.limits;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.aigne.hub.testing.FakeOpenAiProvider;
import io.aigne.hub.testing.TestHub;
import io.aigne.hub.usage.CallRecord;
import io.aigne.hub.usage.CallStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Limits through a running hub: created with the admin API, enforced at every front door (OpenAI through the
 * official SDK, Anthropic, AIGNE) with a 429, {@code Retry-After} and a message naming the limit, never reaching the
 * provider when refused, and shown to the user with their usage.
 */
class LimitsEndToEndTest {
    private static final String MODEL = "openai/gpt-4o-mini";
    private static FakeOpenAiProvider fake;
    private static TestHub hub;

    @BeforeAll
    static void start() {
        fake = FakeOpenAiProvider.start();
        hub = TestHub.builder().openAiProvider("openai", null, fake.baseUrl(), List.of(), "sk-ok-limits").start();
    }

    @AfterAll
    static void stop() {
        hub.close();
        fake.close();
    }

    @BeforeEach
    void clean() {
        for (JsonNode limit : TestHub.json(hub.get("/api/admin/limits", hub.ownerKey()))) {
            hub.delete("/api/admin/limits/" + limit.path("id").asText(), hub.ownerKey());
        }
        fake.clearRequests();
    }

    /** A new member with one key of the given name; returns {key id, secret}. */
    private static String[] member(String name, String keyName) {
        JsonNode user = TestHub.json(hub.post("/api/admin/users", hub.ownerKey(), "{\"name\":\"" + name + "\"}"));
        JsonNode key = TestHub.json(hub.post("/api/admin/users/" + user.path("id").asText() + "/access-keys",
                hub.ownerKey(), "{\"name\":\"" + keyName + "\"}"));
        return new String[]{key.path("id").asText(), key.path("secret").asText()};
    }

    private static void limit(String scope, String subject, String metric, Object value) {
        HttpResponse<String> created = hub.post("/api/admin/limits", hub.ownerKey(), "{\"scope\":\"" + scope
                + "\",\"subject\":\"" + subject + "\",\"metric\":\"" + metric + "\",\"limit\":" + value + "}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }

    /** Runs {@code use} with the official OpenAI SDK pointed at the hub with {@code key}. */
    private static void withSdk(String key, java.util.function.Consumer<OpenAIClient> use) {
        OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(hub.baseUrl() + "/v1").apiKey(key).maxRetries(0)
                .build();
        try {
            use.accept(client);
        } finally {
            client.close();
        }
    }

    private static ChatCompletionCreateParams chat(String model) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage("Hello").build();
    }

    @Test
    void theOpenAiSdkSeesA429WithRetryAfterAndTheLimitNamed() throws Exception {
        String[] ci = member("ci", "ci-bot");
        limit("key", ci[0], "requests_per_minute", 2);
        Minutes.awaitRoom(Duration.ofSeconds(10));
        withSdk(ci[1], client -> {
            client.chat().completions().create(chat(MODEL));
            client.chat().completions().create(chat(MODEL));

            assertThatThrownBy(() -> client.chat().completions().create(chat(MODEL)))
                    .isInstanceOfSatisfying(RateLimitException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(429);
                        long retryAfter = Long.parseLong(e.headers().values("Retry-After").getFirst());
                        assertThat(retryAfter).isBetween(1L, 60L);
                        assertThat(e.getMessage()).contains("requests per minute for access key 'ci-bot' (limit 2) "
                                + "exceeded; retry in " + retryAfter + " s");
                        assertThat(e.code()).contains("rate_limit_exceeded");
                        assertThat(e.type()).contains("rate_limit_error");
                    });
        });
        assertThat(fake.requests()).hasSize(2);
        CallRecord refused = hub.lastCall();
        assertThat(refused.status()).isEqualTo(CallStatus.FAILED);
        assertThat(refused.httpStatus()).isEqualTo(429);
        assertThat(refused.error()).contains("requests per minute for access key 'ci-bot'");

        JsonNode mine = TestHub.json(hub.get("/api/user/limits", ci[1])).path("limits");
        assertThat(mine).hasSize(1);
        assertThat(mine.get(0).path("scope").asText()).isEqualTo("key");
        assertThat(mine.get(0).path("appliesTo").asText()).isEqualTo(ci[0]);
        assertThat(mine.get(0).path("limit").asLong()).isEqualTo(2);
        assertThat(mine.get(0).path("used").asLong()).isEqualTo(2);
        assertThat(mine.get(0).path("remaining").asLong()).isZero();
        assertThat(mine.get(0).path("windowEnd").asLong() - mine.get(0).path("windowStart").asLong())
                .isEqualTo(60_000);
    }

    @Test
    void tokensAreCountedWhenCallsEndAndCheckedWhenTheNextOneStarts() throws Exception {
        String[] ci = member("tokens", "token-bot");
        limit("user", "tokens", "tokens_per_minute", 30);
        Minutes.awaitRoom(Duration.ofSeconds(10));
        withSdk(ci[1], client -> {
            client.chat().completions().create(chat(MODEL)); // 18 tokens
            client.chat().completions().create(chat(MODEL)); // admitted at 18 < 30; now 36
            assertThatThrownBy(() -> client.chat().completions().create(chat(MODEL)))
                    .isInstanceOfSatisfying(RateLimitException.class, e -> assertThat(e.getMessage())
                            .contains("tokens per minute for user 'tokens' (limit 30) exceeded"));
        });
        JsonNode mine = TestHub.json(hub.get("/api/user/limits", ci[1])).path("limits");
        assertThat(mine.get(0).path("used").asLong()).isEqualTo(2L * FakeOpenAiProvider.TOTAL_TOKENS);
        assertThat(mine.get(0).path("remaining").asLong()).isZero();
    }

    @Test
    void theAnthropicDoorAnswersInAnthropicsShape() {
        String[] key = member("anthropic-user", "claude-bot");
        limit("key", key[0], "requests_per_minute", 0);
        HttpResponse<String> refused = hub.send(hub.request("/v1/messages", null)
                .header("x-api-key", key[1]).header("anthropic-version", "2023-06-01")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + MODEL + "\",\"max_tokens\":50,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}")));

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 60L);
        JsonNode body = TestHub.json(refused);
        assertThat(body.path("type").asText()).isEqualTo("error");
        assertThat(body.path("error").path("type").asText()).isEqualTo("rate_limit_error");
        assertThat(body.path("error").path("message").asText())
                .startsWith("requests per minute for access key 'claude-bot' (limit 0) exceeded; retry in ");
        assertThat(fake.requests()).isEmpty();
    }

    @Test
    void theAigneDoorAnswersInItsShape() {
        String[] key = member("aigne-user", "aigne-bot");
        limit("app", "did:app:limited", "credits_per_day", "\"0\"");
        HttpResponse<String> refused = hub.send(hub.request("/api/v2/chat", key[1])
                .header("Content-Type", "application/json").header("x-aigne-hub-client-did", "did:app:limited")
                .POST(HttpRequest.BodyPublishers.ofString("{\"input\":{\"messages\":[{\"role\":\"user\",\"content\":"
                        + "\"hi\"}],\"modelOptions\":{\"model\":\"" + MODEL + "\"}}}")));

        assertThat(refused.statusCode()).isEqualTo(429);
        long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 86_400L);
        assertThat(TestHub.json(refused).path("error").path("message").asText())
                .isEqualTo("credits per day for app 'did:app:limited' (limit 0) exceeded; retry in " + retryAfter
                        + " s");
        assertThat(fake.requests()).isEmpty();

        // Another app of the same key is not limited.
        HttpResponse<String> other = hub.send(hub.request("/api/v2/chat", key[1])
                .header("Content-Type", "application/json").header("x-aigne-hub-client-did", "did:app:other")
                .POST(HttpRequest.BodyPublishers.ofString("{\"input\":{\"messages\":[{\"role\":\"user\",\"content\":"
                        + "\"hi\"}],\"modelOptions\":{\"model\":\"" + MODEL + "\"}}}")));
        assertThat(other.statusCode()).as(other.body()).isEqualTo(200);
    }

    @Test
    void aModelLimitHoldsForEveryCaller() {
        limit("model", "openai/gpt-4o", "requests_per_minute", 0);
        withSdk(hub.ownerKey(), owner -> {
            assertThatThrownBy(() -> owner.chat().completions().create(chat("openai/gpt-4o")))
                    .isInstanceOfSatisfying(RateLimitException.class, e -> assertThat(e.getMessage())
                            .contains("requests per minute for model 'openai/gpt-4o' (limit 0) exceeded"));
            owner.chat().completions().create(chat(MODEL));
        });
        JsonNode mine = TestHub.json(hub.get("/api/user/limits", hub.ownerKey())).path("limits");
        assertThat(mine).singleElement().satisfies(l -> {
            assertThat(l.path("scope").asText()).isEqualTo("model");
            assertThat(l.path("subject").asText()).isEqualTo("openai/gpt-4o");
            assertThat(l.path("used").asLong()).isZero();
        });
    }
}
