package io.aigne.hub.provider;

import io.aigne.hub.routing.CredentialProbe;
import io.aigne.hub.routing.Outcome;

import java.io.IOException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The adapter for each wire format, and the provider-wide operations (probes, model lists) that go through it. */
public final class ProviderAdapters implements CredentialProbe {
    private final Map<WireFormat, ProviderAdapter> byWire = new EnumMap<>(WireFormat.class);

    public ProviderAdapters(List<ProviderAdapter> adapters) {
        for (ProviderAdapter adapter : adapters) {
            byWire.put(adapter.wire(), adapter);
        }
    }

    public ProviderAdapter of(Provider provider) {
        ProviderAdapter adapter = byWire.get(provider.type().wire());
        if (adapter == null) {
            throw new IllegalStateException("no adapter for wire format " + provider.type().wire());
        }
        return adapter;
    }

    @Override
    public Outcome probe(Provider provider, CredentialSecret secret) {
        return of(provider).probe(provider, secret);
    }

    public List<String> listModels(Provider provider, CredentialSecret secret, Duration timeout) throws IOException {
        return of(provider).listModels(provider, secret, timeout);
    }
}
