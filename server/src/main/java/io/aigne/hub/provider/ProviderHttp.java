package io.aigne.hub.provider;

import io.aigne.hub.gateway.upstream.UpstreamClient;
import io.aigne.hub.gateway.upstream.UpstreamException;
import io.aigne.hub.gateway.upstream.UpstreamRequest;
import io.aigne.hub.gateway.upstream.UpstreamResponse;
import io.aigne.hub.server.Bodies;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one way adapters talk HTTP to providers: send, turn error statuses into {@link ProviderFailure}s with the
 * provider's message (secrets removed), and read whole bodies within {@code upstream.maxResponseBytes}.
 */
public final class ProviderHttp {
    private static final int MAX_ERROR_BYTES = 64 * 1024;

    private final UpstreamClient client;
    private final Duration firstByteTimeout;
    private final long maxResponseBytes;
    private final ConcurrentHashMap<String, URI> uris = new ConcurrentHashMap<>();

    public ProviderHttp(UpstreamClient client, Duration firstByteTimeout, long maxResponseBytes) {
        this.client = client;
        this.firstByteTimeout = firstByteTimeout;
        this.maxResponseBytes = maxResponseBytes;
    }

    public Duration firstByteTimeout() {
        return firstByteTimeout;
    }

    public long maxResponseBytes() {
        return maxResponseBytes;
    }

    /** Parsed once per distinct address: URI parsing showed in the per-call profile. */
    public URI uri(String address) {
        URI uri = uris.get(address);
        if (uri == null) {
            if (uris.size() > 10_000) {
                uris.clear();
            }
            uri = URI.create(address);
            uris.put(address, uri);
        }
        return uri;
    }

    /** Sends the request; returns the response once it is known to be a success (2xx). */
    public UpstreamResponse open(UpstreamRequest request, CredentialSecret secret, ErrorReader errors)
            throws ProviderFailure {
        UpstreamResponse response;
        try {
            response = client.send(request);
        } catch (UpstreamException e) {
            throw ProviderFailure.unreachable(e);
        }
        if (response.status() / 100 == 2) {
            return response;
        }
        try (response) {
            byte[] body;
            try {
                body = response.body().readNBytes(MAX_ERROR_BYTES);
            } catch (IOException e) {
                body = new byte[0];
            }
            throw ProviderFailure.status(errors.read(response, body, secret),
                    response.header("retry-after").orElse(null));
        }
    }

    /** Sends the request and reads the whole successful answer. */
    public byte[] fetch(UpstreamRequest request, CredentialSecret secret, ErrorReader errors) throws ProviderFailure {
        try (UpstreamResponse response = open(request, secret, errors)) {
            return Bodies.read(response.body(), declaredLength(response), maxResponseBytes);
        } catch (Bodies.TooLarge e) {
            throw ProviderFailure.broken("the answer is larger than upstream.maxResponseBytes", false);
        } catch (IOException e) {
            throw ProviderFailure.broken("the answer broke off: " + e.getMessage(), false);
        }
    }

    public static OptionalLong declaredLength(UpstreamResponse response) {
        try {
            return response.header("content-length").map(v -> OptionalLong.of(Long.parseLong(v.trim())))
                    .orElse(OptionalLong.empty());
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
