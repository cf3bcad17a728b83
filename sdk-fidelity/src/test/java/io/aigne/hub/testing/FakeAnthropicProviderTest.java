package io.aigne.hub.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.ObjectMappers;
import com.anthropic.core.http.HttpResponseFor;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.errors.BadRequestException;
import com.anthropic.errors.InternalServerException;
import com.anthropic.errors.NotFoundException;
import com.anthropic.errors.OverloadedException;
import com.anthropic.errors.RateLimitException;
import com.anthropic.errors.SseException;
import com.anthropic.errors.UnauthorizedException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.ErrorType;
import com.anthropic.models.messages.Base64ImageSource;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawContentBlockDelta;
import com.anthropic.models.messages.RawContentBlockDeltaEvent;
import com.anthropic.models.messages.RawContentBlockStartEvent;
import com.anthropic.models.messages.RawContentBlockStopEvent;
import com.anthropic.models.messages.RawMessageDeltaEvent;
import com.anthropic.models.messages.RawMessageStartEvent;
import com.anthropic.models.messages.RawMessageStopEvent;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.ThinkingBlock;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolChoiceAuto;
import com.anthropic.models.messages.ToolChoiceNone;
import com.anthropic.models.messages.ToolUseBlock;
import com.anthropic.models.messages.UrlImageSource;
import com.anthropic.models.messages.Usage;
import com.anthropic.models.models.ModelInfo;
import com.anthropic.models.models.ModelListParams;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Proves the fake is faithful by pointing the official anthropic-java SDK straight at it, with strict
 * response validation (a missing required field or an unknown enum value fails the call), and pins the
 * raw wire details the SDK hides (SSE framing, headers, the 400/401 for missing headers).
 */
class FakeAnthropicProviderTest {

    private static final String MODEL = "claude-sonnet-4-5-20250929";
    private static final String HELLO = "Hello from fake " + MODEL;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A valid 1x1 transparent PNG. */
    private static final String TINY_PNG_BASE64 =
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

    private static FakeAnthropicProvider fake;
    private static HttpClient http;

