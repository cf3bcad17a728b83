package io.aigne.hub.gateway.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigne.hub.testing.FakeOpenAiProvider;
import io.aigne.hub.testing.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A caller's mistakes, one row each: the status, the field named in {@code param}, and a message that says what to
 * fix, always in OpenAI's error shape, never a stack trace, never a 500, and never a call to the provider.
 */
class BadInputTest {
    private static FakeOpenAiProvider fake;
    private static TestHub hub;
    private static String memberKey;

    record Case(String name, String method, String path, String key, String body, int status, String param,
                String messagePart) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    static void start() {
        fake = FakeOpenAiProvider.start();
        hub = TestHub.builder()
                .setting("AIGNE_HUB_SERVER_MAX_BODY_BYTES", "4096")
                .openAiProvider("openai", null, fake.baseUrl(), List.of("gpt-4o-mini"), "sk-ok-1")
                .start();
        hub.post("/api/ai-providers", hub.ownerKey(), "{\"name\":\"off\",\"type\":\"openai\",\"enabled\":false}");
        hub.post("/api/ai-providers", hub.ownerKey(), "{\"name\":\"anthropic\",\"credentials\":[{\"value\":\"sk-ant-x\"}]}");
        JsonNode member = TestHub.json(hub.post("/api/admin/users", hub.ownerKey(), "{\"name\":\"mia\",\"role\":\"member\"}"));
        memberKey = TestHub.json(hub.post("/api/admin/users/" + member.path("id").asText() + "/access-keys",
                hub.ownerKey(), "{\"name\":\"laptop\"}")).path("secret").asText();
    }

    @AfterAll
    static void stop() {
        hub.close();
        fake.close();
    }

