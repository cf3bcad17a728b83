package io.aigne.hub.gateway.anthropic;

import com.anthropic.core.ObjectMappers;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.ErrorResponse;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.fasterxml.jackson.databind.JsonNode;
import io.aigne.hub.gateway.canonical.ChatEvent;
import io.aigne.hub.gateway.canonical.FinishReason;
import io.aigne.hub.gateway.sse.SseReader;
import io.aigne.hub.gateway.sse.SseWriter;
import io.aigne.hub.server.Json;
import io.aigne.hub.usage.Usage;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The encoder's events, read by the anthropic-java SDK's own event types and {@link MessageAccumulator}. */
class AnthropicStreamEncoderTest {

    private record Encoded(List<SseReader.Event> events, List<RawMessageStreamEvent> parsed) {
        List<String> names() {
            return events.stream().map(SseReader.Event::name).toList();
        }

        Message message() {
            MessageAccumulator accumulator = MessageAccumulator.create();
            parsed.forEach(accumulator::accumulate);
            return accumulator.message();
        }

        JsonNode data(int i) throws IOException {
            return Json.MAPPER.readTree(events.get(i).data());
        }
    }

    private static Encoded encode(AnthropicStreamEncoder encoder, List<ChatEvent> events, boolean end) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SseWriter out = new SseWriter(bytes);
        for (ChatEvent event : events) {
            encoder.write(event, out);
        }
        if (end) {
            encoder.end(out);
        }
        SseReader reader = new SseReader(new ByteArrayInputStream(bytes.toByteArray()));
        List<SseReader.Event> written = new ArrayList<>();
        List<RawMessageStreamEvent> parsed = new ArrayList<>();
        for (SseReader.Event event = reader.next(); event != null; event = reader.next()) {
            written.add(event);
            if (!event.name().equals("error")) {
                RawMessageStreamEvent raw = ObjectMappers.jsonMapper().readValue(event.data(), RawMessageStreamEvent.class);
                parsed.add(raw.validate());
            }
        }
        return new Encoded(written, parsed);
    }

    @Test
    void redactedReasoningBecomesItsOwnBlockBetweenThinkingAndText() throws IOException {
        Encoded encoded = encode(new AnthropicStreamEncoder("anthropic/claude"), List.of(
                new ChatEvent.Started("msg_up_2", "claude-sonnet-4-5-20250929"),
                new ChatEvent.ReasoningDelta("Think."),
                new ChatEvent.ReasoningSignature("sig-2"),
                new ChatEvent.RedactedReasoning("EncryptedBlob=="),
                new ChatEvent.TextDelta("Answer."),
                new ChatEvent.Finished(FinishReason.STOP, null)), true);

        Message message = encoded.message();
        assertThat(message.content()).hasSize(3);
        assertThat(message.content().get(0).thinking().orElseThrow().signature()).isEqualTo("sig-2");
        assertThat(message.content().get(1).redactedThinking().orElseThrow().data()).isEqualTo("EncryptedBlob==");
        assertThat(message.content().get(2).text().orElseThrow().text()).isEqualTo("Answer.");
    }

    @Test
    void thinkingTextAndParallelToolCallsAccumulateIntoTheSdksMessage() throws IOException {
        Encoded encoded = encode(new AnthropicStreamEncoder("anthropic/claude"), List.of(
                new ChatEvent.Started("msg_up_1", "claude-sonnet-4-5-20250929"),
                new ChatEvent.UsageReport(Usage.tokens(1000, 1, 600, 100, 0)),
                new ChatEvent.ReasoningDelta("Think "),
                new ChatEvent.ReasoningDelta("hard."),
                new ChatEvent.ReasoningSignature("sig-1"),
                new ChatEvent.TextDelta("Let me check."),
                new ChatEvent.ToolCallStarted(0, "toolu_a", "get_weather"),
                new ChatEvent.ToolCallArguments(0, "{\"city\""),
                new ChatEvent.ToolCallArguments(0, ":\"Paris\"}"),
                new ChatEvent.ToolCallStarted(1, "toolu_b", "search"),
                new ChatEvent.ToolCallArguments(1, "{\"q\":\"x\"}"),
                new ChatEvent.UsageReport(Usage.tokens(1000, 57, 600, 100, 12)),
                new ChatEvent.Finished(FinishReason.TOOL_CALLS, null)), true);

        assertThat(encoded.names()).containsExactly("message_start",
                "content_block_start", "content_block_delta", "content_block_delta", "content_block_delta", "content_block_stop",
                "content_block_start", "content_block_delta", "content_block_stop",
                "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
                "content_block_start", "content_block_delta", "content_block_stop",
                "message_delta", "message_stop");
        // message_start already carries the input side reported right after the start.
        Message start = encoded.parsed().getFirst().asMessageStart().message();
        assertThat(start.id()).isEqualTo("msg_up_1");
        assertThat(start.model().asString()).isEqualTo("claude-sonnet-4-5-20250929");
        assertThat(start.usage().inputTokens()).isEqualTo(300);
        assertThat(start.usage().cacheReadInputTokens()).contains(600L);
        assertThat(encoded.data(13).path("index").asInt()).isEqualTo(3);

        Message message = encoded.message();
        List<ContentBlock> content = message.content();
        assertThat(content).hasSize(4);
        assertThat(content.get(0).asThinking().thinking()).isEqualTo("Think hard.");
        assertThat(content.get(0).asThinking().signature()).isEqualTo("sig-1");
        assertThat(content.get(1).asText().text()).isEqualTo("Let me check.");
        assertThat(content.get(2).asToolUse().id()).isEqualTo("toolu_a");
        assertThat(content.get(2).asToolUse().name()).isEqualTo("get_weather");
        assertThat(input(content.get(2))).isEqualTo(Json.object().put("city", "Paris"));
        assertThat(content.get(3).asToolUse().name()).isEqualTo("search");
        assertThat(input(content.get(3))).isEqualTo(Json.object().put("q", "x"));
        assertThat(message.stopReason()).contains(StopReason.TOOL_USE);
        assertThat(message.usage().inputTokens()).isEqualTo(300);
        assertThat(message.usage().outputTokens()).isEqualTo(57);
        assertThat(message.usage().cacheReadInputTokens()).contains(600L);
        assertThat(message.usage().cacheCreationInputTokens()).contains(100L);
        assertThat(message.validate()).isNotNull();
    }

    @Test
    void usageReportedAfterTheFinishStillReachesMessageDelta() throws IOException {
        // OpenAI-wire providers send usage after the finish reason, and no Anthropic message id.
        Encoded encoded = encode(new AnthropicStreamEncoder("openai/gpt-4o"), List.of(
                new ChatEvent.Started("chatcmpl-1", null),
                new ChatEvent.TextDelta("Hello"),
                new ChatEvent.TextDelta(" there"),
                new ChatEvent.Finished(FinishReason.STOP_SEQUENCE, "END"),
                new ChatEvent.UsageReport(Usage.tokens(20, 5, 8, 0, 0))), true);

        Message message = encoded.message();
        assertThat(message.id()).startsWith("msg_").isNotEqualTo("chatcmpl-1");
        assertThat(message.model().asString()).isEqualTo("openai/gpt-4o");
        assertThat(message.content()).singleElement().satisfies(block -> assertThat(block.asText().text()).isEqualTo("Hello there"));
        assertThat(message.stopReason()).contains(StopReason.STOP_SEQUENCE);
        assertThat(message.stopSequence()).contains("END");
        assertThat(message.usage().inputTokens()).isEqualTo(12);
        assertThat(message.usage().cacheReadInputTokens()).contains(8L);
        assertThat(message.usage().outputTokens()).isEqualTo(5);
    }

    @Test
    void emptyAnswerIsStillACompleteMessage() throws IOException {
        Encoded encoded = encode(new AnthropicStreamEncoder("m"), List.of(), true);

        assertThat(encoded.names()).containsExactly("message_start", "message_delta", "message_stop");
        Message message = encoded.message();
        assertThat(message.content()).isEmpty();
        assertThat(message.stopReason()).contains(StopReason.END_TURN);
    }

    @Test
    void toolCallWithoutArgumentsAndTextAfterIt() throws IOException {
        Encoded encoded = encode(new AnthropicStreamEncoder("m"), List.of(
                new ChatEvent.Started("msg_1", "m"),
                new ChatEvent.ToolCallStarted(0, null, "now"),
                new ChatEvent.ToolCallArguments(0, "{}"),
                new ChatEvent.TextDelta("done"),
                new ChatEvent.Finished(FinishReason.LENGTH, null)), true);

        Message message = encoded.message();
        assertThat(message.content().get(0).asToolUse().id()).startsWith("toolu_");
        assertThat(input(message.content().get(0))).isEqualTo(Json.object());
        assertThat(message.content().get(1).asText().text()).isEqualTo("done");
        assertThat(message.stopReason()).contains(StopReason.MAX_TOKENS);
    }

    @Test
    void failureIsAnErrorEventInAnthropicsShape() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SseWriter out = new SseWriter(bytes);
        AnthropicStreamEncoder encoder = new AnthropicStreamEncoder("m");
        encoder.write(new ChatEvent.Started("msg_1", "m"), out);
        encoder.write(new ChatEvent.TextDelta("Hel"), out);
        encoder.fail(503, "upstream_error", "the provider is overloaded", out);
        encoder.end(out);

        List<SseReader.Event> events = new ArrayList<>();
        SseReader reader = new SseReader(new ByteArrayInputStream(bytes.toByteArray()));
        for (SseReader.Event event = reader.next(); event != null; event = reader.next()) {
            events.add(event);
        }
        assertThat(events).extracting(SseReader.Event::name)
                .containsExactly("message_start", "content_block_start", "content_block_delta", "error");
        ErrorResponse error = ObjectMappers.jsonMapper().readValue(events.getLast().data(), ErrorResponse.class);
        assertThat(error.error().isOverloadedError()).isTrue();
        assertThat(error.error().asOverloadedError().message()).isEqualTo("the provider is overloaded");
    }

    @Test
    void errorTypesFollowTheStatusUnlessAlreadyAnthropics() throws IOException {
        assertThat(errorType(429, "rate_limit_exceeded")).isEqualTo("rate_limit_error");
        assertThat(errorType(500, "server_error")).isEqualTo("api_error");
        assertThat(errorType(502, "upstream_error")).isEqualTo("api_error");
        assertThat(errorType(529, null)).isEqualTo("overloaded_error");
        assertThat(errorType(500, "overloaded_error")).isEqualTo("overloaded_error");
    }

    @Test
    void failedEventIsWrittenOnceEvenIfTheGatewayAlsoCallsFail() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SseWriter out = new SseWriter(bytes);
        AnthropicStreamEncoder encoder = new AnthropicStreamEncoder("m");
        encoder.write(new ChatEvent.Failed(429, "rate_limit_error", "slow down"), out);
        encoder.fail(429, "rate_limit_error", "slow down", out);

        String text = bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(text).isEqualTo("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\","
                + "\"message\":\"slow down\"}}\n\n");
    }

    private static String errorType(int status, String type) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new AnthropicStreamEncoder("m").fail(status, type, "x", new SseWriter(bytes));
        SseReader.Event event = new SseReader(new ByteArrayInputStream(bytes.toByteArray())).next();
        return Json.MAPPER.readTree(event.data()).path("error").path("type").asText();
    }

    private static JsonNode input(ContentBlock block) throws IOException {
        return Json.MAPPER.readTree(ObjectMappers.jsonMapper().writeValueAsString(block.asToolUse()._input()));
    }
}
