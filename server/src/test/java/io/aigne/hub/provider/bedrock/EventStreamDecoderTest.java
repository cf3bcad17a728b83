package io.aigne.hub.provider.bedrock;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;

/** The decoder against frames encoded by AWS's own event-stream library, intact and damaged. */
class EventStreamDecoderTest {

    private static byte[] frame(Map<String, HeaderValue> headers, String payload) {
        ByteBuffer buffer = new Message(headers, payload.getBytes(UTF_8)).toByteBuffer();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    private static byte[] event(String eventType, String payload) {
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        headers.put(":event-type", HeaderValue.fromString(eventType));
        headers.put(":content-type", HeaderValue.fromString("application/json"));
        headers.put(":message-type", HeaderValue.fromString("event"));
        return frame(headers, payload);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static EventStreamDecoder decoder(byte[] bytes) {
        return new EventStreamDecoder(new ByteArrayInputStream(bytes));
    }

    @Test
    void decodesConsecutiveMessagesAndEndsCleanly() throws IOException {
        EventStreamDecoder decoder = decoder(concat(event("messageStart", "{\"role\":\"assistant\"}"),
                event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hi\"}}")));

        EventStreamDecoder.Message first = decoder.next();
        assertThat(first.header(":event-type")).isEqualTo("messageStart");
        assertThat(first.header(":message-type")).isEqualTo("event");
        assertThat(new String(first.payload(), UTF_8)).isEqualTo("{\"role\":\"assistant\"}");
        EventStreamDecoder.Message second = decoder.next();
        assertThat(second.header(":event-type")).isEqualTo("contentBlockDelta");
        assertThat(new String(second.payload(), UTF_8)).contains("\"text\":\"Hi\"");
        assertThat(decoder.next()).isNull();
        assertThat(decoder.next()).isNull();
    }

    @Test
    void readsEveryHeaderValueType() throws IOException {
        UUID uuid = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");
        Instant timestamp = Instant.parse("2026-01-02T03:04:05.678Z");
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        headers.put("yes", HeaderValue.fromBoolean(true));
        headers.put("no", HeaderValue.fromBoolean(false));
        headers.put("int", HeaderValue.fromInteger(-123456));
        headers.put("long", HeaderValue.fromLong(1L << 40));
        headers.put("bytes", HeaderValue.fromByteArray(new byte[] {1, 2, 3}));
        headers.put("string", HeaderValue.fromString("héllo"));
        headers.put("time", HeaderValue.fromTimestamp(timestamp));
        headers.put("uuid", HeaderValue.fromUuid(uuid));

        EventStreamDecoder.Message message = decoder(frame(headers, "payload")).next();

        assertThat(message.headers()).containsEntry("yes", true).containsEntry("no", false)
                .containsEntry("int", -123456).containsEntry("long", 1L << 40).containsEntry("string", "héllo")
                .containsEntry("time", timestamp).containsEntry("uuid", uuid);
        assertThat((byte[]) message.headers().get("bytes")).containsExactly(1, 2, 3);
        assertThat(message.header("string")).isEqualTo("héllo");
        assertThat(message.header("int")).isNull();
        assertThat(new String(message.payload(), UTF_8)).isEqualTo("payload");
    }

    /** Types 2 (byte) and 3 (short) are built by hand: eventstream 1.0.1's encoder writes no value for them. */
    @Test
    void readsByteAndShortHeaders() throws IOException {
        byte[] header = {4, 'b', 'y', 't', 'e', 2, -7, 5, 's', 'h', 'o', 'r', 't', 3, 0x04, (byte) 0xD2,
            1, 'x', 7, 0, 2, 'o', 'k'};
        byte[] payload = "{}".getBytes(UTF_8);

        EventStreamDecoder.Message message = decoder(handBuilt(header, payload)).next();

        assertThat(message.headers()).containsEntry("byte", (byte) -7).containsEntry("short", (short) 1234)
                .containsEntry("x", "ok");
        assertThat(new String(message.payload(), UTF_8)).isEqualTo("{}");
    }

    @Test
    void emptyPayloadAndNoHeadersAreValid() throws IOException {
        EventStreamDecoder.Message message = decoder(frame(Map.of(), "")).next();

        assertThat(message.headers()).isEmpty();
        assertThat(message.payload()).isEmpty();
    }

    @Test
    void corruptedPreludeChecksumFails() {
        byte[] bytes = event("messageStart", "{}");
        bytes[9] ^= 0x01; // inside the prelude CRC

        assertThatThrownBy(() -> decoder(bytes).next()).isInstanceOf(IOException.class)
                .hasMessageContaining("prelude checksum mismatch");
    }

    @Test
    void corruptedLengthIsCaughtByThePreludeChecksum() {
        byte[] bytes = event("messageStart", "{}");
        bytes[3] ^= 0x04; // total length

        assertThatThrownBy(() -> decoder(bytes).next()).isInstanceOf(IOException.class)
                .hasMessageContaining("prelude checksum mismatch");
    }

    @Test
    void corruptedPayloadFailsTheMessageChecksum() {
        byte[] bytes = event("contentBlockDelta", "{\"delta\":{\"text\":\"Hi\"}}");
        bytes[bytes.length - 8] ^= 0x20; // a payload byte

        assertThatThrownBy(() -> decoder(bytes).next()).isInstanceOf(IOException.class)
                .hasMessageContaining("message checksum mismatch");
    }

    @Test
    void corruptedMessageChecksumFails() {
        byte[] bytes = event("messageStop", "{\"stopReason\":\"end_turn\"}");
        bytes[bytes.length - 1] ^= 0x01;

        assertThatThrownBy(() -> decoder(bytes).next()).isInstanceOf(IOException.class)
                .hasMessageContaining("message checksum mismatch");
    }

    @Test
    void truncatedFramesFail() throws IOException {
        byte[] whole = event("messageStart", "{\"role\":\"assistant\"}");

        assertThatThrownBy(() -> decoder(Arrays.copyOf(whole, whole.length - 5)).next())
                .isInstanceOf(EOFException.class).hasMessageContaining("ended inside a message");
        assertThatThrownBy(() -> decoder(Arrays.copyOf(whole, 7)).next())
                .isInstanceOf(EOFException.class).hasMessageContaining("prelude");

        EventStreamDecoder decoder = decoder(concat(whole, Arrays.copyOf(whole, 20)));
        assertThat(decoder.next().header(":event-type")).isEqualTo("messageStart");
        assertThatThrownBy(decoder::next).isInstanceOf(EOFException.class);
    }

    @Test
    void headersLongerThanTheMessageAreRefusedBeforeReadingIt() {
        ByteBuffer prelude = ByteBuffer.allocate(12).putInt(20).putInt(64);
        CRC32 crc = new CRC32();
        crc.update(prelude.array(), 0, 8);
        prelude.putInt((int) crc.getValue());

        assertThatThrownBy(() -> decoder(prelude.array()).next()).isInstanceOf(IOException.class)
                .hasMessageContaining("out of bounds");
    }

    @Test
    void headersRunningPastTheirLengthFail() {
        // A frame with correct checksums whose one header claims a longer string than the headers section holds.
        byte[] frame = handBuilt(new byte[] {3, 'a', 'b', 'c', 7, 0, 50, 'x'}, "{}".getBytes(UTF_8));

        assertThatThrownBy(() -> decoder(frame).next()).isInstanceOf(IOException.class)
                .hasMessageContaining("past their announced length");
    }

    @Test
    void anUnknownHeaderTypeFails() {
        byte[] frame = handBuilt(new byte[] {1, 'z', 10, 0}, new byte[0]);

        assertThatThrownBy(() -> decoder(frame).next()).isInstanceOf(IOException.class)
                .hasMessageContaining("unknown type 10");
    }

    /** A frame around raw header bytes, with both checksums right. */
    private static byte[] handBuilt(byte[] headers, byte[] payload) {
        int total = 12 + headers.length + payload.length + 4;
        ByteBuffer frame = ByteBuffer.allocate(total).putInt(total).putInt(headers.length);
        CRC32 preludeCrc = new CRC32();
        preludeCrc.update(frame.array(), 0, 8);
        frame.putInt((int) preludeCrc.getValue()).put(headers).put(payload);
        CRC32 messageCrc = new CRC32();
        messageCrc.update(frame.array(), 0, total - 4);
        frame.putInt((int) messageCrc.getValue());
        return frame.array();
    }
}
