package io.aigne.hub.provider;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The kinds of upstream the hub knows, with their real default endpoints (from each provider's API reference)
 * and the order in which they are preferred when a model is asked for without a provider (spec §14.1).
 */
public enum ProviderType {
    OPENAI("openai", "OpenAI", WireFormat.OPENAI, "https://api.openai.com/v1", 1, CredentialKind.API_KEY),
    ANTHROPIC("anthropic", "Anthropic", WireFormat.ANTHROPIC, "https://api.anthropic.com", 1, CredentialKind.API_KEY),
    GOOGLE("google", "Google Gemini", WireFormat.GEMINI, "https://generativelanguage.googleapis.com", 1,
            CredentialKind.API_KEY),
    DEEPSEEK("deepseek", "DeepSeek", WireFormat.OPENAI, "https://api.deepseek.com", 1, CredentialKind.API_KEY),
    XAI("xai", "xAI", WireFormat.OPENAI, "https://api.x.ai/v1", 1, CredentialKind.API_KEY),
    DOUBAO("doubao", "Doubao", WireFormat.OPENAI, "https://ark.cn-beijing.volces.com/api/v3", 1,
            CredentialKind.API_KEY),
    IDEOGRAM("ideogram", "Ideogram", WireFormat.IDEOGRAM, "https://api.ideogram.ai", 1, CredentialKind.API_KEY),
    BEDROCK("bedrock", "Amazon Bedrock", WireFormat.BEDROCK, null, 2, CredentialKind.ACCESS_KEY_PAIR),
    OPENROUTER("openrouter", "OpenRouter", WireFormat.OPENAI, "https://openrouter.ai/api/v1", 3,
            CredentialKind.API_KEY),
    POE("poe", "Poe", WireFormat.OPENAI, "https://api.poe.com/v1", 3, CredentialKind.API_KEY),
    OLLAMA("ollama", "Ollama", WireFormat.OPENAI, "http://127.0.0.1:11434/v1", 4, CredentialKind.API_KEY),
    LMSTUDIO("lmstudio", "LM Studio", WireFormat.OPENAI, "http://127.0.0.1:1234/v1", 4, CredentialKind.API_KEY);

    private final String id;
    private final String label;
    private final WireFormat wire;
    private final String defaultBaseUrl;
    private final int rank;
    private final CredentialKind credentialKind;

    ProviderType(String id, String label, WireFormat wire, String defaultBaseUrl, int rank,
                 CredentialKind credentialKind) {
        this.id = id;
        this.label = label;
        this.wire = wire;
        this.defaultBaseUrl = defaultBaseUrl;
        this.rank = rank;
        this.credentialKind = credentialKind;
    }

    public String id() {
        return id;
    }

    /** The name people know the service by, for the console. */
    public String label() {
        return label;
    }

    public WireFormat wire() {
        return wire;
    }

    public Optional<String> defaultBaseUrl() {
        return Optional.ofNullable(defaultBaseUrl);
    }

    public int rank() {
        return rank;
    }

    public CredentialKind credentialKind() {
        return credentialKind;
    }

    /** Local servers (Ollama, LM Studio) usually accept any key; the hub then sends none if none is set. */
    public boolean keyOptional() {
        return this == OLLAMA || this == LMSTUDIO;
    }

    /** Bedrock endpoints are regional: a provider of this type cannot be saved without a region. */
    public boolean needsRegion() {
        return this == BEDROCK;
    }

    public static Optional<ProviderType> byId(String id) {
        if (id == null) {
            return Optional.empty();
        }
        String normalized = id.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
        if (normalized.equals("gemini")) {
            return Optional.of(GOOGLE);
        }
        return Arrays.stream(values()).filter(t -> t.id.equals(normalized)).findFirst();
    }
}
