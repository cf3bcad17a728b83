package io.aigne.hub.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.server.ApiException;

/**
 * Typed reads of a request's JSON fields, shared by the front doors' codecs. Absent and {@code null} read as null
 * (the OpenAI SDKs send explicit nulls for unset options, the AIGNE clients may too); a value of the wrong type is a
 * 400 naming the field by its full path, e.g. {@code messages[2].content}.
 */
public final class JsonFields {
    private JsonFields() {
    }

    public static String path(String parent, String field) {
        return parent.isEmpty() ? field : parent + "." + field;
    }

    public static boolean isSet(JsonNode parent, String field) {
        JsonNode value = parent.get(field);
        return value != null && !value.isNull();
    }

    public static String string(JsonNode parent, String field, String parentPath) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw wrongType(path(parentPath, field), "a string");
        }
        return value.asText();
    }

    public static String requiredString(JsonNode parent, String field, String parentPath) {
        String value = string(parent, field, parentPath);
        if (value == null) {
            throw ApiException.invalid(path(parentPath, field), "'" + path(parentPath, field) + "' is required");
        }
        return value;
    }

    public static Long integer(JsonNode parent, String field, String parentPath) {
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
    public static Integer positiveInt(JsonNode parent, String field, String parentPath) {
        Long value = integer(parent, field, parentPath);
        if (value == null) {
            return null;
        }
        if (value < 1 || value > Integer.MAX_VALUE) {
            throw wrongType(path(parentPath, field), "a positive integer");
        }
        return value.intValue();
    }

    public static Double number(JsonNode parent, String field, String parentPath) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber()) {
            throw wrongType(path(parentPath, field), "a number");
        }
        return value.asDouble();
    }

    public static Boolean bool(JsonNode parent, String field, String parentPath) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isBoolean()) {
            throw wrongType(path(parentPath, field), "true or false");
        }
        return value.asBoolean();
    }

    public static ArrayNode array(JsonNode parent, String field, String parentPath) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!(value instanceof ArrayNode array)) {
            throw wrongType(path(parentPath, field), "an array");
        }
        return array;
    }

    public static ObjectNode object(JsonNode parent, String field, String parentPath) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!(value instanceof ObjectNode object)) {
            throw wrongType(path(parentPath, field), "an object");
        }
        return object;
    }

    public static ObjectNode requiredObject(JsonNode parent, String field, String parentPath) {
        ObjectNode value = object(parent, field, parentPath);
        if (value == null) {
            throw ApiException.invalid(path(parentPath, field), "'" + path(parentPath, field) + "' is required");
        }
        return value;
    }

    public static ApiException wrongType(String path, String expected) {
        return ApiException.invalid(path, "'" + path + "' must be " + expected);
    }
}
