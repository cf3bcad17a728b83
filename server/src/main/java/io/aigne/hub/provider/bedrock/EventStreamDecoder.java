package io.aigne.hub.provider.bedrock;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.zip.CRC32;

/**
 * Reads AWS event-stream messages ({@code application/vnd.amazon.eventstream}), the binary framing of Bedrock's
 * ConverseStream: a 12-byte prelude (total length, headers length, CRC32 of those 8 bytes), the headers, the
 * payload, and a CRC32 of everything before it. Both checksums are verified; a mismatch, a length out of bounds
 * or a stream that ends inside a message is an {@link IOException}, since a corrupted frame cannot be resynced.
 */
public final class EventStreamDecoder {
    private static final int PRELUDE_LENGTH = 12;
    private static final int MIN_MESSAGE_LENGTH = PRELUDE_LENGTH + 4;
    /** The format's own limits: 16 MiB per message (payload) and 128 KiB of headers. */
    private static final int MAX_PAYLOAD_LENGTH = 16 * 1024 * 1024;
    private static final int MAX_HEADERS_LENGTH = 128 * 1024;

    /**
     * One message. Header values are typed as sent: Boolean, Byte, Short, Integer, Long, byte[], String, Instant
     * (timestamp) or UUID.
     */
    public record Message(Map<String, Object> headers, byte[] payload) {
        /** A header's value if it is a string, else null. */
        public String header(String name) {
            return headers.get(name) instanceof String s ? s : null;
        }
    }

    private final InputStream in;

    public EventStreamDecoder(InputStream in) {
        this.in = in;
    }

    /** Whether bytes of a next message have already arrived. */
    public boolean hasBuffered() {
        try {
            return in.available() > 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** The next message, or null when the stream ended cleanly between messages. */
    public Message next() throws IOException {
        byte[] prelude = new byte[PRELUDE_LENGTH];
        int read = in.readNBytes(prelude, 0, PRELUDE_LENGTH);
        if (read == 0) {
            return null;
        }
        if (read < PRELUDE_LENGTH) {
            throw new EOFException("the event stream ended inside a message prelude (" + read + " of 12 bytes)");
        }
        ByteBuffer head = ByteBuffer.wrap(prelude);
        long totalLength = Integer.toUnsignedLong(head.getInt(0));
        long headersLength = Integer.toUnsignedLong(head.getInt(4));
        long preludeCrc = Integer.toUnsignedLong(head.getInt(8));
        if (crc(prelude, 0, 8) != preludeCrc) {
            throw new IOException("event stream prelude checksum mismatch: the stream is corrupted");
        }
        if (headersLength > MAX_HEADERS_LENGTH || totalLength < MIN_MESSAGE_LENGTH + headersLength
                || totalLength - MIN_MESSAGE_LENGTH - headersLength > MAX_PAYLOAD_LENGTH) {
            throw new IOException("event stream message lengths out of bounds (total " + totalLength + ", headers "
                    + headersLength + ")");
        }
        byte[] message = new byte[(int) totalLength];
        System.arraycopy(prelude, 0, message, 0, PRELUDE_LENGTH);
        int rest = message.length - PRELUDE_LENGTH;
        if (in.readNBytes(message, PRELUDE_LENGTH, rest) < rest) {
            throw new EOFException("the event stream ended inside a message (" + totalLength + " bytes announced)");
        }
        long messageCrc = Integer.toUnsignedLong(ByteBuffer.wrap(message).getInt(message.length - 4));
        if (crc(message, 0, message.length - 4) != messageCrc) {
            throw new IOException("event stream message checksum mismatch: the stream is corrupted");
        }
        Map<String, Object> headers = headers(message, PRELUDE_LENGTH, (int) headersLength);
        int payloadStart = PRELUDE_LENGTH + (int) headersLength;
        byte[] payload = new byte[message.length - 4 - payloadStart];
        System.arraycopy(message, payloadStart, payload, 0, payload.length);
        return new Message(headers, payload);
    }

    private static long crc(byte[] bytes, int offset, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, offset, length);
        return crc.getValue();
    }

    private static Map<String, Object> headers(byte[] message, int offset, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(message, offset, length).slice();
        Map<String, Object> headers = new LinkedHashMap<>();
        try {
            while (buffer.hasRemaining()) {
                int nameLength = buffer.get() & 0xff;
                String name = new String(bytes(buffer, nameLength), StandardCharsets.UTF_8);
                int type = buffer.get() & 0xff;
                Object value = switch (type) {
                    case 0 -> Boolean.TRUE;
                    case 1 -> Boolean.FALSE;
                    case 2 -> buffer.get();
                    case 3 -> buffer.getShort();
                    case 4 -> buffer.getInt();
                    case 5 -> buffer.getLong();
                    case 6 -> bytes(buffer, buffer.getShort() & 0xffff);
                    case 7 -> new String(bytes(buffer, buffer.getShort() & 0xffff), StandardCharsets.UTF_8);
                    case 8 -> Instant.ofEpochMilli(buffer.getLong());
                    case 9 -> new UUID(buffer.getLong(), buffer.getLong());
                    default -> throw new IOException("event stream header '" + name + "' has unknown type " + type);
                };
                headers.put(name, value);
            }
        } catch (java.nio.BufferUnderflowException e) {
            throw new IOException("event stream headers run past their announced length", e);
        }
        return Collections.unmodifiableMap(headers);
    }

    private static byte[] bytes(ByteBuffer buffer, int length) {
        byte[] bytes = new byte[length];
        buffer.get(bytes);
        return bytes;
    }
}
