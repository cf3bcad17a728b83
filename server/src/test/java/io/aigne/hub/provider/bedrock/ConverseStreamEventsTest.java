package io.aigne.hub.provider.bedrock;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aigne.hub.gateway.canonical.ChatEvent;
import io.aigne.hub.gateway.canonical.FinishReason;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;

/** Stream decoding cases the fake does not produce: a stream cut short, events without messageStart. */
class ConverseStreamEventsTest {

    private static byte[] event(String type, String payload) {
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        headers.put(":message-type", HeaderValue.fromString("event"));
        headers.put(":event-type", HeaderValue.fromString(type));
        headers.put(":content-type", HeaderValue.fromString("application/json"));
        ByteBuffer buffer = new Message(headers, payload.getBytes(UTF_8)).toByteBuffer();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    private static ConverseStreamEvents events(byte[]... frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] frame : frames) {
            out.writeBytes(frame);
        }
        return new ConverseStreamEvents(new EventStreamDecoder(new ByteArrayInputStream(out.toByteArray())), "rid",
                "m", null, null);
    }

    private static List<ChatEvent> drain(ConverseStreamEvents source) throws IOException {
        List<ChatEvent> events = new ArrayList<>();
        for (ChatEvent event = source.next(); event != null; event = source.next()) {
            events.add(event);
        }
        return events;
    }

    @Test
    void aStreamThatEndsBeforeMessageStopIsBroken() throws IOException {
        ConverseStreamEvents source = events(event("messageStart", "{\"role\":\"assistant\"}"),
                event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hel\"}}"));

        assertThat(source.next()).isEqualTo(new ChatEvent.Started("rid", "m"));
        assertThat(source.next()).isEqualTo(new ChatEvent.TextDelta("Hel"));
        assertThatThrownBy(source::next).isInstanceOf(IOException.class).hasMessageContaining("messageStop");
    }

    @Test
    void startedComesFirstEvenWithoutMessageStartAndUsageMayFollowTheStop() throws IOException {
        List<ChatEvent> events = drain(events(
                event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hi\"}}"),
                event("contentBlockStop", "{\"contentBlockIndex\":0}"),
                event("messageStop", "{\"stopReason\":\"max_tokens\"}"),
                event("metadata", "{\"usage\":{\"inputTokens\":2,\"outputTokens\":1,\"totalTokens\":3},"
                        + "\"metrics\":{\"latencyMs\":5}}")));

        assertThat(events).hasSize(4);
        assertThat(events.get(0)).isEqualTo(new ChatEvent.Started("rid", "m"));
        assertThat(events.get(1)).isEqualTo(new ChatEvent.TextDelta("Hi"));
        assertThat(events.get(2)).isEqualTo(new ChatEvent.Finished(FinishReason.LENGTH, null));
        assertThat(events.get(3)).isInstanceOfSatisfying(ChatEvent.UsageReport.class,
                usage -> assertThat(usage.usage().totalTokens()).isEqualTo(3));
    }

    @Test
    void aPayloadThatIsNotJsonIsAnIoError() {
        ConverseStreamEvents source = events(event("contentBlockDelta", "{not json"));

        assertThatThrownBy(source::next).isInstanceOf(IOException.class).hasMessageContaining("contentBlockDelta");
    }
}
