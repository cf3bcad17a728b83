package io.aigne.hub.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.gateway.canonical.ChatRequest;
import io.aigne.hub.gateway.canonical.ContentPart;
import io.aigne.hub.gateway.canonical.Message;
import io.aigne.hub.gateway.canonical.Reasoning;
import io.aigne.hub.gateway.canonical.Sampling;
import io.aigne.hub.gateway.canonical.Tool;
import io.aigne.hub.gateway.canonical.ToolChoice;
import io.aigne.hub.provider.MediaFetcher;
import io.aigne.hub.server.ApiException;
import io.aigne.hub.server.Json;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Builds the body of {@code POST /v1/messages} from a canonical chat request.
 *
 * <p>Anthropic wants strictly alternating user and assistant turns, tool results in user turns ahead of any other
 * content, and no empty text blocks; the canonical conversation is reshaped accordingly. Each part goes to the role
 * it belongs to whatever message carried it (a tool call is the assistant's, a tool result the user's), and
 * consecutive turns of one role are merged. Sampling settings Anthropic has no equivalent for (seed, presence and
 * frequency penalties) are left out rather than refused: OpenAI clients send them by default.
 */
final class AnthropicRequestMapper {
    /** Anthropic requires {@code max_tokens}; this is the hub's choice when the caller set none. */
    static final int DEFAULT_MAX_TOKENS = 4096;

    private static final String PDF = "application/pdf";
    private static final String PLAIN_TEXT = "text/plain";
    private static final String PARAM = "messages";

    private final MediaFetcher media;

    AnthropicRequestMapper(MediaFetcher media) {
        this.media = media;
    }

    ObjectNode body(ChatRequest request, String model, boolean stream, StructuredOutput output) {
        ObjectNode body = Json.object();
        body.put("model", model);
        boolean thinking = request.reasoning() != null && request.reasoning().enabled();
        sampling(body, request.sampling(), thinking ? request.reasoning() : null);
        ArrayNode system = system(request.system());
        if (!system.isEmpty()) {
            body.set("system", system);
        }
        body.set("messages", messages(request.messages()));
        tools(body, request, output, thinking);
        if (request.user() != null && !request.user().isBlank()) {
            body.putObject("metadata").put("user_id", request.user());
        }
        if (stream) {
            body.put("stream", true);
        }
        return body;
    }

    private static void sampling(ObjectNode body, Sampling sampling, Reasoning thinking) {
        Integer requested = sampling.maxTokens();
        int budget = thinking == null ? 0 : thinking.budgetOr(requested == null ? 0 : requested);
        // With thinking on, max_tokens covers the thinking too and must exceed its budget.
        int maxTokens = requested != null ? requested : budget + DEFAULT_MAX_TOKENS;
        body.put("max_tokens", maxTokens);
        if (thinking != null) {
            body.putObject("thinking").put("type", "enabled").put("budget_tokens", budget);
        }
        if (sampling.temperature() != null) {
            body.put("temperature", sampling.temperature());
        }
        if (sampling.topP() != null) {
            body.put("top_p", sampling.topP());
        }
        if (sampling.topK() != null) {
            body.put("top_k", sampling.topK());
        }
        if (!sampling.stop().isEmpty()) {
            ArrayNode stop = body.putArray("stop_sequences");
            sampling.stop().forEach(stop::add);
        }
    }

    private static ArrayNode system(List<ContentPart.Text> parts) {
        ArrayNode system = Json.MAPPER.createArrayNode();
        for (ContentPart.Text part : parts) {
            if (part.text() != null && !part.text().isEmpty()) {
                system.add(text(part));
            }
        }
        return system;
    }

    private ArrayNode messages(List<Message> messages) {
        List<Turn> turns = new ArrayList<>();
        for (Message message : messages) {
            String role = message.role() == Message.Role.ASSISTANT ? "assistant" : "user";
            for (ContentPart part : message.content()) {
                ObjectNode block = block(part);
                if (block != null) {
                    add(turns, roleOf(part, role), block);
                }
            }
        }
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (Turn turn : turns) {
            ObjectNode message = out.addObject();
            message.put("role", turn.role);
            ArrayNode content = message.putArray("content");
            if (turn.role.equals("user")) {
                // Anthropic reads the tool results of a user turn only ahead of its other content.
                turn.blocks.stream().filter(AnthropicRequestMapper::isToolResult).forEach(content::add);
                turn.blocks.stream().filter(b -> !isToolResult(b)).forEach(content::add);
            } else {
                turn.blocks.forEach(content::add);
            }
        }
        return out;
    }

