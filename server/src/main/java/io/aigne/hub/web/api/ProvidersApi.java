package io.aigne.hub.web.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.audit.Actor;
import io.aigne.hub.audit.RequestActors;
import io.aigne.hub.auth.Principal;
import io.aigne.hub.provider.Credential;
import io.aigne.hub.provider.CredentialKind;
import io.aigne.hub.provider.CredentialSecret;
import io.aigne.hub.provider.Provider;
import io.aigne.hub.provider.ProviderService;
import io.aigne.hub.provider.ProviderService.CredentialSpec;
import io.aigne.hub.provider.ProviderService.InvalidChange;
import io.aigne.hub.provider.ProviderService.ProviderSpec;
import io.aigne.hub.provider.ProviderStore;
import io.aigne.hub.provider.ProviderType;
import io.aigne.hub.provider.ProviderAdapters;
import io.aigne.hub.routing.CredentialHealth;
import io.aigne.hub.routing.Outcome;
import io.aigne.hub.routing.Router;
import io.aigne.hub.server.ApiException;
import io.aigne.hub.server.Authenticator;
import io.aigne.hub.server.Exchange;
import io.aigne.hub.server.Json;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The provider and credential admin API, on the original hub's paths ({@code /api/ai-providers...}, spec §4.3).
 * Credentials are shown masked only; their secrets go in and never come out.
 */
public final class ProvidersApi {
    private final Authenticator auth;
    private final RequestActors actors;
    private final ProviderService service;
    private final ProviderStore store;
    private final Router router;
    private final ProviderAdapters upstream;
    private final long maxBodyBytes;

    public ProvidersApi(Authenticator auth, RequestActors actors, ProviderService service, ProviderStore store,
                        Router router, ProviderAdapters upstream, long maxBodyBytes) {
        this.auth = auth;
        this.actors = actors;
        this.service = service;
        this.store = store;
        this.router = router;
        this.upstream = upstream;
        this.maxBodyBytes = maxBodyBytes;
    }

    public void register(HttpRules rules) {
        rules.get("/api/ai-providers/health", this::health)
                .get("/api/ai-providers/types", this::types)
                .get("/api/ai-providers", this::list)
                .post("/api/ai-providers", this::create)
                .get("/api/ai-providers/{id}", this::get)
                .put("/api/ai-providers/{id}", this::update)
                .delete("/api/ai-providers/{id}", this::delete)
                .post("/api/ai-providers/{providerId}/credentials/test", this::testValue)
                .post("/api/ai-providers/{providerId}/credentials", this::addCredential)
                .put("/api/ai-providers/{providerId}/credentials/{credentialId}", this::updateCredential)
                .delete("/api/ai-providers/{providerId}/credentials/{credentialId}", this::deleteCredential)
                .get("/api/ai-providers/{providerId}/credentials/{credentialId}/check", this::check);
    }

    private void list(ServerRequest req, ServerResponse res) {
        Principal p = auth.require(req);
        String name = Fields.query(req, "name");
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (Provider provider : store.providers()) {
            if (name == null || provider.name().equals(name)) {
                out.add(view(provider, p.role().canAdminister()));
            }
        }
        Exchange.json(res, 200, out);
    }

    /**
     * The provider types the hub accepts, in the enum's order, with what a form needs of each: its label, the kind
     * of credential it takes, whether a key may be left out, whether it needs a region, its default endpoint.
     */
    private void types(ServerRequest req, ServerResponse res) {
        auth.requireAdmin(req);
        ObjectNode root = Json.object();
        ArrayNode types = root.putArray("types");
        for (ProviderType t : ProviderType.values()) {
            ObjectNode o = types.addObject();
            o.put("id", t.id());
            o.put("label", t.label());
            o.put("credentialKind", t.credentialKind().wireName());
            o.put("keyOptional", t.keyOptional());
            o.put("needsRegion", t.needsRegion());
            o.put("defaultBaseUrl", t.defaultBaseUrl().orElse(null));
        }
        Exchange.json(res, 200, root);
    }

    private void get(ServerRequest req, ServerResponse res) {
        Principal p = auth.require(req);
        Exchange.json(res, 200, view(provider(Fields.path(req, "id")), p.role().canAdminister()));
    }

    private void create(ServerRequest req, ServerResponse res) {
        Actor actor = actors.of(req, auth.requireAdmin(req));
        ObjectNode body = Exchange.jsonBody(req, maxBodyBytes);
        List<CredentialSpec> credentials = new ArrayList<>();
        JsonNode given = body.get("credentials");
        if (given != null && !given.isNull()) {
            if (!given.isArray()) {
                throw ApiException.invalid("credentials", "'credentials' must be an array of credential objects");
            }
            for (JsonNode c : given) {
                if (!(c instanceof ObjectNode co)) {
                    throw ApiException.invalid("credentials", "each credential must be an object");
                }
                credentials.add(credentialSpec(co));
            }
        }
        Provider created = guarded(() -> service.create(providerSpec(body), credentials, "api", actor));
        Exchange.json(res, 201, view(store.provider(created.id()).orElseThrow(), true));
    }

