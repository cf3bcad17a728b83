package io.aigne.hub.gateway.openai;

import static io.aigne.hub.gateway.JsonFields.array;
import static io.aigne.hub.gateway.JsonFields.bool;
import static io.aigne.hub.gateway.JsonFields.integer;
import static io.aigne.hub.gateway.JsonFields.isSet;
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
import io.aigne.hub.gateway.canonical.ContentPart;
import io.aigne.hub.gateway.canonical.Message;
import io.aigne.hub.gateway.canonical.Reasoning;
import io.aigne.hub.gateway.canonical.Sampling;
import io.aigne.hub.gateway.canonical.Tool;
import io.aigne.hub.gateway.canonical.ToolChoice;
import io.aigne.hub.provider.MediaFetcher;
import io.aigne.hub.server.ApiException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A Chat Completions request body in canonical terms, for calls routed to a provider of another wire format.
 * Options whose effect a translated call would silently lose are refused with a 400 naming them; options that
 * only tune OpenAI's own service (metadata, store, service_tier, prompt caching keys, verbosity...) are ignored.
 */
final class OpenAiRequestMapper {
    private OpenAiRequestMapper() {
    }

    static ChatRequest toCanonical(ObjectNode body) {
        String model = requiredString(body, "model", "");
        refuseUntranslatable(body);
        ArrayNode messages = array(body, "messages", "");
        if (messages == null || messages.isEmpty()) {
            throw ApiException.invalid("messages", "'messages' is required: an array such as "
                    + "[{\"role\": \"user\", \"content\": \"Hello\"}]");
        }
        Conversation conversation = new Conversation();
        for (int i = 0; i < messages.size(); i++) {
            conversation.add(messages.get(i), "messages[" + i + "]");
        }
        String user = string(body, "user", "");
        String safetyIdentifier = string(body, "safety_identifier", "");
        List<Tool> tools = FunctionTools.read(body, "", OpenAiRequestMapper::tool);
        return new ChatRequest(model, conversation.system, conversation.turns, tools, toolChoice(body),
                RESPONSE_FORMAT.read(body, ""), sampling(body), reasoning(body),
                Boolean.TRUE.equals(bool(body, "stream", "")),
                user != null ? user : safetyIdentifier);
    }

    /** Whether a streaming caller asked for the usage chunk ({@code stream_options.include_usage}). */
    static boolean includeUsage(ObjectNode body) {
        ObjectNode options = object(body, "stream_options", "");
        return options != null && Boolean.TRUE.equals(bool(options, "include_usage", "stream_options"));
    }

    private static void refuseUntranslatable(ObjectNode body) {
        Long n = integer(body, "n", "");
        if (n != null && n != 1) {
            throw ApiException.invalid("n", "'n' must be 1 for this model: its provider returns one choice per"
                    + " call; make several calls to get several answers");
        }
        if (Boolean.TRUE.equals(bool(body, "logprobs", ""))) {
            throw openAiOnly("logprobs", "token log probabilities");
        }
        if (isSet(body, "top_logprobs")) {
            throw openAiOnly("top_logprobs", "token log probabilities");
        }
        if (isSet(body, "audio")) {
            throw openAiOnly("audio", "audio output");
        }
        ArrayNode modalities = array(body, "modalities", "");
        if (modalities != null) {
            for (JsonNode modality : modalities) {
                if ("audio".equals(modality.asText())) {
                    throw openAiOnly("modalities", "audio output");
                }
            }
        }
        ObjectNode logitBias = object(body, "logit_bias", "");
        if (logitBias != null && !logitBias.isEmpty()) {
            throw openAiOnly("logit_bias", "token biases");
        }
        if (isSet(body, "web_search_options")) {
            throw openAiOnly("web_search_options", "OpenAI's web search");
        }
        for (String legacy : List.of("functions", "function_call")) {
            if (isSet(body, legacy)) {
                throw ApiException.invalid(legacy, "'" + legacy + "' is OpenAI's deprecated function calling, which"
                        + " the hub does not translate; declare the functions in 'tools' and use 'tool_choice'");
            }
        }
    }

