package io.aigne.hub.gateway.aigne;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigne.hub.testing.FakeGeminiProvider;
import io.aigne.hub.testing.FakeOpenAiProvider;
import io.aigne.hub.testing.TestHub;
import io.aigne.hub.usage.CallRecord;
import io.aigne.hub.usage.CallStatus;
import io.aigne.hub.usage.CallType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The legacy "ai-kit" endpoints: chat completions in each response mode (JSON, events, plain text) and image
 * generations, through the same adapters and ledger as every other door.
 */
class AigneLegacyGatewayTest {
    private static final String TOOLS = "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
            + "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}}]";
    private static FakeOpenAiProvider openai;
    private static FakeGeminiProvider gemini;
    private static TestHub hub;

    @BeforeAll
    static void start() {
        openai = FakeOpenAiProvider.start();
        gemini = FakeGeminiProvider.start();
        hub = TestHub.builder()
                .openAiProvider("openai", "openai", openai.baseUrl(), List.of(), "sk-ok-legacy")
                .openAiProvider("dropping", "openai", openai.baseUrl(), List.of(), "sk-drop")
                .provider("google", "google", gemini.baseUrl(), null, List.of(), "gm-ok-legacy")
                .start();
    }

    @AfterAll
    static void stop() {
        hub.close();
        openai.close();
        gemini.close();
    }

    private static HttpResponse<String> post(String path, String accept, String body) {
        HttpRequest.Builder request = hub.request(path, hub.ownerKey()).header("Content-Type", "application/json")
                .header("x-aigne-hub-client-did", "zLegacyApp").POST(HttpRequest.BodyPublishers.ofString(body));
        if (accept != null) {
            request.header("Accept", accept);
        }
        return hub.send(request);
    }

