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
import io.aigne.hub.gateway.canonical.Reasoning;
import io.aigne.hub.gateway.canonical.ResponseFormat;
import io.aigne.hub.gateway.canonical.Sampling;
import io.aigne.hub.gateway.canonical.Tool;
import io.aigne.hub.gateway.canonical.ToolChoice;
import io.aigne.hub.provider.MediaFetcher;
import io.aigne.hub.server.ApiException;
import io.aigne.hub.server.Json;
import io.aigne.hub.usage.Usage;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The AIGNE ChatModel input ({@code messages} with content parts, {@code tools}, {@code toolChoice},
 * {@code responseFormat}, {@code modelOptions}) in canonical terms, and a canonical answer as the ChatModel output
 * ({@code text}, {@code thoughts}, {@code json}, {@code toolCalls} with object arguments, {@code files},
 * {@code model}, {@code usage}, plus the hub's {@code modelWithProvider}).
 *
 * <p>Role {@code agent} is the assistant; {@code tool} messages become tool results in a user turn. The clients'
 * {@code modelOptions.cacheConfig} (on by default: breakpoints after the tools and the system prompt, optionally
 * after the last message) becomes prompt-caching markers, which Anthropic providers honour and others ignore.
 */
public final class AigneChatCodec {
    private static final ObjectNode EPHEMERAL = Json.object().put("type", "ephemeral");

    private AigneChatCodec() {
    }

    /** The chat input of an envelope, for {@code model} as the caller chose it. */
    public static ChatRequest toCanonical(ObjectNode input, String model, boolean stream) {
        ArrayNode messages = array(input, "messages", "input");
        if (messages == null) {
            throw ApiException.invalid("input.messages", "input.messages is required: an array such as "
                    + "[{\"role\": \"user\", \"content\": \"hi\"}]");
        }
        Conversation conversation = new Conversation();
        for (int i = 0; i < messages.size(); i++) {
            conversation.add(messages.get(i), "input.messages[" + i + "]");
        }
        if (conversation.turns.isEmpty()) {
            throw ApiException.invalid("input.messages", "input.messages needs at least one user message");
        }
        ObjectNode options = object(input, "modelOptions", "input");
        if (options == null) {
            options = Json.object();
        }
        List<Tool> tools = FunctionTools.read(input, "input", AigneChatCodec::tool);
        CacheConfig cache = CacheConfig.of(options);
        List<ContentPart.Text> system = conversation.system;
        List<Message> turns = conversation.turns;
        if (cache.enabled) {
            tools = cache.tools ? markLastTool(tools, cache.marker) : tools;
            system = cache.system ? markLastText(system, cache.marker) : system;
            turns = cache.lastMessage ? markLastMessage(turns, cache.marker) : turns;
        }
        return new ChatRequest(model, system, turns, tools, toolChoice(input, options),
                RESPONSE_FORMAT.read(input, "input"), sampling(options), reasoning(options), stream, null);
    }

    /** The ChatModel output for a whole answer. */
    static ObjectNode toJson(ChatResponse response, ChatRequest request, String modelWithProvider,
                             CallCredits credits) {
        ObjectNode out = Json.object();
        String text = response.text();
        StringBuilder thoughts = new StringBuilder();
        ArrayNode files = Json.MAPPER.createArrayNode();
        for (ContentPart part : response.content()) {
            if (part instanceof ContentPart.Reasoning r && r.text() != null) {
                thoughts.append(r.text());
            } else if (part instanceof ContentPart.Image image) {
                files.add(file(image.url(), image.data(), image.mediaType()));
            }
        }
        List<ContentPart.ToolCall> calls = response.toolCalls();
        ObjectNode json = wantsJson(request) && calls.isEmpty() ? parseObject(text) : null;
        if (json != null) {
            out.set("json", json);
        } else if (!text.isEmpty()) {
            out.put("text", text);
        }
        if (!thoughts.isEmpty()) {
            out.put("thoughts", thoughts.toString());
        }
        if (!calls.isEmpty()) {
            out.set("toolCalls", toolCalls(calls));
        }
        if (!files.isEmpty()) {
            out.set("files", files);
        }
        out.put("model", response.model() != null ? response.model() : request.model());
        out.set("usage", usage(response.usage(), credits));
        out.put("modelWithProvider", modelWithProvider);
        return out;
    }

    /** Whether the answer is to be returned as {@code json} (the caller asked for a JSON schema). */
    static boolean wantsJson(ChatRequest request) {
        return request.responseFormat() != null && request.responseFormat().kind() == ResponseFormat.Kind.JSON_SCHEMA;
    }

    /**
     * Usage as the ChatModel output declares it: token counts always, as numbers; with credit billing on, the
     * call's credits too (see {@link CallCredits}).
     */
    static ObjectNode usage(Usage usage, CallCredits credits) {
        Usage u = usage == null ? Usage.NONE : usage;
        ObjectNode out = Json.object().put("inputTokens", u.inputTokens()).put("outputTokens", u.outputTokens())
                .put("cacheCreationInputTokens", u.cacheWriteTokens()).put("cacheReadInputTokens", u.cachedTokens());
        credits.addTo(out, u);
        return out;
    }

    /** Tool calls with their arguments as JSON objects, as the ChatModel output schema requires. */
    static ArrayNode toolCalls(List<ContentPart.ToolCall> calls) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        for (ContentPart.ToolCall call : calls) {
            ObjectNode node = array.addObject();
            node.put("id", call.id());
            node.put("type", "function");
            ObjectNode arguments = parseObject(call.arguments());
            node.putObject("function").put("name", call.name())
                    .set("arguments", arguments == null ? Json.object() : arguments);
        }
        return array;
    }

    /** A generated file: by URL when the provider gave one, otherwise inline base64. */
    static ObjectNode file(String url, String base64, String mediaType) {
        ObjectNode file = Json.object();
        if (url != null) {
            file.put("type", "url").put("url", url);
        } else {
            file.put("type", "file").put("data", base64);
        }
        if (mediaType != null) {
            file.put("mimeType", mediaType);
        }
        return file;
    }

    /** The text as a JSON object; null when it is empty or not one. */
    static ObjectNode parseObject(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Json.MAPPER.readTree(text) instanceof ObjectNode object ? object : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static final class Conversation {
        final List<ContentPart.Text> system = new ArrayList<>();
        final List<Message> turns = new ArrayList<>();

        void add(JsonNode message, String at) {
            if (!message.isObject()) {
                throw wrongType(at, "a message object with 'role' and 'content'");
            }
            String role = requiredString(message, "role", at);
            JsonNode cacheControl = object(message, "cacheControl", at);
            switch (role) {
                case "system" -> system.addAll(markLastText(TEXTS.read(message, at), cacheControl));
                case "user" -> user(withCacheControl(USER_CONTENT.read(message, at), cacheControl));
                case "agent" -> agent(message, at, cacheControl);
                case "tool" -> tool(message, at);
                default -> throw ApiException.invalid(path(at, "role"), path(at, "role")
                        + " must be one of system, user, agent, tool; got '" + role + "'");
            }
        }

        /** Consecutive user turns (tool results, then the next question) merge: providers want them alternating. */
        private void user(List<ContentPart> parts) {
            if (parts.isEmpty()) {
                return;
            }
            Message.appendUserTurn(turns, parts);
        }

        private void agent(JsonNode message, String at, JsonNode cacheControl) {
            List<ContentPart> parts = new ArrayList<>();
            for (ContentPart.Text text : TEXTS_OR_NONE.read(message, at)) {
                if (!text.text().isEmpty()) {
                    parts.add(text);
                }
            }
            ArrayNode calls = array(message, "toolCalls", at);
            if (calls != null) {
                for (int i = 0; i < calls.size(); i++) {
                    parts.add(toolCall(calls.get(i), path(at, "toolCalls") + "[" + i + "]"));
                }
            }
            if (!parts.isEmpty()) {
                turns.add(new Message(Message.Role.ASSISTANT, withCacheControl(parts, cacheControl)));
            }
        }

        private void tool(JsonNode message, String at) {
            String callId = requiredString(message, "toolCallId", at);
            List<ContentPart> result = List.copyOf(TEXTS_OR_NONE.read(message, at));
            user(List.of(new ContentPart.ToolResult(callId, null, result, false)));
        }
    }

    /** This door names the path bare: {@code input.messages[0].content is required}. */
    private static final Function<String, ApiException> REQUIRED =
            at -> ApiException.invalid(at, at + " is required");

    /** Content that may only hold text: a string, or text parts (which may carry a cacheControl marker). */
    private static final ContentParts<ContentPart.Text> TEXTS = ContentParts.<ContentPart.Text>of(
            "a string or an array of text parts", ContentPart.Text::new,
            ContentParts.textOnly(ContentParts.TEXT_PART + " in this message", AigneChatCodec::text))
            .required(REQUIRED);

    /** Agent and tool messages may leave content out (null) when they only call tools or return nothing. */
    private static final ContentParts<ContentPart.Text> TEXTS_OR_NONE = TEXTS.optional();

    private static final ContentParts<ContentPart> USER_CONTENT = ContentParts.<ContentPart>of(
            "a string or an array of content parts", ContentPart.Text::new,
            ContentParts.typed("a content part object with a 'type'", AigneChatCodec::userPart)).required(REQUIRED);

    private static ContentPart.Text text(JsonNode part, String at) {
        return new ContentPart.Text(requiredString(part, "text", at), object(part, "cacheControl", at));
    }

    private static ContentPart userPart(String type, JsonNode part, String at) {
        return switch (type) {
            case "text" -> text(part, at);
            case "url" -> url(part, at);
            case "file" -> inlineFile(part, at);
            case "local" -> throw ApiException.invalid(path(at, "type"), at + " is a 'local' file, which the hub cannot"
                    + " read; send its contents as {\"type\": \"file\", \"data\": <base64>, \"mimeType\": ...}");
            default -> throw ApiException.invalid(path(at, "type"), path(at, "type")
                    + " must be text, url or file; got '" + type + "'");
        };
    }

    /** A URL: images by link; PDFs and text documents when their type says so; data: URLs decoded. */
    private static ContentPart url(JsonNode part, String at) {
        String url = requiredString(part, "url", at);
        String mimeType = string(part, "mimeType", at);
        String filename = string(part, "filename", at);
        if (url.regionMatches(true, 0, "data:", 0, 5)) {
            MediaFetcher.Media media = MediaFetcher.decodeDataUrl(url, path(at, "url"));
            return media(media.mediaType(), media.base64(), null, filename);
        }
        return media(mimeType != null ? mimeType : typeOf(filename != null ? filename : url), null, url, filename);
    }

    private static ContentPart inlineFile(JsonNode part, String at) {
        String data = requiredString(part, "data", at);
        String mimeType = string(part, "mimeType", at);
        String filename = string(part, "filename", at);
        if (data.regionMatches(true, 0, "data:", 0, 5)) {
            MediaFetcher.Media media = MediaFetcher.decodeDataUrl(data, path(at, "data"));
            return media(media.mediaType(), media.base64(), null, filename);
        }
        String type = mimeType != null ? mimeType : typeOf(filename);
        // The AIGNE model classes send untyped inline files as PNG images; the hub does the same.
        return media(type != null ? type : "image/png", data, null, filename);
    }

    private static ContentPart media(String mediaType, String base64, String url, String filename) {
        String type = mediaType == null ? null : mediaType.toLowerCase(Locale.ROOT);
        if (type != null && (type.equals("application/pdf") || type.startsWith("text/"))) {
            return new ContentPart.Document(type, base64, url, filename, null);
        }
        return new ContentPart.Image(base64 == null ? null : type, base64, url, null, null);
    }

    /** The media type a file name or URL implies, for the types providers accept; null when unknown. */
    private static String typeOf(String name) {
        if (name == null) {
            return null;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        int query = lower.indexOf('?');
        if (query >= 0) {
            lower = lower.substring(0, query);
        }
        if (lower.endsWith(".pdf")) {
            return "application/pdf";
        }
        if (lower.endsWith(".txt") || lower.endsWith(".md")) {
            return "text/plain";
        }
        if (lower.endsWith(".png")) {
            return "image/png";
        }
        if (lower.endsWith(".jpg") || lower.endsWith(".jpeg")) {
            return "image/jpeg";
        }
        if (lower.endsWith(".gif")) {
            return "image/gif";
        }
        if (lower.endsWith(".webp")) {
            return "image/webp";
        }
        return null;
    }

    /** {@code {id, type: "function", function: {name, arguments: <object>}}}; a string of JSON is accepted too. */
    private static ContentPart.ToolCall toolCall(JsonNode call, String at) {
        if (!call.isObject()) {
            throw wrongType(at, "a tool call object");
        }
        String id = requiredString(call, "id", at);
        ObjectNode function = requiredObject(call, "function", at);
        String functionPath = path(at, "function");
        String name = requiredString(function, "name", functionPath);
        JsonNode arguments = function.get("arguments");
        String text;
        if (arguments == null || arguments.isNull()) {
            text = "{}";
        } else if (arguments.isObject()) {
            text = new String(Json.bytes(arguments), java.nio.charset.StandardCharsets.UTF_8);
        } else if (arguments.isTextual()) {
            text = arguments.asText().isBlank() ? "{}" : arguments.asText();
        } else {
            throw wrongType(path(functionPath, "arguments"), "an object");
        }
        return new ContentPart.ToolCall(id, name, text);
    }

    /** A function tool; {@code type} may be left out, and a tool may carry a cacheControl marker. */
    private static Tool tool(JsonNode node, String at) {
        ObjectNode tool = FunctionTools.toolObject(node, at);
        String type = string(tool, "type", at);
        if (type != null && !type.equals("function")) {
            throw ApiException.invalid(path(at, "type"), "only 'function' tools are supported; got '" + type + "'");
        }
        Tool function = FunctionTools.function(tool, at, false);
        return new Tool(function.name(), function.description(), function.parameters(),
                object(tool, "cacheControl", at));
    }

    /** "auto", "none", "required", or one of the tools (the model must call it). */
    private static ToolChoice toolChoice(ObjectNode input, ObjectNode options) {
        return ToolChoices.read(input.get("toolChoice"), bool(options, "parallelToolCalls", "input.modelOptions"),
                mode -> ApiException.invalid("input.toolChoice", "input.toolChoice must be \"auto\", \"none\","
                        + " \"required\" or one of the tools; got '" + mode + "'"),
                choice -> tool(choice, "input.toolChoice").name());
    }

    private static final ResponseFormats RESPONSE_FORMAT = ResponseFormats.of("responseFormat", "jsonSchema")
            .withoutJsonObject().requireSchema().barePaths();

    /** The ChatModel options, and {@code maxTokens} / {@code topK} / {@code stop} when clients pass them as extras. */
    private static Sampling sampling(ObjectNode options) {
        String at = "input.modelOptions";
        Integer topK = positiveInt(options, "topK", at);
        List<String> stop = new ArrayList<>();
        JsonNode stopNode = options.get("stop");
        if (stopNode != null && stopNode.isTextual()) {
            stop.add(stopNode.asText());
        } else if (stopNode != null && stopNode.isArray()) {
            stopNode.forEach(s -> stop.add(s.asText()));
        }
        return new Sampling(positiveInt(options, "maxTokens", at), number(options, "temperature", at),
                number(options, "topP", at), topK, stop, null, number(options, "presencePenalty", at),
                number(options, "frequencyPenalty", at));
    }

    /** {@code reasoningEffort}: minimal/low/medium/high, or a thinking budget in tokens (0 turns thinking off). */
    private static Reasoning reasoning(ObjectNode options) {
        JsonNode effort = options.get("reasoningEffort");
        if (effort == null || effort.isNull()) {
            return null;
        }
        if (effort.isNumber()) {
            int budget = effort.asInt();
            return budget <= 0 ? new Reasoning(false, null, null) : new Reasoning(true, null, budget);
        }
        if (effort.isTextual()) {
            String level = effort.asText();
            if (List.of("minimal", "low", "medium", "high").contains(level)) {
                return new Reasoning(true, level, null);
            }
        }
        throw ApiException.invalid("input.modelOptions.reasoningEffort", "input.modelOptions.reasoningEffort must be"
                + " minimal, low, medium, high or a token budget");
    }

    /** The clients' prompt-caching settings; the framework's defaults put breakpoints after tools and system. */
    private record CacheConfig(boolean enabled, boolean tools, boolean system, boolean lastMessage,
                               ObjectNode marker) {
        static CacheConfig of(ObjectNode options) {
            ObjectNode config = object(options, "cacheConfig", "input.modelOptions");
            if (config == null) {
                return new CacheConfig(false, false, false, false, EPHEMERAL);
            }
            String at = "input.modelOptions.cacheConfig";
            boolean manual = "manual".equals(string(config, "strategy", at));
            ObjectNode points = object(config, "autoBreakpoints", at);
            boolean enabled = !Boolean.FALSE.equals(bool(config, "enabled", at)) && !manual;
            return new CacheConfig(enabled,
                    points == null || !Boolean.FALSE.equals(bool(points, "tools", at + ".autoBreakpoints")),
                    points == null || !Boolean.FALSE.equals(bool(points, "system", at + ".autoBreakpoints")),
                    points != null && Boolean.TRUE.equals(bool(points, "lastMessage", at + ".autoBreakpoints")),
                    marker(config.get("ttl")));
        }

        private static ObjectNode marker(JsonNode ttl) {
            boolean hour = ttl != null && ("1h".equals(ttl.asText()) || ttl.isNumber() && ttl.asLong() >= 3600);
            return hour ? EPHEMERAL.deepCopy().put("ttl", "1h") : EPHEMERAL;
        }
    }

    private static List<Tool> markLastTool(List<Tool> tools, JsonNode marker) {
        if (tools.isEmpty() || tools.getLast().cacheControl() != null) {
            return tools;
        }
        List<Tool> marked = new ArrayList<>(tools);
        Tool last = marked.removeLast();
        marked.add(new Tool(last.name(), last.description(), last.parameters(), marker));
        return marked;
    }

    private static List<ContentPart.Text> markLastText(List<ContentPart.Text> texts, JsonNode marker) {
        if (marker == null || texts.isEmpty() || texts.getLast().cacheControl() != null) {
            return texts;
        }
        List<ContentPart.Text> marked = new ArrayList<>(texts);
        ContentPart.Text last = marked.removeLast();
        marked.add(new ContentPart.Text(last.text(), marker));
        return marked;
    }

    private static List<Message> markLastMessage(List<Message> turns, JsonNode marker) {
        List<Message> marked = new ArrayList<>(turns);
        Message last = marked.removeLast();
        marked.add(new Message(last.role(), withCacheControl(last.content(), marker)));
        return marked;
    }

    /** A message-level cache marker goes on its last part that can carry one (text, image or document). */
    private static List<ContentPart> withCacheControl(List<ContentPart> parts, JsonNode marker) {
        if (marker == null || parts.isEmpty()) {
            return parts;
        }
        List<ContentPart> marked = new ArrayList<>(parts);
        int i = marked.size() - 1;
        ContentPart replaced = switch (marked.get(i)) {
            case ContentPart.Text t when t.cacheControl() == null -> new ContentPart.Text(t.text(), marker);
            case ContentPart.Image m when m.cacheControl() == null ->
                    new ContentPart.Image(m.mediaType(), m.data(), m.url(), m.detail(), marker);
            case ContentPart.Document d when d.cacheControl() == null ->
                    new ContentPart.Document(d.mediaType(), d.data(), d.url(), d.title(), marker);
            default -> null;
        };
        if (replaced != null) {
            marked.set(i, replaced);
        }
        return marked;
    }
}
