package io.aigne.hub.provider.bedrock;

import static io.aigne.hub.provider.bedrock.BedrockFixture.drain;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
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
import io.aigne.hub.provider.CredentialSecret;
import io.aigne.hub.provider.Provider;
import io.aigne.hub.provider.ProviderFailure;
import io.aigne.hub.provider.ProviderType;
import io.aigne.hub.routing.Route;
import io.aigne.hub.server.ApiException;
import io.aigne.hub.server.Json;
import io.aigne.hub.testing.FakeBedrockProvider;
import io.aigne.hub.usage.Usage;
import java.net.InetSocketAddress;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Chat and streamed chat through the adapter against the fake Bedrock Runtime, which checks every signature. */
class BedrockAdapterChatTest {
    private static final String CLAUDE = "anthropic.claude-3-5-sonnet-20240620-v1:0";
    private static final String NOVA = "amazon.nova-lite-v1:0";
    private static final String TINY_PNG =
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

    private static BedrockFixture bedrock;
    private static FakeBedrockProvider fake;

    @BeforeAll
    static void start() {
        bedrock = new BedrockFixture();
        fake = bedrock.fake;
    }

    @AfterAll
    static void stop() {
        bedrock.close();
    }

    @BeforeEach
    void reset() {
        fake.clearRequests();
    }

    private static ChatRequest ask(String text) {
        return request(List.of(Message.user(text)), List.of(), null, null, Sampling.DEFAULT, null);
    }

    private static ChatRequest request(List<Message> messages, List<Tool> tools, ToolChoice choice,
                                       ResponseFormat format, Sampling sampling, Reasoning reasoning) {
        return new ChatRequest("aws/model", List.of(), messages, tools, choice, format, sampling, reasoning, false,
                null);
    }

    private static Tool weather() {
        ObjectNode schema = Json.object().put("type", "object");
        schema.putObject("properties").putObject("city").put("type", "string");
        return new Tool("get_weather", "Weather by city", schema);
    }

    private static Tool search() {
        ObjectNode schema = Json.object().put("type", "object");
        schema.putObject("properties").putObject("query").put("type", "string");
        return new Tool("search", "Web search", schema);
    }

    private static JsonNode lastBody() {
        return fake.lastRequest().json();
    }

    // ---------------------------------------------------------------------------------------------
    // text

    @Test
    void chatAnswersTextWithUsageAndTheRequestIdOfTheCall() throws Exception {
        ChatResponse response = bedrock.adapter.chat(bedrock.route(CLAUDE), ask("Hi"));

        assertThat(response.text()).isEqualTo("Hello from fake " + CLAUDE);
        assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(response.model()).isEqualTo(CLAUDE);
        assertThat(response.usage()).isEqualTo(Usage.tokens(15, 10, 0, 0, 0));
        assertThat(response.usage().totalTokens()).isEqualTo(25);
        assertThat(response.id()).matches("00000000-0000-4000-8000-\\d{12}");
        FakeBedrockProvider.RecordedRequest recorded = fake.lastRequest();
        // The model id's ':' goes out once-encoded and was signed twice-encoded: the fake accepted the signature.
        assertThat(recorded.path()).isEqualTo("/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse");
        assertThat(fake.rejections()).isEmpty();
        assertThat(recorded.headers().get("authorization"))
                .startsWith("AWS4-HMAC-SHA256 Credential=" + BedrockFixture.AKID + "/")
                .contains("/us-east-1/bedrock/aws4_request")
                .contains("SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date,");
        assertThat(recorded.json().path("messages").get(0).path("role").asText()).isEqualTo("user");
        assertThat(recorded.json().path("messages").get(0).path("content").get(0).path("text").asText()).isEqualTo("Hi");
    }

    @Test
    void samplingSystemAndStopSequencesReachConverseFields() throws Exception {
        Sampling sampling = new Sampling(300, 0.2, 0.9, 40, List.of("END"), 7L, null, null);
        ChatRequest request = new ChatRequest("aws/claude", List.of(new ContentPart.Text("Be brief."),
                new ContentPart.Text("Answer in French.")), List.of(Message.user("Hi")), List.of(), null, null, sampling,
                null, false, "user-1");

        bedrock.adapter.chat(bedrock.route(CLAUDE), request);

        JsonNode body = lastBody();
        assertThat(body.path("system").toString())
                .isEqualTo("[{\"text\":\"Be brief.\"},{\"text\":\"Answer in French.\"}]");
        assertThat(body.path("inferenceConfig").toString())
                .isEqualTo("{\"maxTokens\":300,\"temperature\":0.2,\"topP\":0.9,\"stopSequences\":[\"END\"]}");
        assertThat(body.path("additionalModelRequestFields").toString()).isEqualTo("{\"top_k\":40}");
        assertThat(body.path("additionalModelResponseFieldPaths").toString()).isEqualTo("[\"/stop_sequence\"]");
        assertThat(body.has("seed")).isFalse();
    }

