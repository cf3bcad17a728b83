package io.aigne.hub.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigne.hub.gateway.canonical.ChatResponse;
import io.aigne.hub.gateway.canonical.ContentPart;
import io.aigne.hub.gateway.canonical.FinishReason;
import io.aigne.hub.usage.Usage;

import java.util.ArrayList;
import java.util.List;

/** A Chat Completions answer (and the pieces streams share with it) in canonical terms. */
final class OpenAiChatResponseMapper {
    private OpenAiChatResponseMapper() {
    }

    /** The first choice of a {@code chat.completion}; null when the answer has no choice to read. */
    static ChatResponse response(JsonNode completion) {
        JsonNode choice = completion.path("choices").path(0);
        if (!choice.isObject()) {
            return null;
        }
        JsonNode message = choice.path("message");
        List<ContentPart> content = new ArrayList<>();
        String reasoning = reasoningText(message);
        if (reasoning != null && !reasoning.isEmpty()) {
            content.add(new ContentPart.Reasoning(reasoning, null));
        }
        String text = text(message.path("content"));
        if (text != null && !text.isEmpty()) {
            content.add(new ContentPart.Text(text));
        }
        // A refusal is the model's answer, just flagged: the caller should see it.
        if (message.path("refusal").isTextual() && !message.path("refusal").asText().isEmpty()) {
            content.add(new ContentPart.Text(message.path("refusal").asText()));
        }
        for (JsonNode call : message.path("tool_calls")) {
            JsonNode function = call.path("function");
            content.add(new ContentPart.ToolCall(textOrNull(call.path("id")), textOrNull(function.path("name")),
                    arguments(function.path("arguments"))));
        }
        boolean calledTools = content.stream().anyMatch(ContentPart.ToolCall.class::isInstance);
        return new ChatResponse(textOrNull(completion.path("id")), textOrNull(completion.path("model")), content,
                finishReason(textOrNull(choice.path("finish_reason")), calledTools), null,
                usage(completion.path("usage")));
    }

    /**
     * OpenAI's finish reasons in canonical terms. Some compatible servers (Ollama among them) say "stop" after
     * calling tools; the calls are what the caller must act on, so that counts as a tool-call finish.
     */
    static FinishReason finishReason(String reason, boolean calledTools) {
        if (reason == null) {
            return calledTools ? FinishReason.TOOL_CALLS : FinishReason.STOP;
        }
        return switch (reason) {
            case "length" -> FinishReason.LENGTH;
            case "tool_calls", "function_call" -> FinishReason.TOOL_CALLS;
            case "content_filter" -> FinishReason.CONTENT_FILTER;
            default -> calledTools ? FinishReason.TOOL_CALLS : FinishReason.STOP;
        };
    }

    /** The usage object of an answer or of a stream's last chunk; null when there is none. */
    static Usage usage(JsonNode usage) {
        if (!usage.isObject()) {
            return null;
        }
        long input = number(usage.path("prompt_tokens"), 0);
        long output = number(usage.path("completion_tokens"), 0);
        long cached = number(usage.path("prompt_tokens_details").path("cached_tokens"),
                // DeepSeek reports its cache hits under its own name.
                number(usage.path("prompt_cache_hit_tokens"), 0));
        long reasoning = number(usage.path("completion_tokens_details").path("reasoning_tokens"), 0);
        return new Usage(input, output, cached, reasoning, number(usage.path("total_tokens"), input + output), 0);
    }

    /** DeepSeek (and most servers that copy it) name it {@code reasoning_content}, OpenRouter {@code reasoning}. */
    static String reasoningText(JsonNode messageOrDelta) {
        JsonNode reasoning = messageOrDelta.path("reasoning_content");
        if (!reasoning.isTextual()) {
            reasoning = messageOrDelta.path("reasoning");
        }
        return reasoning.isTextual() ? reasoning.asText() : null;
    }

    /** Content is a string, or (from some compatible servers) an array of text parts. */
    static String text(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        if (content.isArray()) {
            StringBuilder text = new StringBuilder();
            for (JsonNode part : content) {
                if (part.path("text").isTextual()) {
                    text.append(part.path("text").asText());
                }
            }
            return text.toString();
        }
        return null;
    }

    /** Arguments are a JSON text; a few servers send the object itself. */
    private static String arguments(JsonNode arguments) {
        if (arguments.isTextual()) {
            return arguments.asText();
        }
        return arguments.isObject() ? arguments.toString() : "{}";
    }

    static String textOrNull(JsonNode node) {
        return node.isTextual() ? node.asText() : null;
    }

    private static long number(JsonNode node, long fallback) {
        return node.isNumber() ? node.asLong() : fallback;
    }
}
