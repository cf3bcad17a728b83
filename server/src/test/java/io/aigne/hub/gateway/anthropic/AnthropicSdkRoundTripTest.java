package io.aigne.hub.gateway.anthropic;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.BadRequestException;
import com.anthropic.errors.SseException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.ErrorType;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.WebSearchTool20250305;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.aigne.hub.gateway.canonical.ChatEvent;
import io.aigne.hub.gateway.canonical.ChatRequest;
import io.aigne.hub.gateway.canonical.ChatResponse;
import io.aigne.hub.gateway.canonical.ContentPart;
import io.aigne.hub.gateway.canonical.FinishReason;
import io.aigne.hub.gateway.sse.SseWriter;
import io.aigne.hub.server.ApiException;
import io.aigne.hub.server.Json;
import io.aigne.hub.usage.Usage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The official anthropic-java client talking over HTTP to a minimal front door built from the codec, the stream
 * encoder and the error bodies, with strict response validation: what an SDK user of the hub would see. The
 * answers are those a translated (non-Anthropic) provider would give.
 */
class AnthropicSdkRoundTripTest {
    private static final String MODEL = "openai/gpt-4o";

    private static HttpServer server;
    private static final List<ChatRequest> received = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/messages", AnthropicSdkRoundTripTest::messages);
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    private static void messages(HttpExchange exchange) throws IOException {
        try (exchange) {
            ChatRequest request;
            try {
                ObjectNode body = Json.parseObject(exchange.getRequestBody().readAllBytes());
                request = AnthropicMessagesCodec.toCanonical(body);
            } catch (ApiException e) {
                byte[] error = AnthropicErrors.body(e);
                exchange.getResponseHeaders().add("content-type", "application/json");
                exchange.sendResponseHeaders(AnthropicErrors.status(e), error.length);
                exchange.getResponseBody().write(error);
                return;
            }
            received.add(request);
            if (!request.stream()) {
                byte[] json = Json.bytes(AnthropicMessagesCodec.toJson(answer(), request.model()));
                exchange.getResponseHeaders().add("content-type", "application/json");
                exchange.sendResponseHeaders(200, json.length);
                exchange.getResponseBody().write(json);
                return;
            }
            exchange.getResponseHeaders().add("content-type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            OutputStream body = exchange.getResponseBody();
            SseWriter out = new SseWriter(body);
            AnthropicStreamEncoder encoder = new AnthropicStreamEncoder(request.model());
            boolean breaks = request.systemText() != null && request.systemText().contains("break");
            for (ChatEvent event : streamed(breaks)) {
                encoder.write(event, out);
            }
            if (breaks) {
                encoder.fail(503, "upstream_error", "the provider is overloaded", out);
            } else {
                encoder.end(out);
            }
            out.flush();
        }
    }

    /** What an OpenAI model routed through the hub answers: text and a tool call, OpenAI ids, no model id. */
    private static ChatResponse answer() {
        return new ChatResponse("chatcmpl-9", null, List.of(new ContentPart.Text("Checking the weather."),
                new ContentPart.ToolCall("call_abc", "get_weather", "{\"city\":\"Paris\"}")),
                FinishReason.TOOL_CALLS, null, Usage.tokens(120, 30, 100, 0, 0));
    }

    private static List<ChatEvent> streamed(boolean breaks) {
        List<ChatEvent> events = new ArrayList<>(List.of(new ChatEvent.Started("chatcmpl-9", "gpt-4o-2024-08-06"),
                new ChatEvent.TextDelta("Checking")));
        if (breaks) {
            return events;
        }
        events.addAll(List.of(new ChatEvent.TextDelta(" the weather."),
                new ChatEvent.ToolCallStarted(0, "call_abc", "get_weather"),
                new ChatEvent.ToolCallArguments(0, "{\"city\":"),
                new ChatEvent.ToolCallArguments(0, "\"Paris\"}"),
                new ChatEvent.Finished(FinishReason.TOOL_CALLS, null),
                new ChatEvent.UsageReport(Usage.tokens(120, 30, 100, 0, 0))));
        return events;
    }

    private static AnthropicClient sdk() {
        return AnthropicOkHttpClient.builder().baseUrl("http://127.0.0.1:" + server.getAddress().getPort())
                .apiKey("hub-key").maxRetries(0).responseValidation(true).timeout(Duration.ofSeconds(10)).build();
    }

    private static MessageCreateParams.Builder params() {
        return MessageCreateParams.builder().model(MODEL).maxTokens(512).addUserMessage("Weather in Paris?")
                .addTool(Tool.builder().name("get_weather").inputSchema(Tool.InputSchema.builder()
                        .properties(Tool.InputSchema.Properties.builder()
                                .putAdditionalProperty("city", JsonValue.from(Map.of("type", "string"))).build())
                        .build()).build());
    }

    @Test
    void messageThroughTheSdk() {
        Message message = sdk().messages().create(params().build());

        assertThat(message.id()).startsWith("msg_");
        assertThat(message.model().asString()).isEqualTo(MODEL);
        assertThat(message.content().get(0).asText().text()).isEqualTo("Checking the weather.");
        assertThat(message.content().get(1).asToolUse().id()).isEqualTo("call_abc");
        assertThat(message.content().get(1).asToolUse().name()).isEqualTo("get_weather");
        assertThat(message.content().get(1).asToolUse()._input().convert(Map.class)).isEqualTo(Map.of("city", "Paris"));
        assertThat(message.stopReason()).contains(StopReason.TOOL_USE);
        assertThat(message.usage().inputTokens()).isEqualTo(20);
        assertThat(message.usage().cacheReadInputTokens()).contains(100L);
        assertThat(message.usage().outputTokens()).isEqualTo(30);

        ChatRequest request = received.getLast();
        assertThat(request.model()).isEqualTo(MODEL);
        assertThat(request.tools()).extracting(io.aigne.hub.gateway.canonical.Tool::name).containsExactly("get_weather");
        assertThat(request.sampling().maxTokens()).isEqualTo(512);
    }

    @Test
    void streamThroughTheSdk() {
        MessageAccumulator accumulator = MessageAccumulator.create();
        try (StreamResponse<RawMessageStreamEvent> stream = sdk().messages().createStreaming(params().build())) {
            stream.stream().forEach(accumulator::accumulate);
        }
        Message message = accumulator.message();

        assertThat(message.model().asString()).isEqualTo("gpt-4o-2024-08-06");
        assertThat(message.content().get(0).asText().text()).isEqualTo("Checking the weather.");
        assertThat(message.content().get(1).asToolUse()._input().convert(Map.class)).isEqualTo(Map.of("city", "Paris"));
        assertThat(message.stopReason()).contains(StopReason.TOOL_USE);
        assertThat(message.usage().inputTokens()).isEqualTo(20);
        assertThat(message.usage().outputTokens()).isEqualTo(30);
        assertThat(received.getLast().stream()).isTrue();
    }

    @Test
    void errorEventMakesTheSdkStreamThrow() {
        try (StreamResponse<RawMessageStreamEvent> stream = sdk().messages()
                .createStreaming(params().system("break").build())) {
            assertThatThrownBy(() -> stream.stream().forEach(event -> { }))
                    .isInstanceOfSatisfying(SseException.class, e -> {
                        assertThat(e.type()).contains(ErrorType.OVERLOADED_ERROR);
                        assertThat(e.apiMessage()).hasValueSatisfying(m -> assertThat(m).isEqualTo("the provider is overloaded"));
                    });
        }
    }

    @Test
    void untranslatableRequestIsTheSdksBadRequest() {
        assertThatThrownBy(() -> sdk().messages().create(params().addTool(WebSearchTool20250305.builder().build()).build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.type()).contains(ErrorType.INVALID_REQUEST_ERROR);
                    assertThat(e.apiMessage()).hasValueSatisfying(m -> assertThat(m).contains("web_search_20250305"));
                });
    }
}
