package io.aigne.hub.provider.openai;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aigne.hub.gateway.canonical.ChatEvent;
import io.aigne.hub.gateway.canonical.FinishReason;
import io.aigne.hub.provider.CredentialSecret;
import io.aigne.hub.usage.Usage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Streams as OpenAI-compatible servers other than OpenAI write them, and the ways a stream can go wrong. */
class OpenAiStreamDecoderTest {

    private static OpenAiStreamDecoder decoder(String sse) {
        return new OpenAiStreamDecoder(new ByteArrayInputStream(sse.getBytes(UTF_8)), CredentialSecret.apiKey("sk-secret-1"));
    }

    private static List<ChatEvent> all(OpenAiStreamDecoder decoder) throws IOException {
        List<ChatEvent> events = new ArrayList<>();
        for (ChatEvent event = decoder.next(); event != null; event = decoder.next()) {
            events.add(event);
        }
        return events;
    }

    private static String data(String json) {
        return "data: " + json + "\n\n";
    }

    @Test
    void deepSeekReasoningThenTextWithUsageInTheFinishingChunk() throws IOException {
        String sse = data("{\"id\":\"ds-1\",\"model\":\"deepseek-reasoner\",\"choices\":[{\"index\":0,"
                + "\"delta\":{\"role\":\"assistant\",\"content\":null,\"reasoning_content\":\"Let me\"}}]}")
                + data("{\"id\":\"ds-1\",\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":\" think\"}}]}")
                + data("{\"id\":\"ds-1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"42\"}}]}")
                + data("{\"id\":\"ds-1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\"},"
                + "\"finish_reason\":\"length\"}],\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":9,"
                + "\"total_tokens\":29,\"prompt_cache_hit_tokens\":16,"
                + "\"completion_tokens_details\":{\"reasoning_tokens\":5}}}")
                + "data: [DONE]\n\n";

        assertThat(all(decoder(sse))).containsExactly(
                new ChatEvent.Started("ds-1", "deepseek-reasoner"),
                new ChatEvent.ReasoningDelta("Let me"),
                new ChatEvent.ReasoningDelta(" think"),
                new ChatEvent.TextDelta("42"),
                new ChatEvent.Finished(FinishReason.LENGTH, null),
                new ChatEvent.UsageReport(new Usage(20, 9, 16, 5, 29, 0)));
    }

    @Test
    void wholeToolCallsWithoutIndexOrWithAReusedIndexAreSeparateCalls() throws IOException {
        String sse = data("{\"id\":\"g\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\","
                + "\"tool_calls\":[{\"id\":\"a\",\"type\":\"function\",\"function\":{\"name\":\"f\","
                + "\"arguments\":\"{\\\"x\\\":1}\"}},{\"id\":\"b\",\"type\":\"function\",\"function\":{\"name\":\"g\","
                + "\"arguments\":{\"y\":2}}}]}}]}")
                + data("{\"id\":\"g\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"c\","
                + "\"function\":{\"name\":\"h\",\"arguments\":\"{}\"}}]},\"finish_reason\":\"stop\"}]}")
                + "data: [DONE]\n\n";

        assertThat(all(decoder(sse))).containsExactly(
                new ChatEvent.Started("g", "m"),
                new ChatEvent.ToolCallStarted(0, "a", "f"),
                new ChatEvent.ToolCallArguments(0, "{\"x\":1}"),
                new ChatEvent.ToolCallStarted(1, "b", "g"),
                new ChatEvent.ToolCallArguments(1, "{\"y\":2}"),
                new ChatEvent.ToolCallStarted(2, "c", "h"),
                new ChatEvent.ToolCallArguments(2, "{}"),
                // "stop" after tool calls still means the caller has calls to run.
                new ChatEvent.Finished(FinishReason.TOOL_CALLS, null));
    }

    @Test
    void anErrorObjectInTheStreamFailsItWithoutTheSecret() throws IOException {
        String sse = data("{\"id\":\"x\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}")
                + data("{\"error\":{\"message\":\"Rate limit for key sk-secret-1 reached\",\"type\":\"requests\","
                + "\"code\":\"rate_limit_exceeded\"}}")
                + data("{\"id\":\"x\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"never read\"}}]}");

        List<ChatEvent> events = all(decoder(sse));

        assertThat(events).hasSize(3);
        assertThat(events.get(1)).isEqualTo(new ChatEvent.TextDelta("Hi"));
        ChatEvent.Failed failed = (ChatEvent.Failed) events.get(2);
        assertThat(failed.status()).isEqualTo(429);
        assertThat(failed.type()).isEqualTo("requests");
        assertThat(failed.message()).startsWith("Rate limit for key").doesNotContain("sk-secret-1");
    }

    @Test
    void openRouterErrorsCarryTheirStatusAsCode() throws IOException {
        List<ChatEvent> events = all(decoder(data("{\"error\":{\"message\":\"Provider returned error\",\"code\":502}}")));

        assertThat(events).containsExactly(new ChatEvent.Failed(502, "server_error", "Provider returned error"));
    }

    @Test
    void aStreamThatEndsBeforeItsFinishIsBroken() throws IOException {
        OpenAiStreamDecoder decoder = decoder(
                data("{\"id\":\"x\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}"));

        assertThat(decoder.next()).isInstanceOf(ChatEvent.Started.class);
        assertThat(decoder.next()).isEqualTo(new ChatEvent.TextDelta("Hi"));
        assertThatThrownBy(decoder::next).isInstanceOf(IOException.class).hasMessageContaining("ended before");
    }

    @Test
    void aFinishedStreamWithoutDoneEndsNormally() throws IOException {
        String sse = data("{\"id\":\"x\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},"
                + "\"finish_reason\":\"content_filter\"}]}");

        assertThat(all(decoder(sse))).endsWith(new ChatEvent.Finished(FinishReason.CONTENT_FILTER, null));
    }

    @Test
    void aMalformedEventIsAnIoError() {
        OpenAiStreamDecoder decoder = decoder(data("{\"id\":\"x\",\"choices\":[") + "data: [DONE]\n\n");

        assertThatThrownBy(decoder::next).isInstanceOf(IOException.class).hasMessageContaining("malformed");
    }

    @Test
    void queuedEventsCountAsBuffered() throws IOException {
        String sse = data("{\"id\":\"x\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}")
                + data("{\"id\":\"x\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}")
                + "data: [DONE]\n\n";
        OpenAiStreamDecoder decoder = decoder(sse);

        assertThat(decoder.next()).isInstanceOf(ChatEvent.Started.class);
        assertThat(decoder.hasBuffered()).isTrue();
        assertThat(decoder.next()).isEqualTo(new ChatEvent.TextDelta("Hi"));
        assertThat(decoder.hasBuffered()).isTrue();
        assertThat(decoder.next()).isEqualTo(new ChatEvent.Finished(FinishReason.STOP, null));
        assertThat(decoder.next()).isNull();
        assertThat(decoder.hasBuffered()).isFalse();
    }
}