    @BeforeAll
    static void startFake() {
        fake = FakeAnthropicProvider.start();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterAll
    static void stopFake() {
        fake.close();
        http.close();
    }

    @BeforeEach
    void forgetRequests() {
        fake.clearRequests();
    }

    private static AnthropicClient sdk(String apiKey) {
        return AnthropicOkHttpClient.builder()
                .baseUrl(fake.baseUrl())
                .apiKey(apiKey)
                .maxRetries(0)
                .responseValidation(true)
                .timeout(Duration.ofSeconds(10))
                .build();
    }

    private static MessageCreateParams.Builder hello() {
        return MessageCreateParams.builder().model(MODEL).maxTokens(1024).addUserMessage("Say hello");
    }

    private static Tool tool(String name) {
        return Tool.builder()
                .name(name)
                .inputSchema(Tool.InputSchema.builder()
                        .properties(Tool.InputSchema.Properties.builder()
                                .putAdditionalProperty("city", JsonValue.from(Map.of("type", "string")))
                                .build())
                        .build())
                .build();
    }

    /** Streams a message through the SDK, returning the events and the message the accumulator built. */
    private record Streamed(List<RawMessageStreamEvent> events, Message message) {
        List<RawContentBlockDelta> deltas() {
            return events.stream()
                    .flatMap(event -> event.contentBlockDelta().stream())
                    .map(event -> event.delta())
                    .toList();
        }
    }

    private static Streamed stream(String apiKey, MessageCreateParams params) {
        MessageAccumulator accumulator = MessageAccumulator.create();
        List<RawMessageStreamEvent> events;
        try (StreamResponse<RawMessageStreamEvent> stream = sdk(apiKey).messages().createStreaming(params)) {
            events = stream.stream().peek(accumulator::accumulate).toList();
        }
        return new Streamed(events, accumulator.message());
    }

    private static JsonNode inputOf(ToolUseBlock toolUse) throws Exception {
        return JSON.readTree(ObjectMappers.jsonMapper().writeValueAsString(toolUse._input()));
    }

    private static void assertFullUsage(Usage usage, long thinkingTokens) {
        assertThat(usage.inputTokens()).isEqualTo(13);
        assertThat(usage.outputTokens()).isEqualTo(9);
        assertThat(usage.cacheCreationInputTokens()).contains(4L);
        assertThat(usage.cacheReadInputTokens()).contains(6L);
        assertThat(usage.cacheCreation().orElseThrow().ephemeral5mInputTokens()).isEqualTo(4);
        assertThat(usage.cacheCreation().orElseThrow().ephemeral1hInputTokens()).isZero();
        assertThat(usage.serviceTier()).contains(Usage.ServiceTier.STANDARD);
        assertThat(usage.inferenceGeo()).contains("global");
        assertThat(usage.outputTokensDetails().orElseThrow().thinkingTokens()).isEqualTo(thinkingTokens);
    }

    // ---------------------------------------------------------------------------------------------
    // Text, streamed and not

    @Test
    void message() {
        HttpResponseFor<Message> raw = sdk("sk-ant-ok-alpha").messages().withRawResponse().create(hello().build());
        Message message = raw.parse();

        assertThat(raw.statusCode()).isEqualTo(200);
        assertThat(raw.headers().values("request-id")).singleElement().asString().startsWith("req_fake_");
        assertThat(message.id()).startsWith("msg_fake_");
        assertThat(message.model().asString()).isEqualTo(MODEL);
        assertThat(message.content()).singleElement().satisfies(block -> {
            assertThat(block.isText()).isTrue();
            assertThat(block.asText().text()).isEqualTo(HELLO);
        });
        assertThat(message.stopReason()).contains(StopReason.END_TURN);
        assertThat(message.stopSequence()).isEmpty();
        assertThat(message.stopDetails()).isEmpty();
        assertThat(message.container()).isEmpty();
        assertFullUsage(message.usage(), 0);
        assertThat(message.usage().serverToolUse()).isEmpty();
        assertThat(message.usage().speed()).contains(Usage.Speed.STANDARD);

        FakeAnthropicProvider.RecordedRequest request = fake.lastRequest();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/v1/messages");
        assertThat(request.apiKey()).isEqualTo("sk-ant-ok-alpha");
        // What this SDK sends: a dated API version, and its apiKey as a bearer token (not x-api-key).
        assertThat(request.headers().get("anthropic-version")).matches("\\d{4}-\\d{2}-\\d{2}");
        assertThat(request.headers()).containsEntry("authorization", "Bearer sk-ant-ok-alpha");
        assertThat(request.headers()).containsEntry("content-type", "application/json");
        assertThat(request.json().path("model").asText()).isEqualTo(MODEL);
        assertThat(request.json().path("max_tokens").asInt()).isEqualTo(1024);
        assertThat(request.json().has("stream")).isFalse();
        assertThat(fake.requests()).hasSize(1);
    }

    @Test
    void streamedMessage() {
        Streamed streamed = stream("sk-ant-ok", hello().build());

        assertThat(streamed.events()).extracting(FakeAnthropicProviderTest::eventType).containsExactly(
                "message_start", "content_block_start",
                "content_block_delta", "content_block_delta", "content_block_delta", "content_block_delta",
                "content_block_stop", "message_delta", "message_stop");  // the SDK swallows ping
        Message start = streamed.events().getFirst().asMessageStart().message();
        assertThat(start.content()).isEmpty();
        assertThat(start.stopReason()).isEmpty();
        assertThat(start.usage().inputTokens()).isEqualTo(13);
        assertThat(start.usage().outputTokens()).isEqualTo(1);

        assertThat(streamed.deltas()).extracting(delta -> delta.asText().text())
                .containsExactly("Hello", " from", " fake", " " + MODEL);

        var messageDelta = streamed.events().get(7).asMessageDelta();
        assertThat(messageDelta.delta().stopReason()).contains(StopReason.END_TURN);
        assertThat(messageDelta.delta().stopSequence()).isEmpty();
        assertThat(messageDelta.usage().outputTokens()).isEqualTo(9);
        assertThat(messageDelta.usage().inputTokens()).contains(13L);

        Message message = streamed.message();
        assertThat(message.id()).isEqualTo(start.id());
        assertThat(message.content()).singleElement().satisfies(block -> assertThat(block.asText().text()).isEqualTo(HELLO));
        assertThat(message.stopReason()).contains(StopReason.END_TURN);
        assertFullUsage(message.usage(), 0);

        FakeAnthropicProvider.RecordedRequest request = fake.lastRequest();
        assertThat(request.json().path("stream").asBoolean()).isTrue();
        assertThat(request.headers()).containsEntry("accept", "text/event-stream");
    }

    private static String eventType(RawMessageStreamEvent event) {
        return event.accept(new RawMessageStreamEvent.Visitor<>() {
            @Override
            public String visitMessageStart(RawMessageStartEvent e) {
                return "message_start";
            }

            @Override
            public String visitMessageDelta(RawMessageDeltaEvent e) {
                return "message_delta";
            }

            @Override
            public String visitMessageStop(RawMessageStopEvent e) {
                return "message_stop";
            }

            @Override
            public String visitContentBlockStart(RawContentBlockStartEvent e) {
                return "content_block_start";
            }

            @Override
            public String visitContentBlockDelta(RawContentBlockDeltaEvent e) {
                return "content_block_delta";
            }

            @Override
            public String visitContentBlockStop(RawContentBlockStopEvent e) {
                return "content_block_stop";
            }
        });
    }

    @Test
    void sseWireFormat() throws Exception {
        HttpResponse<String> response = post("/v1/messages", Map.of("x-api-key", "sk-ant-ok", "anthropic-version", "2023-06-01"),
                "{\"model\":\"m\",\"max_tokens\":10,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).contains("text/event-stream; charset=utf-8");
        assertThat(response.headers().firstValue("request-id")).hasValueSatisfying(id -> assertThat(id).startsWith("req_fake_"));
        assertThat(response.body()).endsWith("\n\n");
        List<String> events = List.of(response.body().split("\n\n"));
        assertThat(events).allSatisfy(event -> assertThat(event).matches("event: (\\w+)\ndata: \\{\"type\":\"\\1\".*\\}"));
        assertThat(events).extracting(event -> event.substring(7, event.indexOf('\n'))).containsExactly(
                "message_start", "content_block_start", "ping",
                "content_block_delta", "content_block_delta", "content_block_delta", "content_block_delta",
                "content_block_stop", "message_delta", "message_stop");
        assertThat(events.get(1)).endsWith("\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
        assertThat(events.get(3)).contains("\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello\"}");
        assertThat(fake.lastRequest().apiKey()).isEqualTo("sk-ant-ok");
    }

    // ---------------------------------------------------------------------------------------------
    // Tool use

    @Test
    void toolUse() throws Exception {
        Message parallel = sdk("sk-ant-ok").messages().create(hello().addTool(tool("get_weather")).addTool(tool("search")).build());

        assertThat(parallel.stopReason()).contains(StopReason.TOOL_USE);
        List<ToolUseBlock> uses = parallel.content().stream().map(ContentBlock::asToolUse).toList();
        assertThat(uses).extracting(ToolUseBlock::id).containsExactly("toolu_fake_1", "toolu_fake_2");
        assertThat(uses).extracting(ToolUseBlock::name).containsExactly("get_weather", "search");
        assertThat(inputOf(uses.get(0))).isEqualTo(JSON.readTree("{\"city\":\"Paris\"}"));
        assertThat(inputOf(uses.get(1))).isEqualTo(JSON.readTree("{\"q\":\"x\"}"));
        assertThat(uses.getFirst().caller().isDirect()).isTrue();
        assertThat(fake.lastRequest().json().path("tools").get(1).path("name").asText()).isEqualTo("search");

        Message single = sdk("sk-ant-ok").messages().create(hello().addTool(tool("get_weather")).addTool(tool("search"))
                .toolChoice(ToolChoiceAuto.builder().disableParallelToolUse(true).build())
                .build());
        assertThat(single.content()).singleElement().satisfies(block -> assertThat(block.asToolUse().name()).isEqualTo("get_weather"));

        Message none = sdk("sk-ant-ok").messages().create(hello().addTool(tool("get_weather"))
                .toolChoice(ToolChoiceNone.builder().build())
                .build());
        assertThat(none.content()).singleElement().satisfies(block -> assertThat(block.asText().text()).isEqualTo(HELLO));
        assertThat(none.stopReason()).contains(StopReason.END_TURN);
    }

    @Test
    void streamedToolUse() throws Exception {
        Streamed streamed = stream("sk-ant-ok", hello().addTool(tool("get_weather")).build());

        var blockStart = streamed.events().get(1).asContentBlockStart();
        assertThat(blockStart.contentBlock().isToolUse()).isTrue();
        assertThat(blockStart.contentBlock().asToolUse().id()).isEqualTo("toolu_fake_1");
        assertThat(blockStart.contentBlock().asToolUse().name()).isEqualTo("get_weather");
        List<String> fragments = streamed.deltas().stream().map(delta -> delta.asInputJson().partialJson()).toList();
        assertThat(fragments).containsExactly("", "{\"city\"", ":\"Pa", "ris\"}");
        assertThat(JSON.readTree(String.join("", fragments))).isEqualTo(JSON.readTree("{\"city\":\"Paris\"}"));

        Message message = streamed.message();
        assertThat(message.stopReason()).contains(StopReason.TOOL_USE);
        assertThat(message.content()).singleElement().satisfies(block -> {
            assertThat(block.asToolUse().id()).isEqualTo("toolu_fake_1");
            assertThat(inputOf(block.asToolUse())).isEqualTo(JSON.readTree("{\"city\":\"Paris\"}"));
        });

        Message two = stream("sk-ant-ok", hello().addTool(tool("get_weather")).addTool(tool("search")).build()).message();
        assertThat(two.content()).extracting(block -> block.asToolUse().id()).containsExactly("toolu_fake_1", "toolu_fake_2");
        assertThat(inputOf(two.content().get(1).asToolUse())).isEqualTo(JSON.readTree("{\"q\":\"x\"}"));
    }

    // ---------------------------------------------------------------------------------------------
    // Extended thinking

    @Test
    void thinking() {
        Message message = sdk("sk-ant-ok").messages().create(hello().maxTokens(2048).enabledThinking(1024).build());

        assertThat(message.content()).hasSize(2);
        ThinkingBlock thinking = message.content().getFirst().asThinking();
        assertThat(thinking.thinking()).isEqualTo("Let me think.");
        assertThat(thinking.signature()).isEqualTo(FakeAnthropicProvider.THINKING_SIGNATURE).isNotBlank();
        assertThat(message.content().get(1).asText().text()).isEqualTo(HELLO);
        assertFullUsage(message.usage(), 4);
        assertThat(fake.lastRequest().json().path("thinking").path("budget_tokens").asInt()).isEqualTo(1024);

        Streamed streamed = stream("sk-ant-ok", hello().maxTokens(2048).enabledThinking(1024).addTool(tool("get_weather")).build());
        List<RawContentBlockDelta> deltas = streamed.deltas();
        assertThat(deltas.get(0).asThinking().thinking()).isEqualTo("Let me think.");
        assertThat(deltas.get(1).asSignature().signature()).isEqualTo(FakeAnthropicProvider.THINKING_SIGNATURE);
        Message accumulated = streamed.message();
        assertThat(accumulated.content().getFirst().asThinking().thinking()).isEqualTo("Let me think.");
        assertThat(accumulated.content().getFirst().asThinking().signature()).isEqualTo(FakeAnthropicProvider.THINKING_SIGNATURE);
        assertThat(accumulated.content().get(1).asToolUse().name()).isEqualTo("get_weather");
        assertFullUsage(accumulated.usage(), 4);

        assertThatThrownBy(() -> sdk("sk-ant-ok").messages().create(hello().maxTokens(1024).enabledThinking(1024).build()))
                .isInstanceOfSatisfying(BadRequestException.class,
                        e -> assertThat(e.apiMessage()).hasValueSatisfying(m -> assertThat(m).contains("budget_tokens")));
    }

    // ---------------------------------------------------------------------------------------------
    // Images

    @Test
    void imageBlocksAreAccepted() {
        Message message = sdk("sk-ant-ok").messages().create(MessageCreateParams.builder().model(MODEL).maxTokens(1024)
                .addUserMessageOfContentBlockParams(List.of(
                        ContentBlockParam.ofImage(Base64ImageSource.builder()
                                .mediaType(Base64ImageSource.MediaType.IMAGE_PNG).data(TINY_PNG_BASE64).build()),
                        ContentBlockParam.ofImage(UrlImageSource.builder().url("https://example.com/cat.png").build()),
                        ContentBlockParam.ofText("What is in these images?")))
                .build());

        assertThat(message.content().getFirst().asText().text()).isEqualTo(HELLO);
        JsonNode content = fake.lastRequest().json().path("messages").get(0).path("content");
        assertThat(content.get(0).path("type").asText()).isEqualTo("image");
        assertThat(content.get(0).path("source").path("type").asText()).isEqualTo("base64");
        assertThat(content.get(0).path("source").path("media_type").asText()).isEqualTo("image/png");
        assertThat(content.get(0).path("source").path("data").asText()).isEqualTo(TINY_PNG_BASE64);
        assertThat(content.get(1).path("source").path("type").asText()).isEqualTo("url");
        assertThat(content.get(1).path("source").path("url").asText()).isEqualTo("https://example.com/cat.png");

        assertThatThrownBy(() -> sdk("sk-ant-ok").messages().create(MessageCreateParams.builder().model(MODEL).maxTokens(1024)
                .addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofImage(Base64ImageSource.builder()
                        .mediaType(Base64ImageSource.MediaType.of("image/bmp")).data(TINY_PNG_BASE64).build())))
                .build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.type()).contains(ErrorType.INVALID_REQUEST_ERROR);
                    assertThat(e.apiMessage()).hasValueSatisfying(m -> assertThat(m).contains("media_type"));
                });
    }

