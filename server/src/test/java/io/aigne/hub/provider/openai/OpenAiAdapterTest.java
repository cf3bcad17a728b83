package io.aigne.hub.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigne.hub.gateway.canonical.ChatEvent;
import io.aigne.hub.gateway.canonical.ChatRequest;
import io.aigne.hub.gateway.canonical.ChatResponse;
import io.aigne.hub.gateway.canonical.ContentPart;
import io.aigne.hub.gateway.canonical.EmbeddingRequest;
import io.aigne.hub.gateway.canonical.EmbeddingResponse;
import io.aigne.hub.gateway.canonical.FinishReason;
import io.aigne.hub.gateway.canonical.ImageRequest;
import io.aigne.hub.gateway.canonical.ImageResponse;
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
import io.aigne.hub.provider.Provider;
import io.aigne.hub.provider.ProviderFailure;
import io.aigne.hub.provider.ProviderHttp;
import io.aigne.hub.provider.ProviderType;
import io.aigne.hub.provider.WireFormat;
import io.aigne.hub.routing.Outcome;
import io.aigne.hub.routing.Route;
import io.aigne.hub.server.Json;
import io.aigne.hub.testing.FakeOpenAiProvider;
import io.aigne.hub.usage.Usage;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The adapter against the OpenAI fake: what it sends, and what it makes of every kind of answer. */
class OpenAiAdapterTest {
    private static final Usage FAKE_CHAT_USAGE = new Usage(FakeOpenAiProvider.PROMPT_TOKENS,
            FakeOpenAiProvider.COMPLETION_TOKENS, FakeOpenAiProvider.CACHED_TOKENS, 0,
            FakeOpenAiProvider.REASONING_TOKENS, FakeOpenAiProvider.TOTAL_TOKENS, 0);
    private static final String PDF_BASE64 = "JVBERi0xLjQK";

    private static FakeOpenAiProvider fake;
    private static OpenAiAdapter adapter;

    @BeforeAll
    static void start() {
        fake = FakeOpenAiProvider.start();
        Http1UpstreamClient client = new Http1UpstreamClient(Duration.ofSeconds(5));
        adapter = new OpenAiAdapter(new ProviderHttp(client, Duration.ofSeconds(30), 64L << 20),
                new OpenAiUpstream(client, Duration.ofSeconds(30)));
    }

    @AfterAll
    static void stop() {
        fake.close();
    }

    @BeforeEach
    void forget() {
        fake.clearRequests();
    }

    private static Provider provider(ProviderType type) {
        return new Provider("p1", "up", type, "Upstream", fake.baseUrl(), null, true, List.of(), "test", 0, 0);
    }

    private static Route route(String key, String model) {
        return route(ProviderType.OPENAI, key, model);
    }

    private static Route route(ProviderType type, String key, String model) {
        return new Route(provider(type), null, CredentialSecret.apiKey(key), model);
    }

    private static ChatRequest ask(String text) {
        return new ChatRequest("up/whatever", null, List.of(Message.user(text)), null, null, null, null, null, false,
                null);
    }

