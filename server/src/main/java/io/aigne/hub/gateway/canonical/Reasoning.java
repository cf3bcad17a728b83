package io.aigne.hub.gateway.canonical;

/**
 * Reasoning settings. {@code effort} is OpenAI's low/medium/high (null when given as a budget);
 * {@code budgetTokens} is Anthropic's / Gemini's thinking budget (null when given as an effort);
 * {@code enabled} false turns thinking off where the provider allows it.
 */
public record Reasoning(boolean enabled, String effort, Integer budgetTokens) {

    /** A token budget for providers that take one, derived from the effort when only that was given. */
    public int budgetOr(int maxTokens) {
        if (budgetTokens != null) {
            return budgetTokens;
        }
        int budget = switch (effort == null ? "medium" : effort) {
            case "minimal", "low" -> 1024;
            case "high" -> 16384;
            default -> 4096;
        };
        return maxTokens > 0 ? Math.min(budget, Math.max(1024, maxTokens - 1)) : budget;
    }
}
