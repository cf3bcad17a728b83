package io.aigne.hub.server;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;

/** The one JSON mapper of the hub. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    public static final JsonFactory FACTORY = MAPPER.getFactory();

    private Json() {
    }

    public static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** Parses a request body that must be a JSON object, or fails with a 400 that says why. */
    public static ObjectNode parseObject(byte[] body) {
        if (body.length == 0) {
            throw ApiException.invalid(null, "the request body is empty; send a JSON object");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (IOException e) {
            throw ApiException.invalid(null, "the request body is not valid JSON: " + firstLine(e.getMessage()));
        }
        if (!(node instanceof ObjectNode object)) {
            throw ApiException.invalid(null, "the request body must be a JSON object");
        }
        return object;
    }

    static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
