package io.aigne.hub.routing;

/** No route exists for a model; {@code status} is the HTTP status that says why (404 unknown, 503 unusable). */
public final class RoutingException extends RuntimeException {
    private final int status;
    private final String code;

    public RoutingException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
