package io.aigne.hub.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigne.hub.provider.CredentialSecret;
import io.aigne.hub.secret.Redaction;
import io.aigne.hub.server.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** A provider's error answer in OpenAI's shape, secrets removed from its message. */
public record UpstreamError(int status, String message, String type, String param, String code) {

    public static UpstreamError parse(byte[] body, int status, CredentialSecret secret) {
        String message = null;
        String type = null;
        String param = null;
        String code = null;
        try {
            JsonNode node = Json.MAPPER.readTree(body);
            JsonNode error = node.path("error");
            if (error.isTextual()) {
                message = error.asText();
            } else if (error.isObject()) {
                message = text(error, "message");
                type = text(error, "type");
                param = text(error, "param");
                code = error.path("code").isNumber() ? error.path("code").asText() : text(error, "code");
            } else {
                message = text(node, "message");
            }
        } catch (IOException | RuntimeException e) {
            // not JSON: the raw text is the message
        }
        if (message == null) {
            message = new String(body, 0, Math.min(body.length, 500), StandardCharsets.UTF_8).strip();
        }
        if (message.isEmpty()) {
            message = "HTTP " + status;
        }
        message = secret == null ? Redaction.redact(message)
                : Redaction.redact(message, secret.apiKey(), secret.secretAccessKey(), secret.sessionToken());
        return new UpstreamError(status, message, type, param, code);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isTextual() ? v.asText() : null;
    }
}
