package io.aigne.hub.provider.gemini;

import static io.aigne.hub.provider.gemini.GeminiFixture.MODEL;
import static io.aigne.hub.provider.gemini.GeminiFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.gateway.canonical.ChatRequest;
import io.aigne.hub.gateway.canonical.ChatResponse;
import io.aigne.hub.gateway.canonical.ContentPart;
import io.aigne.hub.gateway.canonical.FinishReason;
import io.aigne.hub.gateway.canonical.Message;
import io.aigne.hub.gateway.canonical.Reasoning;
import io.aigne.hub.gateway.canonical.ResponseFormat;
import io.aigne.hub.gateway.canonical.Sampling;
import io.aigne.hub.gateway.canonical.Tool;
import io.aigne.hub.gateway.canonical.ToolChoice;
import io.aigne.hub.server.ApiException;
import io.aigne.hub.server.Json;
import io.aigne.hub.testing.FakeGeminiProvider;
import io.aigne.hub.usage.Usage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Non-streamed chat against the fake Gemini: what is sent, and what the caller gets back. */
class GeminiAdapterChatTest {
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

    private static JsonNode sent() {
        return gemini.fake.lastRequest().json();
    }

    private static Tool weather() throws Exception {
        return new Tool("get_weather", "Weather in a city", Json.MAPPER.readTree("""
                {"$schema": "https://json-schema.org/draft/2020-12/schema",
                 "type": "object",
                 "properties": {"city": {"type": "string"}, "unit": {"$ref": "#/$defs/unit"}},
                 "required": ["city"],
                 "additionalProperties": false,
                 "$defs": {"unit": {"type": "string", "enum": ["C", "F"]}}}"""));
    }

    private static Tool search() {
        return new Tool("search", "Web search", Json.object().put("type", "object"));
    }

    @Test
    void textAnswerWithUsageIdAndModel() throws Exception {
        ChatRequest request = new ChatRequest(MODEL, List.of(new ContentPart.Text("Be terse."),
                new ContentPart.Text("Answer in English.")), List.of(Message.user("Say hello")), null, null, null,
                new Sampling(256, 0.2, 0.9, 40, List.of("END"), 7L, 0.1, 0.3), null, false, "user-1");

        ChatResponse response = gemini.adapter.chat(gemini.route("gm-ok-alpha", MODEL), request);

        assertThat(response.text()).isEqualTo("Hello from fake gemini-2.5-flash");
        assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(response.id()).startsWith("fake-resp-");
        assertThat(response.model()).isEqualTo(MODEL);
        int thoughts = FakeGeminiProvider.THOUGHTS_TOKENS;
        assertThat(response.usage()).isEqualTo(new Usage(FakeGeminiProvider.PROMPT_TOKENS,
                FakeGeminiProvider.CANDIDATES_TOKENS + thoughts, FakeGeminiProvider.CACHED_TOKENS, 0, thoughts,
                FakeGeminiProvider.TOTAL_TOKENS, 0));

        FakeGeminiProvider.RecordedRequest recorded = gemini.fake.lastRequest();
        assertThat(recorded.path()).isEqualTo("/v1beta/models/gemini-2.5-flash:generateContent");
        assertThat(recorded.headers()).containsEntry("x-goog-api-key", "gm-ok-alpha");
        assertThat(recorded.query()).isEmpty();
        JsonNode body = recorded.json();
        assertThat(body.at("/systemInstruction/parts/0/text").asText()).isEqualTo("Be terse.");
        assertThat(body.at("/systemInstruction/parts/1/text").asText()).isEqualTo("Answer in English.");
        assertThat(body.at("/contents/0/role").asText()).isEqualTo("user");
        assertThat(body.at("/contents/0/parts/0/text").asText()).isEqualTo("Say hello");
        JsonNode config = body.path("generationConfig");
        assertThat(config.path("maxOutputTokens").asInt()).isEqualTo(256);
        assertThat(config.path("temperature").asDouble()).isEqualTo(0.2);
        assertThat(config.path("topP").asDouble()).isEqualTo(0.9);
        assertThat(config.path("topK").asInt()).isEqualTo(40);
        assertThat(config.path("stopSequences").get(0).asText()).isEqualTo("END");
        assertThat(config.path("seed").asLong()).isEqualTo(7);
        assertThat(config.path("presencePenalty").asDouble()).isEqualTo(0.1);
        assertThat(config.path("frequencyPenalty").asDouble()).isEqualTo(0.3);
        assertThat(config.has("thinkingConfig")).isFalse();
        assertThat(body.has("tools")).isFalse();
    }

