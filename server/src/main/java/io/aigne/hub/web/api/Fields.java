package io.aigne.hub.web.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.server.ApiException;
import io.helidon.webserver.http.ServerRequest;

import java.util.ArrayList;
import java.util.List;

/** Typed reads of JSON request fields and query parameters; a wrong type is a 400 that names the field. */
final class Fields {
    private Fields() {
    }

    static String text(ObjectNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw ApiException.invalid(field, "'" + field + "' must be a string");
        }
        return v.asText();
    }

    static Boolean bool(ObjectNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isBoolean()) {
            throw ApiException.invalid(field, "'" + field + "' must be true or false");
        }
        return v.asBoolean();
    }

    static Integer integer(ObjectNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber()) {
            throw ApiException.invalid(field, "'" + field + "' must be an integer");
        }
        return v.asInt();
    }

    static List<String> strings(ObjectNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isArray()) {
            throw ApiException.invalid(field, "'" + field + "' must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : v) {
            if (!item.isTextual()) {
                throw ApiException.invalid(field, "'" + field + "' must be an array of strings");
            }
            out.add(item.asText());
        }
        return out;
    }

    static String query(ServerRequest req, String name) {
        if (!req.query().contains(name)) {
            return null;
        }
        String v = req.query().get(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    static int queryInt(ServerRequest req, String name, int fallback, int min, int max) {
        String v = query(req, name);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw ApiException.invalid(name, "'" + name + "' must be between " + min + " and " + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw ApiException.invalid(name, "'" + name + "' must be an integer");
        }
    }

    /** A time given as unix seconds or milliseconds (values above 10^11 are read as milliseconds). */
    static Long queryTime(ServerRequest req, String name) {
        String v = query(req, name);
        if (v == null) {
            return null;
        }
        try {
            long n = Long.parseLong(v);
            return n > 100_000_000_000L ? n : n * 1000;
        } catch (NumberFormatException e) {
            throw ApiException.invalid(name, "'" + name + "' must be a unix time in seconds or milliseconds");
        }
    }

    /**
     * A time given as epoch milliseconds, or as ISO-8601: an instant ({@code 2025-01-31T12:00:00Z}), a date-time
     * with an offset ({@code 2025-01-31T13:00:00+01:00}), or a date ({@code 2025-01-31}, its start in UTC).
     */
    static Long queryEpochMillis(ServerRequest req, String name) {
        String v = query(req, name);
        if (v == null) {
            return null;
        }
        try {
            if (v.chars().allMatch(Character::isDigit)) {
                return Long.parseLong(v);
            }
            if (v.length() == 10) {
                return java.time.LocalDate.parse(v).atStartOfDay(java.time.ZoneOffset.UTC).toInstant().toEpochMilli();
            }
            return java.time.OffsetDateTime.parse(v).toInstant().toEpochMilli();
        } catch (NumberFormatException | java.time.format.DateTimeParseException e) {
            throw ApiException.invalid(name, "'" + name + "' must be epoch milliseconds or an ISO-8601 time such as "
                    + "2025-01-31T12:00:00Z or 2025-01-31");
        }
    }

    static String path(ServerRequest req, String name) {
        return req.path().pathParameters().get(name);
    }
}
