package io.aigne.hub.provider.anthropic;

/**
 * Anthropic's error {@code type} values and the HTTP statuses they go with, per its API reference ("Errors"):
 * used to read an {@code error} event inside a stream (which has a type but no status) and to write errors in
 * Anthropic's shape.
 */
public final class AnthropicErrorTypes {
    private AnthropicErrorTypes() {
    }

    /**
     * The status an error of this type stands for. Overloaded is 503 rather than Anthropic's own 529, because the
     * hub reports provider overload to every caller as the standard "service unavailable".
     */
    public static int status(String type) {
        if (type == null) {
            return 500;
        }
        return switch (type) {
            case "invalid_request_error" -> 400;
            case "authentication_error" -> 401;
            case "billing_error" -> 402;
            case "permission_error" -> 403;
            case "not_found_error" -> 404;
            case "request_too_large" -> 413;
            case "rate_limit_error" -> 429;
            case "timeout_error" -> 504;
            case "overloaded_error" -> 503;
            default -> 500;
        };
    }

    /** Whether {@code type} is one of the error types Anthropic documents. */
    public static boolean known(String type) {
        return type != null && (status(type) != 500 || type.equals("api_error"));
    }

    /** The type Anthropic uses for this status; 4xx statuses it has no name for are invalid requests. */
    public static String type(int status) {
        return switch (status) {
            case 400 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 402 -> "billing_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 503, 529 -> "overloaded_error";
            case 504 -> "timeout_error";
            default -> status >= 400 && status < 500 ? "invalid_request_error" : "api_error";
        };
    }
}
