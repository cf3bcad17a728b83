package io.aigne.hub.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.audit.Actor;
import io.aigne.hub.audit.AuditEvent;
import io.aigne.hub.audit.AuditLog;
import io.aigne.hub.config.HubConfig.CredentialDeclaration;
import io.aigne.hub.config.HubConfig.ProviderDeclaration;
import io.aigne.hub.routing.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Creating, changing and removing providers and credentials, with the checks that keep the routing table sound;
 * each change is made in one transaction with its audit record, then rebuilds the router's table. Providers
 * declared in the configuration file are synchronised here at start.
 */
public final class ProviderService {
    private static final Logger LOG = LoggerFactory.getLogger(ProviderService.class);
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,49}");

    private final ProviderStore store;
    private final Router router;
    private final AuditLog audit;

    public ProviderService(ProviderStore store, Router router, AuditLog audit) {
        this.store = store;
        this.router = router;
        this.audit = audit;
    }

    /** A rejected change: {@code field} names what to fix. */
    public static final class InvalidChange extends RuntimeException {
        private final String field;
        private final int status;

        public InvalidChange(String field, String message) {
            this(400, field, message);
        }

        public InvalidChange(int status, String field, String message) {
            super(message);
            this.field = field;
            this.status = status;
        }

        public String field() {
            return field;
        }

        public int status() {
            return status;
        }
    }

    public record ProviderSpec(String name, String type, String displayName, String baseUrl, String region,
                               Boolean enabled, List<String> models) {
    }

    /** Creates a provider with its credentials, all or nothing. */
    public Provider create(ProviderSpec spec, List<CredentialSpec> credentials, String source, Actor actor) {
        Provider created = audit.inTransaction(() -> {
            Provider p = insertProvider(spec, source, actor);
            for (CredentialSpec c : credentials) {
                insertCredential(p, c, actor);
            }
            return p;
        });
        router.reload();
        return created;
    }

    public Provider update(String id, ProviderSpec spec, Actor actor) {
        Provider updated = audit.inTransaction(() -> changeProvider(
                store.provider(id).orElseThrow(() -> new InvalidChange(404, "id", "no provider with id " + id)),
                spec, actor));
        router.reload();
        return updated;
    }

    public boolean delete(String id, Actor actor) {
        boolean deleted = audit.inTransaction(() -> {
            Optional<Provider> provider = store.provider(id);
            provider.ifPresent(p -> removeProvider(p, actor));
            return provider.isPresent();
        });
        router.reload();
        return deleted;
    }

    private Provider insertProvider(ProviderSpec spec, String source, Actor actor) {
        String name = requireName(spec.name());
        if (store.providerByName(name).isPresent()) {
            throw new InvalidChange(409, "name", "a provider named '" + name + "' already exists");
        }
        ProviderType type = resolveType(spec.type(), name);
        String baseUrl = checkBaseUrl(spec.baseUrl(), type);
        String region = checkRegion(spec.region(), type);
        Provider p = store.createProvider(name, type, blankToNull(spec.displayName()), baseUrl, region,
                spec.enabled() == null || spec.enabled(), checkModels(spec.models()), source, actor.reference());
        audit.record(AuditEvent.of(actor, "provider.create", "provider", p.id(), null, ProviderSnapshots.of(p)));
        return p;
    }

    /** Writes and records the change only when it changes something. */
    private Provider changeProvider(Provider current, ProviderSpec spec, Actor actor) {
        if (spec.name() != null && !spec.name().equals(current.name())) {
            throw new InvalidChange("name", "a provider's name cannot change (callers route by it); create a new provider");
        }
        ProviderType type = spec.type() == null ? current.type() : resolveType(spec.type(), current.name());
        Provider next = new Provider(current.id(), current.name(), type,
                spec.displayName() == null ? current.displayName() : blankToNull(spec.displayName()),
                spec.baseUrl() == null ? current.baseUrl() : checkBaseUrl(spec.baseUrl(), type),
                spec.region() == null ? current.region() : checkRegion(spec.region(), type),
                spec.enabled() == null ? current.enabled() : spec.enabled(),
                spec.models() == null ? current.models() : checkModels(spec.models()),
                current.source(), current.createdAt(), System.currentTimeMillis());
        if (type.needsRegion() && (next.region() == null || next.region().isBlank())) {
            throw new InvalidChange("region", "a bedrock provider needs a region, e.g. us-east-1");
        }
        AuditEvent event = AuditEvent.of(actor, "provider.update", "provider", current.id(),
                ProviderSnapshots.of(current), ProviderSnapshots.of(next));
        if (!event.changesSomething()) {
            return current;
        }
        store.updateProvider(next);
        audit.record(event);
        return next;
    }

    /** Deletes a provider and its credentials, with a record of each. */
    private void removeProvider(Provider p, Actor actor) {
        for (Credential c : store.credentials(p.id())) {
            audit.record(AuditEvent.of(actor, "credential.delete", "credential", c.id(),
                    ProviderSnapshots.of(p, c), null));
        }
        store.deleteProvider(p.id());
        audit.record(AuditEvent.of(actor, "provider.delete", "provider", p.id(), ProviderSnapshots.of(p), null));
    }

    public record CredentialSpec(String name, String credentialType, String apiKey, String accessKeyId,
                                 String secretAccessKey, String sessionToken, Integer weight, Boolean enabled) {
        @Override
        public String toString() {
            return "CredentialSpec[name=" + name + ", type=" + credentialType + "]";
        }
    }

    public Credential addCredential(String providerId, CredentialSpec spec, Actor actor) {
        Credential c = audit.inTransaction(() -> insertCredential(store.provider(providerId)
                .orElseThrow(() -> new InvalidChange(404, "providerId", "no provider with id " + providerId)), spec, actor));
        router.reload();
        return c;
    }

    public Credential updateCredential(String providerId, String credentialId, CredentialSpec spec, Actor actor) {
        Credential updated = audit.inTransaction(() -> {
            Credential current = credentialOf(providerId, credentialId);
            CredentialSecret secret = null;
            if (spec.apiKey() != null || spec.accessKeyId() != null || spec.secretAccessKey() != null) {
                CredentialKind kind = spec.credentialType() == null ? current.kind() : parseKind(spec.credentialType());
                if (kind != current.kind()) {
                    throw new InvalidChange("credentialType", "a credential's type cannot change; create a new credential");
                }
                secret = secretOf(kind, spec);
            }
            String name = spec.name() == null ? null : spec.name().trim();
            if (name != null && !name.equals(current.name())
                    && store.credentials(providerId).stream().anyMatch(c -> c.name().equals(name))) {
                throw new InvalidChange(409, "name", "this provider already has a credential named '" + name + "'");
            }
            return changeCredential(store.provider(providerId).orElseThrow(), current, name, secret,
                    spec.weight() == null ? null : checkWeight(spec.weight(), current.weight()), spec.enabled(), actor);
        });
        router.reload();
        if (spec.apiKey() != null || spec.accessKeyId() != null || spec.secretAccessKey() != null) {
            router.markHealthy(credentialId);
        }
        return updated;
    }

    public boolean deleteCredential(String providerId, String credentialId, Actor actor) {
        boolean deleted = audit.inTransaction(() -> {
            Credential c = credentialOf(providerId, credentialId);
            return removeCredential(store.provider(providerId).orElseThrow(), c, actor);
        });
        router.reload();
        return deleted;
    }

    private Credential insertCredential(Provider provider, CredentialSpec spec, Actor actor) {
        String name = spec.name() == null || spec.name().isBlank() ? "default" : spec.name().trim();
        if (name.length() > 100) {
            throw new InvalidChange("name", "a credential name has at most 100 characters");
        }
        if (store.credentials(provider.id()).stream().anyMatch(c -> c.name().equals(name))) {
            throw new InvalidChange(409, "name", "provider '" + provider.name() + "' already has a credential named '"
                    + name + "'");
        }
        CredentialKind kind = spec.credentialType() == null ? provider.type().credentialKind()
                : parseKind(spec.credentialType());
        CredentialSecret secret = secretOf(kind, spec);
        Credential c = store.createCredential(provider.id(), name, kind, secret, checkWeight(spec.weight(), 100));
        if (Boolean.FALSE.equals(spec.enabled())) {
            store.updateCredential(c.id(), null, null, null, false);
        }
        Credential created = store.credential(c.id()).orElseThrow();
        audit.record(AuditEvent.of(actor, "credential.create", "credential", c.id(), null,
                ProviderSnapshots.of(provider, created)));
        return created;
    }

    /**
     * Updates the given fields (null: unchanged) and records it as {@code credential.enable}/{@code .disable} when
     * the enabled flag flipped, else as {@code credential.update}; a replaced secret shows as {@code secretReplaced}
     * and its new masked form.
     */
    private Credential changeCredential(Provider provider, Credential current, String name, CredentialSecret secret,
                                        Integer weight, Boolean enabled, Actor actor) {
        store.updateCredential(current.id(), name, secret, weight, enabled);
        Credential after = store.credential(current.id()).orElseThrow();
        ObjectNode afterView = ProviderSnapshots.of(provider, after);
        if (secret != null) {
            afterView.put("secretReplaced", true);
        }
        String action = after.enabled() == current.enabled() ? "credential.update"
                : after.enabled() ? "credential.enable" : "credential.disable";
        AuditEvent event = AuditEvent.of(actor, action, "credential", current.id(),
                ProviderSnapshots.of(provider, current), afterView);
        if (event.changesSomething()) {
            audit.record(event);
        }
        return after;
    }

    private boolean removeCredential(Provider provider, Credential c, Actor actor) {
        boolean deleted = store.deleteCredential(c.id());
        if (deleted) {
            audit.record(AuditEvent.of(actor, "credential.delete", "credential", c.id(),
                    ProviderSnapshots.of(provider, c), null));
        }
        return deleted;
    }

    public Credential credentialOf(String providerId, String credentialId) {
        return store.credential(credentialId).filter(c -> c.providerId().equals(providerId))
                .orElseThrow(() -> new InvalidChange(404, "credentialId", "provider " + providerId
                        + " has no credential with id " + credentialId));
    }

    public CredentialSecret secretOf(CredentialKind kind, CredentialSpec spec) {
        return switch (kind) {
            case API_KEY -> {
                if (spec.apiKey() == null || spec.apiKey().isBlank()) {
                    throw new InvalidChange("value", "an api_key credential needs its key in 'value' "
                            + "(or credentialValue.api_key)");
                }
                yield CredentialSecret.apiKey(spec.apiKey().trim());
            }
            case ACCESS_KEY_PAIR -> {
                if (spec.accessKeyId() == null || spec.accessKeyId().isBlank()
                        || spec.secretAccessKey() == null || spec.secretAccessKey().isBlank()) {
                    throw new InvalidChange("credentialValue", "an access_key_pair credential needs "
                            + "credentialValue.access_key_id and credentialValue.secret_access_key "
                            + "(and optionally session_token)");
                }
                yield new CredentialSecret(null, spec.accessKeyId().trim(), spec.secretAccessKey().trim(),
                        blankToNull(spec.sessionToken()));
            }
        };
    }

    /**
     * Makes the database match the providers declared in the configuration, in one transaction: declared ones are
     * created or updated (credentials replaced when they changed), and config-sourced ones no longer declared are
     * removed. Each change is recorded with the actor {@code config}; a start that changes nothing records nothing.
     */
    public void syncDeclared(List<ProviderDeclaration> declarations) {
        audit.useTransaction(() -> {
            Set<String> declared = new HashSet<>();
            for (ProviderDeclaration d : declarations) {
                String name = requireName(d.name());
                if (!declared.add(name)) {
                    throw new InvalidChange("providers", "provider '" + name + "' is declared twice in the configuration");
                }
                Optional<Provider> existing = store.providerByName(name);
                Provider provider;
                if (existing.isEmpty()) {
                    provider = insertProvider(new ProviderSpec(name, d.type(), d.displayName(), d.baseUrl(), d.region(),
                            d.enabled(), d.models()), "config", Actor.CONFIG);
                } else if (!"config".equals(existing.get().source())) {
                    LOG.warn("provider '{}' is declared in the configuration but was created through the API; "
                            + "the API's version is kept", name);
                    continue;
                } else {
                    provider = changeProvider(existing.get(), new ProviderSpec(null, d.type() == null ? name : d.type(),
                            nullToEmpty(d.displayName()), nullToEmpty(d.baseUrl()), nullToEmpty(d.region()),
                            d.enabled() == null || d.enabled(), d.models()), Actor.CONFIG);
                }
                syncCredentials(provider, d.credentials());
            }
            for (Provider p : store.providers()) {
                if ("config".equals(p.source()) && !declared.contains(p.name())) {
                    LOG.info("provider '{}' is no longer declared in the configuration; removing it", p.name());
                    removeProvider(p, Actor.CONFIG);
                }
            }
        });
        router.reload();
    }

    private void syncCredentials(Provider provider, List<CredentialDeclaration> declarations) {
        Set<String> names = new HashSet<>();
        for (CredentialDeclaration d : declarations) {
            String name = d.name() == null || d.name().isBlank() ? "default" : d.name().trim();
            if (!names.add(name)) {
                throw new InvalidChange("providers." + provider.name() + ".credentials",
                        "credential '" + name + "' is declared twice");
            }
            CredentialKind kind = provider.type().credentialKind();
            if (kind == CredentialKind.API_KEY && (d.apiKey() == null || d.apiKey().isBlank())) {
                // Usually an unset environment variable: start without it rather than refuse to start at all.
                LOG.warn("credential '{}' of provider '{}' has no key in the configuration (is its environment "
                        + "variable set?); it is left out", name, provider.name());
                names.remove(name);
                continue;
            }
            CredentialSpec spec = new CredentialSpec(name, kind.wireName(), d.apiKey(), d.accessKeyId(),
                    d.secretAccessKey(), d.sessionToken(), d.weight(), true);
            CredentialSecret secret = secretOf(kind, spec);
            int weight = checkWeight(d.weight(), 100);
            Optional<Credential> existing = store.credentials(provider.id()).stream()
                    .filter(c -> c.name().equals(name)).findFirst();
            if (existing.isEmpty()) {
                insertCredential(provider, spec, Actor.CONFIG);
                continue;
            }
            Credential current = existing.get();
            boolean secretChanged = !Objects.equals(store.openSecret(current.id()), secret);
            if (secretChanged || weight != current.weight() || !current.enabled()) {
                changeCredential(provider, current, null, secretChanged ? secret : null, weight, true, Actor.CONFIG);
            }
        }
        for (Credential c : store.credentials(provider.id())) {
            if (!names.contains(c.name())) {
                removeCredential(provider, c, Actor.CONFIG);
            }
        }
    }

    private static String requireName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidChange("name", "a provider name is 1-50 lower-case letters, digits, '-' or '_' "
                    + "(it is the prefix callers write before '/', e.g. 'openai' in openai/gpt-4o-mini)");
        }
        return name;
    }

    private static ProviderType resolveType(String type, String name) {
        String wanted = type == null || type.isBlank() ? name : type;
        return ProviderType.byId(wanted).orElseThrow(() -> new InvalidChange("type", (type == null
                ? "'" + name + "' is not a provider type, so 'type' is required" : "unknown provider type '" + type + "'")
                + "; types: " + String.join(", ", java.util.Arrays.stream(ProviderType.values())
                .map(ProviderType::id).toList())));
    }

    private static String checkBaseUrl(String baseUrl, ProviderType type) {
        if (baseUrl == null || baseUrl.isBlank()) {
            if (type.defaultBaseUrl().isEmpty() && type != ProviderType.BEDROCK) {
                throw new InvalidChange("baseUrl", "provider type " + type.id() + " needs a baseUrl");
            }
            return null;
        }
        try {
            URI uri = URI.create(baseUrl.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw new IllegalArgumentException();
            }
        } catch (IllegalArgumentException e) {
            throw new InvalidChange("baseUrl", "baseUrl must be an http(s) URL such as https://api.openai.com/v1");
        }
        return baseUrl.trim();
    }

    private static String checkRegion(String region, ProviderType type) {
        if (type.needsRegion() && (region == null || region.isBlank())) {
            throw new InvalidChange("region", "a bedrock provider needs a region, e.g. us-east-1");
        }
        return blankToNull(region);
    }

    private static List<String> checkModels(List<String> models) {
        if (models == null) {
            return List.of();
        }
        for (String m : models) {
            if (m == null || m.isBlank()) {
                throw new InvalidChange("models", "model ids must be non-empty strings");
            }
        }
        return models.stream().map(String::trim).distinct().toList();
    }

    private static int checkWeight(Integer weight, int fallback) {
        if (weight == null) {
            return fallback;
        }
        if (weight < 0 || weight > 10_000) {
            throw new InvalidChange("weight", "weight must be between 0 and 10000 (0 keeps the credential out of rotation)");
        }
        return weight;
    }

    private static CredentialKind parseKind(String text) {
        try {
            return CredentialKind.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidChange("credentialType", e.getMessage());
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
