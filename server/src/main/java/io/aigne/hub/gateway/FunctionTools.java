package io.aigne.hub.gateway;

import static io.aigne.hub.gateway.JsonFields.array;
import static io.aigne.hub.gateway.JsonFields.object;
import static io.aigne.hub.gateway.JsonFields.path;
import static io.aigne.hub.gateway.JsonFields.requiredObject;
import static io.aigne.hub.gateway.JsonFields.requiredString;
import static io.aigne.hub.gateway.JsonFields.string;
import static io.aigne.hub.gateway.JsonFields.wrongType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.gateway.canonical.Tool;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code tools} array every front door takes: function declarations {@code {"type": "function", "function":
 * {"name", "description", "parameters"}}}. The walk and the function's fields are shared; what differs between
 * doors (whether {@code type} is checked and how the refusal is worded, whether {@code parameters} is required,
 * prompt-caching markers) stays in each door's {@link ToolReader}, built from the pieces here. Errors name the full
 * path, e.g. {@code input.tools[1].function.name}.
 */
public final class FunctionTools {
    /** How the doors describe a tool that is not an object. */
    public static final String TOOL_OBJECT = "a tool object such as {\"type\": \"function\", \"function\": {...}}";

    private FunctionTools() {
    }

    /** Maps one element of the tools array; {@code at} is its path, e.g. {@code tools[2]}. */
    @FunctionalInterface
    public interface ToolReader {
        Tool read(JsonNode tool, String at);
    }

    /** The tools in {@code parent.tools}, {@code parentPath} naming the parent; absent or null is none. */
    public static List<Tool> read(JsonNode parent, String parentPath, ToolReader reader) {
        ArrayNode tools = array(parent, "tools", parentPath);
        if (tools == null) {
            return List.of();
        }
        String toolsPath = path(parentPath, "tools");
        List<Tool> result = new ArrayList<>();
        for (int i = 0; i < tools.size(); i++) {
            result.add(reader.read(tools.get(i), toolsPath + "[" + i + "]"));
        }
        return result;
    }

    /** The tool as an object; anything else is a 400 saying it must be {@link #TOOL_OBJECT}. */
    public static ObjectNode toolObject(JsonNode tool, String at) {
        if (!tool.isObject()) {
            throw wrongType(at, TOOL_OBJECT);
        }
        return (ObjectNode) tool;
    }

    /**
     * The declaration in {@code tool.function}: a required {@code name}, an optional {@code description} and the
     * {@code parameters} schema object, which some doors require.
     */
    public static Tool function(JsonNode tool, String at, boolean parametersRequired) {
        ObjectNode function = requiredObject(tool, "function", at);
        String functionPath = path(at, "function");
        return new Tool(requiredString(function, "name", functionPath), string(function, "description", functionPath),
                parametersRequired ? requiredObject(function, "parameters", functionPath)
                        : object(function, "parameters", functionPath));
    }
}
