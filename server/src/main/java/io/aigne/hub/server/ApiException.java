package io.aigne.hub.server;

/**
 * A failure to report to the caller as a JSON error in its protocol's shape: status, OpenAI-style {@code type},
 * a machine-readable {@code code}, the offending {@code param} when one is to blame, and a sentence that says
 * what went wrong and how to fix it.
 */
public class ApiException extends RuntimeException {
    private final int status;
    private final String type;
    private final String code;
    private final String param;
    private final String retryAfter;

    public ApiException(int status, String type, String code, String param, String message) {
        this(status, type, code, param, message, null);
    }

    public ApiException(int status, String type, String code, String param, String message, String retryAfter) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.code = code;
        this.param = param;
        this.retryAfter = retryAfter;
    }

    public static ApiException invalid(String param, String message) {
        return new ApiException(400, "invalid_request_error", "invalid_value", param, message);
    }

    public static ApiException unauthorized(String message) {
        return new ApiException(401, "authentication_error", "invalid_api_key", null, message);
    }

    public static ApiException forbidden(String message) {
        return new ApiException(403, "permission_error", "forbidden", null, message);
    }

    public static ApiException notFound(String code, String message) {
        return new ApiException(404, "invalid_request_error", code, null, message);
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String code() {
        return code;
    }

    public String param() {
        return param;
    }

    public String retryAfter() {
        return retryAfter;
    }
}
