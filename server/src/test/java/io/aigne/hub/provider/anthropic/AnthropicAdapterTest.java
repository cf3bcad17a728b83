package io.aigne.hub.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigne.hub.gateway.canonical.ChatEvent;
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
import io.aigne.hub.gateway.upstream.Http1UpstreamClient;
import io.aigne.hub.provider.ChatEventSource;
import io.aigne.hub.provider.ChatStream;
import io.aigne.hub.provider.CredentialSecret;
import io.aigne.hub.provider.MediaFetcher;
import io.aigne.hub.provider.Provider;
import io.aigne.hub.provider.ProviderFailure;
import io.aigne.hub.provider.ProviderHttp;
import io.aigne.hub.provider.ProviderType;
import io.aigne.hub.provider.WireFormat;
import io.aigne.hub.routing.Outcome;
import io.aigne.hub.routing.Route;
import io.aigne.hub.server.Json;
import io.aigne.hub.testing.FakeAnthropicProvider;
import io.aigne.hub.usage.Usage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The adapter against the fake Anthropic API: what it sends, and what it makes of the answers. */
class AnthropicAdapterTest {
    private static final String UPSTREAM_MODEL = "claude-sonnet-4-5-20250929";
    private static final String TINY_PNG =
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";
    /** 13 uncached + 4 written to the cache + 6 read from it. */
    private static final Usage FAKE_USAGE = Usage.tokens(23, 9, 6, 4, 0);

    private static FakeAnthropicProvider fake;
    private static Http1UpstreamClient client;
    private static AnthropicAdapter adapter;

    @BeforeAll
    static void start() {
        fake = FakeAnthropicProvider.start();
        client = new Http1UpstreamClient(Duration.ofSeconds(5));
        adapter = new AnthropicAdapter(new ProviderHttp(client, Duration.ofSeconds(30), 64L << 20),
                new MediaFetcher(client, Duration.ofSeconds(10), 20 << 20, true));
    }

    @AfterAll
    static void stop() {
        fake.close();
        client.close();
    }

    @BeforeEach
    void forget() {
        fake.clearRequests();
    }

    private static Provider provider() {
        return new Provider("p1", "claude", ProviderType.ANTHROPIC, "Anthropic", fake.baseUrl(), null, true,
                List.of(), "test", 0, 0);
    }

    private static Route route(String key) {
        return new Route(provider(), null, CredentialSecret.apiKey(key), UPSTREAM_MODEL);
    }

    private static ChatRequest request(List<Message> messages) {
        return new ChatRequest("claude/sonnet", List.of(), messages, List.of(), null, null, Sampling.DEFAULT, null,
                false, null);
    }

    private static ChatRequest hello() {
        return request(List.of(Message.user("Say hello")));
    }

    private static ChatRequest withTools(ChatRequest base, List<Tool> tools, ToolChoice choice) {
        return new ChatRequest(base.model(), base.system(), base.messages(), tools, choice, base.responseFormat(),
                base.sampling(), base.reasoning(), base.stream(), base.user());
    }

    private static ChatRequest withReasoning(ChatRequest base, Reasoning reasoning) {
        return new ChatRequest(base.model(), base.system(), base.messages(), base.tools(), base.toolChoice(),
                base.responseFormat(), base.sampling(), reasoning, base.stream(), base.user());
    }

    private static ChatRequest withFormat(ChatRequest base, ResponseFormat format) {
        return new ChatRequest(base.model(), base.system(), base.messages(), base.tools(), base.toolChoice(), format,
                base.sampling(), base.reasoning(), base.stream(), base.user());
    }

    private static Tool weather() {
        return new Tool("get_weather", "Weather in a city", Json.object().put("type", "object")
                .set("properties", Json.object().set("city", Json.object().put("type", "string"))));
    }

    private static Tool search() {
        return new Tool("search", "Search the web", Json.object().put("type", "object"));
    }

    private static List<ChatEvent> drain(ChatStream stream) throws IOException {
        List<ChatEvent> events = new ArrayList<>();
        try (stream) {
            ChatEventSource source = stream.events(stream.response().body());
            for (ChatEvent event = source.next(); event != null; event = source.next()) {
                events.add(event);
            }
        }
        return events;
    }