    @Test
    void cachePointsFollowMarkedPartsAndCacheTokensCountAsInput() throws Exception {
        JsonNode ephemeral = Json.object().put("type", "ephemeral");
        ChatRequest request = new ChatRequest("aws/claude", List.of(new ContentPart.Text("A long system prompt.",
                ephemeral)), List.of(new Message(Message.Role.USER, List.of(new ContentPart.Text("Context", ephemeral),
                new ContentPart.Text("Question")))), List.of(new Tool("get_weather", "Weather", null,
                Json.object().put("type", "ephemeral").put("ttl", "1h"))), null, null, Sampling.DEFAULT, null, false, null);

        ChatResponse first = bedrock.adapter.chat(bedrock.route(CLAUDE), request);
        JsonNode body = lastBody();
        ChatResponse second = bedrock.adapter.chat(bedrock.route(CLAUDE), request);

        assertThat(body.path("system").toString())
                .isEqualTo("[{\"text\":\"A long system prompt.\"},{\"cachePoint\":{\"type\":\"default\"}}]");
        assertThat(body.path("messages").get(0).path("content").toString()).isEqualTo(
                "[{\"text\":\"Context\"},{\"cachePoint\":{\"type\":\"default\"}},{\"text\":\"Question\"}]");
        assertThat(body.path("toolConfig").path("tools").get(1).toString())
                .isEqualTo("{\"cachePoint\":{\"type\":\"default\",\"ttl\":\"1h\"}}");
        int cached = FakeBedrockProvider.CACHED_PREFIX_TOKENS;
        assertThat(first.usage()).isEqualTo(Usage.tokens(15 + cached, 10, 0, cached, 0));
        assertThat(second.usage()).isEqualTo(Usage.tokens(15 + cached, 10, cached, 0, 0));
    }

    @Test
    void consecutiveTurnsOfOneRoleAreMergedAndBlankTextIsLeftOut() throws Exception {
        List<Message> messages = List.of(Message.user("First"), Message.user("Second"),
                new Message(Message.Role.ASSISTANT, List.of(new ContentPart.Text(" "))), Message.user("Third"),
                Message.assistant("Answer"), Message.assistant("More"), Message.user("Go on"));

        ChatResponse response = bedrock.adapter.chat(bedrock.route(NOVA),
                request(messages, List.of(), null, null, Sampling.DEFAULT, null));

        assertThat(response.text()).isEqualTo("Hello from fake " + NOVA);
        JsonNode sent = lastBody().path("messages");
        assertThat(sent).hasSize(3);
        assertThat(sent.get(0).toString()).isEqualTo("{\"role\":\"user\",\"content\":[{\"text\":\"First\"},"
                + "{\"text\":\"Second\"},{\"text\":\"Third\"}]}");
        assertThat(sent.get(1).toString())
                .isEqualTo("{\"role\":\"assistant\",\"content\":[{\"text\":\"Answer\"},{\"text\":\"More\"}]}");
        assertThat(sent.get(2).path("role").asText()).isEqualTo("user");
    }

