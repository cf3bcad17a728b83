package io.aigne.hub.gateway.openai;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.ObjectMappers;
import com.openai.core.http.StreamResponse;
import com.openai.errors.SseException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import io.aigne.hub.gateway.canonical.ChatEvent;
import io.aigne.hub.gateway.canonical.FinishReason;
import io.aigne.hub.gateway.sse.SseWriter;
import io.aigne.hub.usage.Usage;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Translated streams as OpenAI chunks: each chunk read back by openai-java with strict validation, the chunks
 * accumulated by the SDK's own helper, and whole streams consumed by the SDK's streaming client.
 */
class OpenAiStreamEncoderTest {
    private static final List<ChatEvent> TEXT_ANSWER = List.of(
            new ChatEvent.Started("msg_1", "claude-sonnet-4-20250514"),
            new ChatEvent.ReasoningDelta("Thinking"),
            new ChatEvent.ReasoningSignature("sig"),
            new ChatEvent.TextDelta("Hello"),
            new ChatEvent.TextDelta(" world"),
            new ChatEvent.UsageReport(new Usage(20, 3, 0, 0, 0, 23, 0)),
            new ChatEvent.Finished(FinishReason.STOP, null),
            new ChatEvent.UsageReport(new Usage(20, 9, 16, 4, 2, 29, 0)));

    private static final List<ChatEvent> TOOL_ANSWER = List.of(
            new ChatEvent.Started("msg_2", "claude-sonnet-4-20250514"),
            new ChatEvent.TextDelta("Checking."),
            new ChatEvent.ToolCallStarted(0, "toolu_a", "get_weather"),
            new ChatEvent.ToolCallArguments(0, "{\"city\""),
            new ChatEvent.ToolCallArguments(0, ":\"Paris\"}"),
            new ChatEvent.ToolCallStarted(1, "toolu_b", "search"),
            new ChatEvent.ToolCallArguments(1, ""),
            new ChatEvent.ToolCallArguments(1, "{\"q\":\"x\"}"),
            new ChatEvent.Finished(FinishReason.TOOL_CALLS, null),
            new ChatEvent.UsageReport(Usage.tokens(40, 12, 0, 0, 0)));

    private static final AtomicReference<byte[]> SERVED = new AtomicReference<>();
    private static WebServer server;

    @BeforeAll
    static void startServer() {
        server = WebServer.builder().host("127.0.0.1").port(0).shutdownHook(false)
                .routing(r -> r.post("/v1/chat/completions", (req, res) -> {
                    req.content().consume();
                    res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
                    res.send(SERVED.get());
                }))
                .build().start();
    }

    @AfterAll
    static void stopServer() {
        server.stop();
    }

