package io.aigne.hub.gateway.sse;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Writes Server-Sent Events to the caller; the owner decides when to flush. */
public final class SseWriter {
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EVENT = "event: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);

    private final OutputStream out;

    public SseWriter(OutputStream out) {
        this.out = out;
    }

    /** {@code data: <json>} followed by a blank line; {@code json} must be one line (Jackson's compact output is). */
    public void data(byte[] json) throws IOException {
        out.write(DATA);
        out.write(json);
        out.write(END);
    }

    /** {@code event: <name>}, then {@code data: <json>}, then a blank line. */
    public void event(String name, byte[] json) throws IOException {
        out.write(EVENT);
        out.write(name.getBytes(StandardCharsets.US_ASCII));
        out.write('\n');
        data(json);
    }

    /** Bytes exactly as given (a relayed event, {@code data: [DONE]}). */
    public void raw(byte[] bytes) throws IOException {
        out.write(bytes);
    }

    public void flush() throws IOException {
        out.flush();
    }
}
