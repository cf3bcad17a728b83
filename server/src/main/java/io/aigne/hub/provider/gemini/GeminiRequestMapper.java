package io.aigne.hub.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.gateway.canonical.ChatRequest;
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

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** A canonical chat request as a {@code GenerateContentRequest}. */
final class GeminiRequestMapper {
    /**
     * The placeholder the Gemini docs give for function calls the model did not produce itself (history from
     * another model or provider): Gemini 3 refuses a step's first functionCall without any signature.
     */
    static final String SIGNATURE_BYPASS = "skip_thought_signature_validator";

    private final MediaFetcher media;

    GeminiRequestMapper(MediaFetcher media) {
        this.media = media;
    }

    ObjectNode toWire(ChatRequest request) {
        ObjectNode body = Json.object();
        if (!request.system().isEmpty()) {
            ArrayNode parts = body.putObject("systemInstruction").putArray("parts");
            for (ContentPart.Text text : request.system()) {
                if (!text.text().isEmpty()) {
                    parts.addObject().put("text", text.text());
                }
            }
            if (parts.isEmpty()) {
                body.remove("systemInstruction");
            }
        }
        ArrayNode contents = contents(request);
        if (contents.isEmpty()) {
            throw ApiException.invalid("messages", "the conversation has nothing Gemini can read; send at least one"
                    + " user message with text or media");
        }
        body.set("contents", contents);
        if (!request.tools().isEmpty()) {
            body.putArray("tools").addObject().set("functionDeclarations", functionDeclarations(request.tools()));
            if (request.toolChoice() != null) {
                body.putObject("toolConfig").set("functionCallingConfig", callingConfig(request.toolChoice()));
            }
        }
        ObjectNode generation = generationConfig(request);
        if (!generation.isEmpty()) {
            body.set("generationConfig", generation);
        }
        return body;
    }

    // ---------------------------------------------------------------------------------------------
    // contents

    private ArrayNode contents(ChatRequest request) {
        ArrayNode contents = Json.MAPPER.createArrayNode();
        ObjectNode previous = null;
        for (int i = 0; i < request.messages().size(); i++) {
            Message message = request.messages().get(i);
            boolean model = message.role() == Message.Role.ASSISTANT;
            List<ObjectNode> parts = parts(request, message, "messages[" + i + "].content", model);
            if (parts.isEmpty()) {
                continue;
            }
            String role = model ? "model" : "user";
            // Gemini wants turns to alternate; parallel tool results arrive as separate user turns, for example.
            if (previous != null && role.equals(previous.path("role").asText())) {
                ((ArrayNode) previous.get("parts")).addAll(parts);
                continue;
            }
            previous = contents.addObject().put("role", role);
            previous.putArray("parts").addAll(parts);
        }
        for (JsonNode content : contents) {
            if ("model".equals(content.path("role").asText())) {
                signFirstFunctionCall((ArrayNode) content.get("parts"));
            }
        }
        return contents;
    }

    private List<ObjectNode> parts(ChatRequest request, Message message, String param, boolean model) {
        List<ObjectNode> parts = new ArrayList<>();
        List<PendingSignature> signatures = new ArrayList<>();
        for (ContentPart part : message.content()) {
            switch (part) {
                case ContentPart.Text text -> {
                    if (!text.text().isEmpty()) {
                        parts.add(Json.object().put("text", text.text()));
                    }
                }
                case ContentPart.Image image -> parts.add(media(image.mediaType(), image.data(), image.url(), param));
                case ContentPart.Document document ->
                        parts.add(media(document.mediaType(), document.data(), document.url(), param));
                case ContentPart.ToolCall call -> parts.add(functionCall(call, param));
                case ContentPart.ToolResult result -> parts.addAll(functionResponse(request, result, param));
                case ContentPart.Reasoning reasoning -> {
                    if (!model) {
                        continue;
                    }
                    if (reasoning.text() != null && !reasoning.text().isEmpty()) {
                        parts.add(Json.object().put("text", reasoning.text()).put("thought", true));
                    }
                    if (reasoning.signature() != null && !reasoning.signature().isEmpty()) {
                        signatures.add(new PendingSignature(parts.size(), reasoning.signature()));
                    }
                }
                case ContentPart.RedactedReasoning ignored -> {
                    // Anthropic's encrypted reasoning means nothing to Gemini
                }
            }
        }
        for (PendingSignature signature : signatures) {
            attach(parts, signature);
        }
        return parts;
    }

    /** A thought signature that sat in its own reasoning part, before the part at {@code position}. */
    private record PendingSignature(int position, String signature) {
    }