    @Test
    void streamDeliversTextDeltasThenStopAndUsage() throws Exception {
        List<ChatEvent> events = drain(bedrock.adapter.stream(bedrock.route(CLAUDE), ask("Hi")));

        assertThat(events.getFirst()).isInstanceOfSatisfying(ChatEvent.Started.class, started -> {
            assertThat(started.id()).matches("00000000-0000-4000-8000-\\d{12}");
            assertThat(started.model()).isEqualTo(CLAUDE);
        });
        assertThat(events.stream().filter(ChatEvent.TextDelta.class::isInstance)
                .map(e -> ((ChatEvent.TextDelta) e).text()).toList())
                .containsExactly("Hello", " from", " fake", " " + CLAUDE);
        assertThat(events.get(events.size() - 2)).isEqualTo(new ChatEvent.Finished(FinishReason.STOP, null));
        assertThat(events.getLast()).isEqualTo(new ChatEvent.UsageReport(Usage.tokens(15, 10, 0, 0, 0)));
        assertThat(fake.lastRequest().path()).isEqualTo("/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse-stream");
        assertThat(fake.lastRequest().headers().get("accept")).isEqualTo("application/vnd.amazon.eventstream");
        assertThat(fake.rejections()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"max_tokens,LENGTH", "stop_sequence,STOP_SEQUENCE", "guardrail_intervened,CONTENT_FILTER",
            "content_filtered,CONTENT_FILTER", "end_turn,STOP", "model_context_window_exceeded,LENGTH"})
    void stopReasonsMapToFinishReasons(String stopReason, FinishReason expected) throws Exception {
        String model = FakeBedrockProvider.STOP_REASON_MODEL_PREFIX + stopReason;

        assertThat(bedrock.adapter.chat(bedrock.route(model), ask("Hi")).finishReason()).isEqualTo(expected);
        assertThat(drain(bedrock.adapter.stream(bedrock.route(model), ask("Hi"))))
                .contains(new ChatEvent.Finished(expected, null));
    }

    // ---------------------------------------------------------------------------------------------
    // tools

    @Test
    void toolCallsCarryTheirIdsNamesAndArguments() throws Exception {
        ChatResponse response = bedrock.adapter.chat(bedrock.route(CLAUDE), request(List.of(Message.user("Weather?")),
                List.of(weather(), search()), ToolChoice.AUTO, null, Sampling.DEFAULT, null));

        assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(response.toolCalls()).containsExactly(new ContentPart.ToolCall(FakeBedrockProvider.TOOL_USE_ID,
                "get_weather", FakeBedrockProvider.TOOL_INPUT));
        JsonNode toolConfig = lastBody().path("toolConfig");
        assertThat(toolConfig.path("tools").get(0).toString()).isEqualTo("{\"toolSpec\":{\"name\":\"get_weather\","
                + "\"description\":\"Weather by city\",\"inputSchema\":{\"json\":{\"type\":\"object\","
                + "\"properties\":{\"city\":{\"type\":\"string\"}}}}}}");
        assertThat(toolConfig.path("toolChoice").toString()).isEqualTo("{\"auto\":{}}");
    }

    @Test
    void toolChoicesMapToConverseChoices() throws Exception {
        bedrock.adapter.chat(bedrock.route(CLAUDE), request(List.of(Message.user("Search")),
                List.of(weather(), search()), new ToolChoice(ToolChoice.Mode.TOOL, "search", null), null,
                Sampling.DEFAULT, null));
        assertThat(lastBody().path("toolConfig").path("toolChoice").toString())
                .isEqualTo("{\"tool\":{\"name\":\"search\"}}");

        ChatResponse forced = bedrock.adapter.chat(bedrock.route(CLAUDE), request(List.of(Message.user("Search")),
                List.of(weather(), search()), new ToolChoice(ToolChoice.Mode.ANY, null, null), null, Sampling.DEFAULT,
                null));
        assertThat(lastBody().path("toolConfig").path("toolChoice").toString()).isEqualTo("{\"any\":{}}");
        assertThat(forced.toolCalls()).hasSize(1);

        ChatResponse none = bedrock.adapter.chat(bedrock.route(CLAUDE), request(List.of(Message.user("Just talk")),
                List.of(weather()), new ToolChoice(ToolChoice.Mode.NONE, null, null), null, Sampling.DEFAULT, null));
        assertThat(lastBody().has("toolConfig")).isFalse();
        assertThat(none.text()).isEqualTo("Hello from fake " + CLAUDE);
    }

    @Test
    void streamedToolInputFragmentsReassembleToTheArguments() throws Exception {
        List<ChatEvent> events = drain(bedrock.adapter.stream(bedrock.route(CLAUDE), request(
                List.of(Message.user("Weather?")), List.of(weather()), null, null, Sampling.DEFAULT, null)));

        assertThat(events).contains(new ChatEvent.ToolCallStarted(0, FakeBedrockProvider.TOOL_USE_ID, "get_weather"));
        List<String> fragments = events.stream().filter(ChatEvent.ToolCallArguments.class::isInstance)
                .map(e -> (ChatEvent.ToolCallArguments) e).peek(a -> assertThat(a.index()).isZero())
                .map(ChatEvent.ToolCallArguments::fragment).toList();
        assertThat(fragments).isEqualTo(FakeBedrockProvider.TOOL_INPUT_FRAGMENTS);
        assertThat(String.join("", fragments)).isEqualTo(FakeBedrockProvider.TOOL_INPUT);
        assertThat(events).contains(new ChatEvent.Finished(FinishReason.TOOL_CALLS, null));
        assertThat(events.indexOf(new ChatEvent.ToolCallStarted(0, FakeBedrockProvider.TOOL_USE_ID, "get_weather")))
                .isGreaterThan(0);
    }