    /**
     * Builds the canonical conversation: system and developer messages join the system instructions wherever they
     * stand; tool messages become tool results in a user turn, and consecutive user turns (tool results followed
     * by the user's next message) merge into one, since several providers require user and assistant to alternate.
     */
    private static final class Conversation {
        final List<ContentPart.Text> system = new ArrayList<>();
        final List<Message> turns = new ArrayList<>();
        final Map<String, String> toolNames = new HashMap<>();

        void add(JsonNode message, String at) {
            if (!message.isObject()) {
                throw wrongType(at, "a message object with 'role' and 'content'");
            }
            String role = requiredString(message, "role", at);
            switch (role) {
                case "system", "developer" -> system.addAll(TEXTS.read(message, at));
                case "user" -> user(USER_CONTENT.read(message, at));
                case "assistant" -> assistant(message, at);
                case "tool" -> tool(message, at);
                case "function" -> throw ApiException.invalid(path(at, "role"), "the 'function' role is OpenAI's"
                        + " deprecated function calling, which the hub does not translate; answer tool calls with"
                        + " 'tool' messages");
                default -> throw ApiException.invalid(path(at, "role"), "'" + path(at, "role") + "' must be one of"
                        + " system, developer, user, assistant, tool; got '" + role + "'");
            }
        }

        private void user(List<ContentPart> parts) {
            Message.appendUserTurn(turns, parts);
        }

        private void assistant(JsonNode message, String at) {
            if (isSet(message, "function_call")) {
                throw ApiException.invalid(path(at, "function_call"), "'function_call' is OpenAI's deprecated"
                        + " function calling, which the hub does not translate; send the calls as 'tool_calls'");
            }
            List<ContentPart> parts = new ArrayList<>();
            String reasoning = string(message, "reasoning_content", at);
            if (reasoning != null && !reasoning.isEmpty()) {
                parts.add(new ContentPart.Reasoning(reasoning, null));
            }
            parts.addAll(ASSISTANT_CONTENT.read(message, at));
            String refusal = string(message, "refusal", at);
            if (refusal != null && !refusal.isEmpty()) {
                parts.add(new ContentPart.Text(refusal));
            }
            ArrayNode calls = array(message, "tool_calls", at);
            if (calls != null) {
                for (int i = 0; i < calls.size(); i++) {
                    ContentPart.ToolCall call = toolCall(calls.get(i), path(at, "tool_calls") + "[" + i + "]");
                    toolNames.put(call.id(), call.name());
                    parts.add(call);
                }
            }
            if (!parts.isEmpty()) {
                turns.add(new Message(Message.Role.ASSISTANT, parts));
            }
        }

        private void tool(JsonNode message, String at) {
            String callId = requiredString(message, "tool_call_id", at);
            List<ContentPart> content = List.copyOf(TEXTS.read(message, at));
            user(List.of(new ContentPart.ToolResult(callId, toolNames.get(callId), content, false)));
        }
    }

    /** System, developer and tool messages: a string, or an array of text parts. */
    private static final ContentParts<ContentPart.Text> TEXTS = ContentParts.<ContentPart.Text>of(
            "a string or an array of text parts", ContentPart.Text::new,
            ContentParts.textOnly(ContentParts.TEXT_PART, ContentParts::text)).required(ContentParts.REQUIRED);

    private static final ContentParts<ContentPart> USER_CONTENT = ContentParts.<ContentPart>of(
            "a string or an array of content parts", ContentPart.Text::new,
            ContentParts.typed("a content part object with a 'type'", OpenAiRequestMapper::userPart))
            .required(ContentParts.REQUIRED);