    /**
     * Gemini carries a thought signature on the part it belongs to, the canonical model in a reasoning part of
     * its own: it goes back onto the next function call (where Gemini 3 requires it), else the next answer part,
     * else the last one before it.
     */
    private static void attach(List<ObjectNode> parts, PendingSignature pending) {
        ObjectNode target = null;
        for (int i = pending.position(); i < parts.size() && target == null; i++) {
            if (parts.get(i).has("functionCall") && !parts.get(i).has("thoughtSignature")) {
                target = parts.get(i);
            }
        }
        for (int i = pending.position(); i < parts.size() && target == null; i++) {
            if (isAnswerPart(parts.get(i))) {
                target = parts.get(i);
            }
        }
        for (int i = Math.min(pending.position(), parts.size()) - 1; i >= 0 && target == null; i--) {
            if (isAnswerPart(parts.get(i))) {
                target = parts.get(i);
            }
        }
        if (target != null) {
            target.put("thoughtSignature", pending.signature());
        }
    }

    private static boolean isAnswerPart(ObjectNode part) {
        return !part.has("thoughtSignature") && !part.path("thought").asBoolean(false);
    }

    private static void signFirstFunctionCall(ArrayNode parts) {
        for (JsonNode part : parts) {
            if (part.has("functionCall")) {
                if (!part.has("thoughtSignature")) {
                    ((ObjectNode) part).put("thoughtSignature", SIGNATURE_BYPASS);
                }
                return;
            }
        }
    }

    private ObjectNode media(String mediaType, String data, String url, String param) {
        if (data != null) {
            if (mediaType == null || mediaType.isBlank()) {
                throw ApiException.invalid(param, "inline media needs its media type (e.g. image/png) for Gemini");
            }
            return inlineData(mediaType, data);
        }
        if (url == null || url.isBlank()) {
            throw ApiException.invalid(param, "a media part has neither data nor a URL");
        }
        if (isGeminiFileUri(url)) {
            ObjectNode fileData = Json.object();
            if (mediaType != null && !mediaType.isBlank()) {
                fileData.put("mimeType", mediaType);
            }
            fileData.put("fileUri", url);
            ObjectNode part = Json.object();
            part.set("fileData", fileData);
            return part;
        }
        // fileData only takes Files API and Cloud Storage URIs, so any other URL is fetched and sent inline.
        MediaFetcher.Media fetched = media.fetch(url, param);
        return inlineData(fetched.mediaType(), fetched.base64());
    }

    private static boolean isGeminiFileUri(String url) {
        return url.startsWith("gs://") || url.startsWith("https://generativelanguage.googleapis.com/");
    }

    private static ObjectNode inlineData(String mediaType, String base64) {
        ObjectNode part = Json.object();
        part.putObject("inlineData").put("mimeType", mediaType).put("data", base64);
        return part;
    }

    private static ObjectNode functionCall(ContentPart.ToolCall call, String param) {
        ObjectNode functionCall = Json.object();
        if (call.id() != null && !call.id().isEmpty()) {
            functionCall.put("id", call.id());
        }
        functionCall.put("name", call.name());
        functionCall.set("args", arguments(call, param));
        ObjectNode part = Json.object();
        part.set("functionCall", functionCall);
        return part;
    }

    private static JsonNode arguments(ContentPart.ToolCall call, String param) {
        String text = call.arguments();
        if (text == null || text.isBlank()) {
            return Json.object();
        }
        JsonNode args;
        try {
            args = Json.MAPPER.readTree(text);
        } catch (IOException e) {
            args = null;
        }
        if (args == null || !args.isObject()) {
            throw ApiException.invalid(param, "the arguments of tool call '" + call.id() + "' (" + call.name()
                    + ") are not a JSON object, which Gemini needs; send them as the JSON object the model produced");
        }
        return args;
    }

    private List<ObjectNode> functionResponse(ChatRequest request, ContentPart.ToolResult result, String param) {
        String name = result.name() != null && !result.name().isEmpty() ? result.name()
                : request.toolNameFor(result.callId());
        if (name == null) {
            throw ApiException.invalid(param, "the tool result for call '" + result.callId() + "' does not say"
                    + " which function it answers and no earlier assistant turn made that call; Gemini needs the"
                    + " function's name, so keep the assistant turn with the call in the conversation");
        }
        ObjectNode functionResponse = Json.object();
        if (result.callId() != null && !result.callId().isEmpty()) {
            functionResponse.put("id", result.callId());
        }
        functionResponse.put("name", name);
        // The documented keys: "output" for what the function returned, "error" when it failed.
        functionResponse.putObject("response").put(result.isError() ? "error" : "output", result.text());
        ObjectNode part = Json.object();
        part.set("functionResponse", functionResponse);
        List<ObjectNode> parts = new ArrayList<>();
        parts.add(part);
        // Media a tool returned follows its response as ordinary parts, which every Gemini model can read.
        for (ContentPart content : result.content()) {
            switch (content) {
                case ContentPart.Image image -> parts.add(media(image.mediaType(), image.data(), image.url(), param));
                case ContentPart.Document document ->
                        parts.add(media(document.mediaType(), document.data(), document.url(), param));
                default -> {
                    // text is in the response above; nothing else can occur in a tool result
                }
            }
        }
        return parts;
    }