    @Test
    void toolCallsAfterTextAreNumberedFromZeroInStreamAndAnswer() throws Exception {
        ChatRequest request = request(List.of(Message.user("Weather in two cities?")), List.of(weather(), search()),
                null, null, Sampling.DEFAULT, null);
        String model = FakeBedrockProvider.PARALLEL_TOOLS_MODEL;

        ChatResponse response = bedrock.adapter.chat(bedrock.route(model), request);
        List<ChatEvent> events = drain(bedrock.adapter.stream(bedrock.route(model), request));

        assertThat(response.content()).containsExactly(new ContentPart.Text(FakeBedrockProvider.PARALLEL_TOOLS_TEXT),
                new ContentPart.ToolCall(FakeBedrockProvider.TOOL_USE_ID, "get_weather", FakeBedrockProvider.TOOL_INPUT),
                new ContentPart.ToolCall(FakeBedrockProvider.SECOND_TOOL_USE_ID, "search",
                        FakeBedrockProvider.SECOND_TOOL_INPUT));
        assertThat(events).containsSubsequence(new ChatEvent.TextDelta(FakeBedrockProvider.PARALLEL_TOOLS_TEXT),
                new ChatEvent.ToolCallStarted(0, FakeBedrockProvider.TOOL_USE_ID, "get_weather"),
                new ChatEvent.ToolCallStarted(1, FakeBedrockProvider.SECOND_TOOL_USE_ID, "search"));
        assertThat(arguments(events, 0)).isEqualTo(FakeBedrockProvider.TOOL_INPUT);
        assertThat(arguments(events, 1)).isEqualTo(FakeBedrockProvider.SECOND_TOOL_INPUT);
    }

    private static String arguments(List<ChatEvent> events, int index) {
        return events.stream().filter(ChatEvent.ToolCallArguments.class::isInstance)
                .map(e -> (ChatEvent.ToolCallArguments) e).filter(a -> a.index() == index)
                .map(ChatEvent.ToolCallArguments::fragment).collect(Collectors.joining());
    }

    @Test
    void toolResultsGoBackAsToolResultBlocksAfterTheToolUse() throws Exception {
        List<Message> conversation = List.of(Message.user("Weather in Paris?"),
                new Message(Message.Role.ASSISTANT, List.of(new ContentPart.Text("Checking."),
                        new ContentPart.ToolCall("tooluse_abc", "get_weather", "{\"city\":\"Paris\"}"))),
                new Message(Message.Role.USER, List.of(new ContentPart.ToolResult("tooluse_abc", null,
                        List.of(new ContentPart.Text("18°C and sunny")), false))),
                new Message(Message.Role.USER, List.of(new ContentPart.ToolResult("tooluse_def", null,
                        List.of(new ContentPart.Text("city not found")), true))));

        ChatResponse response = bedrock.adapter.chat(bedrock.route(CLAUDE),
                request(conversation, List.of(weather()), null, null, Sampling.DEFAULT, null));

        assertThat(response.text()).isEqualTo("Hello from fake " + CLAUDE);
        assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
        JsonNode messages = lastBody().path("messages");
        assertThat(messages).hasSize(3);
        assertThat(messages.get(1).path("content").toString()).isEqualTo("[{\"text\":\"Checking.\"},"
                + "{\"toolUse\":{\"toolUseId\":\"tooluse_abc\",\"name\":\"get_weather\",\"input\":{\"city\":\"Paris\"}}}]");
        assertThat(messages.get(2).path("content").toString()).isEqualTo("[{\"toolResult\":{\"toolUseId\":\"tooluse_abc\","
                + "\"content\":[{\"text\":\"18°C and sunny\"}]}},{\"toolResult\":{\"toolUseId\":\"tooluse_def\","
                + "\"content\":[{\"text\":\"city not found\"}],\"status\":\"error\"}}]");
    }

