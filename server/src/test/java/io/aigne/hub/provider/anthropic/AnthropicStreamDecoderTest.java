package io.aigne.hub.provider.anthropic;

import io.aigne.hub.gateway.canonical.ChatEvent;
import io.aigne.hub.gateway.canonical.ChatRequest;
import io.aigne.hub.gateway.canonical.FinishReason;
import io.aigne.hub.gateway.canonical.Message;
import io.aigne.hub.gateway.canonical.ResponseFormat;
import io.aigne.hub.usage.Usage;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Stream details the fake does not produce: partial usage repeats, odd blocks, truncation, error types. */
class AnthropicStreamDecoderTest {
    private static final String START = event("message_start", """
            {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-x",\
            "content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":100,\
            "cache_creation_input_tokens":20,"cache_read_input_tokens":300,"output_tokens":1}}}""");
    private static final String STOP = event("message_stop", "{\"type\":\"message_stop\"}");

    private static String event(String name, String data) {
        return "event: " + name + "\ndata: " + data + "\n\n";
    }

    private static List<ChatEvent> decode(String stream, StructuredOutput output) throws IOException {
        AnthropicStreamDecoder decoder = new AnthropicStreamDecoder(
                new ByteArrayInputStream(stream.getBytes(StandardCharsets.UTF_8)), output);
        List<ChatEvent> events = new ArrayList<>();
        for (ChatEvent event = decoder.next(); event != null; event = decoder.next()) {
            events.add(event);
        }
        return events;
    }

    @Test
    void messageDeltaUsageKeepsTheInputSideOfMessageStart() throws IOException {
        String stream = START
                + event("ping", "{\"type\":\"ping\"}")
                + event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}")
                + event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}")
                + event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}")
                + event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"stop_sequence\",\"stop_sequence\":\"END\"},\"usage\":{\"output_tokens\":42}}")
                + STOP;

        List<ChatEvent> events = decode(stream, null);

        assertThat(events).containsExactly(
                new ChatEvent.Started("msg_1", "claude-x"),
                new ChatEvent.UsageReport(Usage.tokens(420, 1, 300, 20, 0)),
                new ChatEvent.TextDelta("Hi"),
                new ChatEvent.UsageReport(Usage.tokens(420, 42, 300, 20, 0)),
                new ChatEvent.Finished(FinishReason.STOP_SEQUENCE, "END"));
    }

    @Test
    void toolWithoutInputDeltasGetsAnEmptyObjectAndServerBlocksAreSkipped() throws IOException {
        String stream = START
                + event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"server_tool_use\",\"id\":\"srvtoolu_1\",\"name\":\"web_search\",\"input\":{}}}")
                + event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"q\\\":1}\"}}")
                + event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}")
                + event("content_block_start", "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_9\",\"name\":\"now\",\"input\":{}}}")
                + event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1}")
                + event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":5}}")
                + STOP;

        List<ChatEvent> events = decode(stream, null);

        assertThat(events).filteredOn(e -> e instanceof ChatEvent.ToolCallStarted || e instanceof ChatEvent.ToolCallArguments)
                .containsExactly(new ChatEvent.ToolCallStarted(0, "toolu_9", "now"), new ChatEvent.ToolCallArguments(0, "{}"));
        assertThat(events.getLast()).isEqualTo(new ChatEvent.Finished(FinishReason.TOOL_CALLS, null));
    }

    @Test
    void answerToolStreamsAsText() throws IOException {
        ChatRequest request = new ChatRequest("m", List.of(), List.of(Message.user("x")), List.of(), null,
                ResponseFormat.JSON_OBJECT, null, null, true, null);
        String stream = START
                + event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"json_answer\",\"input\":{}}}")
                + event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"a\\\":\"}}")
                + event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"1}\"}}")
                + event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}")
                + event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},\"usage\":{\"output_tokens\":5}}")
                + STOP;

        List<ChatEvent> events = decode(stream, StructuredOutput.of(request));

        assertThat(events).filteredOn(ChatEvent.TextDelta.class::isInstance)
                .containsExactly(new ChatEvent.TextDelta("{\"a\":"), new ChatEvent.TextDelta("1}"));
        assertThat(events.getLast()).isEqualTo(new ChatEvent.Finished(FinishReason.STOP, null));
    }

    @Test
    void errorEventsCarryTheStatusOfTheirType() throws IOException {
        assertThat(decode(START + event("error", "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"slow\"}}"), null))
                .last().isEqualTo(new ChatEvent.Failed(429, "rate_limit_error", "slow"));
        assertThat(decode(START + event("error", "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"boom\"}}"), null))
                .last().isEqualTo(new ChatEvent.Failed(500, "api_error", "boom"));
        assertThat(decode(START + event("error", "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"), null))
                .last().isEqualTo(new ChatEvent.Failed(503, "overloaded_error", "Overloaded"));
    }

    @Test
    void redactedThinkingBlocksReachTheCallerWhole() throws IOException {
        String stream = START + event("content_block_start",
                "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"redacted_thinking\",\"data\":\"EncryptedBlob==\"}}")
                + event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}")
                + event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":3}}")
                + STOP;
        assertThat(decode(stream, null)).contains(new ChatEvent.RedactedReasoning("EncryptedBlob=="));
    }

    @Test
    void aStreamCutBeforeTheEndIsBroken() {
        String stream = START + event("content_block_start",
                "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
        assertThatThrownBy(() -> decode(stream, null)).isInstanceOf(IOException.class)
                .hasMessageContaining("ended before the answer was finished");
    }

    @Test
    void malformedEventIsAnIoError() {
        assertThatThrownBy(() -> decode(START + event("content_block_delta", "{not json"), null))
                .isInstanceOf(IOException.class).hasMessageContaining("not JSON");
    }

    @Test
    void messageStopWithoutStopReasonStillFinishes() throws IOException {
        assertThat(decode(START + STOP, null)).last().isEqualTo(new ChatEvent.Finished(FinishReason.STOP, null));
    }
}
