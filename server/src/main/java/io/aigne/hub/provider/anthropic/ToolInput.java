package io.aigne.hub.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.server.Json;

import java.io.IOException;

/**
 * Converts between the canonical tool-call arguments (JSON text, exactly as a model produced it) and Anthropic's
 * {@code tool_use.input}, which must be a JSON object.
 *
 * <p>Arguments that are not a JSON object (a model cut off by its token limit, a provider that sent garbage) are
 * kept rather than dropped or refused: they travel as {@code {"_raw_arguments": "<the text>"}}. Refusing would make
 * a conversation that already contains such a call impossible to continue, and replacing them with {@code {}}
 * would hand a tool an empty call that looks valid.
 */
public final class ToolInput {
    /** The key that carries arguments which were not a JSON object. */
    public static final String RAW_ARGUMENTS = "_raw_arguments";

    private ToolInput() {
    }

    /** The {@code input} object for these arguments; blank arguments are the empty object. */
    public static ObjectNode toInput(String arguments) {
        if (arguments == null || arguments.isBlank()) {
            return Json.object();
        }
        try {
            JsonNode parsed = Json.MAPPER.readTree(arguments);
            if (parsed instanceof ObjectNode object) {
                return object;
            }
        } catch (IOException e) {
            // not JSON: wrapped below
        }
        ObjectNode wrapped = Json.object();
        wrapped.put(RAW_ARGUMENTS, arguments);
        return wrapped;
    }

    /** The arguments text of an {@code input} value, compact; a missing input is the empty object. */
    public static String toArguments(JsonNode input) {
        if (input == null || input.isMissingNode() || input.isNull()) {
            return "{}";
        }
        return input.toString();
    }
}