    @Test
    void aConversationWithToolBlocksKeepsAToolConfigEvenWithoutTools() throws Exception {
        List<Message> conversation = List.of(Message.user("Weather in Paris?"),
                new Message(Message.Role.ASSISTANT, List.of(
                        new ContentPart.ToolCall("tooluse_abc", "get_weather", "{\"city\":\"Paris\"}"))),
                new Message(Message.Role.USER, List.of(new ContentPart.ToolResult("tooluse_abc", "get_weather",
                        List.of(new ContentPart.Text("18°C")), false), new ContentPart.Text("Summarise."))));

        ChatResponse withoutTools = bedrock.adapter.chat(bedrock.route(NOVA),
                request(conversation, List.of(), null, null, Sampling.DEFAULT, null));
        JsonNode placeholder = lastBody().path("toolConfig");
        ChatResponse none = bedrock.adapter.chat(bedrock.route(NOVA), request(conversation, List.of(weather()),
                new ToolChoice(ToolChoice.Mode.NONE, null, null), null, Sampling.DEFAULT, null));
        JsonNode kept = lastBody().path("toolConfig");

        assertThat(withoutTools.text()).isEqualTo("Hello from fake " + NOVA);
        assertThat(placeholder.path("tools").get(0).path("toolSpec").path("name").asText()).isEqualTo("get_weather");
        assertThat(placeholder.has("toolChoice")).isFalse();
        assertThat(none.text()).isEqualTo("Hello from fake " + NOVA);
        assertThat(kept.path("tools").get(0).path("toolSpec").path("description").asText()).isEqualTo("Weather by city");
        assertThat(kept.has("toolChoice")).isFalse();
        assertThat(fake.rejections()).isEmpty();
    }

    @Test
    void jsonResponseFormatIsAnsweredThroughAForcedToolAsText() throws Exception {
        ObjectNode schema = Json.object().put("type", "object");
        schema.putObject("properties").putObject("city").put("type", "string");
        ResponseFormat format = new ResponseFormat(ResponseFormat.Kind.JSON_SCHEMA, "place", schema, true);
        ChatRequest request = request(List.of(Message.user("Where?")), List.of(), null, format, Sampling.DEFAULT, null);

        ChatResponse response = bedrock.adapter.chat(bedrock.route(CLAUDE), request);
        JsonNode toolConfig = lastBody().path("toolConfig");
        List<ChatEvent> events = drain(bedrock.adapter.stream(bedrock.route(CLAUDE), request));

        assertThat(toolConfig.path("tools").get(0).path("toolSpec").path("name").asText()).isEqualTo("json_response");
        assertThat(toolConfig.path("tools").get(0).path("toolSpec").path("inputSchema").path("json")).isEqualTo(schema);
        assertThat(toolConfig.path("toolChoice").toString()).isEqualTo("{\"tool\":{\"name\":\"json_response\"}}");
        assertThat(response.content()).containsExactly(new ContentPart.Text(FakeBedrockProvider.TOOL_INPUT));
        assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(events).noneMatch(ChatEvent.ToolCallStarted.class::isInstance);
        assertThat(events.stream().filter(ChatEvent.TextDelta.class::isInstance)
                .map(e -> ((ChatEvent.TextDelta) e).text()).collect(Collectors.joining()))
                .isEqualTo(FakeBedrockProvider.TOOL_INPUT);
        assertThat(events).contains(new ChatEvent.Finished(FinishReason.STOP, null));
    }

    @Test
    void jsonModeBesideCallerToolsLetsTheModelPickAToolOrTheAnswer() throws Exception {
        bedrock.adapter.chat(bedrock.route(CLAUDE), request(List.of(Message.user("Where?")), List.of(weather()),
                ToolChoice.AUTO, ResponseFormat.JSON_OBJECT, Sampling.DEFAULT, null));

        JsonNode toolConfig = lastBody().path("toolConfig");
        assertThat(toolConfig.path("tools")).hasSize(2);
        assertThat(toolConfig.path("tools").get(1).path("toolSpec").path("inputSchema").path("json").toString())
                .isEqualTo("{\"type\":\"object\"}");
        assertThat(toolConfig.path("toolChoice").toString()).isEqualTo("{\"any\":{}}");
    }

    // ---------------------------------------------------------------------------------------------
    // media and reasoning

