package io.aigne.hub.gateway.aigne;

import static io.aigne.hub.gateway.JsonFields.array;
import static io.aigne.hub.gateway.JsonFields.bool;
import static io.aigne.hub.gateway.JsonFields.number;
import static io.aigne.hub.gateway.JsonFields.object;
import static io.aigne.hub.gateway.JsonFields.path;
import static io.aigne.hub.gateway.JsonFields.positiveInt;
import static io.aigne.hub.gateway.JsonFields.requiredObject;
import static io.aigne.hub.gateway.JsonFields.requiredString;
import static io.aigne.hub.gateway.JsonFields.string;
import static io.aigne.hub.gateway.JsonFields.wrongType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.gateway.ContentParts;
import io.aigne.hub.gateway.FunctionTools;
import io.aigne.hub.gateway.ResponseFormats;
import io.aigne.hub.gateway.ToolChoices;
import io.aigne.hub.gateway.canonical.ChatRequest;
import io.aigne.hub.gateway.canonical.ChatResponse;
import io.aigne.hub.gateway.canonical.ContentPart;
import io.aigne.hub.gateway.canonical.Message;
import io.aigne.hub.gateway.canonical.Sampling;
import io.aigne.hub.gateway.canonical.Tool;
import io.aigne.hub.gateway.canonical.ToolChoice;
import io.aigne.hub.provider.MediaFetcher;
import io.aigne.hub.server.ApiException;
import io.aigne.hub.server.Json;
import io.aigne.hub.usage.Usage;

import java.util.ArrayList;
import java.util.List;

/**
 * The legacy "ai-kit" chat format of {@code /api/v2/chat/completions} ({@code @blocklet/aigne-hub} and the web
 * playground): camelCase OpenAI-like fields ({@code messages} or a single {@code prompt}, {@code toolCalls} with
 * arguments as JSON text, {@code toolCallId}, {@code imageUrl}, {@code topP}, {@code maxTokens},
 * {@code responseFormat.jsonSchema}), unknown fields ignored as the original strips them. Whole answers are
 * {@code {role, text, content, toolCalls?}}.
 */
final class LegacyChatCodec {
    static final String DEFAULT_MODEL = "openai/gpt-5-mini";

    private LegacyChatCodec() {
    }

    /** The model the body names, or the hub's default for this endpoint. */
    static String model(ObjectNode body) {
        String model = string(body, "model", "");
        return model == null || model.isBlank() ? DEFAULT_MODEL : model.strip();
    }

    static boolean streamRequested(ObjectNode body) {
        return Boolean.TRUE.equals(bool(body, "stream", ""));
    }

    static ChatRequest toCanonical(ObjectNode body, boolean stream) {
        String prompt = string(body, "prompt", "");
        ArrayNode messages = array(body, "messages", "");
        if ((prompt == null) == (messages == null)) {
            throw ApiException.invalid(prompt == null ? "messages" : "prompt", "send exactly one of 'messages' (an"
                    + " array such as [{\"role\": \"user\", \"content\": \"hi\"}]) and 'prompt' (a string)");
        }
        List<ContentPart.Text> system = new ArrayList<>();
        List<Message> turns = new ArrayList<>();
        if (prompt != null) {
            turns.add(Message.user(prompt));
        } else {
            if (messages.isEmpty()) {
                throw ApiException.invalid("messages", "'messages' must contain at least one message");
            }
            for (int i = 0; i < messages.size(); i++) {
                message(messages.get(i), "messages[" + i + "]", system, turns);
            }
        }
        if (turns.isEmpty()) {
            throw ApiException.invalid("messages", "'messages' needs at least one user message with content");
        }
        return new ChatRequest(model(body), system, turns, FunctionTools.read(body, "", LegacyChatCodec::tool),
                toolChoice(body), RESPONSE_FORMAT.read(body, ""), sampling(body), null, stream, null);
    }

    /** A whole answer: the text twice (as {@code text} and {@code content}), tool calls only when there are some. */
    static ObjectNode toJson(ChatResponse response) {
        ObjectNode out = Json.object();
        out.put("role", "assistant");
        out.put("text", response.text());
        out.put("content", response.text());
        if (!response.toolCalls().isEmpty()) {
            out.set("toolCalls", toolCalls(response.toolCalls()));
        }
        return out;
    }

