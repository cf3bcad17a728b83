package io.aigne.hub.gateway.openai;

import io.aigne.hub.usage.Usage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Relays an OpenAI chat stream event by event, unchanged except for what the hub added itself: when the caller
 * did not ask for usage, the usage-only chunk is dropped and the {@code "usage":null} members are removed, so the
 * caller receives exactly the stream it asked for while the hub still learns the real usage. Output is flushed
 * whenever the upstream has nothing more buffered, which keeps single tokens immediate and bursts batched.
 */
final class SseRelay {
    /** Where relayed bytes go; a failure means the client has gone. */
    interface Sink {
        void write(byte[] bytes, int offset, int length) throws IOException;

        void flush() throws IOException;
    }

    private static final byte[] DATA = "data:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DONE = "[DONE]".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] USAGE_KEY = "\"usage\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FINISH_REASON = "\"finish_reason\":\"".getBytes(StandardCharsets.US_ASCII);

    private final boolean callerWantsUsage;
    private byte[] buffer = new byte[16 * 1024];
    private int length;

    private Usage usage;
    private String model;
    private String id;
    private boolean done;
    private boolean finished;
    private boolean clientGone;
    private long goneAtNanos;
    private long firstByteNanos;
    private long events;

    SseRelay(boolean callerWantsUsage) {
        this.callerWantsUsage = callerWantsUsage;
    }

    /**
     * Relays until the upstream ends. Bytes already read ({@code head}) go first. Once the sink fails, reading
     * continues without writing for up to {@code drainNanos}, to learn the usage of what was generated.
     */
    void relay(byte[] head, int headLength, InputStream upstream, Sink sink, long drainNanos)
            throws IOException {
        append(head, 0, headLength);
        processEvents(sink, false);
        flushIfIdle(upstream, sink);
        byte[] chunk = new byte[8192];
        int n;
        while ((n = upstream.read(chunk)) >= 0) {
            if (n == 0) {
                continue;
            }
            append(chunk, 0, n);
            processEvents(sink, false);
            flushIfIdle(upstream, sink);
            if (clientGone && System.nanoTime() - goneAtNanos > drainNanos) {
                return;
            }
        }
        processEvents(sink, true);
        if (!clientGone) {
            try {
                sink.flush();
            } catch (IOException | RuntimeException e) {
                markGone();
            }
        }
    }

    Usage usage() {
        return usage;
    }

    String model() {
        return model;
    }

    String id() {
        return id;
    }

    /** Whether the stream reached its {@code [DONE]} marker. */
    boolean done() {
        return done;
    }

    /**
     * Whether the stream ended as streams end: with {@code [DONE]}, or at least with a choice's finish reason
     * (a provider that omits the marker). Anything else was cut off, however cleanly the connection closed.
     */
    boolean complete() {
        return done || finished;
    }

    boolean clientGone() {
        return clientGone;
    }

    long firstByteNanos() {
        return firstByteNanos;
    }

    long events() {
        return events;
    }

    private void flushIfIdle(InputStream upstream, Sink sink) {
        if (clientGone) {
            return;
        }
        try {
            if (upstream.available() == 0) {
                sink.flush();
            }
        } catch (IOException | RuntimeException e) {
            markGone();
        }
    }

    private void markGone() {
        if (!clientGone) {
            clientGone = true;
            goneAtNanos = System.nanoTime();
        }
    }

