package io.aigne.hub.gateway.aigne;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.testing.FakeAnthropicProvider;
import io.aigne.hub.testing.FakeGeminiProvider;
import io.aigne.hub.testing.FakeOpenAiProvider;
import io.aigne.hub.testing.TestHub;
import io.aigne.hub.usage.CallRecord;
import io.aigne.hub.usage.CallStatus;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The AIGNE door's discovery document and {@code /api/v2/chat}, driven with the bodies the AIGNE SDK and CLI send
 * (spec §5.1, Appendix A) and checked against what their parsers need: the output object, the SSE framing and merge
 * rule, errors, and the ledger row.
 */
class AigneChatDoorTest {
    private static final String CLIENT_DID = "@aigne/aigne-hub:vm";
    private static FakeOpenAiProvider openai;
    private static FakeAnthropicProvider anthropic;
    private static FakeGeminiProvider gemini;
    private static TestHub hub;

    @BeforeAll
    static void start() {
        openai = FakeOpenAiProvider.start();
        anthropic = FakeAnthropicProvider.start();
        gemini = FakeGeminiProvider.start();
        hub = TestHub.builder()
                .openAiProvider("openai", "openai", openai.baseUrl(), List.of(), "sk-ok-aigne")
                .openAiProvider("dropping", "openai", openai.baseUrl(), List.of(), "sk-drop")
                .provider("anthropic", "anthropic", anthropic.baseUrl(), null, List.of(), "sk-ant-ok-aigne")
                .provider("flaky", "anthropic", anthropic.baseUrl(), null, List.of(), "sk-ant-stream-error")
                .provider("google", "google", gemini.baseUrl(), null, List.of(), "gm-ok-aigne")
                .start();
    }

    @AfterAll
    static void stop() {
        hub.close();
        openai.close();
        anthropic.close();
        gemini.close();
    }

    /** The CLI's body for {@code aigne run --model <model> --input hi} (Appendix A), streamed or not. */
    private static String cliBody(String model, boolean streaming) {
        return "{\"input\":{\"messages\":[{\"role\":\"system\",\"content\":[{\"type\":\"text\",\"text\":\"You are a "
                + "helpful assistant.\"}]},{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"hi\"}]}],"
                + "\"modelOptions\":{\"provider\":\"openai\",\"name\":\"gpt-4o-mini\",\"cacheConfig\":{\"autoBreakpoints\":"
                + "{\"lastMessage\":true}},\"model\":\"" + model + "\"},\"outputFileType\":\"url\"},"
                + "\"agent\":\"$CHAT_MODEL\",\"options\":{" + (streaming ? "\"streaming\":true," : "")
                + "\"userContext\":{},\"memories\":[]}}";
    }

    private static HttpResponse<String> chat(String body, String key) {
        HttpRequest.Builder request = hub.request("/api/v2/chat", key).header("Content-Type", "application/json")
                .header("x-aigne-hub-client-did", CLIENT_DID).POST(HttpRequest.BodyPublishers.ofString(body));
        return hub.send(request);
    }

    private static String tools(String input) {
        return "{\"input\":{" + input + ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
                + "\"description\":\"Weather of a city\",\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":"
                + "{\"type\":\"string\"}}}}},{\"type\":\"function\",\"function\":{\"name\":\"search\",\"parameters\":"
                + "{\"type\":\"object\",\"properties\":{\"q\":{\"type\":\"string\"}}}}}]},\"agent\":\"$CHAT_MODEL\"";
    }

