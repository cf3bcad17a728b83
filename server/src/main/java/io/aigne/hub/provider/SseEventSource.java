package io.aigne.hub.provider;

import io.aigne.hub.gateway.canonical.ChatEvent;
import io.aigne.hub.gateway.sse.SseReader;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;

/**
 * A provider's Server-Sent Events stream decoded into canonical events. One provider event may carry several
 * canonical ones (a tool call's id, name and first arguments; a finish reason and usage), so they wait in a queue
 * until pulled. A body that ends before the provider said the answer was finished is a broken stream.
 */
public abstract class SseEventSource implements ChatEventSource {
    private final SseReader reader;
    private final ArrayDeque<ChatEvent> pending = new ArrayDeque<>();
    private boolean ended;

    protected SseEventSource(InputStream body) {
        this.reader = new SseReader(body);
    }

    /** Turns one provider event into canonical ones ({@link #emit}); false when it was the end marker. */
    protected abstract boolean decode(SseReader.Event event) throws IOException;

    /** Whether the provider has said the answer is complete, so that the end of the body is a normal end. */
    protected abstract boolean finished();

    /** Who sent the stream, for the message when it breaks off ("Anthropic's stream"). */
    protected abstract String streamName();

    protected final void emit(ChatEvent event) {
        pending.add(event);
    }

    /** Reads nothing more after the events emitted so far (the provider reported an error). */
    protected final void stop() {
        ended = true;
    }

    @Override
    public final ChatEvent next() throws IOException {
        while (pending.isEmpty()) {
            if (ended) {
                return null;
            }
            SseReader.Event event = reader.next();
            if (event == null) {
                ended = true;
                if (!finished()) {
                    throw new IOException(streamName() + " ended before the answer was finished");
                }
            } else if (!decode(event)) {
                ended = true;
            }
        }
        return pending.poll();
    }

    @Override
    public final boolean hasBuffered() {
        return !pending.isEmpty() || reader.hasBuffered();
    }
}
