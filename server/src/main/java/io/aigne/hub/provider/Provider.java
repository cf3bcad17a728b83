package io.aigne.hub.provider;

import java.util.List;

/**
 * A configured upstream. {@code name} is what callers write before the first '/' of a model id; {@code type}
 * says which API it speaks, so several providers may share a type (two OpenAI-compatible endpoints, say).
 */
public record Provider(String id, String name, ProviderType type, String displayName, String baseUrl,
                       String region, boolean enabled, List<String> models, String source, long createdAt,
                       long updatedAt) {
    public Provider {
        models = models == null ? List.of() : List.copyOf(models);
    }

    /** The configured base URL, or the type's documented default. */
    public String effectiveBaseUrl() {
        if (baseUrl != null && !baseUrl.isBlank()) {
            return baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        }
        return type.defaultBaseUrl().orElse("");
    }
}
