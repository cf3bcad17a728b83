package io.aigne.hub.web.api;

import io.aigne.hub.server.ApiException;
import io.aigne.hub.usage.CallStatus;
import io.aigne.hub.usage.CallType;
import io.helidon.webserver.http.ServerRequest;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/** The {@code status} and {@code type} filters of the call and usage APIs, with the original hub's aliases. */
final class CallFilters {
    private static final Set<String> STATUSES = Arrays.stream(CallStatus.values()).map(CallStatus::wireName)
            .collect(Collectors.toUnmodifiableSet());
    private static final Set<String> TYPES = Arrays.stream(CallType.values()).map(CallType::wireName)
            .collect(Collectors.toUnmodifiableSet());

    private CallFilters() {
    }

    /** {@code success}, {@code failed} or {@code cancelled}; {@code all} or nothing is null. */
    static String status(ServerRequest req) {
        String status = Fields.query(req, "status");
        if (status == null || status.equals("all")) {
            return null;
        }
        if (!STATUSES.contains(status)) {
            throw ApiException.invalid("status", "'status' must be success, failed, cancelled or all");
        }
        return status;
    }

    /** {@code chat}, {@code embedding}, {@code image} or {@code video} (also the original's type names). */
    static String type(ServerRequest req) {
        String type = Fields.query(req, "type");
        if (type == null || type.equals("all")) {
            return null;
        }
        String t = switch (type) {
            case "chatCompletion" -> "chat";
            case "imageGeneration" -> "image";
            default -> type;
        };
        if (!TYPES.contains(t)) {
            throw ApiException.invalid("type", "'type' must be chat, embedding, image or video");
        }
        return t;
    }

    /** {@code minDurationSeconds} (a decimal number of seconds, at least 0) as milliseconds, or null. */
    static Long minDurationMillis(ServerRequest req) {
        String v = Fields.query(req, "minDurationSeconds");
        if (v == null) {
            return null;
        }
        try {
            double seconds = Double.parseDouble(v);
            if (!(seconds >= 0) || seconds > 86_400) {
                throw ApiException.invalid("minDurationSeconds", "'minDurationSeconds' must be between 0 and 86400");
            }
            return Math.round(seconds * 1000);
        } catch (NumberFormatException e) {
            throw ApiException.invalid("minDurationSeconds", "'minDurationSeconds' must be a number of seconds");
        }
    }
}