    @Test
    void withoutStreamingTheAnswerIsOneJsonObject() {
        HttpResponse<String> response = post("/api/v2/chat/completions", null, "{\"model\":\"openai/gpt-4o-mini\","
                + "\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"hi\"}],"
                + "\"temperature\":0.5,\"maxTokens\":50,\"unknownField\":1}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonNode out = TestHub.json(response);
        assertThat(out.path("role").asText()).isEqualTo("assistant");
        assertThat(out.path("text").asText()).isEqualTo("Hello from fake gpt-4o-mini");
        assertThat(out.path("content").asText()).isEqualTo("Hello from fake gpt-4o-mini");
        assertThat(out.has("toolCalls")).isFalse();
        assertThat(out.has("usage")).isFalse();
        JsonNode sent = openai.lastRequest().json();
        assertThat(sent.path("model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(sent.path("temperature").asDouble()).isEqualTo(0.5);
        assertThat(sent.path("messages").get(0).path("role").asText()).isIn("system", "developer");

        CallRecord call = hub.lastCall();
        assertThat(call.type()).isEqualTo(CallType.CHAT);
        assertThat(call.endpoint()).isEqualTo("/api/v2/chat/completions");
        assertThat(call.status()).isEqualTo(CallStatus.SUCCESS);
        assertThat(call.appDid()).isEqualTo("zLegacyApp");
        assertThat(call.usage().inputTokens()).isEqualTo(FakeOpenAiProvider.PROMPT_TOKENS);
        assertThat(call.usage().outputTokens()).isEqualTo(FakeOpenAiProvider.COMPLETION_TOKENS);
    }

    @Test
    void toolCallsComeBackWithTheirArgumentsAsText() {
        HttpResponse<String> response = post("/api/v2/completions", null, "{\"model\":\"openai/gpt-4o-mini\","
                + "\"prompt\":\"weather in Paris?\"," + TOOLS + ",\"toolChoice\":\"required\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode call = TestHub.json(response).path("toolCalls").get(0);
        assertThat(call.path("id").asText()).isEqualTo("call_fake_1");
        assertThat(call.path("type").asText()).isEqualTo("function");
        assertThat(call.at("/function/name").asText()).isEqualTo("get_weather");
        assertThat(call.at("/function/arguments").asText()).isEqualTo("{\"city\":\"Paris\"}");
        assertThat(openai.lastRequest().json().path("tool_choice").asText()).isEqualTo("required");
    }

    @Test
    void anEventStreamCarriesContentDeltasThenUsageThenServerTiming() {
        HttpResponse<String> response = post("/api/v2/chat/completions", "text/event-stream",
                "{\"model\":\"openai/gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":true}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        assertThat(response.body()).doesNotContain("[DONE]");
        List<SseEvents.Event> events = SseEvents.parse(response.body()).events();
        List<SseEvents.Event> data = events.stream().filter(e -> e.name() == null).toList();
        String content = data.stream().map(SseEvents.Event::json).filter(e -> e.has("delta"))
                .peek(e -> {
                    assertThat(e.at("/delta/role").asText()).isEqualTo("assistant");
                    assertThat(e.at("/delta/toolCalls").isArray()).isTrue();
                })
                .map(e -> e.at("/delta/content").asText()).collect(Collectors.joining());
        assertThat(content).isEqualTo("Hello from fake gpt-4o-mini");
        JsonNode usage = data.getLast().json().path("usage");
        assertThat(usage.path("promptTokens").asLong()).isEqualTo(FakeOpenAiProvider.PROMPT_TOKENS);
        assertThat(usage.path("completionTokens").asLong()).isEqualTo(FakeOpenAiProvider.COMPLETION_TOKENS);
        assertThat(usage.path("totalTokens").asLong()).isEqualTo(FakeOpenAiProvider.TOTAL_TOKENS);
        assertThat(events.getLast().name()).isEqualTo("server-timing");
        assertThat(events.getLast().data()).matches("total;dur=\\d+\\.\\d");

        CallRecord call = hub.lastCall();
        assertThat(call.status()).isEqualTo(CallStatus.SUCCESS);
        assertThat(call.streamed()).isTrue();
        assertThat(call.usage().inputTokens()).isEqualTo(FakeOpenAiProvider.PROMPT_TOKENS);
    }

    @Test
    void anEventStreamDeliversToolCallsInOneDelta() {
        HttpResponse<String> response = post("/api/v2/chat/completions", "text/event-stream, */*",
                "{\"model\":\"google/gemini-2.5-flash\",\"messages\":[{\"role\":\"user\",\"content\":\"weather?\"}],"
                        + TOOLS + "}");

        List<JsonNode> withCalls = SseEvents.parse(response.body()).events().stream().filter(e -> e.name() == null)
                .map(SseEvents.Event::json).filter(e -> e.at("/delta/toolCalls").size() > 0).toList();
        assertThat(withCalls).hasSize(1);
        JsonNode call = withCalls.getFirst().at("/delta/toolCalls/0");
        assertThat(call.at("/function/name").asText()).isEqualTo("get_weather");
        assertThat(call.at("/function/arguments").isTextual()).isTrue();
        assertThat(call.at("/function/arguments").asText()).contains("\"city\"").contains("Paris");
        assertThat(hub.lastCall().provider()).isEqualTo("google");
    }

    @Test
    void aStreamThatBreaksEndsWithAnErrorEvent() {
        HttpResponse<String> response = post("/api/v2/chat/completions", "text/event-stream",
                "{\"model\":\"dropping/gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode last = SseEvents.parse(response.body()).events().getLast().json();
        assertThat(last.at("/error/message").asText()).contains("broke off");
        CallRecord call = hub.lastCall();
        assertThat(call.status()).isEqualTo(CallStatus.FAILED);
        assertThat(call.provider()).isEqualTo("dropping");
    }

    @Test
    void streamWithoutAnEventStreamAcceptIsTheBareText() {
        HttpResponse<String> response = post("/api/v2/chat/completions", "*/*",
                "{\"model\":\"openai/gpt-4o-mini\",\"prompt\":\"hi\",\"stream\":true}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(response.body()).isEqualTo("Hello from fake gpt-4o-mini");
        CallRecord call = hub.lastCall();
        assertThat(call.status()).isEqualTo(CallStatus.SUCCESS);
        assertThat(call.usage().outputTokens()).isEqualTo(FakeOpenAiProvider.COMPLETION_TOKENS);
    }

    @Test
    void aBareTextStreamThatBreaksEndsWithErrorText() {
        HttpResponse<String> response = post("/api/v1/chat/completions", null,
                "{\"model\":\"dropping/gpt-4o-mini\",\"prompt\":\"hi\",\"stream\":true}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("ERROR: ").contains("broke off");
        assertThat(hub.lastCall().endpoint()).isEqualTo("/api/v1/chat/completions");
    }

    @Test
    void refusalsAreJsonOrAnErrorEventDependingOnAccept() {
        String both = "{\"model\":\"openai/gpt-4o-mini\",\"prompt\":\"hi\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        HttpResponse<String> json = post("/api/v2/chat/completions", null, both);
        assertThat(json.statusCode()).isEqualTo(400);
        assertThat(TestHub.json(json).path("error").asText()).contains("exactly one of 'messages'");

        HttpResponse<String> events = post("/api/v2/chat/completions", "text/event-stream", both);
        assertThat(events.statusCode()).isEqualTo(200);
        assertThat(SseEvents.parse(events.body()).events().getFirst().json().at("/error/message").asText())
                .contains("exactly one of 'messages'");

        HttpResponse<String> range = post("/api/v2/chat/completions", null,
                "{\"prompt\":\"hi\",\"temperature\":3}");
        assertThat(range.statusCode()).isEqualTo(400);
        assertThat(TestHub.json(range).path("error").asText()).isEqualTo("'temperature' must be from 0 to 2");
    }

    @Test
    void withoutAKeyTheCallerIsNotAuthenticated() {
        HttpResponse<String> response = hub.send(hub.request("/api/v2/chat/completions", null)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"hi\"}")));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(TestHub.json(response).path("error").asText()).isEqualTo("User not authenticated");
    }

    @Test
    void anUnknownModelIsAnErrorObject() {
        HttpResponse<String> response = post("/api/v2/chat/completions", null,
                "{\"model\":\"nosuch/model-x\",\"prompt\":\"hi\"}");

        assertThat(response.statusCode()).isBetween(400, 404);
        assertThat(TestHub.json(response).at("/error/message").asText()).isNotBlank();
    }

    @Test
    void imageGenerationsAnswerBase64UnderEveryNameByDefault() {
        HttpResponse<String> response = post("/api/v2/image/generations", null,
                "{\"model\":\"google/imagen-4.0-generate-001\",\"prompt\":\"a lighthouse\",\"n\":2}");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode out = TestHub.json(response);
        assertThat(out.path("images")).hasSize(2);
        JsonNode image = out.path("images").get(0);
        assertThat(image.path("base64").asText()).isEqualTo(FakeGeminiProvider.TINY_PNG_BASE64);
        assertThat(image.path("b64_json").asText()).isEqualTo(FakeGeminiProvider.TINY_PNG_BASE64);
        assertThat(image.path("b64Json").asText()).isEqualTo(FakeGeminiProvider.TINY_PNG_BASE64);
        assertThat(image.has("url")).isFalse();
        assertThat(out.path("data")).isEqualTo(out.path("images"));
        assertThat(out.path("model").asText()).isEqualTo("imagen-4.0-generate-001");

        CallRecord call = hub.lastCall();
        assertThat(call.type()).isEqualTo(CallType.IMAGE);
        assertThat(call.endpoint()).isEqualTo("/api/v2/image/generations");
        assertThat(call.usage().imageCount()).isEqualTo(2);
    }

    @Test
    void imageGenerationsAskedForUrlsGetHostedLinks() throws Exception {
        HttpResponse<String> response = post("/api/v1/image/generations", null,
                "{\"model\":\"google/imagen-4.0-generate-001\",\"prompt\":\"a lighthouse\",\"response_format\":\"url\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode image = TestHub.json(response).path("images").get(0);
        assertThat(image.has("b64_json")).isFalse();
        String url = image.path("url").asText();
        assertThat(url).startsWith(hub.baseUrl() + "/api/media/");
        HttpResponse<byte[]> file = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(file.body()).isEqualTo(Base64.getDecoder().decode(FakeGeminiProvider.TINY_PNG_BASE64));
        assertThat(hub.lastCall().endpoint()).isEqualTo("/api/v1/image/generations");
    }

    @Test
    void imageGenerationsRefuseEditsAndBadCounts() {
        HttpResponse<String> edit = post("/api/v2/image/generations", null,
                "{\"model\":\"openai/gpt-image-1\",\"prompt\":\"x\",\"image\":\"https://example.com/a.png\"}");
        assertThat(edit.statusCode()).isEqualTo(400);
        assertThat(TestHub.json(edit).path("error").asText()).contains("image editing");

        HttpResponse<String> many = post("/api/v2/image/generations", null, "{\"prompt\":\"x\",\"n\":11}");
        assertThat(many.statusCode()).isEqualTo(400);
        assertThat(TestHub.json(many).path("error").asText()).contains("'n' must be from 1 to 10");
    }
}