    private static byte[] encode(OpenAiStreamEncoder encoder, List<ChatEvent> events) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SseWriter out = new SseWriter(bytes);
        for (ChatEvent event : events) {
            encoder.write(event, out);
        }
        encoder.end(out);
        return bytes.toByteArray();
    }

    /** The data of each event, in order. */
    private static List<String> data(byte[] sse) {
        List<String> data = new ArrayList<>();
        for (String event : new String(sse, UTF_8).split("\n\n")) {
            assertThat(event).startsWith("data: ");
            data.add(event.substring("data: ".length()));
        }
        return data;
    }

    private static List<ChatCompletionChunk> chunks(List<String> data) throws IOException {
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        for (String json : data.subList(0, data.size() - 1)) {
            chunks.add(ObjectMappers.jsonMapper().readValue(json, ChatCompletionChunk.class).validate());
        }
        return chunks;
    }

    @Test
    void aTextStreamIsWrittenAsOpenAiWritesIt() throws IOException {
        List<String> data = data(encode(new OpenAiStreamEncoder(true, "anthropic/claude-sonnet-4"), TEXT_ANSWER));

        assertThat(data.getLast()).isEqualTo("[DONE]");
        List<ChatCompletionChunk> chunks = chunks(data);
        assertThat(chunks).hasSize(6);
        assertThat(chunks).extracting(ChatCompletionChunk::id).containsOnly("msg_1");
        assertThat(chunks).extracting(ChatCompletionChunk::created).containsOnly(chunks.getFirst().created());
        assertThat(chunks).extracting(ChatCompletionChunk::model).containsOnly("claude-sonnet-4-20250514");

        ChatCompletionChunk.Choice.Delta first = chunks.get(0).choices().getFirst().delta();
        assertThat(first.role()).contains(ChatCompletionChunk.Choice.Delta.Role.ASSISTANT);
        assertThat(first.content()).contains("");
        assertThat(chunks.get(1).choices().getFirst().delta()._additionalProperties().get("reasoning_content")
                .asString()).contains("Thinking");
        assertThat(chunks.get(2).choices().getFirst().delta().content()).contains("Hello");
        assertThat(chunks.get(3).choices().getFirst().delta().content()).contains(" world");
        assertThat(chunks.subList(0, 4)).allSatisfy(c -> {
            assertThat(c.choices().getFirst().finishReason()).isEmpty();
            assertThat(c.usage()).isEmpty();
        });
        assertThat(data.get(0)).contains("\"usage\":null");

        ChatCompletionChunk finish = chunks.get(4);
        assertThat(finish.choices().getFirst().finishReason()).contains(ChatCompletionChunk.Choice.FinishReason.STOP);
        assertThat(finish.choices().getFirst().delta().content()).isEmpty();

        ChatCompletionChunk usageChunk = chunks.get(5);
        assertThat(usageChunk.choices()).isEmpty();
        var usage = usageChunk.usage().orElseThrow();
        // The last report counts.
        assertThat(usage.promptTokens()).isEqualTo(20);
        assertThat(usage.completionTokens()).isEqualTo(9);
        assertThat(usage.totalTokens()).isEqualTo(29);
        assertThat(usage.promptTokensDetails().orElseThrow().cachedTokens()).contains(16L);
        assertThat(usage.completionTokensDetails().orElseThrow().reasoningTokens()).contains(2L);
    }

    @Test
    void toolCallDeltasAccumulateIntoTheCallsWithTheirIds() throws IOException {
        List<String> data = data(encode(new OpenAiStreamEncoder(false, "anthropic/claude-sonnet-4"), TOOL_ANSWER));
        List<ChatCompletionChunk> chunks = chunks(data);

        // Without include_usage: no usage chunk, and no usage member at all.
        assertThat(chunks).allSatisfy(c -> assertThat(c.choices()).hasSize(1));
        assertThat(data).noneMatch(d -> d.contains("\"usage\""));

        ChatCompletionChunk.Choice.Delta.ToolCall opening = chunks.get(2).choices().getFirst().delta().toolCalls()
                .orElseThrow().getFirst();
        assertThat(opening.index()).isZero();
        assertThat(opening.id()).contains("toolu_a");
        assertThat(opening.type()).contains(ChatCompletionChunk.Choice.Delta.ToolCall.Type.FUNCTION);
        assertThat(opening.function().orElseThrow().name()).contains("get_weather");
        assertThat(opening.function().orElseThrow().arguments()).contains("");
        ChatCompletionChunk.Choice.Delta.ToolCall fragment = chunks.get(3).choices().getFirst().delta().toolCalls()
                .orElseThrow().getFirst();
        assertThat(fragment.index()).isZero();
        assertThat(fragment.id()).isEmpty();
        assertThat(fragment.function().orElseThrow().name()).isEmpty();
        assertThat(fragment.function().orElseThrow().arguments()).contains("{\"city\"");

        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        chunks.forEach(accumulator::accumulate);
        ChatCompletion completion = accumulator.chatCompletion().validate();
        ChatCompletion.Choice choice = completion.choices().getFirst();
        assertThat(choice.message().content()).contains("Checking.");
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        List<ChatCompletionMessageFunctionToolCall> calls = choice.message().toolCalls().orElseThrow().stream()
                .map(c -> c.asFunction()).toList();
        assertThat(calls).extracting(ChatCompletionMessageFunctionToolCall::id).containsExactly("toolu_a", "toolu_b");
        assertThat(calls).extracting(c -> c.function().name()).containsExactly("get_weather", "search");
        assertThat(calls).extracting(c -> c.function().arguments())
                .containsExactly("{\"city\":\"Paris\"}", "{\"q\":\"x\"}");
    }

    @Test
    void aStreamWithoutStartOrFinishStillOpensAndFinishes() throws IOException {
        List<String> data = data(encode(new OpenAiStreamEncoder(true, "google/gemini-2.0-flash"),
                List.of(new ChatEvent.TextDelta("Hi"))));
        List<ChatCompletionChunk> chunks = chunks(data);

        assertThat(chunks).hasSize(4);
        assertThat(chunks.getFirst().id()).startsWith("chatcmpl-");
        assertThat(chunks).extracting(ChatCompletionChunk::model).containsOnly("google/gemini-2.0-flash");
        assertThat(chunks.get(2).choices().getFirst().finishReason())
                .contains(ChatCompletionChunk.Choice.FinishReason.STOP);
        assertThat(chunks.get(3).usage().orElseThrow().totalTokens()).isZero();
    }

    @Test
    void openAiJavaStreamsATranslatedAnswer() throws IOException {
        SERVED.set(encode(new OpenAiStreamEncoder(true, "anthropic/claude-sonnet-4"), TOOL_ANSWER));
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        List<ChatCompletionChunk> chunks;
        try (StreamResponse<ChatCompletionChunk> stream = sdk().chat().completions().createStreaming(params())) {
            chunks = stream.stream().peek(accumulator::accumulate).toList();
        }

        assertThat(chunks).hasSize(9);
        ChatCompletion completion = accumulator.chatCompletion();
        assertThat(completion.id()).isEqualTo("msg_2");
        assertThat(completion.choices().getFirst().message().toolCalls().orElseThrow())
                .extracting(c -> c.asFunction().function().arguments())
                .containsExactly("{\"city\":\"Paris\"}", "{\"q\":\"x\"}");
        assertThat(completion.usage().orElseThrow().totalTokens()).isEqualTo(52);
    }

    @Test
    void aFailureMidStreamRaisesInOpenAiJava() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SseWriter out = new SseWriter(bytes);
        OpenAiStreamEncoder encoder = new OpenAiStreamEncoder(true, "anthropic/claude-sonnet-4");
        encoder.write(new ChatEvent.Started("msg_3", "claude"), out);
        encoder.write(new ChatEvent.TextDelta("Hel"), out);
        encoder.fail(503, "overloaded_error", "Overloaded", out);
        SERVED.set(bytes.toByteArray());

        List<String> data = data(bytes.toByteArray());
        assertThat(data.getLast()).isEqualTo(
                "{\"error\":{\"message\":\"Overloaded\",\"type\":\"overloaded_error\",\"param\":null,"
                        + "\"code\":\"upstream_error\"}}");

        List<String> received = new ArrayList<>();
        assertThatThrownBy(() -> {
            try (StreamResponse<ChatCompletionChunk> stream = sdk().chat().completions().createStreaming(params())) {
                stream.stream().forEach(c -> c.choices().forEach(ch -> ch.delta().content().ifPresent(received::add)));
            }
        }).isInstanceOf(SseException.class).hasMessageContaining("Overloaded");
        assertThat(received).containsExactly("", "Hel");
    }

    private static OpenAIClient sdk() {
        return OpenAIOkHttpClient.builder()
                .baseUrl("http://127.0.0.1:" + server.port() + "/v1")
                .apiKey("sk-test")
                .maxRetries(0)
                .responseValidation(true)
                .timeout(Duration.ofSeconds(10))
                .build();
    }

    private static ChatCompletionCreateParams params() {
        return ChatCompletionCreateParams.builder().model("anthropic/claude-sonnet-4").addUserMessage("hi").build();
    }
}
