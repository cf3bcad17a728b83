package io.aigne.hub.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.gateway.canonical.ChatRequest;
import io.aigne.hub.gateway.canonical.ContentPart;
import io.aigne.hub.gateway.canonical.Message;
import io.aigne.hub.gateway.canonical.ResponseFormat;
import io.aigne.hub.gateway.canonical.Sampling;
import io.aigne.hub.gateway.canonical.Tool;
import io.aigne.hub.gateway.canonical.ToolChoice;
import io.aigne.hub.provider.MediaFetcher;
import io.aigne.hub.server.ApiException;
import io.aigne.hub.server.Json;

import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Maps a canonical chat request to the body of Converse / ConverseStream.
 *
 * <ul>
 *   <li>Turns of the same role in a row are merged: Converse insists that user and assistant alternate.</li>
 *   <li>Blank text parts are left out: Converse refuses empty text blocks.</li>
 *   <li>{@code cacheControl} on a text, image, document or tool becomes a {@code cachePoint} block right after
 *       it (with Anthropic's {@code ttl} when one was given), which is how Converse marks a prompt-cache
 *       checkpoint in {@code system}, {@code messages} and {@code toolConfig.tools}.</li>
 *   <li>Images and documents given by URL are fetched (Converse only takes bytes).</li>
 *   <li>Tool results go back as {@code {text}} blocks (with their images and documents), never as
 *       {@code {json}}: the canonical result is the caller's text, which every model takes and which stays byte
 *       for byte what the caller sent. {@code status: error} is only sent to Claude and Nova, the models that take
 *       it.</li>
 *   <li>Reasoning is replayed only with its signature: without one Claude refuses the block, and other models'
 *       reasoning is not meant to be sent back.</li>
 *   <li>{@code topK} and thinking have no Converse field: they go to {@code additionalModelRequestFields} in the
 *       model's own dialect (Anthropic's {@code top_k} / {@code thinking}, Nova's {@code inferenceConfig.topK}).
 *       Thinking is only sent to Anthropic models. {@code seed}, the penalties and {@code user} have no Bedrock
 *       equivalent and are not sent.</li>
 *   <li>Converse has no "none" tool choice. Without tool blocks in the conversation the tools are simply left
 *       out; with them, Converse demands a {@code toolConfig}, so the tools are sent without a choice (the model
 *       may then still call one). A conversation with tool blocks but no tools gets placeholder specs named after
 *       the calls in it, for the same reason.</li>
 *   <li>Converse has no JSON mode that every model supports, so a JSON response format becomes a tool whose
 *       input schema is the wanted schema, forced with {@code toolChoice}; the adapter turns that tool's input back
 *       into the answer's text (see {@link Converse#jsonTool()}). Claude refuses forced tools while thinking, so
 *       with thinking on the tool is offered with {@code auto}.</li>
 * </ul>
 */
final class ConverseRequestMapper {
    static final String JSON_TOOL = "json_response";
    /** The room left for the answer itself when thinking is on and the caller set no output limit. */
    private static final int ANSWER_TOKENS_BESIDES_THINKING = 4096;

    /** The request body, and the name of the JSON-mode tool when the answer must be JSON (else null). */
    record Converse(ObjectNode body, String jsonTool) {
    }

    private final MediaFetcher media;

    ConverseRequestMapper(MediaFetcher media) {
        this.media = media;
    }

    Converse map(String modelId, ChatRequest request) {
        boolean anthropic = isAnthropic(modelId);
        ObjectNode body = Json.object();
        ArrayNode messages = messages(request, anthropic || isNova(modelId));
        body.set("messages", messages);
        ArrayNode system = Json.MAPPER.createArrayNode();
        for (ContentPart.Text part : request.system()) {
            addText(system, part.text(), part.cacheControl());
        }
        if (!system.isEmpty()) {
            body.set("system", system);
        }

        Sampling sampling = request.sampling();
        boolean thinking = anthropic && request.reasoning() != null && request.reasoning().enabled();
        ObjectNode inference = Json.object();
        Integer maxTokens = sampling.maxTokens();
        ObjectNode additional = Json.object();
        if (thinking) {
            int budget = request.reasoning().budgetOr(maxTokens == null ? 0 : maxTokens);
            additional.putObject("thinking").put("type", "enabled").put("budget_tokens", budget);
            if (maxTokens == null) {
                // Claude needs max_tokens above the thinking budget; Bedrock's default may be below it.
                maxTokens = budget + ANSWER_TOKENS_BESIDES_THINKING;
            }
        }
        if (maxTokens != null) {
            inference.put("maxTokens", maxTokens);
        }
        if (sampling.temperature() != null) {
            inference.put("temperature", sampling.temperature());
        }
        if (sampling.topP() != null) {
            inference.put("topP", sampling.topP());
        }
        if (!sampling.stop().isEmpty()) {
            ArrayNode stops = inference.putArray("stopSequences");
            sampling.stop().forEach(stops::add);
            if (anthropic) {
                body.putArray("additionalModelResponseFieldPaths").add("/stop_sequence");
            }
        }
        if (!inference.isEmpty()) {
            body.set("inferenceConfig", inference);
        }
        if (sampling.topK() != null) {
            if (isNova(modelId)) {
                additional.putObject("inferenceConfig").put("topK", sampling.topK());
            } else {
                additional.put("top_k", sampling.topK());
            }
        }
        if (!additional.isEmpty()) {
            body.set("additionalModelRequestFields", additional);
        }

        String jsonTool = toolConfig(body, request, messages, thinking);
        return new Converse(body, jsonTool);
    }

    static boolean isAnthropic(String modelId) {
        String id = modelId.toLowerCase(Locale.ROOT);
        return id.contains("anthropic") || id.contains("claude");
    }

    static boolean isNova(String modelId) {
        return modelId.toLowerCase(Locale.ROOT).contains("amazon.nova");
    }

    // ---------------------------------------------------------------------------------------------
    // messages

    private ArrayNode messages(ChatRequest request, boolean toolResultStatus) {
        ArrayNode messages = Json.MAPPER.createArrayNode();
        String lastRole = null;
        ArrayNode lastContent = null;
        int documents = 0;
        for (Message message : request.messages()) {
            ArrayNode blocks = Json.MAPPER.createArrayNode();
            for (ContentPart part : message.content()) {
                documents = addPart(blocks, part, message.role(), documents, toolResultStatus);
            }
            if (blocks.isEmpty()) {
                continue;
            }
            String role = message.role() == Message.Role.USER ? "user" : "assistant";
            if (role.equals(lastRole)) {
                lastContent.addAll(blocks);
            } else {
                ObjectNode turn = messages.addObject();
                turn.put("role", role);
                lastContent = turn.putArray("content");
                lastContent.addAll(blocks);
                lastRole = role;
            }
        }
        return messages;
    }

    /** Adds the blocks of one part; returns the number of documents named so far. */
    private int addPart(ArrayNode blocks, ContentPart part, Message.Role role, int documents,
                        boolean toolResultStatus) {
        switch (part) {
            case ContentPart.Text text -> addText(blocks, text.text(), text.cacheControl());
            case ContentPart.Image image -> {
                blocks.addObject().set("image", image(image));
                addCachePoint(blocks, image.cacheControl());
            }
            case ContentPart.Document document -> {
                blocks.addObject().set("document", document(document, ++documents));
                addCachePoint(blocks, document.cacheControl());
            }
            case ContentPart.ToolCall call -> {
                if (role == Message.Role.ASSISTANT) {
                    ObjectNode toolUse = blocks.addObject().putObject("toolUse");
                    toolUse.put("toolUseId", call.id());
                    toolUse.put("name", call.name());
                    toolUse.set("input", arguments(call));
                }
            }
            case ContentPart.ToolResult result -> {
                ObjectNode toolResult = blocks.addObject().putObject("toolResult");
                toolResult.put("toolUseId", result.callId());
                ArrayNode content = toolResult.putArray("content");
                for (ContentPart inner : result.content()) {
                    switch (inner) {
                        case ContentPart.Text text when !text.text().isBlank() -> content.addObject().put("text", text.text());
                        case ContentPart.Image image -> content.addObject().set("image", image(image));
                        case ContentPart.Document document ->
                                content.addObject().set("document", document(document, ++documents));
                        default -> { }
                    }
                }
                // Only Claude and Nova take a status; success is the default everywhere.
                if (result.isError() && toolResultStatus) {
                    toolResult.put("status", "error");
                }
            }
            case ContentPart.Reasoning reasoning -> {
                if (role == Message.Role.ASSISTANT && reasoning.signature() != null && reasoning.text() != null) {
                    ObjectNode text = blocks.addObject().putObject("reasoningContent").putObject("reasoningText");
                    text.put("text", reasoning.text());
                    text.put("signature", reasoning.signature());
                }
            }
            case ContentPart.RedactedReasoning redacted -> {
                if (role == Message.Role.ASSISTANT && redacted.data() != null) {
                    blocks.addObject().putObject("reasoningContent").put("redactedContent", redacted.data());
                }
            }
        }
        return documents;
    }

    private static void addText(ArrayNode blocks, String text, JsonNode cacheControl) {
        if (text == null || text.isBlank()) {
            return;
        }
        blocks.addObject().put("text", text);
        addCachePoint(blocks, cacheControl);
    }

    private static void addCachePoint(ArrayNode blocks, JsonNode cacheControl) {
        if (cacheControl == null || cacheControl.isNull() || cacheControl.isMissingNode()) {
            return;
        }
        ObjectNode point = blocks.addObject().putObject("cachePoint");
        point.put("type", "default");
        JsonNode ttl = cacheControl.path("ttl");
        if (ttl.isTextual()) {
            point.put("ttl", ttl.asText());
        }
    }

    private ObjectNode image(ContentPart.Image image) {
        String mediaType;
        String base64;
        if (image.isInline()) {
            mediaType = image.mediaType();
            base64 = image.data();
        } else {
            MediaFetcher.Media fetched = media.fetch(image.url(), "messages");
            mediaType = fetched.mediaType();
            base64 = fetched.base64();
        }
        ObjectNode block = Json.object();
        block.put("format", imageFormat(mediaType));
        block.putObject("source").put("bytes", base64);
        return block;
    }

    static String imageFormat(String mediaType) {
        String type = mediaType == null ? "" : mediaType.toLowerCase(Locale.ROOT).strip();
        return switch (type) {
            case "image/png" -> "png";
            case "image/jpeg", "image/jpg", "image/pjpeg" -> "jpeg";
            case "image/gif" -> "gif";
            case "image/webp" -> "webp";
            default -> throw ApiException.invalid("messages", "Bedrock takes PNG, JPEG, GIF and WebP images, not '"
                    + (type.isEmpty() ? "an image of unknown type" : type) + "'; convert the image to one of those");
        };
    }

    private ObjectNode document(ContentPart.Document document, int number) {
        String mediaType;
        String base64;
        if (document.data() != null) {
            mediaType = document.mediaType();
            base64 = document.data();
        } else if (document.url() != null) {
            MediaFetcher.Media fetched = media.fetch(document.url(), "messages");
            mediaType = fetched.mediaType();
            base64 = fetched.base64();
        } else {
            throw ApiException.invalid("messages", "a document needs its data (base64) or a URL");
        }
        ObjectNode block = Json.object();
        block.put("format", documentFormat(mediaType));
        block.put("name", documentName(document.title(), number));
        block.putObject("source").put("bytes", base64);
        return block;
    }

    static String documentFormat(String mediaType) {
        String type = mediaType == null ? "" : mediaType.toLowerCase(Locale.ROOT).strip();
        int semicolon = type.indexOf(';');
        if (semicolon >= 0) {
            type = type.substring(0, semicolon).strip();
        }
        return switch (type) {
            case "application/pdf" -> "pdf";
            case "text/csv" -> "csv";
            case "application/msword" -> "doc";
            case "application/vnd.openxmlformats-officedocument.wordprocessingml.document" -> "docx";
            case "application/vnd.ms-excel" -> "xls";
            case "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" -> "xlsx";
            case "text/html" -> "html";
            case "text/plain" -> "txt";
            case "text/markdown" -> "md";
            default -> throw ApiException.invalid("messages", "Bedrock takes documents as PDF, CSV, DOC, DOCX, XLS,"
                    + " XLSX, HTML, plain text or Markdown, not '" + (type.isEmpty() ? "unknown" : type) + "'");
        };
    }

    /**
     * A name Converse accepts (letters, digits, single spaces, hyphens, parentheses, square brackets), unique in the
     * request because the number is part of it when the title is missing or reduces to nothing.
     */
    static String documentName(String title, int number) {
        if (title != null) {
            String cleaned = title.replaceAll("[^A-Za-z0-9\\s\\-()\\[\\]]", " ").replaceAll("\\s+", " ").strip();
            if (!cleaned.isEmpty()) {
                return cleaned.length() > 200 ? cleaned.substring(0, 200).strip() : cleaned;
            }
        }
        return "document-" + number;
    }

    private static JsonNode arguments(ContentPart.ToolCall call) {
        String arguments = call.arguments();
        if (arguments == null || arguments.isBlank()) {
            return Json.object();
        }
        try {
            return Json.MAPPER.readTree(arguments);
        } catch (IOException e) {
            throw ApiException.invalid("messages", "the arguments of tool call '" + call.id()
                    + "' are not valid JSON; send them as the JSON object the model produced");
        }
    }

    // ---------------------------------------------------------------------------------------------
    // tools

    /** Sets {@code toolConfig} as the request's tools, choice and response format need; returns the JSON tool. */
    private static String toolConfig(ObjectNode body, ChatRequest request, ArrayNode messages, boolean thinking) {
        ToolChoice choice = request.toolChoice();
        boolean none = choice != null && choice.mode() == ToolChoice.Mode.NONE;
        boolean toolHistory = hasToolBlocks(messages);
        ResponseFormat format = request.responseFormat();
        boolean json = format != null && format.kind() != ResponseFormat.Kind.TEXT;
        boolean callerTools = !request.tools().isEmpty() && !none;

        ArrayNode tools = Json.MAPPER.createArrayNode();
        Set<String> names = new LinkedHashSet<>();
        if (callerTools || (toolHistory && !request.tools().isEmpty())) {
            for (Tool tool : request.tools()) {
                addTool(tools, tool.name(), tool.description(), tool.parameters(), tool.cacheControl());
                names.add(tool.name());
            }
        } else if (toolHistory) {
            for (String name : calledTools(messages)) {
                addTool(tools, name, "A tool used earlier in this conversation", null, null);
                names.add(name);
            }
        }
        String jsonTool = null;
        if (json) {
            jsonTool = JSON_TOOL;
            for (int n = 2; names.contains(jsonTool); n++) {
                jsonTool = JSON_TOOL + "_" + n;
            }
            JsonNode schema = format.kind() == ResponseFormat.Kind.JSON_SCHEMA && format.schema() != null
                    ? format.schema() : Json.object().put("type", "object");
            String description = "Give the final answer by calling this tool with it as the input"
                    + (format.name() != null ? " (" + format.name() + ")" : "") + ".";
            addTool(tools, jsonTool, description, schema, null);
        }
        if (tools.isEmpty()) {
            return null;
        }
        ObjectNode config = body.putObject("toolConfig");
        config.set("tools", tools);
        ObjectNode toolChoice = toolChoice(choice, callerTools, jsonTool, thinking);
        if (toolChoice != null) {
            config.set("toolChoice", toolChoice);
        }
        return jsonTool;
    }

    private static ObjectNode toolChoice(ToolChoice choice, boolean callerTools, String jsonTool, boolean thinking) {
        ObjectNode node = Json.object();
        if (jsonTool != null) {
            if (thinking) {
                node.putObject("auto");
            } else if (callerTools && choice != null && choice.mode() == ToolChoice.Mode.TOOL) {
                node.putObject("tool").put("name", choice.name());
            } else if (callerTools) {
                // Either a real tool call or the answer through the JSON tool, never free text.
                node.putObject("any");
            } else {
                node.putObject("tool").put("name", jsonTool);
            }
            return node;
        }
        if (choice == null || !callerTools) {
            return null;
        }
        switch (choice.mode()) {
            case AUTO -> node.putObject("auto");
            case ANY -> node.putObject("any");
            case TOOL -> node.putObject("tool").put("name", choice.name());
            case NONE -> {
                return null;
            }
        }
        return node;
    }

    private static void addTool(ArrayNode tools, String name, String description, JsonNode parameters,
                                JsonNode cacheControl) {
        ObjectNode spec = tools.addObject().putObject("toolSpec");
        spec.put("name", name);
        if (description != null && !description.isBlank()) {
            spec.put("description", description);
        }
        JsonNode schema = parameters == null || parameters.isNull() || parameters.isMissingNode()
                ? Json.object().put("type", "object").set("properties", Json.object()) : parameters;
        spec.putObject("inputSchema").set("json", schema);
        addCachePoint(tools, cacheControl);
    }

    private static boolean hasToolBlocks(ArrayNode messages) {
        for (JsonNode message : messages) {
            for (JsonNode block : message.path("content")) {
                if (block.has("toolUse") || block.has("toolResult")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Set<String> calledTools(ArrayNode messages) {
        Set<String> names = new LinkedHashSet<>();
        for (JsonNode message : messages) {
            for (JsonNode block : message.path("content")) {
                JsonNode name = block.path("toolUse").path("name");
                if (name.isTextual()) {
                    names.add(name.asText());
                }
            }
        }
        return names;
    }
}
