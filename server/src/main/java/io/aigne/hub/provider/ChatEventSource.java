package io.aigne.hub.provider;

import io.aigne.hub.gateway.canonical.ChatEvent;

import java.io.IOException;

/**
 * A provider's stream decoded into canonical events, read one at a time on the caller's (virtual) thread.
 * An {@code IOException} means the stream broke; a malformed event is reported as one too.
 */
public interface ChatEventSource {
    /** The next event, blocking until it arrives; null once the provider ended the stream. */
    ChatEvent next() throws IOException;

    /** Whether more bytes are already buffered, so that the caller may hold its flush until they are decoded. */
    default boolean hasBuffered() {
        return false;
    }
}