    // ---------------------------------------------------------------------------------------------
    // tools

    private static ArrayNode functionDeclarations(List<Tool> tools) {
        ArrayNode declarations = Json.MAPPER.createArrayNode();
        for (Tool tool : tools) {
            ObjectNode declaration = declarations.addObject().put("name", tool.name());
            if (tool.description() != null && !tool.description().isEmpty()) {
                declaration.put("description", tool.description());
            }
            if (tool.parameters() != null && !tool.parameters().isNull()) {
                // parametersJsonSchema takes JSON Schema as it is (additionalProperties, $defs, anyOf...), where
                // the older "parameters" field is an OpenAPI subset that rejects unknown keywords.
                declaration.set("parametersJsonSchema", jsonSchema(tool.parameters()));
            }
        }
        return declarations;
    }

    private static ObjectNode callingConfig(ToolChoice choice) {
        ObjectNode config = Json.object();
        switch (choice.mode()) {
            case AUTO -> config.put("mode", "AUTO");
            case NONE -> config.put("mode", "NONE");
            case ANY -> config.put("mode", "ANY");
            case TOOL -> {
                config.put("mode", "ANY");
                config.putArray("allowedFunctionNames").add(choice.name());
            }
        }
        return config;
    }

    /** A caller's JSON Schema without its {@code $schema} marker, which Gemini does not take. */
    static JsonNode jsonSchema(JsonNode schema) {
        if (schema.isObject() && schema.has("$schema")) {
            ObjectNode copy = ((ObjectNode) schema).deepCopy();
            copy.remove("$schema");
            return copy;
        }
        return schema;
    }

    // ---------------------------------------------------------------------------------------------
    // generationConfig

    private static ObjectNode generationConfig(ChatRequest request) {
        ObjectNode config = Json.object();
        Sampling sampling = request.sampling();
        if (sampling.maxTokens() != null) {
            config.put("maxOutputTokens", sampling.maxTokens());
        }
        if (sampling.temperature() != null) {
            config.put("temperature", sampling.temperature());
        }
        if (sampling.topP() != null) {
            config.put("topP", sampling.topP());
        }
        if (sampling.topK() != null) {
            config.put("topK", sampling.topK());
        }
        if (!sampling.stop().isEmpty()) {
            ArrayNode stops = config.putArray("stopSequences");
            sampling.stop().forEach(stops::add);
        }
        if (sampling.seed() != null) {
            config.put("seed", sampling.seed());
        }
        if (sampling.presencePenalty() != null) {
            config.put("presencePenalty", sampling.presencePenalty());
        }
        if (sampling.frequencyPenalty() != null) {
            config.put("frequencyPenalty", sampling.frequencyPenalty());
        }
        ResponseFormat format = request.responseFormat();
        if (format != null && format.kind() != ResponseFormat.Kind.TEXT) {
            config.put("responseMimeType", "application/json");
            if (format.kind() == ResponseFormat.Kind.JSON_SCHEMA && format.schema() != null) {
                // responseJsonSchema takes standard JSON Schema; responseSchema is the OpenAPI subset.
                config.set("responseJsonSchema", jsonSchema(format.schema()));
            }
        }
        ObjectNode thinking = thinkingConfig(request.reasoning(), sampling.maxTokens());
        if (thinking != null) {
            config.set("thinkingConfig", thinking);
        }
        return config;
    }

    private static ObjectNode thinkingConfig(Reasoning reasoning, Integer maxTokens) {
        if (reasoning == null) {
            return null;
        }
        ObjectNode thinking = Json.object();
        if (!reasoning.enabled()) {
            return thinking.put("thinkingBudget", 0);
        }
        thinking.put("includeThoughts", true);
        if (reasoning.budgetTokens() != null || reasoning.effort() != null) {
            thinking.put("thinkingBudget", reasoning.budgetOr(maxTokens == null ? 0 : maxTokens));
        }
        return thinking;
    }
}
