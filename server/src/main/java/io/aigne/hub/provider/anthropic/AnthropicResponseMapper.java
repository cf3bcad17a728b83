package io.aigne.hub.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigne.hub.gateway.canonical.ChatResponse;
import io.aigne.hub.gateway.canonical.ContentPart;
import io.aigne.hub.gateway.canonical.FinishReason;
import io.aigne.hub.usage.Usage;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads an Anthropic message into a canonical answer. Blocks the hub never asks for (server tool calls and their
 * results) are skipped; a call of the {@link StructuredOutput} tool is the answer's text.
 */
final class AnthropicResponseMapper {
    private AnthropicResponseMapper() {
    }

    static ChatResponse response(JsonNode message, StructuredOutput output) {
        List<ContentPart> content = new ArrayList<>();
        boolean realToolCalls = false;
        for (JsonNode block : message.path("content")) {
            switch (block.path("type").asText()) {
                case "text" -> content.add(new ContentPart.Text(block.path("text").asText()));
                case "thinking" -> content.add(new ContentPart.Reasoning(block.path("thinking").asText(),
                        textOrNull(block.path("signature"))));
                case "redacted_thinking" -> content.add(new ContentPart.RedactedReasoning(block.path("data").asText()));
                case "tool_use" -> {
                    String name = block.path("name").asText();
                    String arguments = ToolInput.toArguments(block.path("input"));
                    if (output != null && output.toolName().equals(name)) {
                        content.add(new ContentPart.Text(arguments));
                    } else {
                        content.add(new ContentPart.ToolCall(block.path("id").asText(), name, arguments));
                        realToolCalls = true;
                    }
                }
                default -> {
                    // server tool blocks and block types newer than this mapper
                }
            }
        }
        String stopReason = textOrNull(message.path("stop_reason"));
        return new ChatResponse(textOrNull(message.path("id")), textOrNull(message.path("model")), content,
                finishReason(stopReason, realToolCalls), textOrNull(message.path("stop_sequence")),
                usage(message.path("usage"), null));
    }

    /**
     * The canonical reason for Anthropic's {@code stop_reason}. {@code tool_use} without a call of the caller's
     * own tools means the model answered through the structured-output tool: a normal stop.
     */
    static FinishReason finishReason(String stopReason, boolean realToolCalls) {
        if (stopReason == null) {
            return FinishReason.STOP;
        }
        return switch (stopReason) {
            case "stop_sequence" -> FinishReason.STOP_SEQUENCE;
            case "max_tokens", "model_context_window_exceeded" -> FinishReason.LENGTH;
            case "tool_use" -> realToolCalls ? FinishReason.TOOL_CALLS : FinishReason.STOP;
            case "refusal" -> FinishReason.CONTENT_FILTER;
            default -> FinishReason.STOP;
        };
    }

    /**
     * Canonical usage from Anthropic's, whose {@code input_tokens} leaves out the cached parts: they are added
     * back so that input counts the whole prompt. Fields missing from {@code usage} are taken from
     * {@code earlier} (a stream's {@code message_delta} may repeat only some of {@code message_start}'s).
     */
    static Usage usage(JsonNode usage, Usage earlier) {
        long uncached = count(usage, "input_tokens", earlier == null ? 0
                : earlier.inputTokens() - earlier.cachedTokens() - earlier.cacheWriteTokens());
        long cacheWrite = count(usage, "cache_creation_input_tokens", earlier == null ? 0 : earlier.cacheWriteTokens());
        long cacheRead = count(usage, "cache_read_input_tokens", earlier == null ? 0 : earlier.cachedTokens());
        long output = count(usage, "output_tokens", earlier == null ? 0 : earlier.outputTokens());
        long thinking = usage.path("output_tokens_details").path("thinking_tokens").isNumber()
                ? usage.path("output_tokens_details").path("thinking_tokens").asLong()
                : earlier == null ? 0 : earlier.reasoningTokens();
        return Usage.tokens(uncached + cacheWrite + cacheRead, output, cacheRead, cacheWrite, thinking);
    }

    private static long count(JsonNode usage, String field, long fallback) {
        JsonNode value = usage.path(field);
        return value.isNumber() ? value.asLong() : fallback;
    }

    static String textOrNull(JsonNode node) {
        return node.isTextual() ? node.asText() : null;
    }
}
