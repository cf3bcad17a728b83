package io.aigne.hub.gateway.sse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads Server-Sent Events as the WHATWG spec frames them: lines end in LF, CRLF or CR; {@code event:} names the
 * event, {@code data:} lines are joined with LF, {@code :} lines are comments, a blank line dispatches. An event
 * left unterminated when the stream ends is still returned (some providers omit the last blank line).
 */
public final class SseReader {
    /** One event; {@code name} is null when the event had no {@code event:} line. */
    public record Event(String name, String data) {
    }

    private final InputStream in;
    private final byte[] buf = new byte[16 * 1024];
    private int pos;
    private int limit;
    private boolean eof;
    private boolean skipLf;
    private byte[] line = new byte[1024];
    private int lineLength;

    public SseReader(InputStream in) {
        this.in = in;
    }

    /** Whether bytes are waiting in the buffer (more events may be decodable without blocking). */
    public boolean hasBuffered() {
        return pos < limit;
    }

    /** The next event with data, or null at the end of the stream. */
    public Event next() throws IOException {
        String name = null;
        StringBuilder data = null;
        while (true) {
            String text = readLine();
            if (text == null) {
                return data == null ? null : new Event(name, data.toString());
            }
            if (text.isEmpty()) {
                if (data != null) {
                    return new Event(name, data.toString());
                }
                name = null;
                continue;
            }
            if (text.charAt(0) == ':') {
                continue;
            }
            int colon = text.indexOf(':');
            String field = colon < 0 ? text : text.substring(0, colon);
            String value = colon < 0 ? "" : text.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "event" -> name = value;
                case "data" -> {
                    if (data == null) {
                        data = new StringBuilder(value.length());
                    } else {
                        data.append('\n');
                    }
                    data.append(value);
                }
                default -> {
                    // id, retry and unknown fields carry nothing the hub uses
                }
            }
        }
    }

    private String readLine() throws IOException {
        lineLength = 0;
        while (true) {
            if (pos == limit) {
                if (eof || !fill()) {
                    return lineLength == 0 ? null : new String(line, 0, lineLength, StandardCharsets.UTF_8);
                }
            }
            byte b = buf[pos++];
            if (skipLf) {
                skipLf = false;
                if (b == '\n') {
                    continue;
                }
            }
            if (b == '\n' || b == '\r') {
                skipLf = b == '\r';
                return new String(line, 0, lineLength, StandardCharsets.UTF_8);
            }
            if (lineLength == line.length) {
                line = java.util.Arrays.copyOf(line, line.length * 2);
            }
            line[lineLength++] = b;
        }
    }

    private boolean fill() throws IOException {
        int n = in.read(buf, 0, buf.length);
        if (n < 0) {
            eof = true;
            return false;
        }
        pos = 0;
        limit = n;
        return true;
    }
}
