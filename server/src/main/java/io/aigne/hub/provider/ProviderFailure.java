package io.aigne.hub.provider;

import io.aigne.hub.gateway.upstream.UpstreamException;

/**
 * A provider did not deliver: it answered with an error status, could not be reached, or sent something the hub
 * could not read. The gateway's attempt loop classifies it (credential refused, rate limited, provider trouble,
 * or the caller's own mistake) and decides whether the next route is tried.
 */
public final class ProviderFailure extends Exception {
    public enum Kind {
        /** An HTTP error status; {@link #error()} holds the provider's message, secrets removed. */
        STATUS,
        /** Nothing came back: connection refused or reset, or no response headers in time. */
        UNREACHABLE,
        /** The provider answered 2xx but the answer was cut short or unreadable. */
        BROKEN
    }

    private final Kind kind;
    private final UpstreamError error;
    private final String retryAfter;
    private final boolean timeout;

    private ProviderFailure(Kind kind, String message, UpstreamError error, String retryAfter, boolean timeout,
                            Throwable cause) {
        super(message, cause, false, false);
        this.kind = kind;
        this.error = error;
        this.retryAfter = retryAfter;
        this.timeout = timeout;
    }

    public static ProviderFailure status(UpstreamError error, String retryAfter) {
        return new ProviderFailure(Kind.STATUS, error.status() + ": " + error.message(), error, retryAfter, false,
                null);
    }

    public static ProviderFailure unreachable(UpstreamException e) {
        return new ProviderFailure(Kind.UNREACHABLE, e.getMessage(), null, null,
                e.kind() == UpstreamException.Kind.TIMEOUT, e);
    }

    /** A 2xx answer the hub could not use; {@code timeout} when the provider went silent. */
    public static ProviderFailure broken(String message, boolean timeout) {
        return new ProviderFailure(Kind.BROKEN, message, null, null, timeout, null);
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status for {@link Kind#STATUS}, otherwise 0. */
    public int status() {
        return error == null ? 0 : error.status();
    }

    public UpstreamError error() {
        return error;
    }

    public String retryAfter() {
        return retryAfter;
    }

    public boolean timeout() {
        return timeout;
    }
}
