package io.aigne.hub.billing;

import io.aigne.hub.usage.CallType;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rates in memory, for the request path: a snapshot of {@code model_rates} swapped whole on
 * {@link #reload()}, so a lookup never touches the database. A rate for the provider's own name wins over the
 * default rate for its type.
 */
public final class RateCard {
    private record Key(String provider, String model, CallType type) {
    }

    private final RateStore store;
    private volatile Map<Key, ModelRate> rates = Map.of();

    public RateCard(RateStore store) {
        this.store = store;
        reload();
    }

    public void reload() {
        List<ModelRate> all = store.all();
        Map<Key, ModelRate> next = new HashMap<>(all.size() * 2);
        for (ModelRate rate : all) {
            next.put(new Key(rate.provider(), rate.model(), rate.type()), rate);
        }
        rates = Map.copyOf(next);
    }

    public RateStore store() {
        return store;
    }

    /** The rate for a model as one provider serves it: its own rate, else the default for its type. */
    public Optional<ModelRate> find(String providerName, String providerType, String model, CallType type) {
        ModelRate own = rates.get(new Key(providerName, model, type));
        if (own != null || providerType == null) {
            return Optional.ofNullable(own);
        }
        return Optional.ofNullable(rates.get(new Key(providerType, model, type)));
    }

    public List<ModelRate> all() {
        return List.copyOf(rates.values());
    }
}