    private void append(byte[] src, int offset, int n) {
        if (length + n > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + n));
        }
        System.arraycopy(src, offset, buffer, length, n);
        length += n;
    }

    /** Handles every complete event in the buffer (and at the end of input, whatever is left). */
    private void processEvents(Sink sink, boolean endOfInput) {
        int start = 0;
        while (start < length) {
            int end = eventEnd(start);
            if (end < 0) {
                if (!endOfInput) {
                    break;
                }
                end = length;
            }
            handleEvent(start, end, sink);
            start = end;
        }
        if (start > 0) {
            System.arraycopy(buffer, start, buffer, 0, length - start);
            length -= start;
        }
    }

    /** The offset just past the blank line that ends the event starting at {@code from}, or -1. */
    private int eventEnd(int from) {
        for (int i = from; i < length - 1; i++) {
            if (buffer[i] == '\n') {
                if (buffer[i + 1] == '\n') {
                    return i + 2;
                }
                if (buffer[i + 1] == '\r' && i + 2 < length && buffer[i + 2] == '\n') {
                    return i + 3;
                }
            }
        }
        return -1;
    }

    private void handleEvent(int start, int end, Sink sink) {
        events++;
        int dataStart = startsWith(buffer, start, end, DATA) ? start : indexOf(buffer, DATA, start, end);
        byte[] out = null;
        boolean drop = false;
        if (dataStart >= 0) {
            int payload = dataStart + DATA.length;
            if (payload < end && buffer[payload] == ' ') {
                payload++;
            }
            int payloadEnd = lineEnd(payload, end);
            if (startsWith(buffer, payload, payloadEnd, DONE)) {
                done = true;
            } else if (payloadEnd > payload && buffer[payload] == '{') {
                int usageKey = scanKeys(payload, payloadEnd);
                byte usageValue = usageKey < 0 ? 0 : valueAfter(usageKey + USAGE_KEY.length, payloadEnd);
                if (model == null || usageValue == '{') {
                    ResponseSummary summary = ResponseSummary.read(buffer, payload, payloadEnd - payload);
                    if (model == null) {
                        model = summary.model();
                        id = summary.id();
                    }
                    if (summary.usage() != null) {
                        usage = summary.usage();
                        drop = !callerWantsUsage && summary.emptyChoices();
                    }
                }
                if (usageValue == 'n' && !callerWantsUsage) {
                    out = JsonBytes.withoutNullMemberAt(buffer, start, end, usageKey, USAGE_KEY.length);
                }
            }
        }
        if (drop || clientGone) {
            return;
        }
        try {
            if (firstByteNanos == 0) {
                firstByteNanos = System.nanoTime();
            }
            if (out != null) {
                sink.write(out, 0, out.length);
            } else {
                sink.write(buffer, start, end - start);
            }
        } catch (IOException | RuntimeException e) {
            markGone();
        }
    }

    /**
     * One pass over a chunk's JSON: notes whether a choice finished (a {@code "finish_reason":"} with a string
     * value) and returns where the last {@code "usage"} member name stands, or -1. Only a quote starts a key, so
     * the loop skips everything else at the cost of one comparison per byte. A {@code "usage"} that is not followed
     * by ':' is the text of a token, not the member; OpenAI writes the member last, so the last one counts.
     */
    private int scanKeys(int from, int to) {
        int usageKey = -1;
        for (int i = from; i < to; i++) {
            if (buffer[i] != '"' || i + 1 >= to) {
                continue;
            }
            byte next = buffer[i + 1];
            if (next == 'u' && regionMatches(i, to, USAGE_KEY)) {
                int v = skipSpaces(i + USAGE_KEY.length, to);
                if (v < to && buffer[v] == ':') {
                    usageKey = i;
                }
                i += USAGE_KEY.length - 1;
            } else if (next == 'f' && !finished && regionMatches(i, to, FINISH_REASON)) {
                finished = true;
                i += FINISH_REASON.length - 1;
            }
        }
        return usageKey;
    }

    /** The first byte of the value after a member name ending at {@code from}: past spaces and ':'. */
    private byte valueAfter(int from, int to) {
        int i = skipSpaces(from, to);
        if (i < to && buffer[i] == ':') {
            i = skipSpaces(i + 1, to);
        }
        return i < to ? buffer[i] : 0;
    }

    private int skipSpaces(int i, int to) {
        while (i < to && buffer[i] == ' ') {
            i++;
        }
        return i;
    }

    private boolean regionMatches(int at, int to, byte[] text) {
        if (to - at < text.length) {
            return false;
        }
        for (int j = 0; j < text.length; j++) {
            if (buffer[at + j] != text[j]) {
                return false;
            }
        }
        return true;
    }

    private int lineEnd(int from, int end) {
        for (int i = from; i < end; i++) {
            if (buffer[i] == '\n' || buffer[i] == '\r') {
                return i;
            }
        }
        return end;
    }

    static int indexOf(byte[] haystack, byte[] needle, int from, int to) {
        outer:
        for (int i = from; i <= to - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static boolean startsWith(byte[] bytes, int from, int to, byte[] prefix) {
        return to - from >= prefix.length && indexOf(bytes, prefix, from, from + prefix.length) == from;
    }
}
