package io.aigne.hub.provider;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.server.Json;

/** What the audit log shows of providers and credentials: their settings, and a credential's secret only masked. */
final class ProviderSnapshots {
    private ProviderSnapshots() {
    }

    static ObjectNode of(Provider p) {
        ObjectNode o = Json.object();
        o.put("id", p.id());
        o.put("name", p.name());
        o.put("type", p.type().id());
        o.put("displayName", p.displayName());
        o.put("baseUrl", p.baseUrl());
        o.put("region", p.region());
        o.put("enabled", p.enabled());
        ArrayNode models = o.putArray("models");
        p.models().forEach(models::add);
        o.put("source", p.source());
        return o;
    }

    static ObjectNode of(Provider provider, Credential c) {
        ObjectNode o = Json.object();
        o.put("id", c.id());
        o.put("providerId", c.providerId());
        o.put("provider", provider.name());
        o.put("name", c.name());
        o.put("credentialType", c.kind().wireName());
        o.put("masked", c.masked());
        o.put("weight", c.weight());
        o.put("enabled", c.enabled());
        return o;
    }
}