    @Test
    void imagesGoInlineWhetherGivenAsBase64DataUrlOrLink() throws Exception {
        HttpServer images = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        images.createContext("/cat.png", exchange -> {
            byte[] png = Base64.getDecoder().decode(TINY_PNG);
            exchange.getResponseHeaders().add("Content-Type", "image/png");
            exchange.sendResponseHeaders(200, png.length);
            exchange.getResponseBody().write(png);
            exchange.close();
        });
        images.start();
        try {
            String link = "http://127.0.0.1:" + images.getAddress().getPort() + "/cat.png";
            Message message = new Message(Message.Role.USER, List.of(new ContentPart.Text("What are these?"),
                    ContentPart.Image.inline("image/png", TINY_PNG),
                    ContentPart.Image.link("data:image/webp;base64," + TINY_PNG),
                    ContentPart.Image.link(link)));

            ChatResponse response = bedrock.adapter.chat(bedrock.route(CLAUDE),
                    request(List.of(message), List.of(), null, null, Sampling.DEFAULT, null));

            assertThat(response.text()).isEqualTo("Hello from fake " + CLAUDE);
            JsonNode content = lastBody().path("messages").get(0).path("content");
            assertThat(content.get(1).toString())
                    .isEqualTo("{\"image\":{\"format\":\"png\",\"source\":{\"bytes\":\"" + TINY_PNG + "\"}}}");
            assertThat(content.get(2).path("image").path("format").asText()).isEqualTo("webp");
            assertThat(content.get(3).toString())
                    .isEqualTo("{\"image\":{\"format\":\"png\",\"source\":{\"bytes\":\"" + TINY_PNG + "\"}}}");
        } finally {
            images.stop(0);
        }
    }

