package io.aigne.hub.gateway.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.server.ApiException;

/**
 * Typed reads of a request's JSON fields for the translating codecs. Absent and {@code null} read as null (the
 * OpenAI SDKs send explicit nulls for unset options); a value of the wrong type is a 400 naming the field by its
 * full path, e.g. {@code messages[2].content}.
 */
final class RequestFields {
    private RequestFields() {
    }

    static String path(String parent, String field) {
        return parent.isEmpty() ? field : parent + "." + field;
    }

    static boolean isSet(JsonNode parent, String field) {
        JsonNode value = parent.get(field);
        return value != null && !value.isNull();
    }

    static String string(JsonNode parent, String field, String parentPath) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw wrongType(path(parentPath, field), "a string");
        }
        return value.asText();
    }

    static String requiredString(JsonNode parent, String field, String parentPath) {
        String value = string(parent, field, parentPath);
        if (value == null) {
            throw ApiException.invalid(path(parentPath, field), "'" + path(parentPath, field) + "' is required");
        }
        return value;
    }

    static Long integer(JsonNode parent, String field, String parentPath) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.canConvertToExactIntegral() || !value.canConvertToLong()) {
            throw wrongType(path(parentPath, field), "an integer");
        }
        return value.asLong();
    }

    /** An integer from 1 to {@link Integer#MAX_VALUE}. */
    static Integer positiveInt(JsonNode parent, String field, String parentPath) {
        Long value = integer(parent, field, parentPath);
        if (value == null) {
            return null;
        }
        if (value < 1 || value > Integer.MAX_VALUE) {
            throw wrongType(path(parentPath, field), "a positive integer");
        }
        return value.intValue();
    }

    static Double number(JsonNode parent, String field, String parentPath) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber()) {
            throw wrongType(path(parentPath, field), "a number");
        }
        return value.asDouble();
    }

    static Boolean bool(JsonNode parent, String field, String parentPath) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isBoolean()) {
            throw wrongType(path(parentPath, field), "true or false");
        }
        return value.asBoolean();
    }

    static ArrayNode array(JsonNode parent, String field, String parentPath) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!(value instanceof ArrayNode array)) {
            throw wrongType(path(parentPath, field), "an array");
        }
        return array;
    }

    static ObjectNode object(JsonNode parent, String field, String parentPath) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!(value instanceof ObjectNode object)) {
            throw wrongType(path(parentPath, field), "an object");
        }
        return object;
    }

    static ObjectNode requiredObject(JsonNode parent, String field, String parentPath) {
        ObjectNode value = object(parent, field, parentPath);
        if (value == null) {
            throw ApiException.invalid(path(parentPath, field), "'" + path(parentPath, field) + "' is required");
        }
        return value;
    }

    static ApiException wrongType(String path, String expected) {
        return ApiException.invalid(path, "'" + path + "' must be " + expected);
    }

    /** A 400 for an option only OpenAI-wire providers understand, which a translated call would silently lose. */
    static ApiException openAiOnly(String path, String what) {
        return ApiException.invalid(path, "'" + path + "' (" + what + ") is only supported by OpenAI-compatible"
                + " providers; remove it or pick a model of an OpenAI-compatible provider");
    }
}