    private record Turn(String role, List<ObjectNode> blocks) {
    }

    private static void add(List<Turn> turns, String role, ObjectNode block) {
        if (turns.isEmpty() || !turns.getLast().role.equals(role)) {
            turns.add(new Turn(role, new ArrayList<>()));
        }
        turns.getLast().blocks.add(block);
    }

    private static String roleOf(ContentPart part, String messageRole) {
        return switch (part) {
            case ContentPart.ToolCall ignored -> "assistant";
            case ContentPart.Reasoning ignored -> "assistant";
            case ContentPart.RedactedReasoning ignored -> "assistant";
            case ContentPart.ToolResult ignored -> "user";
            default -> messageRole;
        };
    }

    private static boolean isToolResult(ObjectNode block) {
        return "tool_result".equals(block.path("type").asText());
    }

    /** The block for a part, or null for a part Anthropic cannot take (empty text, unsigned reasoning). */
    private ObjectNode block(ContentPart part) {
        return switch (part) {
            case ContentPart.Text text -> text.text() == null || text.text().isEmpty() ? null : text(text);
            case ContentPart.Image image -> image(image);
            case ContentPart.Document document -> document(document);
            case ContentPart.ToolCall call -> toolUse(call);
            case ContentPart.ToolResult result -> toolResult(result);
            case ContentPart.Reasoning reasoning -> thinking(reasoning);
            case ContentPart.RedactedReasoning redacted -> {
                ObjectNode block = Json.object().put("type", "redacted_thinking");
                yield block.put("data", redacted.data());
            }
        };
    }

    private static ObjectNode text(ContentPart.Text text) {
        ObjectNode block = Json.object().put("type", "text").put("text", text.text());
        cacheControl(block, text.cacheControl());
        return block;
    }

    private ObjectNode image(ContentPart.Image image) {
        ObjectNode block = Json.object().put("type", "image");
        ObjectNode source = block.putObject("source");
        if (image.isInline()) {
            source.put("type", "base64").put("media_type", image.mediaType()).put("data", image.data());
        } else if (isDataUrl(image.url())) {
            MediaFetcher.Media decoded = MediaFetcher.decodeDataUrl(image.url(), PARAM);
            source.put("type", "base64").put("media_type", decoded.mediaType()).put("data", decoded.base64());
        } else {
            // Anthropic fetches image URLs itself.
            source.put("type", "url").put("url", image.url());
        }
        cacheControl(block, image.cacheControl());
        return block;
    }

    private ObjectNode document(ContentPart.Document document) {
        ObjectNode block = Json.object().put("type", "document");
        String mediaType = document.mediaType();
        if (document.data() != null && (mediaType == null || PDF.equals(mediaType))) {
            block.putObject("source").put("type", "base64").put("media_type", PDF).put("data", document.data());
        } else if (document.data() != null) {
            block.set("source", decodedSource(mediaType, decodeBase64(document.data())));
        } else if (isDataUrl(document.url())) {
            MediaFetcher.Media decoded = MediaFetcher.decodeDataUrl(document.url(), PARAM);
            block.set("source", decodedSource(decoded.mediaType(), decoded.bytes()));
        } else if (mediaType != null && mediaType.startsWith("text/")) {
            // Anthropic fetches only PDFs by URL; a text document is fetched here and sent as text.
            block.set("source", decodedSource(PLAIN_TEXT, media.fetch(document.url(), PARAM).bytes()));
        } else {
            block.putObject("source").put("type", "url").put("url", document.url());
        }
        if (document.title() != null) {
            block.put("title", document.title());
        }
        cacheControl(block, document.cacheControl());
        return block;
    }

    private static ObjectNode decodedSource(String mediaType, byte[] bytes) {
        ObjectNode source = Json.object();
        if (mediaType == null || PDF.equals(mediaType)) {
            return source.put("type", "base64").put("media_type", PDF).put("data",
                    Base64.getEncoder().encodeToString(bytes));
        }
        if (mediaType.startsWith("text/")) {
            return source.put("type", "text").put("media_type", PLAIN_TEXT)
                    .put("data", new String(bytes, StandardCharsets.UTF_8));
        }
        throw ApiException.invalid(PARAM, "Anthropic models read PDF and plain-text documents, not '" + mediaType
                + "'; convert the document to PDF or text");
    }

