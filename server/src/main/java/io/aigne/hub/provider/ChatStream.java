package io.aigne.hub.provider;

import io.aigne.hub.gateway.upstream.UpstreamResponse;

import java.io.InputStream;
import java.util.function.Function;

/**
 * A stream a provider has accepted (2xx headers received, body not yet read). The gateway reads the body through
 * its own watch (idle timeout) and hands it to {@link #events}; closing releases the connection.
 */
public final class ChatStream implements AutoCloseable {
    private final UpstreamResponse response;
    private final Function<InputStream, ChatEventSource> decoder;

    public ChatStream(UpstreamResponse response, Function<InputStream, ChatEventSource> decoder) {
        this.response = response;
        this.decoder = decoder;
    }

    public UpstreamResponse response() {
        return response;
    }

    /** Decodes {@code body}, which is {@code response().body()} or a stream that reads from it. */
    public ChatEventSource events(InputStream body) {
        return decoder.apply(body);
    }

    @Override
    public void close() {
        response.close();
    }
}