    // ---------------------------------------------------------------------------------------------
    // Errors

    @Test
    void errorsMapToSdkExceptions() {
        assertThatThrownBy(() -> sdk("sk-ant-401").messages().create(hello().build()))
                .isInstanceOfSatisfying(UnauthorizedException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(401);
                    assertThat(e.type()).contains(ErrorType.AUTHENTICATION_ERROR);
                    assertThat(e.apiMessage()).contains("invalid x-api-key");
                    assertThat(e.requestId()).hasValueSatisfying(id -> assertThat(id).startsWith("req_fake_"));
                });
        assertThat(fake.requests()).hasSize(1);

        assertThatThrownBy(() -> sdk("sk-ant-429").messages().create(hello().build()))
                .isInstanceOfSatisfying(RateLimitException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(429);
                    assertThat(e.type()).contains(ErrorType.RATE_LIMIT_ERROR);
                    assertThat(e.headers().values("retry-after")).containsExactly("5");
                });
        assertThat(fake.requests()).hasSize(2);  // maxRetries(0): no hidden retry

        assertThatThrownBy(() -> sdk("sk-ant-529").messages().create(hello().build()))
                .isInstanceOfSatisfying(OverloadedException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(529);
                    assertThat(e.type()).contains(ErrorType.OVERLOADED_ERROR);
                });
        assertThatThrownBy(() -> sdk("sk-ant-500").messages().create(hello().build()))
                .isInstanceOfSatisfying(InternalServerException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(500);
                    assertThat(e.type()).contains(ErrorType.API_ERROR);
                });
        assertThatThrownBy(() -> sdk("sk-ant-ok").messages().create(hello().model("missing-model").build()))
                .isInstanceOfSatisfying(NotFoundException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(404);
                    assertThat(e.type()).contains(ErrorType.NOT_FOUND_ERROR);
                });
        // An error status arrives before any event, so createStreaming itself throws.
        assertThatThrownBy(() -> sdk("sk-ant-529").messages().createStreaming(hello().build()))
                .isInstanceOf(OverloadedException.class);
    }

    @Test
    void errorEventMidStreamMakesTheSdkStreamThrow() {
        List<RawMessageStreamEvent> received = new ArrayList<>();
        try (StreamResponse<RawMessageStreamEvent> stream = sdk("sk-ant-stream-error").messages().createStreaming(hello().build())) {
            Iterator<RawMessageStreamEvent> events = stream.stream().iterator();
            assertThatThrownBy(() -> events.forEachRemaining(received::add))
                    .isInstanceOfSatisfying(SseException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(200);
                        assertThat(e.type()).contains(ErrorType.OVERLOADED_ERROR);
                        assertThat(e.apiMessage()).contains("Overloaded");
                    });
        }
        assertThat(received).extracting(FakeAnthropicProviderTest::eventType)
                .containsExactly("message_start", "content_block_start", "content_block_delta");
        assertThat(received.get(2).asContentBlockDelta().delta().asText().text()).isEqualTo("Hello");

        // Without streaming the same key meets the overload up front.
        assertThatThrownBy(() -> sdk("sk-ant-stream-error").messages().create(hello().build()))
                .isInstanceOf(OverloadedException.class);
    }

    @Test
    void missingHeadersAndBadBodies() throws Exception {
        String body = "{\"model\":\"m\",\"max_tokens\":10,\"messages\":[]}";
        HttpResponse<String> noVersion = post("/v1/messages", Map.of("x-api-key", "sk-ant-ok"), body);
        assertThat(noVersion.statusCode()).isEqualTo(400);
        assertErrorBody(noVersion, "invalid_request_error", "anthropic-version: header is required");

        HttpResponse<String> noKey = post("/v1/messages", Map.of("anthropic-version", "2023-06-01"), body);
        assertThat(noKey.statusCode()).isEqualTo(401);
        assertErrorBody(noKey, "authentication_error", "x-api-key header is required");

        HttpResponse<String> invalidKey = post("/v1/messages",
                Map.of("x-api-key", "sk-ant-401", "anthropic-version", "2023-06-01"), body);
        assertThat(invalidKey.statusCode()).isEqualTo(401);
        assertThat(invalidKey.headers().firstValue("request-id")).hasValueSatisfying(id -> assertThat(id).startsWith("req_fake_"));
        assertErrorBody(invalidKey, "authentication_error", "invalid x-api-key");

        HttpResponse<String> noMaxTokens = post("/v1/messages", Map.of("x-api-key", "sk-ant-ok", "anthropic-version", "2023-06-01"),
                "{\"model\":\"m\",\"messages\":[]}");
        assertThat(noMaxTokens.statusCode()).isEqualTo(400);
        assertErrorBody(noMaxTokens, "invalid_request_error", "max_tokens: Field required");

        HttpResponse<String> notJson = post("/v1/messages", Map.of("x-api-key", "sk-ant-ok", "anthropic-version", "2023-06-01"), "nope");
        assertThat(notJson.statusCode()).isEqualTo(400);

        HttpResponse<String> unknown = post("/v1/nope", Map.of("x-api-key", "sk-ant-ok", "anthropic-version", "2023-06-01"), "{}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertErrorBody(unknown, "not_found_error", "Not Found");
    }

    private static void assertErrorBody(HttpResponse<String> response, String type, String message) throws Exception {
        assertThat(response.headers().firstValue("content-type")).contains("application/json");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("type").asText()).isEqualTo("error");
        assertThat(body.path("error").path("type").asText()).isEqualTo(type);
        assertThat(body.path("error").path("message").asText()).isEqualTo(message);
        assertThat(body.path("request_id").asText()).isEqualTo(response.headers().firstValue("request-id").orElseThrow());
    }

    // ---------------------------------------------------------------------------------------------
    // count_tokens and models

    @Test
    void countTokens() {
        long tokens = sdk("sk-ant-ok").messages().countTokens(MessageCountTokensParams.builder()
                .model(MODEL).addUserMessage("Say hello").build()).inputTokens();

        assertThat(tokens).isEqualTo(13);
        assertThat(fake.lastRequest().path()).isEqualTo("/v1/messages/count_tokens");
        assertThatThrownBy(() -> sdk("sk-ant-ok").messages().countTokens(MessageCountTokensParams.builder()
                .model("missing-model").addUserMessage("x").build()))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void models() {
        var page = sdk("sk-ant-ok").models().list();
        assertThat(page.data()).extracting(ModelInfo::id).containsExactlyElementsOf(FakeAnthropicProvider.MODELS);
        assertThat(page.response().hasMore()).isFalse();
        assertThat(page.response().firstId()).contains(FakeAnthropicProvider.MODELS.getFirst());
        assertThat(page.response().lastId()).contains(FakeAnthropicProvider.MODELS.getLast());
        ModelInfo sonnet = page.data().getFirst();
        assertThat(sonnet.displayName()).isEqualTo("Claude Sonnet 4.5");
        assertThat(sonnet.createdAt()).isEqualTo(OffsetDateTime.parse("2025-09-29T00:00:00Z"));
        assertThat(sonnet.lifecycle()).isEqualTo(ModelInfo.Lifecycle.ACTIVE);
        assertThat(fake.lastRequest().method()).isEqualTo("GET");

        // Paging one model at a time through the SDK's auto-pager walks the whole list.
        List<String> paged;
        try (Stream<ModelInfo> all = sdk("sk-ant-ok").models().list(ModelListParams.builder().limit(1).build())
                .autoPager().stream()) {
            paged = all.map(ModelInfo::id).toList();
        }
        assertThat(paged).containsExactlyElementsOf(FakeAnthropicProvider.MODELS);

        assertThat(sdk("sk-ant-ok").models().retrieve("claude-haiku-4-5-20251001").displayName()).isEqualTo("Claude Haiku 4.5");
        assertThatThrownBy(() -> sdk("sk-ant-ok").models().retrieve("claude-nope")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> sdk("sk-ant-401").models().list()).isInstanceOf(UnauthorizedException.class)
                .isInstanceOf(AnthropicServiceException.class);
    }

    private static HttpResponse<String> post(String path, Map<String, String> headers, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(fake.baseUrl() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
