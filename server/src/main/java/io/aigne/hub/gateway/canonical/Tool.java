package io.aigne.hub.gateway.canonical;

import com.fasterxml.jackson.databind.JsonNode;

/** A function the model may call; {@code parameters} is its JSON Schema (an object schema), null for none. */
public record Tool(String name, String description, JsonNode parameters, JsonNode cacheControl) {
    public Tool(String name, String description, JsonNode parameters) {
        this(name, description, parameters, null);
    }
}