    private static String arguments(List<ChatEvent> events, int index) {
        StringBuilder text = new StringBuilder();
        events.stream().filter(ChatEvent.ToolCallArguments.class::isInstance).map(ChatEvent.ToolCallArguments.class::cast)
                .filter(a -> a.index() == index).forEach(a -> text.append(a.fragment()));
        return text.toString();
    }

    private static String text(List<ChatEvent> events) {
        StringBuilder text = new StringBuilder();
        events.stream().filter(ChatEvent.TextDelta.class::isInstance)
                .forEach(e -> text.append(((ChatEvent.TextDelta) e).text()));
        return text.toString();
    }

    private static Usage lastUsage(List<ChatEvent> events) {
        return events.stream().filter(ChatEvent.UsageReport.class::isInstance).map(e -> ((ChatEvent.UsageReport) e).usage())
                .reduce((first, second) -> second).orElseThrow();
    }

    // ---------------------------------------------------------------------------------------------
    // Text

    @Test
    void textAnswerWithUsageIncludingCacheTokens() throws Exception {
        JsonNode cache = Json.object().put("type", "ephemeral");
        ChatRequest request = new ChatRequest("claude/sonnet",
                List.of(new ContentPart.Text("You are terse."), new ContentPart.Text("Long shared context", cache)),
                List.of(Message.user("Say hello")), List.of(), null, null,
                new Sampling(null, 0.5, 0.9, 40, List.of("END"), 7L, 0.1, 0.2), null, false, "user-42");

        ChatResponse response = adapter.chat(route("sk-ant-ok-1"), request);

        assertThat(adapter.wire()).isEqualTo(WireFormat.ANTHROPIC);
        assertThat(response.text()).isEqualTo("Hello from fake " + UPSTREAM_MODEL);
        assertThat(response.id()).startsWith("msg_fake_");
        assertThat(response.model()).isEqualTo(UPSTREAM_MODEL);
        assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(response.usage()).isEqualTo(FAKE_USAGE);
        assertThat(response.usage().totalTokens()).isEqualTo(32);

        FakeAnthropicProvider.RecordedRequest sent = fake.lastRequest();
        assertThat(sent.path()).isEqualTo("/v1/messages");
        assertThat(sent.headers()).containsEntry("x-api-key", "sk-ant-ok-1")
                .containsEntry("anthropic-version", "2023-06-01")
                .containsEntry("content-type", "application/json")
                .doesNotContainKey("authorization");
        JsonNode body = sent.json();
        assertThat(body.path("model").asText()).isEqualTo(UPSTREAM_MODEL);
        assertThat(body.path("max_tokens").asInt()).isEqualTo(4096);
        assertThat(body.has("stream")).isFalse();
        assertThat(body.path("system")).hasSize(2);
        assertThat(body.path("system").get(0).path("text").asText()).isEqualTo("You are terse.");
        assertThat(body.path("system").get(0).has("cache_control")).isFalse();
        assertThat(body.path("system").get(1).path("cache_control").path("type").asText()).isEqualTo("ephemeral");
        assertThat(body.path("temperature").asDouble()).isEqualTo(0.5);
        assertThat(body.path("top_p").asDouble()).isEqualTo(0.9);
        assertThat(body.path("top_k").asInt()).isEqualTo(40);
        assertThat(body.path("stop_sequences").get(0).asText()).isEqualTo("END");
        assertThat(body.path("metadata").path("user_id").asText()).isEqualTo("user-42");
        // Anthropic has no seed or penalties; they are left out, not sent to be refused.
        assertThat(body.has("seed")).isFalse();
        assertThat(body.has("presence_penalty")).isFalse();
        assertThat(body.path("messages").get(0).path("content").get(0).path("text").asText()).isEqualTo("Say hello");
    }

