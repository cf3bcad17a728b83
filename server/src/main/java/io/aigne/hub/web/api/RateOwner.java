package io.aigne.hub.web.api;

import io.aigne.hub.billing.ModelRate;
import io.aigne.hub.provider.Provider;
import io.aigne.hub.provider.ProviderType;
import io.aigne.hub.routing.Router;
import io.aigne.hub.server.ApiException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Whose rates a request means: a provider, given by its id or name (rates keyed by its name are its own), or a
 * provider type such as {@code openai} (rates keyed by the type are the default of every provider of that type).
 * A provider of that name wins over a type of the same name; both then key their rates the same way.
 */
record RateOwner(String key, Provider provider, ProviderType type) {

    static RateOwner resolve(Router router, String text, String field) {
        if (text == null || text.isBlank()) {
            throw ApiException.invalid(field, "'" + field + "' is required: a provider's id or name, or a provider "
                    + "type such as openai");
        }
        String wanted = text.trim();
        for (Provider p : router.providers()) {
            if (p.id().equals(wanted) || p.name().equals(wanted)) {
                return new RateOwner(p.name(), p, p.type());
            }
        }
        return ProviderType.byId(wanted).map(t -> new RateOwner(t.id(), null, t))
                .orElseThrow(() -> ApiException.invalid(field, "'" + field + "': no provider has the id or name '"
                        + wanted + "', and it is not a provider type (" + types() + "); GET /api/ai-providers lists "
                        + "the providers"));
    }

    /** The rates that apply to this owner: a provider's own, then its type's defaults it does not override. */
    List<ModelRate> applicable(List<ModelRate> all) {
        List<ModelRate> own = all.stream().filter(r -> r.provider().equals(key)).toList();
        if (provider == null || key.equals(type.id())) {
            return own;
        }
        Set<String> overridden = new HashSet<>();
        own.forEach(r -> overridden.add(r.model() + "\u0000" + r.type()));
        List<ModelRate> out = new ArrayList<>(own);
        all.stream().filter(r -> r.provider().equals(type.id()))
                .filter(r -> !overridden.contains(r.model() + "\u0000" + r.type()))
                .forEach(out::add);
        return out;
    }

    private static String types() {
        return String.join(", ", java.util.Arrays.stream(ProviderType.values()).map(ProviderType::id).toList());
    }
}
