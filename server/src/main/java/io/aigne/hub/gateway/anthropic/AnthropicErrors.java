package io.aigne.hub.gateway.anthropic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.provider.anthropic.AnthropicErrorTypes;
import io.aigne.hub.server.ApiException;
import io.aigne.hub.server.Exchange;
import io.helidon.webserver.http.ServerResponse;
import io.aigne.hub.server.Json;

/**
 * Errors in the shape the Anthropic Messages API uses, {@code {"type":"error","error":{"type","message"}}}, so that
 * Anthropic SDKs raise their usual exception classes. The error type follows the status as Anthropic's API
 * reference pairs them (400 invalid_request_error, 401 authentication_error, 402 billing_error, 403
 * permission_error, 404 not_found_error, 413 request_too_large, 429 rate_limit_error, 500 api_error, 504
 * timeout_error, 529 overloaded_error); the hub's 503 for an overloaded provider is an overloaded_error too.
 */
public final class AnthropicErrors {
    private AnthropicErrors() {
    }

    /** The status to answer with: the exception's own. */
    public static int status(ApiException e) {
        return e.status();
    }

    /** The error body, as bytes. */
    public static byte[] body(ApiException e) {
        return Json.bytes(json(e.status(), e.getMessage()));
    }

    /** The error body for a failure told inside a stream, by the status it would have had. */
    public static byte[] body(int status, String message) {
        return Json.bytes(json(status, message));
    }

    /** Answers with the error in Anthropic's shape (and Retry-After when the hub has one). */
    public static void send(ServerResponse res, ApiException e) {
        if (e.retryAfter() != null) {
            res.header(Exchange.RETRY_AFTER, e.retryAfter());
        }
        Exchange.json(res, status(e), body(e));
    }

    static ObjectNode json(int status, String message) {
        return typed(AnthropicErrorTypes.type(status), message);
    }

    static ObjectNode typed(String type, String message) {
        ObjectNode body = Json.object().put("type", "error");
        body.putObject("error").put("type", type).put("message", message == null ? "HTTP error" : message);
        return body;
    }
}
