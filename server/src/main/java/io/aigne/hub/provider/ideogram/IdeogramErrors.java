package io.aigne.hub.provider.ideogram;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigne.hub.provider.CredentialSecret;
import io.aigne.hub.provider.ErrorReader;
import io.aigne.hub.provider.UpstreamError;
import io.aigne.hub.secret.Redaction;
import io.aigne.hub.server.Json;

import java.io.IOException;

/**
 * Reads Ideogram's error answers. The reference documents {@code {"error": "..."}} for safety rejections (422);
 * request validation failures come from its OpenAPI framework as problem details ({@code {"detail": "...",
 * "title", "status"}}), whose {@code detail} is the useful sentence. A 422 is a safety rejection of the prompt,
 * so it is classified as a content filter the way the hub reports filtered images.
 */
final class IdeogramErrors {
    static final String CONTENT_FILTER = "content_filter";
    static final String CONTENT_POLICY_VIOLATION = "content_policy_violation";

    static final ErrorReader READER = (response, body, secret) -> read(response.status(), body, secret);

    private IdeogramErrors() {
    }

    static UpstreamError read(int status, byte[] body, CredentialSecret secret) {
        UpstreamError parsed = UpstreamError.parse(body, status, secret);
        String detail = problemDetail(body);
        String message = detail == null ? parsed.message() : redact(detail, secret);
        if (status == 422) {
            return new UpstreamError(status, message, CONTENT_FILTER, "prompt", CONTENT_POLICY_VIOLATION);
        }
        return new UpstreamError(status, message, parsed.type(), parsed.param(), parsed.code());
    }

    /** The {@code detail} of a problem-details answer that has no {@code error} or {@code message}. */
    private static String problemDetail(byte[] body) {
        try {
            JsonNode node = Json.MAPPER.readTree(body);
            if (node == null || node.has("error") || node.has("message")) {
                return null;
            }
            JsonNode detail = node.path("detail");
            return detail.isTextual() && !detail.asText().isBlank() ? detail.asText().strip() : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String redact(String text, CredentialSecret secret) {
        return secret == null ? Redaction.redact(text)
                : Redaction.redact(text, secret.apiKey(), secret.secretAccessKey(), secret.sessionToken());
    }
}
