package io.aigne.hub.gateway.upstream;

/** Sends a request to a provider and returns once the response headers have arrived. */
public interface UpstreamClient extends AutoCloseable {
    UpstreamResponse send(UpstreamRequest request) throws UpstreamException;

    @Override
    default void close() {
    }
}