    @Test
    void streamedText() throws Exception {
        List<ChatEvent> events = drain(adapter.stream(route("sk-ant-ok"), hello()));

        assertThat(events.getFirst()).isInstanceOfSatisfying(ChatEvent.Started.class, started -> {
            assertThat(started.id()).startsWith("msg_fake_");
            assertThat(started.model()).isEqualTo(UPSTREAM_MODEL);
        });
        assertThat(events).filteredOn(ChatEvent.TextDelta.class::isInstance).extracting(e -> ((ChatEvent.TextDelta) e).text())
                .containsExactly("Hello", " from", " fake", " " + UPSTREAM_MODEL);
        assertThat(events).filteredOn(ChatEvent.Finished.class::isInstance)
                .containsExactly(new ChatEvent.Finished(FinishReason.STOP, null));
        // message_start reports the input side at once; message_delta the totals.
        assertThat(events.get(1)).isEqualTo(new ChatEvent.UsageReport(Usage.tokens(23, 1, 6, 4, 0)));
        assertThat(lastUsage(events)).isEqualTo(FAKE_USAGE);
        assertThat(fake.lastRequest().json().path("stream").asBoolean()).isTrue();
        assertThat(fake.lastRequest().headers()).containsEntry("accept", "text/event-stream");
    }

    // ---------------------------------------------------------------------------------------------
    // Tools

    @Test
    void parallelToolCalls() throws Exception {
        ChatResponse response = adapter.chat(route("sk-ant-ok"), withTools(hello(), List.of(weather(), search()), null));

        assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(response.toolCalls()).containsExactly(
                new ContentPart.ToolCall("toolu_fake_1", "get_weather", FakeAnthropicProvider.TOOL_INPUT),
                new ContentPart.ToolCall("toolu_fake_2", "search", FakeAnthropicProvider.SECOND_TOOL_INPUT));
        JsonNode tools = fake.lastRequest().json().path("tools");
        assertThat(tools.get(0).path("name").asText()).isEqualTo("get_weather");
        assertThat(tools.get(0).path("description").asText()).isEqualTo("Weather in a city");
        assertThat(tools.get(0).path("input_schema").path("properties").has("city")).isTrue();
        assertThat(tools.get(1).path("input_schema").path("type").asText()).isEqualTo("object");
        assertThat(fake.lastRequest().json().has("tool_choice")).isFalse();
    }

    @Test
    void streamedParallelToolCallsAreNumberedAmongCalls() throws Exception {
        List<ChatEvent> events = drain(adapter.stream(route("sk-ant-ok"),
                withTools(hello(), List.of(weather(), search()), ToolChoice.AUTO)));

        assertThat(events).filteredOn(ChatEvent.ToolCallStarted.class::isInstance).containsExactly(
                new ChatEvent.ToolCallStarted(0, "toolu_fake_1", "get_weather"),
                new ChatEvent.ToolCallStarted(1, "toolu_fake_2", "search"));
        assertThat(arguments(events, 0)).isEqualTo(FakeAnthropicProvider.TOOL_INPUT);
        assertThat(arguments(events, 1)).isEqualTo(FakeAnthropicProvider.SECOND_TOOL_INPUT);
        // The real API opens every tool input with an empty fragment; it is not passed on.
        assertThat(events).filteredOn(ChatEvent.ToolCallArguments.class::isInstance)
                .allSatisfy(e -> assertThat(((ChatEvent.ToolCallArguments) e).fragment()).isNotEmpty());
        assertThat(events).filteredOn(ChatEvent.Finished.class::isInstance)
                .containsExactly(new ChatEvent.Finished(FinishReason.TOOL_CALLS, null));
        assertThat(fake.lastRequest().json().path("tool_choice").path("type").asText()).isEqualTo("auto");
    }

    @Test
    void forcedToolWithoutParallelCalls() throws Exception {
        ChatResponse response = adapter.chat(route("sk-ant-ok"), withTools(hello(), List.of(weather(), search()),
                new ToolChoice(ToolChoice.Mode.TOOL, "search", false)));

        assertThat(response.toolCalls()).singleElement().satisfies(call -> {
            assertThat(call.name()).isEqualTo("search");
            assertThat(call.arguments()).isEqualTo(FakeAnthropicProvider.TOOL_INPUT);
        });
        JsonNode choice = fake.lastRequest().json().path("tool_choice");
        assertThat(choice.path("type").asText()).isEqualTo("tool");
        assertThat(choice.path("name").asText()).isEqualTo("search");
        assertThat(choice.path("disable_parallel_tool_use").asBoolean()).isTrue();
    }