    private void update(ServerRequest req, ServerResponse res) {
        Actor actor = actors.of(req, auth.requireAdmin(req));
        ObjectNode body = Exchange.jsonBody(req, maxBodyBytes);
        Provider updated = guarded(() -> service.update(Fields.path(req, "id"), providerSpec(body), actor));
        Exchange.json(res, 200, view(updated, true));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        Actor actor = actors.of(req, auth.requireAdmin(req));
        String id = Fields.path(req, "id");
        provider(id);
        service.delete(id, actor);
        Exchange.json(res, 200, Json.object().put("deleted", true).put("id", id));
    }

    private void addCredential(ServerRequest req, ServerResponse res) {
        Actor actor = actors.of(req, auth.requireAdmin(req));
        ObjectNode body = Exchange.jsonBody(req, maxBodyBytes);
        String providerId = Fields.path(req, "providerId");
        Credential c = guarded(() -> service.addCredential(providerId, credentialSpec(body), actor));
        Exchange.json(res, 201, credentialView(c, true));
    }

    private void updateCredential(ServerRequest req, ServerResponse res) {
        Actor actor = actors.of(req, auth.requireAdmin(req));
        ObjectNode body = Exchange.jsonBody(req, maxBodyBytes);
        Credential c = guarded(() -> service.updateCredential(Fields.path(req, "providerId"),
                Fields.path(req, "credentialId"), credentialSpec(body), actor));
        Exchange.json(res, 200, credentialView(c, true));
    }

    private void deleteCredential(ServerRequest req, ServerResponse res) {
        Actor actor = actors.of(req, auth.requireAdmin(req));
        String credentialId = Fields.path(req, "credentialId");
        guarded(() -> service.deleteCredential(Fields.path(req, "providerId"), credentialId, actor));
        Exchange.json(res, 200, Json.object().put("deleted", true).put("id", credentialId));
    }

    /** Tests a key before it is saved: {@code {value, credentialType}} → {@code {success:true}} or 400. */
    private void testValue(ServerRequest req, ServerResponse res) {
        auth.requireAdmin(req);
        ObjectNode body = Exchange.jsonBody(req, maxBodyBytes);
        Provider provider = provider(Fields.path(req, "providerId"));
        CredentialSpec spec = credentialSpec(body);
        CredentialKind kind = spec.credentialType() == null ? provider.type().credentialKind()
                : CredentialKind.parse(spec.credentialType());
        CredentialSecret secret = guarded(() -> service.secretOf(kind, spec));
        answerProbe(res, provider, secret, null);
    }

    /** Re-tests a saved credential and, if it passes, puts it back into rotation at once. */
    private void check(ServerRequest req, ServerResponse res) {
        auth.requireAdmin(req);
        Provider provider = provider(Fields.path(req, "providerId"));
        Credential c = guarded(() -> service.credentialOf(provider.id(), Fields.path(req, "credentialId")));
        answerProbe(res, provider, store.openSecret(c.id()), c.id());
    }

    private void answerProbe(ServerResponse res, Provider provider, CredentialSecret secret, String credentialId) {
        Outcome outcome = upstream.probe(provider, secret);
        if (outcome instanceof Outcome.Success) {
            if (credentialId != null) {
                router.markHealthy(credentialId);
                store.clearError(credentialId);
            }
            Exchange.json(res, 200, Json.object().put("success", true));
            return;
        }
        ObjectNode error = Json.object();
        error.put("error", "Invalid credentials");
        error.put("detail", switch (outcome) {
            case Outcome.Rejected r -> r.status() + ": " + r.message();
            case Outcome.RateLimited r -> "rate limited: " + r.message();
            case Outcome.Failed f -> f.message();
            case Outcome.Success s -> "";
        });
        Exchange.json(res, 400, error);
    }

