package io.aigne.hub.billing.catalog;

import io.aigne.hub.provider.ProviderType;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which catalogue provider prices which hub provider type. The catalogue has no entry for Doubao, Ideogram or Poe,
 * and local servers (Ollama, LM Studio) cost nothing per token; their rates are set by hand. Catalogue providers the
 * hub cannot call (Azure, Groq, Mistral, …) are skipped, and the import report lists them.
 */
public final class CatalogProviders {
    private static final Map<ProviderType, String> CATALOGUE_ID;

    static {
        Map<ProviderType, String> ids = new LinkedHashMap<>();
        ids.put(ProviderType.OPENAI, "openai");
        ids.put(ProviderType.ANTHROPIC, "anthropic");
        ids.put(ProviderType.GOOGLE, "google");
        ids.put(ProviderType.BEDROCK, "aws");
        ids.put(ProviderType.DEEPSEEK, "deepseek");
        ids.put(ProviderType.XAI, "x-ai");
        ids.put(ProviderType.OPENROUTER, "openrouter");
        CATALOGUE_ID = Map.copyOf(ids);
    }

    private CatalogProviders() {
    }

    /** The catalogue provider id whose prices a provider type's rates come from. */
    public static Optional<String> catalogueId(ProviderType type) {
        return Optional.ofNullable(CATALOGUE_ID.get(type));
    }

    /** The hub provider type a catalogue provider prices, if the hub has one. */
    public static Optional<ProviderType> hubType(String catalogueId) {
        return CATALOGUE_ID.entrySet().stream().filter(e -> e.getValue().equals(catalogueId))
                .map(Map.Entry::getKey).findFirst();
    }

    /** Hub provider types the catalogue has no prices for, in the enum's order. */
    public static List<ProviderType> unpricedTypes() {
        return Arrays.stream(ProviderType.values()).filter(t -> !CATALOGUE_ID.containsKey(t)).toList();
    }
}