    @Test
    void toolResultsTravelFirstInAlternatingUserTurns() throws Exception {
        ChatRequest request = withTools(request(List.of(
                Message.user("Weather in Paris?"),
                Message.user("Be brief."),
                new Message(Message.Role.ASSISTANT, List.of(new ContentPart.Text(""),
                        new ContentPart.ToolCall("toolu_1", "get_weather", "{\"city\":\"Paris\"}"),
                        new ContentPart.ToolCall("toolu_2", "get_weather", "{\"city\":"))),
                new Message(Message.Role.USER, List.of(new ContentPart.Text("Here you go"),
                        new ContentPart.ToolResult("toolu_1", null, List.of(new ContentPart.Text("18C, sunny")), false),
                        new ContentPart.ToolResult("toolu_2", null, List.of(new ContentPart.Text("bad city")), true))))),
                List.of(weather()), ToolChoice.AUTO);

        adapter.chat(route("sk-ant-ok"), request);

        JsonNode messages = fake.lastRequest().json().path("messages");
        assertThat(messages).hasSize(3);
        assertThat(messages.get(0).path("role").asText()).isEqualTo("user");
        assertThat(messages.get(0).path("content")).extracting(b -> b.path("text").asText())
                .containsExactly("Weather in Paris?", "Be brief.");
        JsonNode assistant = messages.get(1);
        assertThat(assistant.path("role").asText()).isEqualTo("assistant");
        // The empty text OpenAI clients send next to tool calls is dropped: Anthropic refuses empty text blocks.
        assertThat(assistant.path("content")).hasSize(2);
        assertThat(assistant.path("content").get(0).path("input").path("city").asText()).isEqualTo("Paris");
        assertThat(assistant.path("content").get(1).path("input").path(ToolInput.RAW_ARGUMENTS).asText())
                .isEqualTo("{\"city\":");
        JsonNode results = messages.get(2).path("content");
        assertThat(results).extracting(b -> b.path("type").asText())
                .containsExactly("tool_result", "tool_result", "text");
        assertThat(results.get(0).path("tool_use_id").asText()).isEqualTo("toolu_1");
        assertThat(results.get(0).path("content").asText()).isEqualTo("18C, sunny");
        assertThat(results.get(0).has("is_error")).isFalse();
        assertThat(results.get(1).path("is_error").asBoolean()).isTrue();
    }

    // ---------------------------------------------------------------------------------------------
    // Thinking

    @Test
    void thinkingIsRequestedWithABudgetAndComesBackSigned() throws Exception {
        ChatResponse response = adapter.chat(route("sk-ant-ok"), withReasoning(hello(), new Reasoning(true, null, 2048)));

        assertThat(response.content().getFirst()).isEqualTo(
                new ContentPart.Reasoning(FakeAnthropicProvider.THINKING_TEXT, FakeAnthropicProvider.THINKING_SIGNATURE));
        assertThat(response.text()).isEqualTo("Hello from fake " + UPSTREAM_MODEL);
        assertThat(response.usage().reasoningTokens()).isEqualTo(FakeAnthropicProvider.THINKING_TOKENS);
        JsonNode body = fake.lastRequest().json();
        assertThat(body.path("thinking").path("type").asText()).isEqualTo("enabled");
        assertThat(body.path("thinking").path("budget_tokens").asInt()).isEqualTo(2048);
        assertThat(body.path("max_tokens").asInt()).isEqualTo(2048 + 4096);
    }

    @Test
    void effortBecomesABudgetBelowTheCallersMaxTokens() throws Exception {
        ChatRequest request = new ChatRequest("m", List.of(), List.of(Message.user("hi")), List.of(), null, null,
                new Sampling(3000, null, null, null, List.of(), null, null, null), new Reasoning(true, "high", null),
                false, null);

        adapter.chat(route("sk-ant-ok"), request);

        JsonNode body = fake.lastRequest().json();
        assertThat(body.path("max_tokens").asInt()).isEqualTo(3000);
        assertThat(body.path("thinking").path("budget_tokens").asInt()).isEqualTo(2999);
    }

    @Test
    void disabledReasoningSendsNoThinking() throws Exception {
        adapter.chat(route("sk-ant-ok"), withReasoning(hello(), new Reasoning(false, null, null)));

        assertThat(fake.lastRequest().json().has("thinking")).isFalse();
        assertThat(fake.lastRequest().json().path("max_tokens").asInt()).isEqualTo(4096);
    }

