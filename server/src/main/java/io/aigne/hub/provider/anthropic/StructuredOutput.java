package io.aigne.hub.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.gateway.canonical.ChatRequest;
import io.aigne.hub.gateway.canonical.ResponseFormat;
import io.aigne.hub.gateway.canonical.Tool;
import io.aigne.hub.gateway.canonical.ToolChoice;
import io.aigne.hub.server.ApiException;
import io.aigne.hub.server.Json;

/**
 * A JSON answer asked of Anthropic as a tool call: the answer's schema becomes the input schema of one extra tool,
 * the model is made to call it, and the call's input comes back to the caller as the answer's text.
 *
 * <p>Why not Anthropic's native {@code output_config.format}: it exists only on the Claude 4.5 generation and
 * later, accepts a restricted JSON Schema dialect (every object closed with {@code additionalProperties: false}, no
 * numeric or string bounds), and has no schema-less JSON mode. A forced tool call works on every Claude model the
 * hub may route to and with any object schema, and "any JSON object" is simply the schema {@code {"type":"object"}}.
 *
 * @param toolName the extra tool's name, distinct from the caller's own tools
 * @param tool     the extra tool
 */
public record StructuredOutput(String toolName, Tool tool) {
    private static final String DEFAULT_NAME = "json_answer";
    private static final String DESCRIPTION = "Give your final answer by calling this tool: its input is the answer"
            + " itself, a JSON value that follows the input schema exactly.";

    /** The plan for this request, or null when it wants free text. */
    public static StructuredOutput of(ChatRequest request) {
        ResponseFormat format = request.responseFormat();
        if (format == null || format.kind() == ResponseFormat.Kind.TEXT) {
            return null;
        }
        JsonNode schema;
        if (format.kind() == ResponseFormat.Kind.JSON_SCHEMA && format.schema() != null && !format.schema().isNull()) {
            schema = format.schema();
            if (!schema.isObject()) {
                throw ApiException.invalid("response_format", "the JSON schema must be a JSON object");
            }
            JsonNode type = schema.path("type");
            if (!type.isMissingNode() && !"object".equals(type.asText())) {
                throw ApiException.invalid("response_format", "Anthropic models answer in JSON through a tool call,"
                        + " whose schema must describe an object; wrap the '" + type.asText()
                        + "' value in an object property");
            }
        } else {
            schema = Json.object().put("type", "object");
        }
        String name = uniqueName(request, sanitized(format.name()));
        return new StructuredOutput(name, new Tool(name, DESCRIPTION, withObjectType(schema)));
    }

    /**
     * The tool choice that makes the model answer through the tool: forced to it when the caller has no tools of
     * its own (or forbade them), "any" call when the caller's tools stay available, the caller's own forced tool
     * when it named one, and "auto" with thinking on, since Anthropic refuses forced choices while the model
     * thinks (the tool's description then asks for the call).
     */
    ObjectNode toolChoice(ChatRequest request, boolean thinking) {
        ObjectNode choice = Json.object();
        ToolChoice callerChoice = request.toolChoice();
        if (thinking) {
            // Anthropic refuses a forced tool choice while extended thinking is on; the tool's description asks.
            choice.put("type", "auto");
        } else if (callerChoice != null && callerChoice.mode() == ToolChoice.Mode.TOOL) {
            choice.put("type", "tool").put("name", callerChoice.name());
        } else if (request.tools().isEmpty()
                || callerChoice != null && callerChoice.mode() == ToolChoice.Mode.NONE) {
            choice.put("type", "tool").put("name", toolName);
        } else {
            // The caller's tools stay usable; a turn must end in some call, and the answer is one of them.
            choice.put("type", "any");
        }
        if (callerChoice != null && Boolean.FALSE.equals(callerChoice.parallel())) {
            choice.put("disable_parallel_tool_use", true);
        }
        return choice;
    }

    private static ObjectNode withObjectType(JsonNode schema) {
        ObjectNode copy = ((ObjectNode) schema).deepCopy();
        if (!copy.has("type")) {
            copy.put("type", "object");
        }
        return copy;
    }

    /** Anthropic tool names match {@code ^[a-zA-Z0-9_-]{1,64}$}. */
    private static String sanitized(String name) {
        if (name == null || name.isBlank()) {
            return DEFAULT_NAME;
        }
        String clean = name.replaceAll("[^a-zA-Z0-9_-]", "_");
        return clean.length() > 64 ? clean.substring(0, 64) : clean;
    }

    private static String uniqueName(ChatRequest request, String base) {
        String name = base;
        for (int n = 2; taken(request, name); n++) {
            String suffix = "_" + n;
            name = (base.length() + suffix.length() > 64 ? base.substring(0, 64 - suffix.length()) : base) + suffix;
        }
        return name;
    }

    private static boolean taken(ChatRequest request, String name) {
        return request.tools().stream().anyMatch(tool -> name.equals(tool.name()));
    }
}
