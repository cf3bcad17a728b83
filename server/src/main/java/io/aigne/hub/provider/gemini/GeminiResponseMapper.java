package io.aigne.hub.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigne.hub.gateway.canonical.ChatResponse;
import io.aigne.hub.gateway.canonical.ContentPart;
import io.aigne.hub.gateway.canonical.FinishReason;
import io.aigne.hub.usage.Usage;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** A {@code GenerateContentResponse} as a canonical answer, and the pieces the stream decoder shares. */
final class GeminiResponseMapper {
    private static final char[] ID_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".toCharArray();

    private GeminiResponseMapper() {
    }

    static ChatResponse toCanonical(JsonNode response, String upstreamModel) {
        JsonNode candidate = response.path("candidates").path(0);
        List<ContentPart> content = new ArrayList<>();
        boolean calls = false;
        for (JsonNode part : candidate.path("content").path("parts")) {
            String signature = signature(part);
            if (part.path("thought").asBoolean(false)) {
                content.add(new ContentPart.Reasoning(part.path("text").asText(""), signature));
                continue;
            }
            if (signature != null) {
                // The canonical model has no signature on text or tool calls: it travels in a reasoning part
                // placed just before the part it belongs to (see GeminiRequestMapper for the way back).
                content.add(new ContentPart.Reasoning("", signature));
            }
            if (part.has("functionCall")) {
                JsonNode call = part.get("functionCall");
                content.add(new ContentPart.ToolCall(callId(call), call.path("name").asText(), arguments(call)));
                calls = true;
            } else if (part.has("inlineData")) {
                // Image models answer with the picture inline; keep it, callers that cannot show it skip it.
                JsonNode data = part.get("inlineData");
                content.add(ContentPart.Image.inline(data.path("mimeType").asText("image/png"),
                        data.path("data").asText("")));
            } else if (part.path("text").isTextual() && !part.path("text").asText().isEmpty()) {
                content.add(new ContentPart.Text(part.path("text").asText()));
            }
        }
        FinishReason finish = candidate.isMissingNode() ? blockedOrStop(response)
                : finishReason(candidate.path("finishReason").asText(null), calls);
        return new ChatResponse(text(response, "responseId"), model(response, upstreamModel), content, finish, null,
                usage(response.path("usageMetadata")));
    }

    /** A prompt Gemini refused outright comes back without candidates, with {@code promptFeedback.blockReason}. */
    static FinishReason blockedOrStop(JsonNode response) {
        return response.path("promptFeedback").has("blockReason") ? FinishReason.CONTENT_FILTER : FinishReason.STOP;
    }

    /**
     * Gemini ends a turn with function calls as {@code STOP}; the canonical model says {@code TOOL_CALLS}, which
     * is what callers loop on. Safety, recitation and the other filters are all {@code CONTENT_FILTER}.
     */
    static FinishReason finishReason(String reason, boolean calls) {
        if (reason == null) {
            return calls ? FinishReason.TOOL_CALLS : FinishReason.STOP;
        }
        return switch (reason) {
            case "MAX_TOKENS" -> FinishReason.LENGTH;
            case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "LANGUAGE", "IMAGE_SAFETY",
                 "IMAGE_PROHIBITED_CONTENT", "IMAGE_RECITATION" -> FinishReason.CONTENT_FILTER;
            default -> calls ? FinishReason.TOOL_CALLS : FinishReason.STOP;
        };
    }

    /**
     * {@code promptTokenCount} already includes the cached tokens; thoughts are billed as output but reported
     * apart from {@code candidatesTokenCount}, so they are added to the output, as OpenAI counts reasoning.
     */
    static Usage usage(JsonNode metadata) {
        if (metadata.isMissingNode() || metadata.isNull()) {
            return Usage.NONE;
        }
        long input = metadata.path("promptTokenCount").asLong(0) + metadata.path("toolUsePromptTokenCount").asLong(0);
        long thoughts = metadata.path("thoughtsTokenCount").asLong(0);
        long output = metadata.path("candidatesTokenCount").asLong(0) + thoughts;
        return Usage.tokens(input, output, metadata.path("cachedContentTokenCount").asLong(0), 0, thoughts);
    }

    /** Gemini's call id when it sent one (it often does not), else one made up here. */
    static String callId(JsonNode call) {
        String id = call.path("id").asText("");
        return id.isEmpty() ? newCallId() : id;
    }

    static String newCallId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] id = new char[24];
        for (int i = 0; i < id.length; i++) {
            id[i] = ID_CHARS[random.nextInt(ID_CHARS.length)];
        }
        return "call_" + new String(id);
    }

    /** The call's {@code args} object as JSON text ({@code {}} when the function takes none). */
    static String arguments(JsonNode call) {
        JsonNode args = call.path("args");
        return args.isObject() ? args.toString() : "{}";
    }

    static String signature(JsonNode part) {
        String signature = part.path("thoughtSignature").asText("");
        return signature.isEmpty() ? null : signature;
    }

    static String model(JsonNode response, String upstreamModel) {
        String version = text(response, "modelVersion");
        return version != null ? GeminiEndpoints.bareId(version) : upstreamModel;
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() && !value.asText().isEmpty() ? value.asText() : null;
    }
}