    @Test
    void streamedThinking() throws Exception {
        List<ChatEvent> events = drain(adapter.stream(route("sk-ant-ok"),
                withReasoning(hello(), new Reasoning(true, "low", null))));

        assertThat(events).filteredOn(e -> e instanceof ChatEvent.ReasoningDelta || e instanceof ChatEvent.ReasoningSignature)
                .containsExactly(new ChatEvent.ReasoningDelta(FakeAnthropicProvider.THINKING_TEXT),
                        new ChatEvent.ReasoningSignature(FakeAnthropicProvider.THINKING_SIGNATURE));
        assertThat(text(events)).isEqualTo("Hello from fake " + UPSTREAM_MODEL);
        assertThat(lastUsage(events).reasoningTokens()).isEqualTo(FakeAnthropicProvider.THINKING_TOKENS);
        assertThat(fake.lastRequest().json().path("thinking").path("budget_tokens").asInt()).isEqualTo(1024);
    }

    @Test
    void signedThinkingIsReplayedAndUnsignedReasoningIsNot() throws Exception {
        ChatRequest request = request(List.of(
                Message.user("Think"),
                new Message(Message.Role.ASSISTANT, List.of(
                        new ContentPart.Reasoning("Hmm.", "sig-1"),
                        new ContentPart.RedactedReasoning("opaque"),
                        new ContentPart.Reasoning("from another provider", null),
                        new ContentPart.Text("Done."))),
                Message.user("Again")));

        adapter.chat(route("sk-ant-ok"), withReasoning(request, new Reasoning(true, null, 1024)));

        JsonNode assistant = fake.lastRequest().json().path("messages").get(1).path("content");
        assertThat(assistant).extracting(b -> b.path("type").asText())
                .containsExactly("thinking", "redacted_thinking", "text");
        assertThat(assistant.get(0).path("thinking").asText()).isEqualTo("Hmm.");
        assertThat(assistant.get(0).path("signature").asText()).isEqualTo("sig-1");
        assertThat(assistant.get(1).path("data").asText()).isEqualTo("opaque");
    }

    // ---------------------------------------------------------------------------------------------
    // Images and documents

    @Test
    void imagesInlineByUrlAndAsDataUrls() throws Exception {
        JsonNode cache = Json.object().put("type", "ephemeral");
        ChatRequest request = request(List.of(new Message(Message.Role.USER, List.of(
                new ContentPart.Text("What are these?"),
                ContentPart.Image.inline("image/png", TINY_PNG),
                new ContentPart.Image(null, null, "https://example.com/cat.jpg", "high", cache),
                ContentPart.Image.link("data:image/png;base64," + TINY_PNG)))));

        ChatResponse response = adapter.chat(route("sk-ant-ok"), request);

        assertThat(response.text()).startsWith("Hello from fake");
        JsonNode content = fake.lastRequest().json().path("messages").get(0).path("content");
        assertThat(content.get(1).path("source").path("type").asText()).isEqualTo("base64");
        assertThat(content.get(1).path("source").path("media_type").asText()).isEqualTo("image/png");
        assertThat(content.get(1).path("source").path("data").asText()).isEqualTo(TINY_PNG);
        assertThat(content.get(2).path("source").path("type").asText()).isEqualTo("url");
        assertThat(content.get(2).path("source").path("url").asText()).isEqualTo("https://example.com/cat.jpg");
        assertThat(content.get(2).path("cache_control").path("type").asText()).isEqualTo("ephemeral");
        assertThat(content.get(3).path("source").path("type").asText()).isEqualTo("base64");
        assertThat(content.get(3).path("source").path("data").asText()).isEqualTo(TINY_PNG);
    }

    // ---------------------------------------------------------------------------------------------
    // Structured output