    private static ChatRequest withTools(ToolChoice choice, boolean stream) {
        List<Tool> tools = List.of(
                new Tool("get_weather", "Weather of a city", Json.object().put("type", "object")),
                new Tool("search", null, null));
        return new ChatRequest("up/whatever", null, List.of(Message.user("Weather in Paris?")), tools, choice, null,
                null, null, stream, null);
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

    @Test
    void speaksTheOpenAiWireFormat() {
        assertThat(adapter.wire()).isEqualTo(WireFormat.OPENAI);
    }

    @Test
    void chatAnswersTextWithUsageAndSendsTheUpstreamModel() throws Exception {
        ChatResponse response = adapter.chat(route("sk-ok-1", "gpt-4o-mini"), ask("Say hello"));

        assertThat(response.text()).isEqualTo("Hello from fake gpt-4o-mini");
        assertThat(response.content()).hasSize(1);
        assertThat(response.id()).startsWith("chatcmpl-fake-");
        assertThat(response.model()).isEqualTo("gpt-4o-mini-2024-07-18");
        assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(response.usage()).isEqualTo(FAKE_CHAT_USAGE);

        FakeOpenAiProvider.RecordedRequest sent = fake.lastRequest();
        assertThat(sent.path()).isEqualTo("/v1/chat/completions");
        assertThat(sent.bearer()).isEqualTo("sk-ok-1");
        assertThat(sent.headers()).containsEntry("content-type", "application/json");
        JsonNode body = sent.json();
        assertThat(body.path("model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(body.path("messages")).hasSize(1);
        assertThat(body.path("messages").get(0).path("role").asText()).isEqualTo("user");
        assertThat(body.path("messages").get(0).path("content").asText()).isEqualTo("Say hello");
        assertThat(body.has("stream")).isFalse();
        assertThat(body.has("tools")).isFalse();
        assertThat(body.has("tool_choice")).isFalse();
    }

    @Test
    void chatRequestCarriesEveryCanonicalField() throws Exception {
        ContentPart.Image inline = new ContentPart.Image("image/png", "iVBORw0K", null, "low", null);
        ContentPart.Image link = ContentPart.Image.link("https://example.com/cat.jpg");
        ContentPart.Document pdf = new ContentPart.Document("application/pdf", PDF_BASE64, null, "report.pdf", null);
        List<Message> messages = List.of(
                new Message(Message.Role.USER, List.of(new ContentPart.Text("Look"), inline, link, pdf)),
                new Message(Message.Role.ASSISTANT, List.of(
                        new ContentPart.Reasoning("thinking it over", "sig"),
                        new ContentPart.Text("Let me check."),
                        new ContentPart.ToolCall("call_a", "get_weather", "{\"city\":\"Paris\"}"),
                        new ContentPart.ToolCall("call_b", "search", "{\"q\":\"x\"}"))),
                new Message(Message.Role.USER, List.of(
                        new ContentPart.ToolResult("call_a", "get_weather", List.of(new ContentPart.Text("18C")), false),
                        new ContentPart.ToolResult("call_b", "search", List.of(new ContentPart.Text("no hits")), true),
                        new ContentPart.Text("And tomorrow?"))));
        ChatRequest request = new ChatRequest("up/whatever",
                List.of(new ContentPart.Text("Be brief."), new ContentPart.Text("Be kind.")), messages,
                List.of(new Tool("get_weather", "Weather of a city",
                        Json.object().put("type", "object").set("properties", Json.object()))),
                new ToolChoice(ToolChoice.Mode.TOOL, "get_weather", false),
                new ResponseFormat(ResponseFormat.Kind.JSON_SCHEMA, "weather",
                        Json.object().put("type", "object"), true),
                new Sampling(300, 0.5, 0.9, 40, List.of("END"), 42L, 0.1, 0.2),
                new Reasoning(true, "high", null), false, "user-7");

        adapter.chat(route("sk-ok", "gpt-4o"), request);
        JsonNode body = fake.lastRequest().json();

        JsonNode sent = body.path("messages");
        assertThat(sent).hasSize(6);
        assertThat(sent.get(0).path("role").asText()).isEqualTo("system");
        assertThat(sent.get(0).path("content").asText()).isEqualTo("Be brief.\n\nBe kind.");

        JsonNode user = sent.get(1);
        assertThat(user.path("role").asText()).isEqualTo("user");
        assertThat(user.path("content")).hasSize(4);
        assertThat(user.path("content").get(0).path("type").asText()).isEqualTo("text");
        assertThat(user.path("content").get(0).path("text").asText()).isEqualTo("Look");
        assertThat(user.path("content").get(1).path("type").asText()).isEqualTo("image_url");
        assertThat(user.path("content").get(1).path("image_url").path("url").asText())
                .isEqualTo("data:image/png;base64,iVBORw0K");
        assertThat(user.path("content").get(1).path("image_url").path("detail").asText()).isEqualTo("low");
        assertThat(user.path("content").get(2).path("image_url").path("url").asText())
                .isEqualTo("https://example.com/cat.jpg");
        assertThat(user.path("content").get(2).path("image_url").has("detail")).isFalse();
        JsonNode file = user.path("content").get(3);
        assertThat(file.path("type").asText()).isEqualTo("file");
        assertThat(file.path("file").path("filename").asText()).isEqualTo("report.pdf");
        assertThat(file.path("file").path("file_data").asText()).isEqualTo("data:application/pdf;base64," + PDF_BASE64);

        JsonNode assistant = sent.get(2);
        assertThat(assistant.path("role").asText()).isEqualTo("assistant");
        assertThat(assistant.path("content").asText()).isEqualTo("Let me check.");
        assertThat(assistant.toString()).doesNotContain("thinking it over");
        assertThat(assistant.path("tool_calls")).hasSize(2);
        JsonNode firstCall = assistant.path("tool_calls").get(0);
        assertThat(firstCall.path("id").asText()).isEqualTo("call_a");
        assertThat(firstCall.path("type").asText()).isEqualTo("function");
        assertThat(firstCall.path("function").path("name").asText()).isEqualTo("get_weather");
        assertThat(firstCall.path("function").path("arguments").asText()).isEqualTo("{\"city\":\"Paris\"}");

        assertThat(sent.get(3).path("role").asText()).isEqualTo("tool");
        assertThat(sent.get(3).path("tool_call_id").asText()).isEqualTo("call_a");
        assertThat(sent.get(3).path("content").asText()).isEqualTo("18C");
        assertThat(sent.get(4).path("tool_call_id").asText()).isEqualTo("call_b");
        assertThat(sent.get(4).path("content").asText()).isEqualTo("Error: no hits");
        assertThat(sent.get(5).path("role").asText()).isEqualTo("user");
        assertThat(sent.get(5).path("content").asText()).isEqualTo("And tomorrow?");

        JsonNode function = body.path("tools").get(0);
        assertThat(function.path("type").asText()).isEqualTo("function");
        assertThat(function.path("function").path("name").asText()).isEqualTo("get_weather");
        assertThat(function.path("function").path("description").asText()).isEqualTo("Weather of a city");
        assertThat(function.path("function").path("parameters").path("type").asText()).isEqualTo("object");
        assertThat(body.path("tool_choice").path("type").asText()).isEqualTo("function");
        assertThat(body.path("tool_choice").path("function").path("name").asText()).isEqualTo("get_weather");
        assertThat(body.path("parallel_tool_calls").asBoolean(true)).isFalse();

        JsonNode format = body.path("response_format");
        assertThat(format.path("type").asText()).isEqualTo("json_schema");
        assertThat(format.path("json_schema").path("name").asText()).isEqualTo("weather");
        assertThat(format.path("json_schema").path("schema").path("type").asText()).isEqualTo("object");
        assertThat(format.path("json_schema").path("strict").asBoolean()).isTrue();

        assertThat(body.path("max_completion_tokens").asInt()).isEqualTo(300);
        assertThat(body.has("max_tokens")).isFalse();
        assertThat(body.path("temperature").asDouble()).isEqualTo(0.5);
        assertThat(body.path("top_p").asDouble()).isEqualTo(0.9);
        assertThat(body.has("top_k")).isFalse();
        assertThat(body.path("stop").get(0).asText()).isEqualTo("END");
        assertThat(body.path("seed").asLong()).isEqualTo(42L);
        assertThat(body.path("presence_penalty").asDouble()).isEqualTo(0.1);
        assertThat(body.path("frequency_penalty").asDouble()).isEqualTo(0.2);
        assertThat(body.path("reasoning_effort").asText()).isEqualTo("high");
        assertThat(body.path("user").asText()).isEqualTo("user-7");
    }

    @Test
    void compatibleProvidersGetMaxTokensAndTheNearestEffortForABudget() throws Exception {
        ChatRequest request = new ChatRequest("up/x", null, List.of(Message.user("hi")), null,
                ToolChoice.AUTO, ResponseFormat.JSON_OBJECT,
                new Sampling(64, null, null, null, null, null, null, null), new Reasoning(true, null, 6000), false,
                null);

        adapter.chat(route(ProviderType.DEEPSEEK, "sk-ok", "deepseek-reasoner"), request);
        JsonNode body = fake.lastRequest().json();

        assertThat(body.path("max_tokens").asInt()).isEqualTo(64);
        assertThat(body.has("max_completion_tokens")).isFalse();
        assertThat(body.path("reasoning_effort").asText()).isEqualTo("medium");
        assertThat(body.path("response_format").path("type").asText()).isEqualTo("json_object");
        // A tool choice without tools is refused by OpenAI, so it is not sent.
        assertThat(body.has("tool_choice")).isFalse();
    }

    @Test
    void plainTextDocumentsTravelAsText() throws Exception {
        ContentPart.Document text = new ContentPart.Document("text/plain", "aGVsbG8gd29ybGQ=", null, "notes.txt",
                null);
        ChatRequest request = new ChatRequest("up/x", null,
                List.of(new Message(Message.Role.USER, List.of(text, ContentPart.Image.link("https://e.x/a.png")))),
                null, null, null, null, null, false, null);

        adapter.chat(route("sk-ok", "gpt-4o"), request);

        JsonNode parts = fake.lastRequest().json().path("messages").get(0).path("content");
        assertThat(parts.get(0).path("type").asText()).isEqualTo("text");
        assertThat(parts.get(0).path("text").asText()).isEqualTo("notes.txt\n\nhello world");
    }

    @Test
    void imagesInToolResultsFollowInAUserMessageAndDocumentLinksAreRefused() throws Exception {
        ContentPart.ToolResult screenshot = new ContentPart.ToolResult("call_s", "screenshot",
                List.of(new ContentPart.Text("captured"), ContentPart.Image.inline("image/jpeg", "/9j/4A==")), false);
        ChatRequest request = new ChatRequest("up/x", null, List.of(
                Message.user("Take a screenshot"),
                new Message(Message.Role.ASSISTANT, List.of(new ContentPart.ToolCall("call_s", "screenshot", ""))),
                new Message(Message.Role.USER, List.of(screenshot))), null, null, null, null, null, false, null);

        adapter.chat(route("sk-ok", "gpt-4o"), request);

        JsonNode sent = fake.lastRequest().json().path("messages");
        assertThat(sent).hasSize(4);
        assertThat(sent.get(1).path("content").isNull()).isTrue();
        assertThat(sent.get(1).path("tool_calls").get(0).path("function").path("arguments").asText()).isEqualTo("{}");
        assertThat(sent.get(2).path("role").asText()).isEqualTo("tool");
        assertThat(sent.get(2).path("content").asText()).isEqualTo("captured");
        assertThat(sent.get(3).path("role").asText()).isEqualTo("user");
        assertThat(sent.get(3).path("content").get(0).path("image_url").path("url").asText())
                .isEqualTo("data:image/jpeg;base64,/9j/4A==");

        ChatRequest linked = new ChatRequest("up/x", null, List.of(new Message(Message.Role.USER, List.of(
                new ContentPart.Document("application/pdf", null, "https://e.x/a.pdf", null, null)))),
                null, null, null, null, null, false, null);
        assertThatThrownBy(() -> adapter.chat(route("sk-ok", "gpt-4o"), linked))
                .isInstanceOfSatisfying(io.aigne.hub.server.ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("https://e.x/a.pdf").contains("base64");
                });
    }

    @Test
    void toolCallsKeepTheirIdsAndArguments() throws Exception {
        ChatResponse response = adapter.chat(route("sk-ok", "gpt-4o"),
                withTools(new ToolChoice(ToolChoice.Mode.ANY, null, null), false));

        assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(response.text()).isEmpty();
        assertThat(response.toolCalls()).containsExactly(
                new ContentPart.ToolCall("call_fake_1", "get_weather", "{\"city\":\"Paris\"}"),
                new ContentPart.ToolCall("call_fake_2", "search", "{\"q\":\"x\"}"));
        JsonNode body = fake.lastRequest().json();
        assertThat(body.path("tool_choice").asText()).isEqualTo("required");
        assertThat(body.path("tools").get(1).path("function").has("parameters")).isFalse();
    }

    @Test
    void streamsTextThenFinishThenUsage() throws Exception {
        ChatRequest request = new ChatRequest("up/x", null, List.of(Message.user("hi")), null, null, null, null,
                null, true, null);

        List<ChatEvent> events = drain(adapter.stream(route("sk-ok", "gpt-4o-mini"), request));

        assertThat(events.getFirst()).isInstanceOf(ChatEvent.Started.class);
        ChatEvent.Started started = (ChatEvent.Started) events.getFirst();
        assertThat(started.id()).startsWith("chatcmpl-fake-");
        assertThat(started.model()).isEqualTo("gpt-4o-mini-2024-07-18");
        StringBuilder text = new StringBuilder();
        events.stream().filter(ChatEvent.TextDelta.class::isInstance)
                .forEach(e -> text.append(((ChatEvent.TextDelta) e).text()));
        assertThat(text.toString()).isEqualTo("Hello from fake gpt-4o-mini");
        assertThat(events.get(events.size() - 2)).isEqualTo(new ChatEvent.Finished(FinishReason.STOP, null));
        assertThat(events.getLast()).isEqualTo(new ChatEvent.UsageReport(FAKE_CHAT_USAGE));

        JsonNode body = fake.lastRequest().json();
        assertThat(body.path("stream").asBoolean()).isTrue();
        assertThat(body.path("stream_options").path("include_usage").asBoolean()).isTrue();
        assertThat(fake.lastRequest().headers()).containsEntry("accept", "text/event-stream");
    }

    @Test
    void streamedToolCallsArriveWithIdsAndReassembledArguments() throws Exception {
        List<ChatEvent> events = drain(adapter.stream(route("sk-ok", "gpt-4o"), withTools(ToolChoice.AUTO, true)));

        assertThat(events).filteredOn(ChatEvent.ToolCallStarted.class::isInstance).containsExactly(
                new ChatEvent.ToolCallStarted(0, "call_fake_1", "get_weather"),
                new ChatEvent.ToolCallStarted(1, "call_fake_2", "search"));
        assertThat(arguments(events, 0)).isEqualTo("{\"city\":\"Paris\"}");
        assertThat(arguments(events, 1)).isEqualTo("{\"q\":\"x\"}");
        assertThat(events).contains(new ChatEvent.Finished(FinishReason.TOOL_CALLS, null));
        assertThat(events.getLast()).isInstanceOf(ChatEvent.UsageReport.class);
        // Every call starts before its first fragment.
        int started = events.indexOf(new ChatEvent.ToolCallStarted(1, "call_fake_2", "search"));
        assertThat(events.subList(0, started)).noneMatch(e -> e instanceof ChatEvent.ToolCallArguments a
                && a.index() == 1);
    }

    private static String arguments(List<ChatEvent> events, int index) {
        StringBuilder arguments = new StringBuilder();
        for (ChatEvent event : events) {
            if (event instanceof ChatEvent.ToolCallArguments a && a.index() == index) {
                arguments.append(a.fragment());
            }
        }
        return arguments.toString();
    }

    @Test
    void aStreamCutShortIsAnIoErrorAfterTheEventsThatArrived() throws Exception {
        ChatRequest request = new ChatRequest("up/x", null, List.of(Message.user("hi")), null, null, null, null,
                null, true, null);
        ChatStream stream = adapter.stream(route("sk-drop", "gpt-4o-mini"), request);
        List<ChatEvent> events = new ArrayList<>();
        try (stream) {
            ChatEventSource source = stream.events(stream.response().body());
            assertThatThrownBy(() -> {
                for (ChatEvent event = source.next(); event != null; event = source.next()) {
                    events.add(event);
                }
            }).isInstanceOf(IOException.class);
        }
        assertThat(events).first().isInstanceOf(ChatEvent.Started.class);
        assertThat(events).filteredOn(ChatEvent.TextDelta.class::isInstance).hasSize(3);
        assertThat(events).noneMatch(ChatEvent.Finished.class::isInstance);
    }

    @Test
    void errorStatusesBecomeFailuresWithTheProvidersMessageAndNoSecret() {
        assertThatThrownBy(() -> adapter.chat(route("sk-401", "gpt-4o"), ask("hi")))
                .isInstanceOfSatisfying(ProviderFailure.class, f -> {
                    assertThat(f.kind()).isEqualTo(ProviderFailure.Kind.STATUS);
                    assertThat(f.status()).isEqualTo(401);
                    assertThat(f.error().message()).startsWith("Incorrect API key provided").doesNotContain("sk-401");
                    assertThat(f.error().code()).isEqualTo("invalid_api_key");
                });
        assertThatThrownBy(() -> adapter.chat(route("sk-429", "gpt-4o"), ask("hi")))
                .isInstanceOfSatisfying(ProviderFailure.class, f -> {
                    assertThat(f.status()).isEqualTo(429);
                    assertThat(f.retryAfter()).isEqualTo("7");
                    assertThat(f.error().message()).contains("Rate limit reached for gpt-4o");
                });
        assertThatThrownBy(() -> adapter.stream(route("sk-503", "gpt-4o"), withTools(ToolChoice.AUTO, true)))
                .isInstanceOfSatisfying(ProviderFailure.class, f -> {
                    assertThat(f.status()).isEqualTo(503);
                    assertThat(f.error().message()).contains("overloaded");
                });
        assertThatThrownBy(() -> adapter.embed(route("sk-ok", FakeOpenAiProvider.MISSING_MODEL),
                new EmbeddingRequest("x", List.of("a"), null, null)))
                .isInstanceOfSatisfying(ProviderFailure.class, f -> {
                    assertThat(f.status()).isEqualTo(404);
                    assertThat(f.error().code()).isEqualTo("model_not_found");
                    assertThat(f.error().message()).contains("missing-model");
                });
        assertThatThrownBy(() -> adapter.chat(route("sk-reset", "gpt-4o"), ask("hi")))
                .isInstanceOfSatisfying(ProviderFailure.class,
                        f -> assertThat(f.kind()).isEqualTo(ProviderFailure.Kind.UNREACHABLE));
    }

    @Test
    void embeddingsComeBackInInputOrderWithUsage() throws Exception {
        EmbeddingResponse response = adapter.embed(route("sk-ok", "text-embedding-3-small"),
                new EmbeddingRequest("up/emb", List.of("one", "two", "three"), 8, "u1"));

        assertThat(response.vectors()).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(response.vectors().get(i)).containsExactly(FakeOpenAiProvider.embeddingFor(i));
        }
        assertThat(response.model()).isEqualTo("text-embedding-3-small");
        assertThat(response.usage().inputTokens()).isEqualTo(3L * FakeOpenAiProvider.EMBEDDING_TOKENS_PER_INPUT);
        assertThat(response.usage().totalTokens()).isEqualTo(3L * FakeOpenAiProvider.EMBEDDING_TOKENS_PER_INPUT);

        FakeOpenAiProvider.RecordedRequest sent = fake.lastRequest();
        assertThat(sent.path()).isEqualTo("/v1/embeddings");
        JsonNode body = sent.json();
        assertThat(body.path("model").asText()).isEqualTo("text-embedding-3-small");
        assertThat(body.path("input")).hasSize(3);
        assertThat(body.path("input").get(2).asText()).isEqualTo("three");
        assertThat(body.path("dimensions").asInt()).isEqualTo(8);
        assertThat(body.path("encoding_format").asText()).isEqualTo("float");
        assertThat(body.path("user").asText()).isEqualTo("u1");
    }

    @Test
    void dallEImagesComeBackAsUrlsWithRevisedPrompts() throws Exception {
        ImageResponse response = adapter.generateImages(route("sk-ok", "dall-e-3"),
                new ImageRequest("up/img", "a red fox", 2, "1024x1024", "high", "vivid", "url", null, "u2"));

        assertThat(response.images()).hasSize(2);
        assertThat(response.images().get(1).url()).isEqualTo("https://fake.example/img/1.png");
        assertThat(response.images().get(1).base64()).isNull();
        assertThat(response.images().get(0).revisedPrompt()).isEqualTo("a red fox");
        assertThat(response.usage().imageCount()).isEqualTo(2);
        assertThat(response.usage().inputTokens()).isZero();
        assertThat(response.created()).isPositive();

        JsonNode body = fake.lastRequest().json();
        assertThat(fake.lastRequest().path()).isEqualTo("/v1/images/generations");
        assertThat(body.path("model").asText()).isEqualTo("dall-e-3");
        assertThat(body.path("prompt").asText()).isEqualTo("a red fox");
        assertThat(body.path("n").asInt()).isEqualTo(2);
        assertThat(body.path("size").asText()).isEqualTo("1024x1024");
        assertThat(body.path("quality").asText()).isEqualTo("hd");
        assertThat(body.path("style").asText()).isEqualTo("vivid");
        assertThat(body.path("response_format").asText()).isEqualTo("url");
        assertThat(body.path("user").asText()).isEqualTo("u2");
    }

    @Test
    void gptImageAnswersBase64AndItsTokenUsageIsKept() throws Exception {
        ImageResponse response = adapter.generateImages(route("sk-ok", "gpt-image-1"),
                new ImageRequest("up/img", "a blue fox", 2, "1024x1536", "hd", "vivid", "b64_json", null, null));

        JsonNode body = fake.lastRequest().json();
        assertThat(body.path("quality").asText()).isEqualTo("high");
        assertThat(body.path("size").asText()).isEqualTo("1024x1536");
        // gpt-image models refuse both as unknown parameters.
        assertThat(body.has("response_format")).isFalse();
        assertThat(body.has("style")).isFalse();

        assertThat(response.images()).hasSize(2);
        assertThat(response.images().getFirst().base64()).isEqualTo(FakeOpenAiProvider.TINY_PNG_BASE64);
        assertThat(response.images().getFirst().mediaType()).isEqualTo("image/png");
        assertThat(response.usage().imageCount()).isEqualTo(2);
        assertThat(response.usage().inputTokens()).isEqualTo(FakeOpenAiProvider.IMAGE_INPUT_TOKENS);
        assertThat(response.usage().outputTokens()).isEqualTo(2L * FakeOpenAiProvider.IMAGE_OUTPUT_TOKENS_PER_IMAGE);
        assertThat(response.usage().totalTokens())
                .isEqualTo(FakeOpenAiProvider.IMAGE_INPUT_TOKENS + 2L * FakeOpenAiProvider.IMAGE_OUTPUT_TOKENS_PER_IMAGE);
    }

    @Test
    void probesAndListsModelsWithTheCredential() throws Exception {
        assertThat(adapter.probe(provider(ProviderType.OPENAI), CredentialSecret.apiKey("sk-ok")))
                .isEqualTo(Outcome.SUCCESS);
        assertThat(adapter.probe(provider(ProviderType.OPENAI), CredentialSecret.apiKey("sk-401")))
                .isInstanceOfSatisfying(Outcome.Rejected.class, r -> assertThat(r.status()).isEqualTo(401));
        assertThat(adapter.listModels(provider(ProviderType.OPENAI), CredentialSecret.apiKey("sk-ok"),
                Duration.ofSeconds(5))).containsExactlyElementsOf(FakeOpenAiProvider.MODELS);
    }
}
