package io.aigne.hub.routing;

import io.aigne.hub.provider.ProviderType;
import io.aigne.hub.usage.CallType;

import java.util.Locale;

/**
 * What a model does, from its provider type and the naming conventions of the providers' model ids: the model
 * list of the AIGNE door types its entries by it, and rates are looked up under it.
 */
public final class ModelKind {
    private ModelKind() {
    }

    public static CallType of(ProviderType type, String model) {
        String id = model.toLowerCase(Locale.ROOT);
        // Aggregators name models vendor/model; the vendor's own conventions apply to the part after the slash.
        String name = id.substring(id.lastIndexOf('/') + 1);
        if (type == ProviderType.IDEOGRAM || id.contains("dall-e") || id.contains("gpt-image")
                || id.contains("imagen") || id.contains("-image")) {
            return CallType.IMAGE;
        }
        if (id.contains("embed")) {
            return CallType.EMBEDDING;
        }
        if (name.startsWith("sora") || name.startsWith("veo")) {
            return CallType.VIDEO;
        }
        return CallType.CHAT;
    }
}
