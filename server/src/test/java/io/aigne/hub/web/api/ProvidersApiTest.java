package io.aigne.hub.web.api;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.aigne.hub.auth.Role;
import io.aigne.hub.provider.ProviderType;
import io.aigne.hub.testing.FakeAnthropicProvider;
import io.aigne.hub.testing.FakeBedrockProvider;
import io.aigne.hub.testing.FakeOpenAiProvider;
import io.aigne.hub.testing.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An admin adds a provider and its credentials through the API and calls a model through it; the secret goes in
 * and never comes out again: not in any answer, not in the database, not in a log line.
 */
class ProvidersApiTest {
    private static final String SECRET = "sk-ok-very-secret-value-0123456789";
    private static FakeOpenAiProvider fake;
    private static TestHub hub;
    private static final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeAll
    static void start() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(ch.qos.logback.classic.Level.DEBUG);
        logs.start();
        root.addAppender(logs);
        fake = FakeOpenAiProvider.start();
        hub = TestHub.builder().start();
    }

    @AfterAll
    static void stop() {
        hub.close();
        fake.close();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAppender(logs);
        root.setLevel(ch.qos.logback.classic.Level.WARN);
    }

    @Test
    void anAdminAddsAProviderAndCallsAModelThroughIt() {
        HttpResponse<String> created = hub.post("/api/ai-providers", hub.ownerKey(), """
                {"name":"acme","type":"openai","displayName":"Acme OpenAI","baseUrl":"%s",
                 "credentials":[{"name":"primary","value":"%s","weight":60}]}""".formatted(fake.baseUrl(), SECRET));
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode provider = TestHub.json(created);
        String id = provider.path("id").asText();
        assertThat(provider.path("credentials").get(0).path("displayText").asText())
                .isEqualTo("sk-o****************6789");
        assertThat(created.body()).doesNotContain(SECRET);

        HttpResponse<String> second = hub.post("/api/ai-providers/" + id + "/credentials", hub.ownerKey(),
                "{\"name\":\"spare\",\"value\":\"sk-500-spare-key\",\"weight\":40}");
        assertThat(second.statusCode()).isEqualTo(201);
        String spareId = TestHub.json(second).path("id").asText();

        HttpResponse<String> chat = hub.post("/v1/chat/completions", hub.ownerKey(),
                "{\"model\":\"acme/gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(chat.statusCode()).isEqualTo(200);
        assertThat(chat.body()).contains("Hello from fake gpt-4o-mini");

        HttpResponse<String> listed = hub.get("/api/ai-providers", hub.ownerKey());
        assertThat(listed.body()).doesNotContain(SECRET).doesNotContain("sk-500-spare-key");

        assertThat(hub.put("/api/ai-providers/" + id + "/credentials/" + spareId, hub.ownerKey(),
                "{\"enabled\":false}").statusCode()).isEqualTo(200);
        assertThat(hub.put("/api/ai-providers/" + id, hub.ownerKey(), "{\"models\":[\"gpt-4o-mini\"]}").statusCode())
                .isEqualTo(200);
        JsonNode models = TestHub.json(hub.get("/v1/models", hub.ownerKey()));
        assertThat(models.path("data")).extracting(m -> m.path("id").asText())
                .contains("acme/gpt-4o-mini").doesNotContain("acme/gpt-4o");

        assertThat(hub.delete("/api/ai-providers/" + id + "/credentials/" + spareId, hub.ownerKey()).statusCode())
                .isEqualTo(200);
        assertThat(hub.delete("/api/ai-providers/" + id, hub.ownerKey()).statusCode()).isEqualTo(200);
        assertThat(hub.post("/v1/chat/completions", hub.ownerKey(),
                "{\"model\":\"acme/gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").statusCode())
                .isEqualTo(404);
    }

    @Test
    void theProviderTypesAreListedForAdminsInTheEnumsOrder() {
        HttpResponse<String> answer = hub.get("/api/ai-providers/types", hub.ownerKey());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode types = TestHub.json(answer).path("types");
        assertThat(types.findValuesAsText("id"))
                .containsExactlyElementsOf(Arrays.stream(ProviderType.values()).map(ProviderType::id).toList());
        assertThat(types.findValuesAsText("label")).containsExactly("OpenAI", "Anthropic", "Google Gemini",
                "DeepSeek", "xAI", "Doubao", "Ideogram", "Amazon Bedrock", "OpenRouter", "Poe", "Ollama", "LM Studio");

        JsonNode openai = types.get(0);
        assertThat(openai.path("credentialKind").asText()).isEqualTo("api_key");
        assertThat(openai.path("keyOptional").asBoolean()).isFalse();
        assertThat(openai.path("needsRegion").asBoolean()).isFalse();
        assertThat(openai.path("defaultBaseUrl").asText()).isEqualTo("https://api.openai.com/v1");
        JsonNode bedrock = types.get(ProviderType.BEDROCK.ordinal());
        assertThat(bedrock.path("credentialKind").asText()).isEqualTo("access_key_pair");
        assertThat(bedrock.path("needsRegion").asBoolean()).isTrue();
        assertThat(bedrock.path("defaultBaseUrl").isNull()).isTrue();
        JsonNode ollama = types.get(ProviderType.OLLAMA.ordinal());
        assertThat(ollama.path("keyOptional").asBoolean()).isTrue();
        assertThat(ollama.path("defaultBaseUrl").asText()).isEqualTo("http://127.0.0.1:11434/v1");

        String member = hub.hub().users().create("types-member", null, null, Role.MEMBER).id();
        String memberKey = hub.hub().keys().issue(member, "types", null).secret();
        assertThat(hub.get("/api/ai-providers/types", memberKey).statusCode()).isEqualTo(403);
        assertThat(hub.get("/api/ai-providers/types", null).statusCode()).isEqualTo(401);
    }

    @Test
    void secretsAreSealedInTheDatabase() {
        hub.post("/api/ai-providers", hub.ownerKey(), """
                {"name":"sealed","type":"deepseek","models":["deepseek-chat"],"credentials":[{"value":"%s"}]}""".formatted(SECRET));
        List<Map<String, Object>> rows = hub.hub().database().jdbi().withHandle(h ->
                h.createQuery("SELECT * FROM provider_credentials").mapToMap().list());
        assertThat(rows).isNotEmpty();
        for (Map<String, Object> row : rows) {
            assertThat(row.toString()).doesNotContain(SECRET).doesNotContain(SECRET.substring(10, 22));
            assertThat(((Number) row.get("key_version")).intValue()).isEqualTo(1);
        }
        List<Map<String, Object>> keys = hub.hub().database().jdbi().withHandle(h ->
                h.createQuery("SELECT * FROM access_keys").mapToMap().list());
        assertThat(keys.toString()).doesNotContain(hub.ownerKey());
    }

    @Test
    void testingAKeyBeforeSavingIt() {
        String id = TestHub.json(hub.post("/api/ai-providers", hub.ownerKey(),
                "{\"name\":\"probe\",\"type\":\"openai\",\"baseUrl\":\"" + fake.baseUrl() + "\"}")).path("id").asText();
        HttpResponse<String> good = hub.post("/api/ai-providers/" + id + "/credentials/test", hub.ownerKey(),
                "{\"value\":\"sk-ok-probe\"}");
        assertThat(TestHub.json(good).path("success").asBoolean()).isTrue();
        HttpResponse<String> bad = hub.post("/api/ai-providers/" + id + "/credentials/test", hub.ownerKey(),
                "{\"value\":\"sk-401\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(TestHub.json(bad).path("error").asText()).isEqualTo("Invalid credentials");
        assertThat(TestHub.json(bad).path("detail").asText()).startsWith("401").doesNotContain("sk-401");
    }

    @Test
    void nativeCredentialsAreTestedWithTheirOwnProvidersCheck() {
        try (FakeAnthropicProvider anthropic = FakeAnthropicProvider.start();
             FakeBedrockProvider bedrock = FakeBedrockProvider.start(Map.of("AKIAPROBEEXAMPLE0001", "probeSecret/+/xyz"))) {
            String claude = TestHub.json(hub.post("/api/ai-providers", hub.ownerKey(),
                    "{\"name\":\"claude-probe\",\"type\":\"anthropic\",\"baseUrl\":\"" + anthropic.baseUrl() + "\"}"))
                    .path("id").asText();
            assertThat(TestHub.json(hub.post("/api/ai-providers/" + claude + "/credentials/test", hub.ownerKey(),
                    "{\"value\":\"sk-ant-ok-probe\"}")).path("success").asBoolean()).isTrue();
            assertThat(anthropic.lastRequest().path()).startsWith("/v1/models");
            HttpResponse<String> refused = hub.post("/api/ai-providers/" + claude + "/credentials/test", hub.ownerKey(),
                    "{\"value\":\"sk-ant-401\"}");
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(refused.body()).doesNotContain("sk-ant-401");

            String aws = TestHub.json(hub.post("/api/ai-providers", hub.ownerKey(),
                    "{\"name\":\"aws-probe\",\"type\":\"bedrock\",\"region\":\"us-east-1\",\"baseUrl\":\""
                            + bedrock.baseUrl() + "\"}")).path("id").asText();
            assertThat(TestHub.json(hub.post("/api/ai-providers/" + aws + "/credentials/test", hub.ownerKey(),
                    "{\"credentialValue\":{\"access_key_id\":\"AKIAPROBEEXAMPLE0001\",\"secret_access_key\":\"probeSecret/+/xyz\"}}"))
                    .path("success").asBoolean()).isTrue();
            HttpResponse<String> badSecret = hub.post("/api/ai-providers/" + aws + "/credentials/test", hub.ownerKey(),
                    "{\"credentialValue\":{\"access_key_id\":\"AKIAPROBEEXAMPLE0001\",\"secret_access_key\":\"wrong/secret\"}}");
            assertThat(badSecret.statusCode()).isEqualTo(400);
            assertThat(badSecret.body()).doesNotContain("wrong/secret");
        }
    }

    @Test
    void noSecretEverReachesALogLine() {
        String id = TestHub.json(hub.post("/api/ai-providers", hub.ownerKey(),
                "{\"name\":\"loud\",\"type\":\"openai\",\"baseUrl\":\"" + fake.baseUrl() + "\","
                        + "\"credentials\":[{\"name\":\"a\",\"value\":\"sk-401\"},{\"name\":\"b\",\"value\":\"" + SECRET + "\"}]}"))
                .path("id").asText();
        for (int i = 0; i < 3; i++) {
            hub.post("/v1/chat/completions", hub.ownerKey(),
                    "{\"model\":\"loud/gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        }
        hub.get("/api/ai-providers/" + id, hub.ownerKey());
        assertThat(logs.list).isNotEmpty();
        for (ILoggingEvent event : logs.list) {
            String line = event.getFormattedMessage() + (event.getThrowableProxy() == null ? ""
                    : event.getThrowableProxy().getMessage());
            assertThat(line).doesNotContain(SECRET).doesNotContain(hub.ownerKey());
        }
    }
}