    /** Assistant content: a string, or text and refusal parts; null or an empty string when it only calls tools. */
    private static final ContentParts<ContentPart> ASSISTANT_CONTENT = ContentParts.<ContentPart>of(
            "a string, an array of text parts, or null", ContentPart.Text::new,
            ContentParts.typed("a content part object", OpenAiRequestMapper::assistantPart)).dropEmptyText();

    private static ContentPart userPart(String type, JsonNode part, String at) {
        return switch (type) {
            case "text" -> ContentParts.text(part, at);
            case "image_url" -> image(part, at);
            case "file" -> file(part, at);
            case "input_audio" -> throw openAiOnly(path(at, "type"), "audio input");
            default -> throw ApiException.invalid(path(at, "type"), "'" + path(at, "type") + "' must be text,"
                    + " image_url or file; got '" + type + "'");
        };
    }

    private static ContentPart assistantPart(String type, JsonNode part, String at) {
        return switch (type) {
            case "text" -> ContentParts.text(part, at);
            case "refusal" -> new ContentPart.Text(requiredString(part, "refusal", at));
            default -> throw ApiException.invalid(path(at, "type"), "'" + path(at, "type")
                    + "' must be text or refusal in an assistant message; got '" + type + "'");
        };
    }

    /** {@code image_url} is an object with {@code url} and {@code detail}; some clients send the URL string itself. */
    private static ContentPart.Image image(JsonNode part, String at) {
        String url;
        String detail = null;
        String imagePath = path(at, "image_url");
        JsonNode imageUrl = part.get("image_url");
        if (imageUrl != null && imageUrl.isTextual()) {
            url = imageUrl.asText();
        } else {
            ObjectNode image = requiredObject(part, "image_url", at);
            url = requiredString(image, "url", imagePath);
            detail = string(image, "detail", imagePath);
        }
        if (url.regionMatches(true, 0, "data:", 0, 5)) {
            MediaFetcher.Media media = MediaFetcher.decodeDataUrl(url, path(imagePath, "url"));
            return new ContentPart.Image(media.mediaType(), media.base64(), null, detail, null);
        }
        return new ContentPart.Image(null, null, url, detail, null);
    }

    /**
     * A file part carries its bytes in {@code file_data}: a data URL (what OpenAI's guides and SDKs send) or bare
     * base64, whose type then follows the file name (PDF unless it names a text file).
     */
    private static ContentPart.Document file(JsonNode part, String at) {
        String filePath = path(at, "file");
        ObjectNode file = requiredObject(part, "file", at);
        String filename = string(file, "filename", filePath);
        String data = string(file, "file_data", filePath);
        if (data == null) {
            if (isSet(file, "file_id")) {
                throw ApiException.invalid(path(filePath, "file_id"), "files uploaded to OpenAI ('file_id') can only"
                        + " be read by OpenAI itself; send the file's contents in 'file_data' as a data URL");
            }
            throw ApiException.invalid(path(filePath, "file_data"), "'" + path(filePath, "file_data")
                    + "' is required: the file as a data URL such as data:application/pdf;base64,...");
        }
        if (data.regionMatches(true, 0, "data:", 0, 5)) {
            MediaFetcher.Media media = MediaFetcher.decodeDataUrl(data, path(filePath, "file_data"));
            return new ContentPart.Document(media.mediaType(), media.base64(), null, filename, null);
        }
        String lower = filename == null ? "" : filename.toLowerCase(Locale.ROOT);
        String mediaType = lower.endsWith(".txt") || lower.endsWith(".md") ? "text/plain" : "application/pdf";
        return new ContentPart.Document(mediaType, data, null, filename, null);
    }

    private static ContentPart.ToolCall toolCall(JsonNode call, String at) {
        if (!call.isObject()) {
            throw wrongType(at, "a tool call object");
        }
        String type = string(call, "type", at);
        if (type != null && !type.equals("function")) {
            throw ApiException.invalid(path(at, "type"), "only 'function' tool calls can be sent to this model; got '"
                    + type + "'");
        }
        String id = requiredString(call, "id", at);
        ObjectNode function = requiredObject(call, "function", at);
        String name = requiredString(function, "name", path(at, "function"));
        String arguments = string(function, "arguments", path(at, "function"));
        return new ContentPart.ToolCall(id, name, arguments == null ? "{}" : arguments);
    }