    /** Tool calls with their arguments as JSON text, as this format has always carried them. */
    static ArrayNode toolCalls(List<ContentPart.ToolCall> calls) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        for (ContentPart.ToolCall call : calls) {
            ObjectNode node = array.addObject().put("id", call.id()).put("type", "function");
            node.putObject("function").put("name", call.name())
                    .put("arguments", call.arguments() == null || call.arguments().isBlank() ? "{}" : call.arguments());
        }
        return array;
    }

    static ObjectNode usage(Usage usage) {
        return Json.object().put("promptTokens", usage.inputTokens()).put("completionTokens", usage.outputTokens())
                .put("totalTokens", usage.inputTokens() + usage.outputTokens());
    }

    private static void message(JsonNode message, String at, List<ContentPart.Text> system, List<Message> turns) {
        if (!message.isObject()) {
            throw wrongType(at, "a message object with 'role' and 'content'");
        }
        String role = requiredString(message, "role", at);
        switch (role) {
            case "system" -> {
                String content = string(message, "content", at);
                if (content != null && !content.isEmpty()) {
                    system.add(new ContentPart.Text(content));
                }
            }
            case "user" -> user(turns, USER_CONTENT.read(message, at));
            case "assistant" -> assistant(message, at, turns);
            case "tool" -> {
                String callId = requiredString(message, "toolCallId", at);
                String content = requiredString(message, "content", at);
                user(turns, List.of(new ContentPart.ToolResult(callId, null, List.of(new ContentPart.Text(content)),
                        false)));
            }
            default -> throw ApiException.invalid(path(at, "role"), path(at, "role")
                    + " must be one of system, user, assistant, tool; got '" + role + "'");
        }
    }

    /** Tool results and the next question arrive as separate messages; providers want one user turn. */
    private static void user(List<Message> turns, List<ContentPart> parts) {
        if (parts.isEmpty()) {
            return;
        }
        Message.appendUserTurn(turns, parts);
    }

    /** User content: a string, or text and image_url parts; null or an empty string is no content at all. */
    private static final ContentParts<ContentPart> USER_CONTENT = ContentParts.<ContentPart>of(
            "a string or an array of text and image_url parts", ContentPart.Text::new,
            ContentParts.typed("a content part object with a 'type'", LegacyChatCodec::userPart)).dropEmptyText();

    private static ContentPart userPart(String type, JsonNode part, String at) {
        return switch (type) {
            case "text" -> ContentParts.text(part, at);
            case "image_url" -> image(part, at);
            default -> throw ApiException.invalid(path(at, "type"), path(at, "type")
                    + " must be text or image_url; got '" + type + "'");
        };
    }

    /** {@code {"type": "image_url", "imageUrl": {"url"}}}; the OpenAI spelling {@code image_url} is taken too. */
    private static ContentPart image(JsonNode part, String at) {
        String field = part.has("imageUrl") ? "imageUrl" : "image_url";
        ObjectNode image = requiredObject(part, field, at);
        String url = requiredString(image, "url", path(at, field));
        if (url.regionMatches(true, 0, "data:", 0, 5)) {
            MediaFetcher.Media media = MediaFetcher.decodeDataUrl(url, path(path(at, field), "url"));
            return ContentPart.Image.inline(media.mediaType(), media.base64());
        }
        return ContentPart.Image.link(url);
    }

    private static void assistant(JsonNode message, String at, List<Message> turns) {
        List<ContentPart> parts = new ArrayList<>();
        String content = string(message, "content", at);
        if (content != null && !content.isEmpty()) {
            parts.add(new ContentPart.Text(content));
        }
        ArrayNode calls = array(message, "toolCalls", at);
        if (calls != null) {
            for (int i = 0; i < calls.size(); i++) {
                String callPath = path(at, "toolCalls") + "[" + i + "]";
                JsonNode call = calls.get(i);
                ObjectNode function = requiredObject(call, "function", callPath);
                JsonNode arguments = function.get("arguments");
                String argumentsText = arguments == null || arguments.isNull() ? "{}"
                        : arguments.isTextual() ? arguments.asText() : Json.MAPPER.valueToTree(arguments).toString();
                parts.add(new ContentPart.ToolCall(requiredString(call, "id", callPath),
                        requiredString(function, "name", path(callPath, "function")), argumentsText));
            }
        }
        if (!parts.isEmpty()) {
            turns.add(new Message(Message.Role.ASSISTANT, parts));
        }
    }

    /** Tools are taken as the original took them: {@code type} unchecked, {@code parameters} required. */
    private static Tool tool(JsonNode tool, String at) {
        return FunctionTools.function(tool, at, true);
    }

    private static ToolChoice toolChoice(ObjectNode body) {
        return ToolChoices.read(body.get("toolChoice"), null,
                mode -> ApiException.invalid("toolChoice", "'toolChoice' must be auto, none, required or"
                        + " {\"type\": \"function\", \"function\": {\"name\": ...}}"),
                choice -> requiredString(requiredObject(choice, "function", "toolChoice"), "name",
                        "toolChoice.function"));
    }

    /** json_schema as given; json_object asks for any JSON object (the original let it fall back to text). */
    private static final ResponseFormats RESPONSE_FORMAT = ResponseFormats.of("responseFormat", "jsonSchema")
            .typeOptional().requireSchema();

    private static Sampling sampling(ObjectNode body) {
        return new Sampling(positiveInt(body, "maxTokens", ""), range(body, "temperature", 0, 2),
                range(body, "topP", 0.1, 1), null, List.of(), null, range(body, "presencePenalty", -2, 2),
                range(body, "frequencyPenalty", -2, 2));
    }

    private static Double range(ObjectNode body, String field, double min, double max) {
        Double value = number(body, field, "");
        if (value != null && (value < min || value > max)) {
            throw ApiException.invalid(field, "'" + field + "' must be from " + trim(min) + " to " + trim(max));
        }
        return value;
    }

    private static String trim(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
