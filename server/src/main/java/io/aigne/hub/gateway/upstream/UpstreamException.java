package io.aigne.hub.gateway.upstream;

/** The provider could not be reached or did not answer in time; nothing was received. */
public final class UpstreamException extends Exception {
    public enum Kind { CONNECT, TIMEOUT, IO }

    private final Kind kind;

    public UpstreamException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
