package io.aigne.hub.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigne.hub.gateway.canonical.ChatEvent;
import io.aigne.hub.gateway.upstream.UpstreamResponse;
import io.aigne.hub.provider.CredentialSecret;
import io.aigne.hub.provider.ErrorReader;
import io.aigne.hub.provider.ProviderFailure;
import io.aigne.hub.provider.UpstreamError;
import io.aigne.hub.secret.Redaction;
import io.aigne.hub.server.Json;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Google's errors ({@code {"error":{"code","message","status","details"}}}) in the hub's terms. Two Google habits
 * need translating: a refused API key is a 400 {@code INVALID_ARGUMENT} with reason {@code API_KEY_INVALID} (the
 * hub must see it as the credential's fault, a 401, or it would blame the caller and keep the key in rotation),
 * and a 429 says when to retry in a {@code RetryInfo} detail rather than a {@code Retry-After} header.
 */
final class GeminiErrors {
    private GeminiErrors() {
    }

    /**
     * Reads one call's error answer and remembers its retry delay, which {@link ProviderFailure} can only take
     * as a header value: make one per call and pass every failure through {@link #withRetryDelay}.
     */
    static final class Reader implements ErrorReader {
        private String retryAfter;

        @Override
        public UpstreamError read(UpstreamResponse response, byte[] body, CredentialSecret secret) {
            UpstreamError parsed = UpstreamError.parse(body, response.status(), secret);
            JsonNode error = errorObject(body);
            retryAfter = retryDelaySeconds(error);
            return translate(parsed, error);
        }

        ProviderFailure withRetryDelay(ProviderFailure failure) {
            if (failure.kind() == ProviderFailure.Kind.STATUS && failure.retryAfter() == null && retryAfter != null) {
                return ProviderFailure.status(failure.error(), retryAfter);
            }
            return failure;
        }

        String retryAfter() {
            return retryAfter;
        }
    }

    /** An error object that arrived inside a stream, as the event that ends it. */
    static ChatEvent.Failed failed(JsonNode error, CredentialSecret secret) {
        int status = error.path("code").canConvertToInt() && error.path("code").asInt() >= 400
                ? error.path("code").asInt() : 500;
        String message = error.path("message").asText("");
        if (message.isEmpty()) {
            message = "Gemini reported an error in the stream (" + error.path("status").asText("no status") + ")";
        }
        message = secret == null ? Redaction.redact(message)
                : Redaction.redact(message, secret.apiKey(), secret.secretAccessKey(), secret.sessionToken());
        return new ChatEvent.Failed(status, type(status, error.path("status").asText(null)), message);
    }

    static UpstreamError translate(UpstreamError parsed, JsonNode error) {
        String googleStatus = error.path("status").isTextual() ? error.path("status").asText() : null;
        String reason = errorInfoReason(error);
        int status = parsed.status();
        if ("API_KEY_INVALID".equals(reason) || "API_KEY_EXPIRED".equals(reason)) {
            status = 401;
        }
        String code = reason != null ? reason : googleStatus != null ? googleStatus : parsed.code();
        String type = parsed.type() != null ? parsed.type() : type(status, googleStatus);
        return new UpstreamError(status, parsed.message(), type, parsed.param(), code);
    }

    /** An OpenAI-style error type for an HTTP status and Google's canonical status name. */
    static String type(int status, String googleStatus) {
        if (status == 401 || "UNAUTHENTICATED".equals(googleStatus)) {
            return "authentication_error";
        }
        if (status == 403 || "PERMISSION_DENIED".equals(googleStatus)) {
            return "permission_error";
        }
        if (status == 429 || "RESOURCE_EXHAUSTED".equals(googleStatus)) {
            return "rate_limit_error";
        }
        return status >= 400 && status < 500 ? "invalid_request_error" : "server_error";
    }

    static JsonNode errorObject(byte[] body) {
        try {
            return Json.MAPPER.readTree(body).path("error");
        } catch (IOException | RuntimeException e) {
            return Json.MAPPER.missingNode();
        }
    }

    private static String errorInfoReason(JsonNode error) {
        for (JsonNode detail : error.path("details")) {
            if (detail.path("@type").asText("").endsWith("google.rpc.ErrorInfo") && detail.path("reason").isTextual()) {
                return detail.path("reason").asText();
            }
        }
        return null;
    }

    /** {@code RetryInfo.retryDelay} ("7s", "0.5s") as whole seconds, rounded up, or null. */
    static String retryDelaySeconds(JsonNode error) {
        for (JsonNode detail : error.path("details")) {
            if (detail.path("@type").asText("").endsWith("google.rpc.RetryInfo")) {
                String delay = detail.path("retryDelay").asText("");
                if (delay.endsWith("s")) {
                    try {
                        BigDecimal seconds = new BigDecimal(delay.substring(0, delay.length() - 1));
                        return seconds.setScale(0, RoundingMode.CEILING).max(BigDecimal.ZERO).toPlainString();
                    } catch (NumberFormatException e) {
                        return null;
                    }
                }
            }
        }
        return null;
    }
}