    @Test
    void jsonSchemaAnswersThroughAForcedToolAndComesBackAsText() throws Exception {
        JsonNode schema = Json.object().put("type", "object")
                .set("properties", Json.object().set("city", Json.object().put("type", "string")));
        ChatRequest request = withFormat(hello(), new ResponseFormat(ResponseFormat.Kind.JSON_SCHEMA, "city info", schema, true));

        ChatResponse response = adapter.chat(route("sk-ant-ok"), request);

        assertThat(response.text()).isEqualTo(FakeAnthropicProvider.TOOL_INPUT);
        assertThat(Json.MAPPER.readTree(response.text()).path("city").asText()).isEqualTo("Paris");
        assertThat(response.toolCalls()).isEmpty();
        assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
        JsonNode body = fake.lastRequest().json();
        assertThat(body.path("tools")).singleElement().satisfies(tool -> {
            assertThat(tool.path("name").asText()).isEqualTo("city_info");
            assertThat(tool.path("input_schema")).isEqualTo(schema);
        });
        assertThat(body.path("tool_choice").path("type").asText()).isEqualTo("tool");
        assertThat(body.path("tool_choice").path("name").asText()).isEqualTo("city_info");
    }

    @Test
    void streamedJsonObjectAnswerIsText() throws Exception {
        List<ChatEvent> events = drain(adapter.stream(route("sk-ant-ok"), withFormat(hello(), ResponseFormat.JSON_OBJECT)));

        assertThat(text(events)).isEqualTo(FakeAnthropicProvider.TOOL_INPUT);
        assertThat(events).noneMatch(ChatEvent.ToolCallStarted.class::isInstance);
        assertThat(events).filteredOn(ChatEvent.Finished.class::isInstance)
                .containsExactly(new ChatEvent.Finished(FinishReason.STOP, null));
        JsonNode tool = fake.lastRequest().json().path("tools").get(0);
        assertThat(tool.path("name").asText()).isEqualTo("json_answer");
        assertThat(tool.path("input_schema")).isEqualTo(Json.object().put("type", "object"));
    }

    @Test
    void jsonAnswerNextToTheCallersToolsLetsTheModelPick() throws Exception {
        ChatRequest request = withFormat(withTools(hello(), List.of(weather()), ToolChoice.AUTO), ResponseFormat.JSON_OBJECT);

        ChatResponse response = adapter.chat(route("sk-ant-ok"), request);

        assertThat(fake.lastRequest().json().path("tool_choice").path("type").asText()).isEqualTo("any");
        assertThat(fake.lastRequest().json().path("tools")).extracting(t -> t.path("name").asText())
                .containsExactly("get_weather", "json_answer");
        // The fake calls the first tool: a real call, not the answer.
        assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(response.toolCalls()).extracting(ContentPart.ToolCall::name).containsExactly("get_weather");
    }

    @Test
    void jsonAnswerWithThinkingCannotForceTheTool() throws Exception {
        ChatRequest request = withReasoning(withFormat(hello(), ResponseFormat.JSON_OBJECT), new Reasoning(true, null, 1024));

        ChatResponse response = adapter.chat(route("sk-ant-ok"), request);

        assertThat(fake.lastRequest().json().path("tool_choice").path("type").asText()).isEqualTo("auto");
        assertThat(response.text()).isEqualTo(FakeAnthropicProvider.TOOL_INPUT);
        assertThat(response.content().getFirst()).isInstanceOf(ContentPart.Reasoning.class);
    }

    // ---------------------------------------------------------------------------------------------
    // Errors

    @Test
    void refusedKey() {
        assertThatThrownBy(() -> adapter.chat(route("sk-ant-401"), hello()))
                .isInstanceOfSatisfying(ProviderFailure.class, failure -> {
                    assertThat(failure.kind()).isEqualTo(ProviderFailure.Kind.STATUS);
                    assertThat(failure.status()).isEqualTo(401);
                    assertThat(failure.error().type()).isEqualTo("authentication_error");
                    assertThat(failure.error().message()).isEqualTo("invalid x-api-key");
                });
    }

    @Test
    void rateLimitedWithRetryAfter() {
        assertThatThrownBy(() -> adapter.chat(route("sk-ant-429"), hello()))
                .isInstanceOfSatisfying(ProviderFailure.class, failure -> {
                    assertThat(failure.status()).isEqualTo(429);
                    assertThat(failure.retryAfter()).isEqualTo("5");
                    assertThat(failure.error().type()).isEqualTo("rate_limit_error");
                    assertThat(failure.error().message()).contains("rate limit");
                });
    }

