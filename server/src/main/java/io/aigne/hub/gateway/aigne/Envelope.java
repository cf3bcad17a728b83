package io.aigne.hub.gateway.aigne;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.gateway.JsonFields;
import io.aigne.hub.server.ApiException;

/**
 * The AIGNE invoke envelope, {@code {"input": {...}, "agent": "$CHAT_MODEL", "options": {"streaming": true}}}.
 * {@code agent}, {@code userContext} and {@code memories} mean nothing to a model call and are ignored.
 *
 * @param model the model as the caller chose it: {@code input.modelOptions.model}, else the body's {@code model},
 *              else {@code input.model}, else the endpoint's default (null when it has none)
 */
record Envelope(ObjectNode input, boolean streaming, String model) {

    static Envelope read(ObjectNode body, String defaultModel) {
        ObjectNode input = JsonFields.object(body, "input", "");
        if (input == null) {
            throw ApiException.invalid("input", "input is required: the model input, such as "
                    + "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"modelOptions\": {\"model\": "
                    + "\"openai/gpt-4o-mini\"}}");
        }
        ObjectNode options = JsonFields.object(body, "options", "");
        boolean streaming = options != null && Boolean.TRUE.equals(JsonFields.bool(options, "streaming", "options"));
        return new Envelope(input, streaming, model(body, input, defaultModel));
    }

    static String model(ObjectNode body, ObjectNode input, String defaultModel) {
        ObjectNode modelOptions = JsonFields.object(input, "modelOptions", "input");
        for (String candidate : new String[] {
                modelOptions == null ? null : JsonFields.string(modelOptions, "model", "input.modelOptions"),
                JsonFields.string(body, "model", ""),
                JsonFields.string(input, "model", "input")}) {
            if (candidate != null && !candidate.isBlank()) {
                return candidate.trim();
            }
        }
        return defaultModel;
    }

    /** {@code input.modelOptions}, or an empty object. */
    ObjectNode modelOptions() {
        JsonNode options = input.get("modelOptions");
        return options instanceof ObjectNode object ? object : input.objectNode();
    }
}
