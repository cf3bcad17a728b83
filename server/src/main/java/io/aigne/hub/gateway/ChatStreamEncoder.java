package io.aigne.hub.gateway;

import io.aigne.hub.gateway.canonical.ChatEvent;
import io.aigne.hub.gateway.sse.SseWriter;

import java.io.IOException;

/**
 * Writes a translated stream in the caller's protocol (OpenAI chunks, Anthropic events...). The gateway calls
 * {@link #write} for every canonical event in order, then exactly one of {@link #end} (the provider finished) or
 * {@link #fail} (the stream broke, or the provider sent an error event); it flushes on its own.
 */
public interface ChatStreamEncoder {
    void write(ChatEvent event, SseWriter out) throws IOException;

    void end(SseWriter out) throws IOException;

    void fail(int status, String type, String message, SseWriter out) throws IOException;
}
