package io.aigne.hub.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigne.hub.gateway.canonical.ToolChoice;
import io.aigne.hub.server.ApiException;

import java.util.function.Function;

/**
 * A tool choice as every front door takes it: absent, one of the strings {@code "auto"}, {@code "none"},
 * {@code "required"}, or an object naming the one tool the model must call. The doors differ in the object's shape
 * and in how they word an unknown string, so both are passed in; the field's name and the parallel-calls option
 * ({@code parallel_tool_calls}, {@code parallelToolCalls}) are read by the door.
 */
public final class ToolChoices {
    private ToolChoices() {
    }

    /**
     * The choice in {@code choice} (the field's value, null when absent). Absent or null means none unless
     * {@code parallel} is set, which then rides on an {@code AUTO} choice; an unknown string is the 400
     * {@code unknown} builds from it; any other value is the tool {@code named} reads from it (or refuses).
     */
    public static ToolChoice read(JsonNode choice, Boolean parallel, Function<String, ApiException> unknown,
                                  Function<JsonNode, String> named) {
        if (choice == null || choice.isNull()) {
            return parallel == null ? null : new ToolChoice(ToolChoice.Mode.AUTO, null, parallel);
        }
        if (choice.isTextual()) {
            ToolChoice.Mode mode = switch (choice.asText()) {
                case "auto" -> ToolChoice.Mode.AUTO;
                case "none" -> ToolChoice.Mode.NONE;
                case "required" -> ToolChoice.Mode.ANY;
                default -> throw unknown.apply(choice.asText());
            };
            return new ToolChoice(mode, null, parallel);
        }
        return new ToolChoice(ToolChoice.Mode.TOOL, named.apply(choice), parallel);
    }
}