    @Test
    void imageTypesBedrockCannotTakeAreTheCallersMistake() {
        Message message = new Message(Message.Role.USER, List.of(ContentPart.Image.inline("image/bmp", TINY_PNG)));

        assertThatThrownBy(() -> bedrock.adapter.chat(bedrock.route(CLAUDE),
                request(List.of(message), List.of(), null, null, Sampling.DEFAULT, null)))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.param()).isEqualTo("messages");
                    assertThat(e.getMessage()).contains("image/bmp");
                });
        assertThat(fake.requests()).isEmpty();
    }

    @Test
    void documentsGoInlineWithAFormatAndAnAcceptableName() throws Exception {
        String pdf = Base64.getEncoder().encodeToString("%PDF-1.4 fake".getBytes());
        Message message = new Message(Message.Role.USER, List.of(new ContentPart.Text("Summarise"),
                new ContentPart.Document("application/pdf", pdf, null, "Q3 report: final.pdf", null)));

        bedrock.adapter.chat(bedrock.route(CLAUDE), request(List.of(message), List.of(), null, null,
                Sampling.DEFAULT, null));

        assertThat(lastBody().path("messages").get(0).path("content").get(1).toString()).isEqualTo(
                "{\"document\":{\"format\":\"pdf\",\"name\":\"Q3 report final pdf\",\"source\":{\"bytes\":\"" + pdf + "\"}}}");
    }

    @Test
    void reasoningComesBackSignedAndIsReplayedWithItsSignature() throws Exception {
        String model = FakeBedrockProvider.REASONING_MODEL;

        ChatResponse response = bedrock.adapter.chat(bedrock.route(model), ask("Hi"));
        List<ChatEvent> events = drain(bedrock.adapter.stream(bedrock.route(model), ask("Hi")));
        List<Message> replay = List.of(Message.user("Hi"), new Message(Message.Role.ASSISTANT,
                List.of(new ContentPart.Reasoning(FakeBedrockProvider.REASONING_TEXT,
                        FakeBedrockProvider.REASONING_SIGNATURE), new ContentPart.RedactedReasoning("c2VjcmV0"),
                        new ContentPart.Reasoning("unsigned thoughts", null), new ContentPart.Text("Hello"))),
                Message.user("And now?"));
        bedrock.adapter.chat(bedrock.route(model), request(replay, List.of(), null, null, Sampling.DEFAULT, null));

        assertThat(response.content()).containsExactly(new ContentPart.Reasoning(FakeBedrockProvider.REASONING_TEXT,
                FakeBedrockProvider.REASONING_SIGNATURE), new ContentPart.Text("Hello from fake " + model));
        assertThat(events).containsSubsequence(new ChatEvent.ReasoningDelta("The user greets me."),
                new ChatEvent.ReasoningDelta(" I greet back."),
                new ChatEvent.ReasoningSignature(FakeBedrockProvider.REASONING_SIGNATURE),
                new ChatEvent.TextDelta("Hello"));
        assertThat(lastBody().path("messages").get(1).path("content").toString()).isEqualTo("[{\"reasoningContent\":"
                + "{\"reasoningText\":{\"text\":\"" + FakeBedrockProvider.REASONING_TEXT + "\",\"signature\":\""
                + FakeBedrockProvider.REASONING_SIGNATURE + "\"}}},{\"reasoningContent\":{\"redactedContent\":"
                + "\"c2VjcmV0\"}},{\"text\":\"Hello\"}]");
    }

    @Test
    void thinkingOnClaudeGoesToAdditionalFieldsWithRoomToAnswer() throws Exception {
        bedrock.adapter.chat(bedrock.route(CLAUDE), request(List.of(Message.user("Think")), List.of(), null, null,
                Sampling.DEFAULT, new Reasoning(true, null, 2048)));
        JsonNode claude = lastBody();
        bedrock.adapter.chat(bedrock.route(NOVA), request(List.of(Message.user("Think")), List.of(), null, null,
                new Sampling(null, null, null, 20, List.of(), null, null, null), new Reasoning(true, "high", null)));
        JsonNode nova = lastBody();

        assertThat(claude.path("additionalModelRequestFields").toString())
                .isEqualTo("{\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2048}}");
        assertThat(claude.path("inferenceConfig").path("maxTokens").asInt()).isEqualTo(2048 + 4096);
        assertThat(nova.path("additionalModelRequestFields").toString())
                .isEqualTo("{\"inferenceConfig\":{\"topK\":20}}");
    }

    // ---------------------------------------------------------------------------------------------
    // credentials and errors

    @Test
    void sessionCredentialsSendAndSignTheToken() throws Exception {
        ChatResponse response = bedrock.adapter.chat(bedrock.route(CLAUDE, BedrockFixture.sessionKeys()), ask("Hi"));

        assertThat(response.text()).isEqualTo("Hello from fake " + CLAUDE);
        FakeBedrockProvider.RecordedRequest recorded = fake.lastRequest();
        assertThat(recorded.headers().get("x-amz-security-token")).isEqualTo(BedrockFixture.SESSION_TOKEN);
        assertThat(recorded.headers().get("authorization"))
                .contains("SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token,");
        assertThat(fake.rejections()).isEmpty();
    }

    @Test
    void aWrongSecretIsA403WithoutAnySecretInTheMessage() {
        CredentialSecret wrong = new CredentialSecret(null, BedrockFixture.SESSION_AKID, "not-the-secret",
                BedrockFixture.SESSION_TOKEN);

        assertThatThrownBy(() -> bedrock.adapter.chat(bedrock.route(CLAUDE, wrong), ask("Hi")))
                .isInstanceOfSatisfying(ProviderFailure.class, e -> {
                    assertThat(e.kind()).isEqualTo(ProviderFailure.Kind.STATUS);
                    assertThat(e.status()).isEqualTo(403);
                    assertThat(e.error().code()).isEqualTo("InvalidSignatureException");
                    assertThat(e.error().type()).isEqualTo("permission_error");
                    assertThat(e.error().message())
                            .startsWith("The request signature we calculated does not match the signature you provided.")
                            .doesNotContain(BedrockFixture.SESSION_TOKEN).doesNotContain("not-the-secret");
                    assertThat(e.getMessage()).doesNotContain(BedrockFixture.SESSION_TOKEN);
                });
        // The fake echoes the canonical request, token included, as AWS does: the adapter had to remove it.
        assertThat(fake.rejections().getFirst().message()).contains(BedrockFixture.SESSION_TOKEN);
    }

    @Test
    void anUnknownAccessKeyIsA403() {
        assertThatThrownBy(() -> bedrock.adapter.chat(bedrock.route(CLAUDE,
                BedrockFixture.keys("AKIAUNKNOWN000000000", BedrockFixture.SECRET)), ask("Hi")))
                .isInstanceOfSatisfying(ProviderFailure.class, e -> {
                    assertThat(e.status()).isEqualTo(403);
                    assertThat(e.error().code()).isEqualTo("UnrecognizedClientException");
                    assertThat(e.error().message()).isEqualTo("The security token included in the request is invalid.");
                });
    }

    @Test
    void throttlingIsA429ForChatAndForOpeningAStream() {
        CredentialSecret throttled = BedrockFixture.keys(FakeBedrockProvider.THROTTLED_KEY, BedrockFixture.THROTTLED_SECRET);

        assertThatThrownBy(() -> bedrock.adapter.chat(bedrock.route(CLAUDE, throttled), ask("Hi")))
                .isInstanceOfSatisfying(ProviderFailure.class, e -> {
                    assertThat(e.status()).isEqualTo(429);
                    assertThat(e.error().code()).isEqualTo("ThrottlingException");
                    assertThat(e.error().type()).isEqualTo("rate_limit_error");
                    assertThat(e.error().message()).isEqualTo("Too many requests, please wait before trying again.");
                });
        assertThatThrownBy(() -> bedrock.adapter.stream(bedrock.route(CLAUDE, throttled), ask("Hi")))
                .isInstanceOfSatisfying(ProviderFailure.class, e -> assertThat(e.status()).isEqualTo(429));
    }

    @Test
    void anUnknownModelIsA404() {
        assertThatThrownBy(() -> bedrock.adapter.chat(bedrock.route(FakeBedrockProvider.MISSING_MODEL), ask("Hi")))
                .isInstanceOfSatisfying(ProviderFailure.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.error().code()).isEqualTo("ResourceNotFoundException");
                });
    }

    @Test
    void aValidationErrorNamesWhatBedrockRefused() {
        List<Message> startsWithAssistant = List.of(Message.assistant("Hello"), Message.user("Hi"));

        assertThatThrownBy(() -> bedrock.adapter.chat(bedrock.route(CLAUDE),
                request(startsWithAssistant, List.of(), null, null, Sampling.DEFAULT, null)))
                .isInstanceOfSatisfying(ProviderFailure.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.error().code()).isEqualTo("ValidationException");
                    assertThat(e.error().type()).isEqualTo("invalid_request_error");
                    assertThat(e.error().message()).startsWith("A conversation must start with a user message.");
                });
    }

    @ParameterizedTest
    @CsvSource({"throttlingException,429", "modelStreamErrorException,424", "internalServerException,500",
            "serviceUnavailableException,503", "validationException,400"})
    void exceptionsInsideTheStreamEndItAsFailed(String type, int status) throws Exception {
        List<ChatEvent> events = drain(bedrock.adapter.stream(
                bedrock.route(FakeBedrockProvider.STREAM_EXCEPTION_MODEL_PREFIX + type), ask("Hi")));

        assertThat(events).hasSize(3);
        assertThat(events.get(0)).isInstanceOf(ChatEvent.Started.class);
        assertThat(events.get(1)).isEqualTo(new ChatEvent.TextDelta("Hello"));
        assertThat(events.get(2)).isEqualTo(new ChatEvent.Failed(status, type,
                FakeBedrockProvider.streamExceptionMessage(type)));
    }

    @Test
    void anErrorMessageInsideTheStreamEndsItAsFailed() throws Exception {
        List<ChatEvent> events = drain(bedrock.adapter.stream(bedrock.route(FakeBedrockProvider.STREAM_ERROR_MODEL),
                ask("Hi")));

        assertThat(events.getLast()).isEqualTo(new ChatEvent.Failed(500, FakeBedrockProvider.STREAM_ERROR_CODE,
                FakeBedrockProvider.STREAM_ERROR_MESSAGE));
    }

    @Test
    void aProviderWithoutRegionFailsClearlyBeforeSendingAnything() {
        Provider provider = new Provider("p2", "aws-noregion",
                ProviderType.BEDROCK, "AWS", fake.baseUrl(), " ", true, List.of(), "test", 0, 0);

        assertThatThrownBy(() -> bedrock.adapter.chat(new Route(provider, null,
                BedrockFixture.keys(), CLAUDE), ask("Hi")))
                .isInstanceOfSatisfying(ProviderFailure.class, e -> {
                    assertThat(e.status()).isEqualTo(500);
                    assertThat(e.error().message()).contains("aws-noregion").contains("region");
                });
        assertThat(fake.requests()).isEmpty();
    }

    @Test
    void anApiKeyCredentialCannotSignAndIsA401() {
        assertThatThrownBy(() -> bedrock.adapter.chat(bedrock.route(CLAUDE,
                CredentialSecret.apiKey("sk-not-aws")), ask("Hi")))
                .isInstanceOfSatisfying(ProviderFailure.class, e -> {
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.error().message()).contains("accessKeyId").contains("secretAccessKey");
                });
        assertThat(fake.requests()).isEmpty();
    }
}