    /**
     * Public: whether each credential is in rotation ({@code running}), in the original hub's shape; admins also
     * see the state, last error and counters.
     */
    private void health(ServerRequest req, ServerResponse res) {
        Optional<Principal> who = auth.identify(req);
        boolean admin = who.map(p -> p.role().canAdminister()).orElse(false);
        ObjectNode root = Json.object();
        ObjectNode providers = root.putObject("providers");
        for (Provider provider : store.providers()) {
            ObjectNode byName = providers.putObject(provider.name());
            for (Credential c : store.credentials(provider.id())) {
                CredentialHealth.Snapshot h = router.health(c.id());
                ObjectNode entry = byName.putObject(c.name());
                entry.put("running", provider.enabled() && c.enabled() && h.state() != CredentialHealth.State.REJECTED);
                if (admin) {
                    entry.put("id", c.id());
                    entry.put("state", h.state().name().toLowerCase(java.util.Locale.ROOT));
                    entry.put("enabled", c.enabled());
                    entry.put("weight", c.weight());
                    if (h.until() != null) {
                        entry.put("until", h.until());
                    }
                    String lastError = h.lastError() != null ? h.lastError() : c.lastError();
                    if (lastError != null) {
                        entry.put("lastError", lastError);
                    }
                    Long lastErrorAt = h.lastErrorAt() != null ? h.lastErrorAt() : c.lastErrorAt();
                    if (lastErrorAt != null) {
                        entry.put("lastErrorAt", lastErrorAt);
                    }
                    entry.put("successes", h.successes());
                    entry.put("failures", h.failures());
                }
            }
        }
        root.put("timestamp", System.currentTimeMillis());
        Exchange.json(res, 200, root);
    }

    private Provider provider(String id) {
        return store.provider(id).orElseThrow(() -> ApiException.notFound("provider_not_found",
                "no provider with id " + id + " (GET /api/ai-providers lists them)"));
    }

    private ObjectNode view(Provider p, boolean withCredentials) {
        ObjectNode o = Json.object();
        o.put("id", p.id());
        o.put("name", p.name());
        o.put("type", p.type().id());
        o.put("displayName", p.displayName() == null ? p.name() : p.displayName());
        if (p.baseUrl() != null) {
            o.put("baseUrl", p.baseUrl());
        }
        o.put("effectiveBaseUrl", p.effectiveBaseUrl());
        if (p.region() != null) {
            o.put("region", p.region());
        }
        o.put("enabled", p.enabled());
        ArrayNode models = o.putArray("models");
        p.models().forEach(models::add);
        o.put("source", p.source());
        o.put("createdAt", p.createdAt());
        o.put("updatedAt", p.updatedAt());
        if (withCredentials) {
            ArrayNode creds = o.putArray("credentials");
            for (Credential c : store.credentials(p.id())) {
                creds.add(credentialView(c, true));
            }
        }
        return o;
    }

    private ObjectNode credentialView(Credential c, boolean withHealth) {
        ObjectNode o = Json.object();
        o.put("id", c.id());
        o.put("providerId", c.providerId());
        o.put("name", c.name());
        o.put("credentialType", c.kind().wireName());
        o.put("displayText", c.masked());
        o.put("maskedValue", c.masked());
        o.put("weight", c.weight());
        o.put("enabled", c.enabled());
        if (withHealth) {
            CredentialHealth.Snapshot h = router.health(c.id());
            o.put("active", c.enabled() && h.state() != CredentialHealth.State.REJECTED);
            o.put("state", h.state().name().toLowerCase(java.util.Locale.ROOT));
        }
        if (c.lastError() != null) {
            o.put("error", c.lastError());
        }
        o.put("createdAt", c.createdAt());
        o.put("updatedAt", c.updatedAt());
        return o;
    }

    private static ProviderSpec providerSpec(ObjectNode body) {
        return new ProviderSpec(Fields.text(body, "name"), Fields.text(body, "type"), Fields.text(body, "displayName"),
                Fields.text(body, "baseUrl"), Fields.text(body, "region"), Fields.bool(body, "enabled"),
                Fields.strings(body, "models"));
    }

    private static CredentialSpec credentialSpec(ObjectNode body) {
        String apiKey = Fields.text(body, "value");
        String accessKeyId = null;
        String secretAccessKey = null;
        String sessionToken = null;
        JsonNode value = body.get("credentialValue");
        if (value != null && !value.isNull()) {
            if (!(value instanceof ObjectNode v)) {
                throw ApiException.invalid("credentialValue", "'credentialValue' must be an object such as "
                        + "{\"api_key\": \"...\"} or {\"access_key_id\": \"...\", \"secret_access_key\": \"...\"}");
            }
            if (apiKey == null) {
                apiKey = Fields.text(v, "api_key");
            }
            accessKeyId = Fields.text(v, "access_key_id");
            secretAccessKey = Fields.text(v, "secret_access_key");
            sessionToken = Fields.text(v, "session_token");
        }
        return new CredentialSpec(Fields.text(body, "name"), Fields.text(body, "credentialType"), apiKey, accessKeyId,
                secretAccessKey, sessionToken, Fields.integer(body, "weight"), Fields.bool(body, "enabled"));
    }

    private static <T> T guarded(java.util.function.Supplier<T> change) {
        try {
            return change.get();
        } catch (InvalidChange e) {
            String type = e.status() == 404 ? "invalid_request_error" : e.status() == 409 ? "conflict" : "invalid_request_error";
            throw new ApiException(e.status(), type, e.status() == 409 ? "already_exists"
                    : e.status() == 404 ? "not_found" : "invalid_value", e.field(), e.getMessage());
        }
    }
}
