package io.aigne.hub.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigne.hub.gateway.upstream.UpstreamResponse;
import io.aigne.hub.provider.CredentialSecret;
import io.aigne.hub.provider.ErrorReader;
import io.aigne.hub.provider.UpstreamError;
import io.aigne.hub.secret.Redaction;
import io.aigne.hub.server.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads Bedrock's error answers. AWS's restJson1 protocol puts the error's type in the {@code x-amzn-ErrorType}
 * header ({@code ValidationException:http://internal.amazon.com/coral/...}, the part after the colon is noise)
 * and only {@code {"message": ...}} in the body; some front ends answer {@code {"Message"}} or a
 * {@code "__type"} in the body instead. The AWS type becomes {@link UpstreamError#code()}; the message loses every
 * secret of the credential (a signature mismatch, for one, echoes the canonical request, session token included).
 */
public final class BedrockErrorReader implements ErrorReader {
    public static final BedrockErrorReader INSTANCE = new BedrockErrorReader();
    private static final String ERROR_TYPE_HEADER = "x-amzn-ErrorType";

    @Override
    public UpstreamError read(UpstreamResponse response, byte[] body, CredentialSecret secret) {
        int status = response.status();
        String type = response.header(ERROR_TYPE_HEADER).map(BedrockErrorReader::cleanType).orElse(null);
        String message = null;
        try {
            JsonNode node = Json.MAPPER.readTree(body);
            if (node != null && node.isObject()) {
                message = text(node, "message");
                if (message == null) {
                    message = text(node, "Message");
                }
                if (type == null) {
                    type = cleanType(text(node, "__type"));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not JSON (a proxy's HTML page, say): the raw text is the message
        }
        if (message == null) {
            message = new String(body, 0, Math.min(body.length, 500), StandardCharsets.UTF_8).strip();
        }
        if (message.isEmpty()) {
            message = type != null ? type : "HTTP " + status;
        }
        return new UpstreamError(status, redact(message, secret), openAiType(status), null, type);
    }

    /** Removes the credential's secrets, and anything shaped like a key, from text Bedrock sent. */
    static String redact(String text, CredentialSecret secret) {
        return secret == null ? Redaction.redact(text)
                : Redaction.redact(text, secret.secretAccessKey(), secret.sessionToken(), secret.apiKey());
    }

    /** {@code ValidationException:http://...} or {@code com.amazon.coral#ValidationException} to its bare name. */
    static String cleanType(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String type = raw.strip();
        int colon = type.indexOf(':');
        if (colon >= 0) {
            type = type.substring(0, colon);
        }
        int hash = type.lastIndexOf('#');
        if (hash >= 0) {
            type = type.substring(hash + 1);
        }
        return type.isEmpty() ? null : type;
    }

    /**
     * The HTTP status AWS declares for an error type, for errors that arrive inside a stream (as
     * {@code throttlingException} and the like) where there is no status line.
     */
    static int statusOf(String type) {
        if (type == null) {
            return 500;
        }
        return switch (type.toLowerCase(Locale.ROOT)) {
            case "throttlingexception", "servicequotaexceededexception" -> 429;
            case "serviceunavailableexception", "modelnotreadyexception" -> 503;
            case "validationexception", "serializationexception" -> 400;
            case "accessdeniedexception" -> 403;
            case "resourcenotfoundexception" -> 404;
            case "modeltimeoutexception" -> 408;
            case "modelerrorexception", "modelstreamerrorexception" -> 424;
            default -> 500;
        };
    }

    /** The OpenAI-style error type for a status, which the front doors expect in {@code error.type}. */
    static String openAiType(int status) {
        return switch (status) {
            case 400, 404, 408, 413, 422 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 429 -> "rate_limit_error";
            default -> "api_error";
        };
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() ? value.asText() : null;
    }
}
