package io.aigne.hub.gateway.aigne;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.server.ApiException;

/**
 * Typed reads of AIGNE request fields. Absent and {@code null} read as null (the AIGNE clients drop undefined
 * values but may send nulls); a value of the wrong type is a 400 naming the field by its full path, e.g.
 * {@code input.messages[2].content}.
 */
final class Fields {
    private Fields() {
    }

    static String path(String parent, String field) {
        return parent.isEmpty() ? field : parent + "." + field;
    }

    static boolean isSet(JsonNode parent, String field) {
        JsonNode value = parent.get(field);
        return value != null && !value.isNull();
    }

    static String string(JsonNode parent, String field, String at) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw wrongType(path(at, field), "a string");
        }
        return value.asText();
    }

    static String requiredString(JsonNode parent, String field, String at) {
        String value = string(parent, field, at);
        if (value == null) {
            throw ApiException.invalid(path(at, field), path(at, field) + " is required");
        }
        return value;
    }

    static Double number(JsonNode parent, String field, String at) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber()) {
            throw wrongType(path(at, field), "a number");
        }
        return value.asDouble();
    }

    /** An integer from 1 to {@link Integer#MAX_VALUE}. */
    static Integer positiveInt(JsonNode parent, String field, String at) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.canConvertToExactIntegral() || value.asLong() < 1 || value.asLong() > Integer.MAX_VALUE) {
            throw wrongType(path(at, field), "a positive integer");
        }
        return value.intValue();
    }

    static Boolean bool(JsonNode parent, String field, String at) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isBoolean()) {
            throw wrongType(path(at, field), "true or false");
        }
        return value.asBoolean();
    }

    static ArrayNode array(JsonNode parent, String field, String at) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!(value instanceof ArrayNode array)) {
            throw wrongType(path(at, field), "an array");
        }
        return array;
    }

    static ObjectNode object(JsonNode parent, String field, String at) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!(value instanceof ObjectNode object)) {
            throw wrongType(path(at, field), "an object");
        }
        return object;
    }

    static ObjectNode requiredObject(JsonNode parent, String field, String at) {
        ObjectNode value = object(parent, field, at);
        if (value == null) {
            throw ApiException.invalid(path(at, field), path(at, field) + " is required");
        }
        return value;
    }

    static ApiException wrongType(String path, String expected) {
        return ApiException.invalid(path, path + " must be " + expected);
    }
}
