package io.aigne.hub.gateway.aigne;

import io.aigne.hub.gateway.ChatStreamEncoder;
import io.aigne.hub.gateway.TranslatedCalls;
import io.aigne.hub.gateway.canonical.ChatEvent;
import io.aigne.hub.gateway.sse.SseWriter;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The legacy chat format's plain stream ({@code "stream": true} without an event-stream {@code Accept}): the text
 * itself, piece by piece, and nothing else; a failure after the first piece is the literal {@code ERROR: <message>}.
 */
final class LegacyTextRelay implements TranslatedCalls.StreamRelay {

    @Override
    public ChatStreamEncoder start(OutputStream out) {
        return new ChatStreamEncoder() {
            private boolean closed;

            @Override
            public void write(ChatEvent event, SseWriter sse) throws IOException {
                if (!closed && event instanceof ChatEvent.TextDelta delta && !delta.text().isEmpty()) {
                    out.write(delta.text().getBytes(StandardCharsets.UTF_8));
                }
            }

            @Override
            public void end(SseWriter sse) {
                closed = true;
            }

            @Override
            public void fail(int status, String type, String message, SseWriter sse) throws IOException {
                if (!closed) {
                    closed = true;
                    out.write(("ERROR: " + message).getBytes(StandardCharsets.UTF_8));
                }
            }
        };
    }

    @Override
    public String contentType() {
        return "text/plain; charset=utf-8";
    }
}