    private static ObjectNode toolUse(ContentPart.ToolCall call) {
        ObjectNode block = Json.object().put("type", "tool_use").put("id", call.id()).put("name", call.name());
        block.set("input", ToolInput.toInput(call.arguments()));
        return block;
    }

    private ObjectNode toolResult(ContentPart.ToolResult result) {
        ObjectNode block = Json.object().put("type", "tool_result").put("tool_use_id", result.callId());
        List<ObjectNode> content = new ArrayList<>();
        for (ContentPart part : result.content()) {
            ObjectNode inner = switch (part) {
                case ContentPart.Text ignored -> block(part);
                case ContentPart.Image ignored -> block(part);
                case ContentPart.Document ignored -> block(part);
                default -> null;
            };
            if (inner != null) {
                content.add(inner);
            }
        }
        if (content.size() == 1 && content.getFirst().path("type").asText().equals("text")
                && !content.getFirst().has("cache_control")) {
            block.put("content", content.getFirst().path("text").asText());
        } else if (!content.isEmpty()) {
            block.putArray("content").addAll(content);
        }
        if (result.isError()) {
            block.put("is_error", true);
        }
        return block;
    }

    /** Anthropic verifies the signature of replayed thinking; reasoning another provider produced has none. */
    private static ObjectNode thinking(ContentPart.Reasoning reasoning) {
        if (reasoning.signature() == null || reasoning.signature().isBlank()) {
            return null;
        }
        ObjectNode block = Json.object().put("type", "thinking");
        return block.put("thinking", reasoning.text() == null ? "" : reasoning.text())
                .put("signature", reasoning.signature());
    }

    private static void tools(ObjectNode body, ChatRequest request, StructuredOutput output, boolean thinking) {
        List<Tool> tools = new ArrayList<>(request.tools());
        if (output != null) {
            tools.add(output.tool());
        }
        if (tools.isEmpty()) {
            return;
        }
        ArrayNode array = body.putArray("tools");
        for (Tool tool : tools) {
            ObjectNode node = array.addObject().put("name", tool.name());
            if (tool.description() != null) {
                node.put("description", tool.description());
            }
            node.set("input_schema", inputSchema(tool.parameters()));
            cacheControl(node, tool.cacheControl());
        }
        ObjectNode choice = output != null ? output.toolChoice(request, thinking) : toolChoice(request.toolChoice());
        if (choice != null) {
            body.set("tool_choice", choice);
        }
    }

    /** Anthropic requires an object schema; OpenAI callers may send none, or {} for "no parameters". */
    private static JsonNode inputSchema(JsonNode parameters) {
        if (parameters == null || !parameters.isObject()) {
            return Json.object().put("type", "object");
        }
        if (parameters.has("type")) {
            return parameters;
        }
        ObjectNode copy = Json.object().put("type", "object");
        copy.setAll((ObjectNode) parameters);
        return copy;
    }

    private static ObjectNode toolChoice(ToolChoice choice) {
        if (choice == null) {
            return null;
        }
        ObjectNode node = Json.object();
        switch (choice.mode()) {
            case AUTO -> node.put("type", "auto");
            case ANY -> node.put("type", "any");
            case NONE -> {
                return node.put("type", "none");
            }
            case TOOL -> node.put("type", "tool").put("name", choice.name());
        }
        if (Boolean.FALSE.equals(choice.parallel())) {
            node.put("disable_parallel_tool_use", true);
        }
        return node;
    }

    private static void cacheControl(ObjectNode block, JsonNode cacheControl) {
        if (cacheControl != null && !cacheControl.isNull()) {
            block.set("cache_control", cacheControl);
        }
    }

    private static boolean isDataUrl(String url) {
        return url != null && url.regionMatches(true, 0, "data:", 0, 5);
    }

    private static byte[] decodeBase64(String data) {
        try {
            return Base64.getMimeDecoder().decode(data);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(PARAM, "a document's base64 data is malformed: " + e.getMessage());
        }
    }
}
