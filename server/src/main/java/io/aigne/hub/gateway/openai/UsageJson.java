package io.aigne.hub.gateway.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.server.Json;
import io.aigne.hub.usage.Usage;

/** Canonical usage as the {@code usage} object of OpenAI's chat answers and stream chunks. */
final class UsageJson {
    private UsageJson() {
    }

    /**
     * Cache writes have no OpenAI field; they stay counted in {@code prompt_tokens}, which holds every prompt token
     * as OpenAI counts it. Reasoning tokens are already part of {@code completion_tokens}.
     */
    static ObjectNode chat(Usage usage) {
        ObjectNode node = Json.object();
        node.put("prompt_tokens", usage.inputTokens());
        node.put("completion_tokens", usage.outputTokens());
        node.put("total_tokens", usage.totalTokens() > 0 ? usage.totalTokens()
                : usage.inputTokens() + usage.outputTokens());
        node.putObject("prompt_tokens_details").put("cached_tokens", usage.cachedTokens());
        node.putObject("completion_tokens_details").put("reasoning_tokens", usage.reasoningTokens());
        return node;
    }
}
