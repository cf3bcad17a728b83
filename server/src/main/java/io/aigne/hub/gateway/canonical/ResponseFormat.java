package io.aigne.hub.gateway.canonical;

import com.fasterxml.jackson.databind.JsonNode;

/** The shape the caller wants the answer in: free text, any JSON object, or JSON matching {@code schema}. */
public record ResponseFormat(Kind kind, String name, JsonNode schema, Boolean strict) {
    public enum Kind { TEXT, JSON_OBJECT, JSON_SCHEMA }

    public static final ResponseFormat JSON_OBJECT = new ResponseFormat(Kind.JSON_OBJECT, null, null, null);
}