    @Test
    void modelIdsWithTheModelsPrefixAreNormalized() throws Exception {
        ChatResponse response = gemini.adapter.chat(gemini.route("models/gemini-2.5-pro"),
                request(List.of(Message.user("hi"))));

        assertThat(gemini.fake.lastRequest().path()).isEqualTo("/v1beta/models/gemini-2.5-pro:generateContent");
        assertThat(response.model()).isEqualTo("gemini-2.5-pro");
    }

    @Test
    void modelIdsThatWouldLeaveThePathAreRefused() throws Exception {
        assertThatThrownBy(() -> gemini.adapter.chat(gemini.route("../files?x="), request(List.of(Message.user("hi")))))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400));
        assertThat(gemini.fake.requests()).isEmpty();
    }

    @Test
    void functionCallsKeepGeminiIdsArgumentsAndTheThoughtSignature() throws Exception {
        ChatRequest request = new ChatRequest(MODEL, null, List.of(Message.user("Weather in Paris?")),
                List.of(weather(), search()), ToolChoice.AUTO, null, null, null, false, null);

        ChatResponse response = gemini.adapter.chat(gemini.route(MODEL), request);

        assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        List<ContentPart.ToolCall> calls = response.toolCalls();
        assertThat(calls).hasSize(2);
        assertThat(calls.get(0).id()).matches("fc-fake-\\d+-1");
        assertThat(calls.get(0).name()).isEqualTo("get_weather");
        assertThat(Json.MAPPER.readTree(calls.get(0).arguments())).isEqualTo(Json.object().put("city", "Paris"));
        assertThat(calls.get(1).id()).matches("fc-fake-\\d+-2");
        assertThat(calls.get(1).name()).isEqualTo("search");
        assertThat(Json.MAPPER.readTree(calls.get(1).arguments())).isEqualTo(Json.object().put("q", "x"));
        // The signature of the first call sits just before it, in a reasoning part without text.
        assertThat(response.content().get(0)).isEqualTo(new ContentPart.Reasoning("", FakeGeminiProvider.THOUGHT_SIGNATURE));
        assertThat(response.content().get(1)).isEqualTo(calls.get(0));

        JsonNode declarations = sent().at("/tools/0/functionDeclarations");
        assertThat(declarations).hasSize(2);
        JsonNode weather = declarations.get(0);
        assertThat(weather.path("name").asText()).isEqualTo("get_weather");
        assertThat(weather.path("description").asText()).isEqualTo("Weather in a city");
        assertThat(weather.has("parameters")).isFalse();
        JsonNode schema = weather.path("parametersJsonSchema");
        assertThat(schema.has("$schema")).isFalse();
        assertThat(schema.path("additionalProperties").asBoolean(true)).isFalse();
        assertThat(schema.at("/$defs/unit/enum/1").asText()).isEqualTo("F");
        assertThat(schema.at("/properties/unit/$ref").asText()).isEqualTo("#/$defs/unit");
        assertThat(sent().at("/toolConfig/functionCallingConfig/mode").asText()).isEqualTo("AUTO");
    }

    @Test
    void aNamedToolChoiceAllowsOnlyThatFunction() throws Exception {
        ChatRequest request = new ChatRequest(MODEL, null, List.of(Message.user("Search it")),
                List.of(weather(), search()), new ToolChoice(ToolChoice.Mode.TOOL, "search", null), null, null, null,
                false, null);

        ChatResponse response = gemini.adapter.chat(gemini.route(MODEL), request);

        JsonNode config = sent().at("/toolConfig/functionCallingConfig");
        assertThat(config.path("mode").asText()).isEqualTo("ANY");
        assertThat(config.path("allowedFunctionNames")).containsExactly(Json.MAPPER.getNodeFactory().textNode("search"));
        assertThat(response.toolCalls()).extracting(ContentPart.ToolCall::name).containsExactly("search");
    }

    @Test
    void toolChoiceNoneAnswersText() throws Exception {
        ChatRequest request = new ChatRequest(MODEL, null, List.of(Message.user("hi")), List.of(weather()),
                new ToolChoice(ToolChoice.Mode.NONE, null, null), null, null, null, false, null);

        ChatResponse response = gemini.adapter.chat(gemini.route(MODEL), request);

        assertThat(sent().at("/toolConfig/functionCallingConfig/mode").asText()).isEqualTo("NONE");
        assertThat(response.toolCalls()).isEmpty();
        assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
    }

    @Test
    void functionResultsTravelBackWithTheCallsNameIdAndSignature() throws Exception {
        List<Tool> tools = List.of(weather(), search());
        List<Message> conversation = new ArrayList<>(List.of(Message.user("Weather in Paris, and search x")));
        ChatResponse first = gemini.adapter.chat(gemini.route(MODEL),
                new ChatRequest(MODEL, null, conversation, tools, null, null, null, null, false, null));
        List<ContentPart.ToolCall> calls = first.toolCalls();

        conversation.add(new Message(Message.Role.ASSISTANT, first.content()));
        // One user turn per result, as the OpenAI front door produces them; names come from the calls.
        conversation.add(new Message(Message.Role.USER, List.of(new ContentPart.ToolResult(calls.get(0).id(), null,
                List.of(new ContentPart.Text("{\"temp\":21}")), false))));
        conversation.add(new Message(Message.Role.USER, List.of(new ContentPart.ToolResult(calls.get(1).id(), null,
                List.of(new ContentPart.Text("search is down")), true))));
        gemini.adapter.chat(gemini.route(MODEL),
                new ChatRequest(MODEL, null, conversation, tools, null, null, null, null, false, null));

        JsonNode contents = sent().path("contents");
        assertThat(contents).hasSize(3);
        JsonNode modelTurn = contents.get(1);
        assertThat(modelTurn.path("role").asText()).isEqualTo("model");
        assertThat(modelTurn.path("parts")).hasSize(2);
        JsonNode firstCall = modelTurn.at("/parts/0");
        assertThat(firstCall.at("/functionCall/id").asText()).isEqualTo(calls.get(0).id());
        assertThat(firstCall.at("/functionCall/name").asText()).isEqualTo("get_weather");
        assertThat(firstCall.at("/functionCall/args")).isEqualTo(Json.object().put("city", "Paris"));
        assertThat(firstCall.path("thoughtSignature").asText()).isEqualTo(FakeGeminiProvider.THOUGHT_SIGNATURE);
        assertThat(modelTurn.at("/parts/1/functionCall/name").asText()).isEqualTo("search");
        assertThat(modelTurn.at("/parts/1").has("thoughtSignature")).isFalse();

        JsonNode results = contents.get(2);
        assertThat(results.path("role").asText()).isEqualTo("user");
        assertThat(results.path("parts")).hasSize(2);
        JsonNode weather = results.at("/parts/0/functionResponse");
        assertThat(weather.path("id").asText()).isEqualTo(calls.get(0).id());
        assertThat(weather.path("name").asText()).isEqualTo("get_weather");
        assertThat(weather.path("response")).isEqualTo(Json.object().put("output", "{\"temp\":21}"));
        JsonNode failed = results.at("/parts/1/functionResponse");
        assertThat(failed.path("name").asText()).isEqualTo("search");
        assertThat(failed.path("response")).isEqualTo(Json.object().put("error", "search is down"));
    }

    @Test
    void callsFromAnotherProviderGetTheDocumentedSignaturePlaceholder() throws Exception {
        List<Message> conversation = List.of(Message.user("Weather?"),
                new Message(Message.Role.ASSISTANT, List.of(new ContentPart.Text("Let me look."),
                        new ContentPart.ToolCall("toolu_01", "get_weather", "{\"city\":\"Oslo\"}"),
                        new ContentPart.ToolCall("toolu_02", "get_weather", "{\"city\":\"Rome\"}"))),
                new Message(Message.Role.USER, List.of(
                        new ContentPart.ToolResult("toolu_01", "get_weather", List.of(new ContentPart.Text("3C")), false),
                        new ContentPart.ToolResult("toolu_02", null, List.of(new ContentPart.Text("18C")), false))));

        gemini.adapter.chat(gemini.route(MODEL), request(conversation));

        JsonNode parts = sent().at("/contents/1/parts");
        assertThat(parts.get(0).path("text").asText()).isEqualTo("Let me look.");
        assertThat(parts.get(0).has("thoughtSignature")).isFalse();
        assertThat(parts.get(1).path("thoughtSignature").asText()).isEqualTo(GeminiRequestMapper.SIGNATURE_BYPASS);
        assertThat(parts.get(2).has("thoughtSignature")).isFalse();
        assertThat(sent().at("/contents/2/parts/1/functionResponse/name").asText()).isEqualTo("get_weather");
    }

    @Test
    void aReasoningBlockWithTextAndSignatureBecomesAThoughtAndSignsTheCall() throws Exception {
        List<Message> conversation = List.of(Message.user("Weather?"),
                new Message(Message.Role.ASSISTANT, List.of(new ContentPart.Reasoning("Need the weather.", "c2lnLTE="),
                        new ContentPart.ToolCall("c1", "get_weather", "{}"))),
                new Message(Message.Role.USER, List.of(
                        new ContentPart.ToolResult("c1", null, List.of(new ContentPart.Text("3C")), false))));

        gemini.adapter.chat(gemini.route(MODEL), request(conversation));

        JsonNode parts = sent().at("/contents/1/parts");
        assertThat(parts).hasSize(2);
        assertThat(parts.get(0)).isEqualTo(Json.object().put("text", "Need the weather.").put("thought", true));
        assertThat(parts.get(1).path("thoughtSignature").asText()).isEqualTo("c2lnLTE=");
        assertThat(parts.get(1).at("/functionCall/args")).isEqualTo(Json.object());
    }

    @Test
    void aToolResultWithoutAnyKnownFunctionNameIsTheCallersMistake() throws Exception {
        List<Message> conversation = List.of(Message.user("hi"), new Message(Message.Role.USER, List.of(
                new ContentPart.ToolResult("nowhere", null, List.of(new ContentPart.Text("x")), false))));

        assertThatThrownBy(() -> gemini.adapter.chat(gemini.route(MODEL), request(conversation)))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("'nowhere'").contains("function's name");
                });
    }

    @Test
    void thinkingIsRequestedAndReturnedAsReasoning() throws Exception {
        ChatRequest request = new ChatRequest(MODEL, null, List.of(Message.user("Think first")), null, null, null,
                null, new Reasoning(true, null, 2048), false, null);

        ChatResponse response = gemini.adapter.chat(gemini.route(MODEL), request);

        JsonNode thinking = sent().at("/generationConfig/thinkingConfig");
        assertThat(thinking.path("includeThoughts").asBoolean()).isTrue();
        assertThat(thinking.path("thinkingBudget").asInt()).isEqualTo(2048);
        assertThat(response.content().get(0)).isEqualTo(new ContentPart.Reasoning(FakeGeminiProvider.THOUGHT_TEXT, null));
        assertThat(response.text()).isEqualTo("Hello from fake gemini-2.5-flash");
        assertThat(response.usage().reasoningTokens()).isEqualTo(FakeGeminiProvider.THOUGHTS_TOKENS);
    }

    @Test
    void thinkingByEffortAndThinkingOff() throws Exception {
        gemini.adapter.chat(gemini.route(MODEL), new ChatRequest(MODEL, null, List.of(Message.user("hi")), null,
                null, null, null, new Reasoning(true, "high", null), false, null));
        assertThat(sent().at("/generationConfig/thinkingConfig/thinkingBudget").asInt()).isEqualTo(16384);

        ChatResponse off = gemini.adapter.chat(gemini.route(MODEL), new ChatRequest(MODEL, null,
                List.of(Message.user("hi")), null, null, null, null, new Reasoning(false, null, null), false, null));
        assertThat(sent().at("/generationConfig/thinkingConfig")).isEqualTo(Json.object().put("thinkingBudget", 0));
        assertThat(off.content()).noneMatch(ContentPart.Reasoning.class::isInstance);
    }

    @Test
    void jsonSchemaGoesToResponseJsonSchema() throws Exception {
        ObjectNode schema = (ObjectNode) Json.MAPPER.readTree("""
                {"$schema": "http://json-schema.org/draft-07/schema#", "type": "object",
                 "properties": {"city": {"type": "string"}, "temperature": {"type": "number"}},
                 "required": ["city", "temperature"], "additionalProperties": false}""");
        ChatRequest request = new ChatRequest(MODEL, null, List.of(Message.user("Weather as JSON")), null, null,
                new ResponseFormat(ResponseFormat.Kind.JSON_SCHEMA, "weather", schema, true), null, null, false, null);

        ChatResponse response = gemini.adapter.chat(gemini.route(MODEL), request);

        assertThat(response.text()).isEqualTo(FakeGeminiProvider.JSON_ANSWER);
        JsonNode config = sent().path("generationConfig");
        assertThat(config.path("responseMimeType").asText()).isEqualTo("application/json");
        ObjectNode expected = schema.deepCopy();
        expected.remove("$schema");
        assertThat(config.path("responseJsonSchema")).isEqualTo(expected);
        assertThat(config.has("responseSchema")).isFalse();

        gemini.adapter.chat(gemini.route(MODEL), new ChatRequest(MODEL, null, List.of(Message.user("JSON please")),
                null, null, ResponseFormat.JSON_OBJECT, null, null, false, null));
        assertThat(sent().path("generationConfig")).isEqualTo(Json.object().put("responseMimeType", "application/json"));
    }
}