    /** Function tools only: {@code type} is required, and the declaration's {@code parameters} optional. */
    private static Tool tool(JsonNode node, String at) {
        ObjectNode tool = FunctionTools.toolObject(node, at);
        String type = requiredString(tool, "type", at);
        if (!type.equals("function")) {
            throw ApiException.invalid(path(at, "type"), "only 'function' tools can be sent to this model; got '"
                    + type + "'");
        }
        return FunctionTools.function(tool, at, false);
    }

    private static ToolChoice toolChoice(ObjectNode body) {
        return ToolChoices.read(body.get("tool_choice"), bool(body, "parallel_tool_calls", ""),
                mode -> ApiException.invalid("tool_choice", "'tool_choice' must be \"auto\", \"none\", \"required\""
                        + " or {\"type\": \"function\", \"function\": {\"name\": ...}}"),
                OpenAiRequestMapper::namedTool);
    }

    /** {@code {"type": "function", "function": {"name": ...}}}: the one tool the model must call. */
    private static String namedTool(JsonNode choice) {
        if (!choice.isObject()) {
            throw wrongType("tool_choice", "a string or an object");
        }
        String type = requiredString(choice, "type", "tool_choice");
        if (!type.equals("function")) {
            throw ApiException.invalid("tool_choice.type", "only a 'function' tool choice can be sent to this model;"
                    + " got '" + type + "'");
        }
        ObjectNode function = requiredObject(choice, "function", "tool_choice");
        return requiredString(function, "name", "tool_choice.function");
    }

    private static final ResponseFormats RESPONSE_FORMAT = ResponseFormats.of("response_format", "json_schema");

    /** {@code max_completion_tokens} is OpenAI's current name; {@code max_tokens} the one older clients send. */
    private static Sampling sampling(ObjectNode body) {
        Integer maxTokens = positiveInt(body, "max_completion_tokens", "");
        if (maxTokens == null) {
            maxTokens = positiveInt(body, "max_tokens", "");
        }
        Long topK = integer(body, "top_k", "");
        return new Sampling(maxTokens, number(body, "temperature", ""), number(body, "top_p", ""),
                topK == null ? null : topK.intValue(), stop(body), integer(body, "seed", ""),
                number(body, "presence_penalty", ""), number(body, "frequency_penalty", ""));
    }

    private static List<String> stop(ObjectNode body) {
        JsonNode stop = body.get("stop");
        if (stop == null || stop.isNull()) {
            return List.of();
        }
        if (stop.isTextual()) {
            return List.of(stop.asText());
        }
        if (!stop.isArray()) {
            throw wrongType("stop", "a string or an array of strings");
        }
        List<String> sequences = new ArrayList<>();
        for (int i = 0; i < stop.size(); i++) {
            if (!stop.get(i).isTextual()) {
                throw wrongType("stop[" + i + "]", "a string");
            }
            sequences.add(stop.get(i).asText());
        }
        return sequences;
    }

    /** {@code reasoning_effort: "none"} turns thinking off; any other effort turns it on at that level. */
    private static Reasoning reasoning(ObjectNode body) {
        String effort = string(body, "reasoning_effort", "");
        if (effort == null) {
            return null;
        }
        return new Reasoning(!effort.equals("none"), effort, null);
    }

    /** A 400 for an option only OpenAI-wire providers understand, which a translated call would silently lose. */
    static ApiException openAiOnly(String path, String what) {
        return ApiException.invalid(path, "'" + path + "' (" + what + ") is only supported by OpenAI-compatible"
                + " providers; remove it or pick a model of an OpenAI-compatible provider");
    }
}