    @Test
    void overloadedAndServerErrorsAreFiveHundreds() {
        assertThatThrownBy(() -> adapter.stream(route("sk-ant-529"), hello()))
                .isInstanceOfSatisfying(ProviderFailure.class, failure -> {
                    assertThat(failure.status()).isEqualTo(529);
                    assertThat(failure.error().type()).isEqualTo("overloaded_error");
                    assertThat(failure.error().message()).isEqualTo("Overloaded");
                });
        assertThatThrownBy(() -> adapter.chat(route("sk-ant-500"), hello()))
                .isInstanceOfSatisfying(ProviderFailure.class, failure -> {
                    assertThat(failure.status()).isEqualTo(500);
                    assertThat(failure.error().type()).isEqualTo("api_error");
                    assertThat(failure.error().message()).isEqualTo("Internal server error");
                });
    }

    @Test
    void unknownModel() {
        Route route = new Route(provider(), null, CredentialSecret.apiKey("sk-ant-ok"), FakeAnthropicProvider.MISSING_MODEL);
        assertThatThrownBy(() -> adapter.chat(route, hello()))
                .isInstanceOfSatisfying(ProviderFailure.class, failure -> {
                    assertThat(failure.status()).isEqualTo(404);
                    assertThat(failure.error().type()).isEqualTo("not_found_error");
                });
    }

    @Test
    void errorEventInTheMiddleOfAStreamFails() throws Exception {
        List<ChatEvent> events = drain(adapter.stream(route("sk-ant-stream-error"), hello()));

        assertThat(events.getFirst()).isInstanceOf(ChatEvent.Started.class);
        assertThat(text(events)).isEqualTo("Hello");
        assertThat(events.getLast()).isEqualTo(new ChatEvent.Failed(503, "overloaded_error", "Overloaded"));
        assertThat(events).noneMatch(ChatEvent.Finished.class::isInstance);
    }

    // ---------------------------------------------------------------------------------------------
    // Probe and model list

    @Test
    void probeChecksTheKeyByListingModels() {
        assertThat(adapter.probe(provider(), CredentialSecret.apiKey("sk-ant-ok"))).isEqualTo(Outcome.SUCCESS);
        FakeAnthropicProvider.RecordedRequest sent = fake.lastRequest();
        assertThat(sent.method()).isEqualTo("GET");
        assertThat(sent.path()).isEqualTo("/v1/models");
        assertThat(sent.headers()).containsEntry("x-api-key", "sk-ant-ok").containsEntry("anthropic-version", "2023-06-01");

        assertThat(adapter.probe(provider(), CredentialSecret.apiKey("sk-ant-401")))
                .isEqualTo(new Outcome.Rejected(401, "invalid x-api-key"));
        assertThat(adapter.probe(provider(), CredentialSecret.apiKey("sk-ant-429")))
                .isInstanceOfSatisfying(Outcome.RateLimited.class,
                        limited -> assertThat(limited.retryAfter()).isEqualTo(Duration.ofSeconds(5)));
        assertThat(adapter.probe(provider(), CredentialSecret.apiKey("sk-ant-529")))
                .isInstanceOfSatisfying(Outcome.Failed.class, failed -> assertThat(failed.message()).contains("529"));
    }

    @Test
    void listModels() throws Exception {
        assertThat(adapter.listModels(provider(), CredentialSecret.apiKey("sk-ant-ok"), Duration.ofSeconds(5)))
                .containsExactlyElementsOf(FakeAnthropicProvider.MODELS);
        assertThatThrownBy(() -> adapter.listModels(provider(), CredentialSecret.apiKey("sk-ant-401"), Duration.ofSeconds(5)))
                .isInstanceOf(IOException.class).hasMessageContaining("401");
    }

    @Test
    void baseUrlWithV1IsNotDoubled() throws Exception {
        Provider withV1 = new Provider("p1", "claude", ProviderType.ANTHROPIC, "Anthropic", fake.baseUrl() + "/v1", null,
                true, List.of(), "test", 0, 0);
        adapter.chat(new Route(withV1, null, CredentialSecret.apiKey("sk-ant-ok"), UPSTREAM_MODEL), hello());
        assertThat(fake.lastRequest().path()).isEqualTo("/v1/messages");
    }
}
