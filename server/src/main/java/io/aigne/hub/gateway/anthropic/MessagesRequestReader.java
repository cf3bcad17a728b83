package io.aigne.hub.gateway.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.gateway.canonical.ChatRequest;
import io.aigne.hub.gateway.canonical.ContentPart;
import io.aigne.hub.gateway.canonical.Message;
import io.aigne.hub.gateway.canonical.Reasoning;
import io.aigne.hub.gateway.canonical.ResponseFormat;
import io.aigne.hub.gateway.canonical.Sampling;
import io.aigne.hub.gateway.canonical.Tool;
import io.aigne.hub.gateway.canonical.ToolChoice;
import io.aigne.hub.server.ApiException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Reads a Messages API request body ({@code POST /v1/messages}) into the canonical request, checking each field's
 * type and naming its path ({@code messages[2].content[0].source.data}) when it is wrong.
 *
 * <p>Only what can be translated to every provider is accepted: custom tools, not Anthropic's server tools (web
 * search, code execution...) or MCP servers, which run inside Anthropic; media inline or by URL, not Files API
 * ids. Fields that only tune Anthropic's service (service_tier, container, context_management...) are ignored, and
 * so are block-level settings the canonical model has no place for (cache_control on tool_use and tool_result
 * blocks, citations settings, a tool's strict flag).
 */
final class MessagesRequestReader {
    private MessagesRequestReader() {
    }

    static String model(ObjectNode body) {
        JsonNode model = body.path("model");
        if (!model.isTextual() || model.asText().isBlank()) {
            throw ApiException.invalid("model", model.isMissingNode() || model.isNull()
                    ? "model is required: the model to use, such as \"anthropic/claude-sonnet-4-5\""
                    : "model must be a non-empty string, such as \"anthropic/claude-sonnet-4-5\"");
        }
        return model.asText();
    }

    static ChatRequest read(ObjectNode body) {
        String model = model(body);
        JsonNode maxTokens = body.path("max_tokens");
        if (maxTokens.isMissingNode() || maxTokens.isNull()) {
            throw ApiException.invalid("max_tokens", "max_tokens is required: the most tokens the answer may have,"
                    + " such as 1024");
        }
        int max = integer(maxTokens, "max_tokens");
        if (max < 1) {
            throw ApiException.invalid("max_tokens", "max_tokens must be at least 1");
        }
        JsonNode mcp = body.path("mcp_servers");
        if (mcp.isArray() && !mcp.isEmpty()) {
            throw ApiException.invalid("mcp_servers", "MCP servers run inside Anthropic's API, which the hub does not"
                    + " pass them to; call the MCP tools from your client and send them as custom tools");
        }
        Sampling sampling = new Sampling(max, number(body.path("temperature"), "temperature"),
                number(body.path("top_p"), "top_p"), optionalInteger(body.path("top_k"), "top_k"),
                strings(body.path("stop_sequences"), "stop_sequences"), null, null, null);
        List<ContentPart.Text> system = new ArrayList<>(system(body.path("system"), "system"));
        List<Message> messages = messages(body.path("messages"), system);
        return new ChatRequest(model, system, messages, tools(body.path("tools")), toolChoice(body.path("tool_choice")),
                responseFormat(body), sampling, reasoning(body.path("thinking"), body.path("output_config")),
                bool(body.path("stream"), "stream"), user(body.path("metadata")));
    }

    // ---------------------------------------------------------------------------------------------
    // System and messages

    private static List<ContentPart.Text> system(JsonNode system, String at) {
        if (system.isMissingNode() || system.isNull()) {
            return List.of();
        }
        if (system.isTextual()) {
            return system.asText().isEmpty() ? List.of() : List.of(new ContentPart.Text(system.asText()));
        }
        if (!system.isArray()) {
            throw ApiException.invalid(at, at + " must be a string or an array of text blocks");
        }
        List<ContentPart.Text> parts = new ArrayList<>();
        for (int i = 0; i < system.size(); i++) {
            String path = at + "[" + i + "]";
            JsonNode block = object(system.get(i), path);
            if (!"text".equals(block.path("type").asText())) {
                throw ApiException.invalid(path + ".type", "system blocks must be text blocks ({\"type\":\"text\","
                        + "\"text\":...})");
            }
            parts.add(new ContentPart.Text(string(block.path("text"), path + ".text"), cacheControl(block, path)));
        }
        return parts;
    }

    /**
     * The user and assistant turns. System turns inside the conversation join the system instructions (in
     * order): the canonical request, like most providers, keeps instructions apart from the turns.
     */
    private static List<Message> messages(JsonNode messages, List<ContentPart.Text> system) {
        if (messages.isMissingNode() || messages.isNull()) {
            throw ApiException.invalid("messages", "messages is required: the conversation, starting with a user turn");
        }
        if (!messages.isArray() || messages.isEmpty()) {
            throw ApiException.invalid("messages", "messages must be a non-empty array of {role, content} turns");
        }
        List<Message> out = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            String path = "messages[" + i + "]";
            JsonNode message = object(messages.get(i), path);
            String role = string(message.path("role"), path + ".role");
            if (role.equals("system")) {
                system.addAll(system(message.path("content"), path + ".content"));
                continue;
            }
            Message.Role canonical = switch (role) {
                case "user" -> Message.Role.USER;
                case "assistant" -> Message.Role.ASSISTANT;
                default -> throw ApiException.invalid(path + ".role", "role must be \"user\", \"assistant\" or"
                        + " \"system\", not \"" + role + "\"");
            };
            out.add(new Message(canonical, content(message.path("content"), path + ".content", canonical)));
        }
        return out;
    }

    private static List<ContentPart> content(JsonNode content, String path, Message.Role role) {
        if (content.isTextual()) {
            return List.of(new ContentPart.Text(content.asText()));
        }
        if (!content.isArray()) {
            throw ApiException.invalid(path, "content must be a string or an array of content blocks");
        }
        List<ContentPart> parts = new ArrayList<>();
        for (int i = 0; i < content.size(); i++) {
            parts.add(block(content.get(i), path + "[" + i + "]", role));
        }
        return parts;
    }

    private static ContentPart block(JsonNode node, String path, Message.Role role) {
        JsonNode block = object(node, path);
        String type = string(block.path("type"), path + ".type");
        return switch (type) {
            case "text" -> new ContentPart.Text(string(block.path("text"), path + ".text"), cacheControl(block, path));
            case "image" -> image(block, path);
            case "document" -> document(block, path);
            case "tool_use" -> {
                only(role, Message.Role.ASSISTANT, path, "tool_use");
                JsonNode input = block.path("input");
                if (!input.isMissingNode() && !input.isNull() && !input.isObject()) {
                    throw ApiException.invalid(path + ".input", "input must be a JSON object");
                }
                yield new ContentPart.ToolCall(string(block.path("id"), path + ".id"),
                        string(block.path("name"), path + ".name"), input.isObject() ? input.toString() : "{}");
            }
            case "tool_result" -> {
                only(role, Message.Role.USER, path, "tool_result");
                yield new ContentPart.ToolResult(string(block.path("tool_use_id"), path + ".tool_use_id"), null,
                        toolResultContent(block.path("content"), path + ".content"),
                        bool(block.path("is_error"), path + ".is_error"));
            }
            case "thinking" -> {
                only(role, Message.Role.ASSISTANT, path, "thinking");
                yield new ContentPart.Reasoning(string(block.path("thinking"), path + ".thinking"),
                        optionalString(block.path("signature"), path + ".signature"));
            }
            case "redacted_thinking" -> {
                only(role, Message.Role.ASSISTANT, path, "redacted_thinking");
                yield new ContentPart.RedactedReasoning(string(block.path("data"), path + ".data"));
            }
            case "server_tool_use", "web_search_tool_result", "web_fetch_tool_result", "code_execution_tool_result",
                 "bash_code_execution_tool_result", "text_editor_code_execution_tool_result", "mcp_tool_use",
                 "mcp_tool_result", "container_upload", "tool_search_tool_result" -> throw ApiException.invalid(
                    path + ".type", "'" + type + "' blocks belong to Anthropic's server tools, which the hub does not"
                            + " translate; leave them out of the conversation");
            default -> throw ApiException.invalid(path + ".type", "content blocks of type '" + type + "' are not"
                    + " supported; use text, image, document, tool_use, tool_result, thinking or redacted_thinking");
        };
    }

    private static void only(Message.Role actual, Message.Role expected, String path, String type) {
        if (actual != expected) {
            throw ApiException.invalid(path + ".type", type + " blocks belong in "
                    + (expected == Message.Role.USER ? "user" : "assistant") + " turns");
        }
    }

    private static List<ContentPart> toolResultContent(JsonNode content, String path) {
        if (content.isMissingNode() || content.isNull()) {
            return List.of();
        }
        if (content.isTextual()) {
            return List.of(new ContentPart.Text(content.asText()));
        }
        if (!content.isArray()) {
            throw ApiException.invalid(path, "a tool result's content must be a string or an array of text, image"
                    + " and document blocks");
        }
        List<ContentPart> parts = new ArrayList<>();
        for (int i = 0; i < content.size(); i++) {
            String inner = path + "[" + i + "]";
            JsonNode block = object(content.get(i), inner);
            String type = string(block.path("type"), inner + ".type");
            if (!type.equals("text") && !type.equals("image") && !type.equals("document")) {
                throw ApiException.invalid(inner + ".type", "a tool result may hold text, image and document blocks,"
                        + " not '" + type + "'");
            }
            parts.add(block(block, inner, Message.Role.USER));
        }
        return parts;
    }

    private static ContentPart.Image image(JsonNode block, String path) {
        JsonNode source = object(block.path("source"), path + ".source");
        String sourcePath = path + ".source";
        String type = string(source.path("type"), sourcePath + ".type");
        return switch (type) {
            case "base64" -> new ContentPart.Image(string(source.path("media_type"), sourcePath + ".media_type"),
                    string(source.path("data"), sourcePath + ".data"), null, null, cacheControl(block, path));
            case "url" -> new ContentPart.Image(null, null, string(source.path("url"), sourcePath + ".url"), null,
                    cacheControl(block, path));
            case "file" -> throw filesApi(sourcePath);
            default -> throw ApiException.invalid(sourcePath + ".type", "an image source is \"base64\" or \"url\", not \""
                    + type + "\"");
        };
    }

    private static ContentPart.Document document(JsonNode block, String path) {
        String sourcePath = path + ".source";
        JsonNode source = object(block.path("source"), sourcePath);
        String title = optionalString(block.path("title"), path + ".title");
        JsonNode cache = cacheControl(block, path);
        String type = string(source.path("type"), sourcePath + ".type");
        return switch (type) {
            case "base64" -> new ContentPart.Document(string(source.path("media_type"), sourcePath + ".media_type"),
                    string(source.path("data"), sourcePath + ".data"), null, title, cache);
            case "text" -> new ContentPart.Document("text/plain",
                    base64(string(source.path("data"), sourcePath + ".data")), null, title, cache);
            case "url" -> new ContentPart.Document("application/pdf", null,
                    string(source.path("url"), sourcePath + ".url"), title, cache);
            case "content" -> new ContentPart.Document("text/plain", base64(contentSourceText(source.path("content"),
                    sourcePath + ".content")), null, title, cache);
            case "file" -> throw filesApi(sourcePath);
            default -> throw ApiException.invalid(sourcePath + ".type", "a document source is \"base64\", \"text\","
                    + " \"url\" or \"content\", not \"" + type + "\"");
        };
    }

    /** A "content" document source is text (a string or text blocks); it travels as one plain-text document. */
    private static String contentSourceText(JsonNode content, String path) {
        if (content.isTextual()) {
            return content.asText();
        }
        if (!content.isArray()) {
            throw ApiException.invalid(path, "content must be a string or an array of text blocks");
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < content.size(); i++) {
            String inner = path + "[" + i + "]";
            JsonNode block = object(content.get(i), inner);
            if (!"text".equals(block.path("type").asText())) {
                throw ApiException.invalid(inner + ".type", "the hub reads only text blocks in a content document");
            }
            if (!text.isEmpty()) {
                text.append("\n\n");
            }
            text.append(string(block.path("text"), inner + ".text"));
        }
        return text.toString();
    }

    private static ApiException filesApi(String path) {
        return ApiException.invalid(path + ".type", "Files API ids are private to one Anthropic account, which the hub"
                + " may not route to; send the file inline as base64 or by URL");
    }

    // ---------------------------------------------------------------------------------------------
    // Tools, thinking, output format, metadata

    private static List<Tool> tools(JsonNode tools) {
        if (tools.isMissingNode() || tools.isNull()) {
            return List.of();
        }
        if (!tools.isArray()) {
            throw ApiException.invalid("tools", "tools must be an array of tool definitions");
        }
        List<Tool> out = new ArrayList<>();
        for (int i = 0; i < tools.size(); i++) {
            String path = "tools[" + i + "]";
            JsonNode tool = object(tools.get(i), path);
            JsonNode type = tool.path("type");
            if (!type.isMissingNode() && !type.isNull() && !"custom".equals(type.asText())) {
                throw ApiException.invalid(path, "'" + type.asText() + "' is one of Anthropic's server tools, which"
                        + " run inside Anthropic's API and cannot be translated for other providers; define it as a"
                        + " custom tool (name, description, input_schema) or leave it out");
            }
            JsonNode schema = tool.path("input_schema");
            if (!schema.isMissingNode() && !schema.isNull() && !schema.isObject()) {
                throw ApiException.invalid(path + ".input_schema", "input_schema must be a JSON Schema object");
            }
            out.add(new Tool(string(tool.path("name"), path + ".name"),
                    optionalString(tool.path("description"), path + ".description"),
                    schema.isObject() ? schema : null, cacheControl(tool, path)));
        }
        return out;
    }

    private static ToolChoice toolChoice(JsonNode choice) {
        if (choice.isMissingNode() || choice.isNull()) {
            return null;
        }
        JsonNode node = object(choice, "tool_choice");
        String type = string(node.path("type"), "tool_choice.type");
        JsonNode disable = node.path("disable_parallel_tool_use");
        Boolean parallel = disable.isMissingNode() || disable.isNull() ? null
                : !bool(disable, "tool_choice.disable_parallel_tool_use");
        return switch (type) {
            case "auto" -> new ToolChoice(ToolChoice.Mode.AUTO, null, parallel);
            case "any" -> new ToolChoice(ToolChoice.Mode.ANY, null, parallel);
            case "none" -> new ToolChoice(ToolChoice.Mode.NONE, null, null);
            case "tool" -> new ToolChoice(ToolChoice.Mode.TOOL, string(node.path("name"), "tool_choice.name"), parallel);
            default -> throw ApiException.invalid("tool_choice.type", "tool_choice.type must be auto, any, tool or none,"
                    + " not \"" + type + "\"");
        };
    }

    /**
     * Extended thinking. A budget stays a budget; adaptive thinking (the model decides how much) becomes thinking
     * at the effort {@code output_config.effort} names, or the provider's default effort.
     */
    private static Reasoning reasoning(JsonNode thinking, JsonNode outputConfig) {
        if (thinking.isMissingNode() || thinking.isNull()) {
            return null;
        }
        JsonNode node = object(thinking, "thinking");
        String type = string(node.path("type"), "thinking.type");
        return switch (type) {
            case "enabled" -> new Reasoning(true, null, integer(node.path("budget_tokens"), "thinking.budget_tokens"));
            case "adaptive", "between_tools" -> new Reasoning(true, effort(outputConfig.path("effort")), null);
            case "disabled" -> new Reasoning(false, null, null);
            default -> throw ApiException.invalid("thinking.type", "thinking.type must be enabled, adaptive or disabled,"
                    + " not \"" + type + "\"");
        };
    }

    private static String effort(JsonNode effort) {
        String value = optionalString(effort, "output_config.effort");
        if (value == null) {
            return null;
        }
        return switch (value) {
            case "low", "medium", "high" -> value;
            case "max", "xhigh" -> "high";
            default -> null;
        };
    }

    /** Structured output: {@code output_config.format}, or the earlier beta's {@code output_format}. */
    private static ResponseFormat responseFormat(ObjectNode body) {
        String path = "output_config.format";
        JsonNode format = body.path("output_config").path("format");
        if (format.isMissingNode() || format.isNull()) {
            path = "output_format";
            format = body.path("output_format");
        }
        if (format.isMissingNode() || format.isNull()) {
            return null;
        }
        JsonNode node = object(format, path);
        String type = string(node.path("type"), path + ".type");
        if (!type.equals("json_schema")) {
            throw ApiException.invalid(path + ".type", "the output format type must be \"json_schema\", not \"" + type + "\"");
        }
        JsonNode schema = object(node.path("schema"), path + ".schema");
        return new ResponseFormat(ResponseFormat.Kind.JSON_SCHEMA, null, schema, true);
    }

    private static String user(JsonNode metadata) {
        if (metadata.isMissingNode() || metadata.isNull()) {
            return null;
        }
        return optionalString(object(metadata, "metadata").path("user_id"), "metadata.user_id");
    }

    // ---------------------------------------------------------------------------------------------
    // Typed field access

    private static JsonNode object(JsonNode node, String path) {
        if (!node.isObject()) {
            throw ApiException.invalid(path, path + (node.isMissingNode() ? " is required" : " must be a JSON object"));
        }
        return node;
    }

    private static String string(JsonNode node, String path) {
        if (!node.isTextual()) {
            throw ApiException.invalid(path, path + (node.isMissingNode() || node.isNull() ? " is required"
                    : " must be a string"));
        }
        return node.asText();
    }

    private static String optionalString(JsonNode node, String path) {
        return node.isMissingNode() || node.isNull() ? null : string(node, path);
    }

    private static int integer(JsonNode node, String path) {
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw ApiException.invalid(path, path + (node.isMissingNode() || node.isNull() ? " is required"
                    : " must be an integer"));
        }
        return node.asInt();
    }

    private static Integer optionalInteger(JsonNode node, String path) {
        return node.isMissingNode() || node.isNull() ? null : integer(node, path);
    }

    private static Double number(JsonNode node, String path) {
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (!node.isNumber()) {
            throw ApiException.invalid(path, path + " must be a number");
        }
        return node.asDouble();
    }

    private static boolean bool(JsonNode node, String path) {
        if (node.isMissingNode() || node.isNull()) {
            return false;
        }
        if (!node.isBoolean()) {
            throw ApiException.invalid(path, path + " must be true or false");
        }
        return node.asBoolean();
    }

    private static List<String> strings(JsonNode node, String path) {
        if (node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw ApiException.invalid(path, path + " must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            out.add(string(node.get(i), path + "[" + i + "]"));
        }
        return out;
    }

    private static JsonNode cacheControl(JsonNode block, String path) {
        JsonNode cache = block.path("cache_control");
        if (cache.isMissingNode() || cache.isNull()) {
            return null;
        }
        return object(cache, path + ".cache_control");
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
