package io.aigne.hub.routing;

import io.aigne.hub.provider.ProviderType;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which provider types can serve a bare model name, by its family (spec §14.2), and the id each of them knows
 * it by: aggregators such as OpenRouter name models {@code vendor/model}.
 */
enum ModelFamily {
    GOOGLE("google", List.of(ProviderType.GOOGLE, ProviderType.OPENROUTER, ProviderType.POE),
            "gemini", "imagen", "veo"),
    OPENAI("openai", List.of(ProviderType.OPENAI, ProviderType.OPENROUTER, ProviderType.POE),
            "gpt-", "o1", "o3", "o4", "chatgpt-", "dall-e-", "text-embedding", "sora-", "whisper", "tts-"),
    ANTHROPIC("anthropic", List.of(ProviderType.ANTHROPIC, ProviderType.BEDROCK, ProviderType.OPENROUTER,
            ProviderType.POE), "claude"),
    DEEPSEEK("deepseek", List.of(ProviderType.DEEPSEEK, ProviderType.OPENROUTER, ProviderType.OLLAMA), "deepseek"),
    XAI("x-ai", List.of(ProviderType.XAI, ProviderType.OPENROUTER, ProviderType.POE), "grok"),
    DOUBAO("doubao", List.of(ProviderType.DOUBAO), "doubao"),
    OPEN_WEIGHTS(null, List.of(ProviderType.OLLAMA, ProviderType.LMSTUDIO, ProviderType.OPENROUTER),
            "llama", "mistral", "mixtral", "qwen", "gemma", "yi-", "phi");

    private final String openRouterVendor;
    private final List<ProviderType> types;
    private final String[] prefixes;

    ModelFamily(String openRouterVendor, List<ProviderType> types, String... prefixes) {
        this.openRouterVendor = openRouterVendor;
        this.types = types;
        this.prefixes = prefixes;
    }

    static Optional<ModelFamily> of(String model) {
        String m = model.toLowerCase(Locale.ROOT);
        for (ModelFamily family : values()) {
            for (String prefix : family.prefixes) {
                if (m.startsWith(prefix)) {
                    return Optional.of(family);
                }
            }
        }
        return Optional.empty();
    }

    List<ProviderType> types() {
        return types;
    }

    /** The id a provider of this type uses for the model, or empty if it cannot name it. */
    Optional<String> nativeId(ProviderType type, String model) {
        if (type == ProviderType.BEDROCK) {
            // Bedrock ids are vendor-qualified and versioned (anthropic.claude-…-v1:0, or an inference profile
            // such as us.anthropic.…): a bare name cannot be guessed, only models declared on the provider go there.
            return Optional.empty();
        }
        if (type == ProviderType.OPENROUTER) {
            return openRouterVendor == null ? Optional.empty() : Optional.of(openRouterVendor + "/" + model);
        }
        return Optional.of(model);
    }
}
