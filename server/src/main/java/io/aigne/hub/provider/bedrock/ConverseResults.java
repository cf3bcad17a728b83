package io.aigne.hub.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigne.hub.gateway.canonical.FinishReason;
import io.aigne.hub.usage.Usage;

/** What Converse and ConverseStream report the same way: why the model stopped, and the tokens it used. */
final class ConverseResults {
    private ConverseResults() {
    }

    /**
     * Converse's {@code stopReason} in canonical terms. {@code model_context_window_exceeded} is a length limit;
     * {@code malformed_model_output} and {@code malformed_tool_use} end the answer without a usable tool call, so
     * they count as a plain stop (whatever text came is kept).
     */
    static FinishReason finishReason(String stopReason) {
        if (stopReason == null) {
            return FinishReason.STOP;
        }
        return switch (stopReason) {
            case "tool_use" -> FinishReason.TOOL_CALLS;
            case "max_tokens", "model_context_window_exceeded" -> FinishReason.LENGTH;
            case "stop_sequence" -> FinishReason.STOP_SEQUENCE;
            case "guardrail_intervened", "content_filtered" -> FinishReason.CONTENT_FILTER;
            default -> FinishReason.STOP;
        };
    }

    /**
     * Converse's {@code usage} in canonical terms. Bedrock's {@code inputTokens} counts only the prompt tokens that
     * were neither read from nor written to the prompt cache, as Anthropic's {@code input_tokens} does (the API
     * reference does not say; that is how the service reports them), so the canonical prompt count adds the two
     * cache counts to it.
     */
    static Usage usage(JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return Usage.NONE;
        }
        long cacheRead = usage.path("cacheReadInputTokens").asLong(0);
        long cacheWrite = usage.path("cacheWriteInputTokens").asLong(0);
        long input = usage.path("inputTokens").asLong(0) + cacheRead + cacheWrite;
        return Usage.tokens(input, usage.path("outputTokens").asLong(0), cacheRead, cacheWrite, 0);
    }

    /**
     * The stop sequence that matched, which Converse only returns for Anthropic models and only when asked for
     * with {@code additionalModelResponseFieldPaths: ["/stop_sequence"]}.
     */
    static String stopSequence(JsonNode additionalFields) {
        JsonNode value = additionalFields == null ? null : additionalFields.get("stop_sequence");
        return value != null && value.isTextual() ? value.asText() : null;
    }
}