    @Test
    void discoveryJsonPutsTheHubComponentAtTheOriginRootWithoutAuth() {
        HttpResponse<String> response = hub.get("/__blocklet__.js?type=json", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type").orElseThrow()).startsWith("application/json");
        JsonNode doc = TestHub.json(response);
        JsonNode mount = doc.path("componentMountPoints").get(0);
        assertThat(mount.path("did").asText()).isEqualTo("z8ia3xzq2tMq8CRHfaXj1BTYJyYnEcHbqP8cJ");
        assertThat(mount.path("mountPoint").asText()).isEqualTo("/");
        assertThat(doc.path("appUrl").asText()).isEqualTo(hub.baseUrl());
        assertThat(doc.path("componentId").asText()).endsWith("/z8ia3xzq2tMq8CRHfaXj1BTYJyYnEcHbqP8cJ");
        assertThat(doc.path("prefix").asText()).isEqualTo("/");
    }

    @Test
    void discoveryWithoutTypeIsTheBlockletScript() {
        HttpResponse<String> response = hub.get("/__blocklet__.js", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type").orElseThrow()).startsWith("application/javascript");
        assertThat(response.body()).startsWith("window.blocklet = {").endsWith(";\n")
                .contains("\"mountPoint\":\"/\"");
    }

    @Test
    void aCliCallAnswersTheChatModelOutputAndIsRecordedForTheCallingApp() {
        HttpResponse<String> response = chat(cliBody("openai/gpt-4o-mini", false), hub.ownerKey());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode out = TestHub.json(response);
        assertThat(out.path("text").asText()).isEqualTo("Hello from fake gpt-4o-mini");
        assertThat(out.path("model").asText()).isEqualTo("gpt-4o-mini-2024-07-18");
        assertThat(out.path("modelWithProvider").asText()).isEqualTo("openai/gpt-4o-mini");
        JsonNode usage = out.path("usage");
        assertThat(usage.path("inputTokens").isIntegralNumber()).isTrue();
        assertThat(usage.path("inputTokens").asLong()).isEqualTo(FakeOpenAiProvider.PROMPT_TOKENS);
        assertThat(usage.path("outputTokens").asLong()).isEqualTo(FakeOpenAiProvider.COMPLETION_TOKENS);
        assertThat(usage.path("cacheReadInputTokens").asLong()).isEqualTo(FakeOpenAiProvider.CACHED_TOKENS);
        assertThat(usage.has("creditPrefix")).isFalse();
        assertThat(usage.has("aigneHubCredits")).isFalse();
        assertThat(out.has("toolCalls")).isFalse();

        JsonNode sent = openai.lastRequest().json();
        assertThat(sent.path("model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(sent.toString()).contains("You are a helpful assistant.").contains("\"hi\"");

        CallRecord call = hub.lastCall();
        assertThat(call.endpoint()).isEqualTo("/api/v2/chat");
        assertThat(call.provider()).isEqualTo("openai");
        assertThat(call.appDid()).isEqualTo(CLIENT_DID);
        assertThat(call.status()).isEqualTo(CallStatus.SUCCESS);
        assertThat(call.streamed()).isFalse();
        assertThat(call.modelRequested()).isEqualTo("openai/gpt-4o-mini");
        assertThat(call.usage().inputTokens()).isEqualTo(FakeOpenAiProvider.PROMPT_TOKENS);
        assertThat(call.usage().outputTokens()).isEqualTo(FakeOpenAiProvider.COMPLETION_TOKENS);
    }

    @Test
    void toolCallsComeBackWithObjectArgumentsAndAHistoryOfCallsReachesTheProvider() {
        String body = tools("\"messages\":[{\"role\":\"user\",\"content\":\"weather?\"},"
                + "{\"role\":\"agent\",\"toolCalls\":[{\"id\":\"call_0\",\"type\":\"function\",\"function\":"
                + "{\"name\":\"get_weather\",\"arguments\":{\"city\":\"Oslo\"}}}]},"
                + "{\"role\":\"tool\",\"toolCallId\":\"call_0\",\"content\":\"{\\\"temp\\\":3}\"},"
                + "{\"role\":\"user\",\"content\":\"and Paris?\"}],"
                + "\"modelOptions\":{\"model\":\"openai/gpt-4o-mini\"}") + "}";
        HttpResponse<String> response = chat(body, hub.ownerKey());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode calls = TestHub.json(response).path("toolCalls");
        assertThat(calls).hasSize(2);
        assertThat(calls.get(0).path("id").asText()).isEqualTo("call_fake_1");
        assertThat(calls.get(0).path("type").asText()).isEqualTo("function");
        assertThat(calls.get(0).at("/function/name").asText()).isEqualTo("get_weather");
        assertThat(calls.get(0).at("/function/arguments").isObject()).isTrue();
        assertThat(calls.get(0).at("/function/arguments/city").asText()).isEqualTo("Paris");
        assertThat(calls.get(1).at("/function/arguments/q").asText()).isEqualTo("x");

        JsonNode sent = openai.lastRequest().json().path("messages");
        JsonNode assistant = sent.get(1);
        assertThat(assistant.path("role").asText()).isEqualTo("assistant");
        assertThat(assistant.at("/tool_calls/0/function/arguments").asText()).isEqualTo("{\"city\":\"Oslo\"}");
        assertThat(sent.get(2).path("role").asText()).isEqualTo("tool");
        assertThat(sent.get(2).path("tool_call_id").asText()).isEqualTo("call_0");
    }

    @Test
    void aJsonSchemaAnswerArrivesAsJson() {
        String body = "{\"input\":{\"messages\":[{\"role\":\"user\",\"content\":\"weather in Paris as JSON\"}],"
                + "\"responseFormat\":{\"type\":\"json_schema\",\"jsonSchema\":{\"name\":\"weather\",\"schema\":"
                + "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"},\"temperature\":"
                + "{\"type\":\"number\"}}}}},\"modelOptions\":{\"model\":\"google/gemini-2.5-flash\"}},"
                + "\"agent\":\"$CHAT_MODEL\"}";
        HttpResponse<String> response = chat(body, hub.ownerKey());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode out = TestHub.json(response);
        assertThat(out.path("json").path("city").asText()).isEqualTo("Paris");
        assertThat(out.path("json").path("temperature").asInt()).isEqualTo(21);
        assertThat(out.has("text")).isFalse();
        assertThat(out.path("modelWithProvider").asText()).isEqualTo("google/gemini-2.5-flash");
        assertThat(gemini.lastRequest().json().at("/generationConfig/responseMimeType").asText())
                .isEqualTo("application/json");
    }

    @Test
    void aStreamIsUnnamedDataEventsWhoseMergeIsTheFullOutputWithoutDone() {
        HttpResponse<String> response = chat(cliBody("openai/gpt-4o-mini", true), hub.ownerKey());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type").orElseThrow()).startsWith("text/event-stream");
        assertThat(response.headers().firstValue("cache-control").orElseThrow()).isEqualTo("no-cache");
        assertThat(response.headers().firstValue("x-accel-buffering").orElseThrow()).isEqualTo("no");
        assertThat(response.body()).doesNotContain("[DONE]").doesNotContain("event:");
        SseEvents sse = SseEvents.parse(response.body());
        List<JsonNode> chunks = sse.unnamed();
        assertThat(chunks).allSatisfy(c -> assertThat(c.has("delta")).isTrue());

        assertThat(chunks.getFirst().at("/delta/json/model").asText()).isEqualTo("gpt-4o-mini-2024-07-18");
        List<String> pieces = sse.textPieces("text");
        assertThat(pieces.size()).isGreaterThan(1);
        assertThat(String.join("", pieces)).isEqualTo("Hello from fake gpt-4o-mini");
        JsonNode usageChunk = chunks.stream().filter(c -> c.at("/delta/json").size() == 1
                && c.at("/delta/json/usage").isObject()).findFirst().orElseThrow();
        assertThat(usageChunk.at("/delta/json/usage/inputTokens").asLong()).isEqualTo(FakeOpenAiProvider.PROMPT_TOKENS);
        assertThat(usageChunk.at("/delta/json/usage/outputTokens").asLong())
                .isEqualTo(FakeOpenAiProvider.COMPLETION_TOKENS);

        JsonNode last = chunks.getLast().at("/delta/json");
        assertThat(last.path("text").asText()).isEqualTo("Hello from fake gpt-4o-mini");
        assertThat(last.path("modelWithProvider").asText()).isEqualTo("openai/gpt-4o-mini");
        assertThat(last.path("model").asText()).isEqualTo("gpt-4o-mini-2024-07-18");
        assertThat(last.at("/usage/outputTokens").asLong()).isEqualTo(FakeOpenAiProvider.COMPLETION_TOKENS);

        ObjectNode merged = sse.merged();
        assertThat(merged.path("text").asText()).isEqualTo("Hello from fake gpt-4o-mini");
        assertThat(merged.at("/usage/creditPrefix").isMissingNode()).isTrue();

        CallRecord call = hub.lastCall();
        assertThat(call.streamed()).isTrue();
        assertThat(call.status()).isEqualTo(CallStatus.SUCCESS);
        assertThat(call.appDid()).isEqualTo(CLIENT_DID);
        assertThat(call.usage().inputTokens()).isEqualTo(FakeOpenAiProvider.PROMPT_TOKENS);
    }

    @Test
    void streamedToolCallsArriveWholeWithObjectArguments() {
        String body = tools("\"messages\":[{\"role\":\"user\",\"content\":\"weather?\"}],"
                + "\"modelOptions\":{\"model\":\"anthropic/claude-sonnet-4-5\"}")
                + ",\"options\":{\"streaming\":true}}";
        HttpResponse<String> response = chat(body, hub.ownerKey());

        assertThat(response.statusCode()).isEqualTo(200);
        SseEvents sse = SseEvents.parse(response.body());
        JsonNode toolChunk = sse.unnamed().stream().filter(c -> c.at("/delta/json").size() == 1
                && c.at("/delta/json/toolCalls").isArray()).findFirst().orElseThrow();
        JsonNode calls = toolChunk.at("/delta/json/toolCalls");
        assertThat(calls).hasSize(2);
        assertThat(calls.get(0).path("id").asText()).isEqualTo("toolu_fake_1");
        assertThat(calls.get(0).at("/function/name").asText()).isEqualTo("get_weather");
        assertThat(calls.get(0).at("/function/arguments/city").asText()).isEqualTo("Paris");
        assertThat(calls.get(1).at("/function/arguments/q").asText()).isEqualTo("x");
        assertThat(sse.merged().path("toolCalls")).isEqualTo(calls);
        assertThat(sse.merged().path("modelWithProvider").asText()).isEqualTo("anthropic/claude-sonnet-4-5");
        assertThat(hub.lastCall().provider()).isEqualTo("anthropic");
    }

    @Test
    void aStreamedJsonSchemaAnswerIsOneJsonDeltaNotText() {
        String body = "{\"input\":{\"messages\":[{\"role\":\"user\",\"content\":\"weather in Paris as JSON\"}],"
                + "\"responseFormat\":{\"type\":\"json_schema\",\"jsonSchema\":{\"name\":\"weather\",\"schema\":"
                + "{\"type\":\"object\"}}},\"modelOptions\":{\"model\":\"google/gemini-2.5-flash\"}},"
                + "\"options\":{\"streaming\":true}}";
        SseEvents sse = SseEvents.parse(chat(body, hub.ownerKey()).body());

        assertThat(sse.textPieces("text")).isEmpty();
        ObjectNode merged = sse.merged();
        assertThat(merged.path("json").path("city").asText()).isEqualTo("Paris");
        assertThat(merged.has("text")).isFalse();
    }

    @Test
    void aProviderErrorMidStreamIsAnErrorEventAndAFailedCall() {
        HttpResponse<String> response = chat(cliBody("flaky/claude-sonnet-4-5", true), hub.ownerKey());

        assertThat(response.statusCode()).isEqualTo(200);
        SseEvents sse = SseEvents.parse(response.body());
        assertThat(sse.textPieces("text")).containsExactly("Hello");
        SseEvents.Event last = sse.events().getLast();
        assertThat(last.name()).isEqualTo("error");
        assertThat(last.json().path("message").asText()).containsIgnoringCase("overloaded");
        assertThat(sse.events().stream().filter(e -> e.name() != null)).hasSize(1);

        CallRecord call = hub.lastCall();
        assertThat(call.status()).isEqualTo(CallStatus.FAILED);
        assertThat(call.provider()).isEqualTo("flaky");
    }

    @Test
    void aStreamThatBreaksOffEndsWithAnErrorEvent() {
        HttpResponse<String> response = chat(cliBody("dropping/gpt-4o-mini", true), hub.ownerKey());

        SseEvents sse = SseEvents.parse(response.body());
        assertThat(sse.textPieces("text")).isNotEmpty();
        assertThat(sse.events().getLast().name()).isEqualTo("error");
        assertThat(sse.events().getLast().json().path("message").asText()).contains("broke off");
        assertThat(hub.lastCall().status()).isEqualTo(CallStatus.FAILED);
    }

    @Test
    void anUnknownKeyIsA401UserNotAuthenticated() {
        HttpResponse<String> response = chat(cliBody("openai/gpt-4o-mini", false), "blocklet-not-a-key");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(TestHub.json(response).path("error").asText()).isEqualTo("User not authenticated");
        HttpResponse<String> none = chat(cliBody("openai/gpt-4o-mini", false), null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(TestHub.json(none).path("error").asText()).isEqualTo("User not authenticated");
    }

    @Test
    void anInvalidInputIsA400NamingTheField() {
        HttpResponse<String> response = chat("{\"input\":{\"messages\":[{\"role\":\"robot\",\"content\":\"hi\"}]}}",
                hub.ownerKey());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(TestHub.json(response).path("error").asText()).startsWith("[chat] ")
                .contains("input.messages[0].role");
    }

    @Test
    void anUnknownModelIsAnErrorWhoseMessageTheSdkRaises() {
        HttpResponse<String> response = chat(cliBody("nobody/nothing-9", true), hub.ownerKey());

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("content-type").orElseThrow()).startsWith("application/json");
        assertThat(TestHub.json(response).at("/error/message").asText()).contains("nobody/nothing-9");
    }
}
