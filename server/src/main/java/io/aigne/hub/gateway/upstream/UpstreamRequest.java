package io.aigne.hub.gateway.upstream;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/** One HTTP request to a provider; {@code firstByteTimeout} bounds the wait for the response headers. */
public record UpstreamRequest(String method, URI uri, Map<String, String> headers, byte[] body,
                             Duration firstByteTimeout) {
    @Override
    public String toString() {
        return "UpstreamRequest[" + method + " " + uri + "]";
    }
}