    static Stream<Case> cases() {
        String owner = "OWNER";
        String member = "MEMBER";
        String chat = "/v1/chat/completions";
        return Stream.of(
                new Case("no key", "POST", chat, null, "{}", 401, null, "Authorization: Bearer"),
                new Case("unknown key", "POST", chat, "blocklet-nope", "{}", 401, null, "unknown or revoked"),
                new Case("not JSON", "POST", chat, owner, "{\"model\":", 400, null, "not valid JSON"),
                new Case("JSON array", "POST", chat, owner, "[1,2]", 400, null, "must be a JSON object"),
                new Case("empty body", "POST", chat, owner, "", 400, null, "empty"),
                new Case("trailing garbage", "POST", chat, owner,
                        "{\"model\":\"openai/gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]} x", 400, null, "Unrecognized token 'x'"),
                new Case("missing model", "POST", chat, owner, "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", 400, "model", "provider/model"),
                new Case("model not a string", "POST", chat, owner, "{\"model\":42,\"messages\":[]}", 400, "model", "must be a string"),
                new Case("missing messages", "POST", chat, owner, "{\"model\":\"openai/gpt-4o-mini\"}", 400, "messages", "required"),
                new Case("empty messages", "POST", chat, owner, "{\"model\":\"openai/gpt-4o-mini\",\"messages\":[]}", 400, "messages", "at least one"),
                new Case("messages not an array", "POST", chat, owner, "{\"model\":\"openai/gpt-4o-mini\",\"messages\":\"hi\"}", 400, "messages", "array"),
                new Case("message without role", "POST", chat, owner, "{\"model\":\"openai/gpt-4o-mini\",\"messages\":[{\"content\":\"x\"}]}", 400, "messages[0].role", "no 'role'"),
                new Case("stream not boolean", "POST", chat, owner, "{\"model\":\"openai/gpt-4o-mini\",\"stream\":\"yes\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", 400, "stream", "true or false"),
                new Case("n zero", "POST", chat, owner, "{\"model\":\"openai/gpt-4o-mini\",\"n\":0,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", 400, "n", "positive integer"),
                new Case("temperature a string", "POST", chat, owner, "{\"model\":\"openai/gpt-4o-mini\",\"temperature\":\"hot\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", 400, "temperature", "number"),
                new Case("unknown model", "POST", chat, owner, "{\"model\":\"nope/x\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", 404, "model", "not served"),
                new Case("disabled provider", "POST", chat, owner, "{\"model\":\"off/gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", 503, null, "disabled"),
                new Case("body too large", "POST", chat, owner, "{\"model\":\"openai/gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(5000) + "\"}]}", 413, null, "server.maxBodyBytes"),
                new Case("embeddings without input", "POST", "/v1/embeddings", owner, "{\"model\":\"openai/text-embedding-3-small\"}", 400, "input", "required"),
                new Case("embeddings with empty input", "POST", "/v1/embeddings", owner, "{\"model\":\"openai/text-embedding-3-small\",\"input\":[]}", 400, "input", "empty"),
                new Case("images without prompt", "POST", "/v1/images/generations", owner, "{\"model\":\"openai/gpt-image-1\"}", 400, "prompt", "required"),
                new Case("unknown endpoint", "POST", "/v1/chat/complete", owner, "{}", 404, null, "no such endpoint"),
                new Case("member on an admin API", "POST", "/api/ai-providers", member, "{\"name\":\"x\",\"type\":\"openai\"}", 403, null, "owner or admin"),
                new Case("member asking for all users' calls", "GET", "/api/user/model-calls?allUsers=true", member, null, 403, null, "owner or admin"),
                new Case("bad page", "GET", "/api/user/model-calls?page=0", owner, null, 400, "page", "between"),
                new Case("bad status filter", "GET", "/api/user/model-calls?status=great", owner, null, 400, "status", "success, failed"),
                new Case("provider with a bad name", "POST", "/api/ai-providers", owner, "{\"name\":\"Bad Name!\",\"type\":\"openai\"}", 400, "name", "lower-case"),
                new Case("provider of an unknown type", "POST", "/api/ai-providers", owner, "{\"name\":\"mine\",\"type\":\"skynet\"}", 400, "type", "unknown provider type"),
                new Case("provider with a bad base URL", "POST", "/api/ai-providers", owner, "{\"name\":\"mine\",\"type\":\"openai\",\"baseUrl\":\"ftp://x\"}", 400, "baseUrl", "http(s) URL"),
                new Case("duplicate provider", "POST", "/api/ai-providers", owner, "{\"name\":\"openai\"}", 409, "name", "already exists"),
                new Case("bedrock without region", "POST", "/api/ai-providers", owner, "{\"name\":\"bedrock\"}", 400, "region", "region"),
                new Case("credential without a key", "POST", "/api/ai-providers/PROVIDER/credentials", owner, "{\"name\":\"x\"}", 400, "value", "needs its key"),
                new Case("credential with a bad weight", "POST", "/api/ai-providers/PROVIDER/credentials", owner, "{\"value\":\"sk-1234567890\",\"weight\":-1}", 400, "weight", "between 0 and 10000"),
                new Case("unknown provider id", "PUT", "/api/ai-providers/nope", owner, "{\"enabled\":false}", 404, "id", "no provider"),
                new Case("user with a bad role", "POST", "/api/admin/users", owner, "{\"name\":\"bob\",\"role\":\"king\"}", 400, "role", "owner, admin, member, guest"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aMistakeGetsAClearErrorInTheCallersShape(Case c) {
        fake.clearRequests();
        String key = switch (c.key() == null ? "" : c.key()) {
            case "OWNER" -> hub.ownerKey();
            case "MEMBER" -> memberKey;
            case "" -> null;
            default -> c.key();
        };
        String path = c.path().replace("PROVIDER", providerId("openai"));
        HttpRequest.BodyPublisher body = c.body() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(c.body());
        HttpResponse<String> response = hub.send(hub.request(path, key)
                .header("Content-Type", "application/json").method(c.method(), body));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(c.status());
        assertThat(response.headers().firstValue("content-type").orElse("")).startsWith("application/json");
        JsonNode error = TestHub.json(response).path("error");
        assertThat(error.path("message").asText()).contains(c.messagePart());
        assertThat(error.has("type")).isTrue();
        assertThat(error.has("code")).isTrue();
        if (c.param() != null) {
            assertThat(error.path("param").asText()).isEqualTo(c.param());
        }
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("sk-ok-1");
        assertThat(fake.requests()).as("nothing reaches the provider").isEmpty();
    }

    private static String providerId(String name) {
        for (JsonNode p : TestHub.json(hub.get("/api/ai-providers", hub.ownerKey()))) {
            if (p.path("name").asText().equals(name)) {
                return p.path("id").asText();
            }
        }
        throw new AssertionError("no provider " + name);
    }
}
