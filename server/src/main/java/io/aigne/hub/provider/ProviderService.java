package io.aigne.hub.provider;

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
 * every change rebuilds the router's table. Providers declared in the configuration file are synchronised here
 * at start.
 */
public final class ProviderService {
    private static final Logger LOG = LoggerFactory.getLogger(ProviderService.class);
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,49}");

    private final ProviderStore store;
    private final Router router;

    public ProviderService(ProviderStore store, Router router) {
        this.store = store;
        this.router = router;
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

    public Provider create(ProviderSpec spec, String source, String createdBy) {
        String name = requireName(spec.name());
        if (store.providerByName(name).isPresent()) {
            throw new InvalidChange(409, "name", "a provider named '" + name + "' already exists");
        }
        ProviderType type = resolveType(spec.type(), name);
        String baseUrl = checkBaseUrl(spec.baseUrl(), type);
        String region = checkRegion(spec.region(), type);
        Provider p = store.createProvider(name, type, blankToNull(spec.displayName()), baseUrl, region,
                spec.enabled() == null || spec.enabled(), checkModels(spec.models()), source, createdBy);
        router.reload();
        return p;
    }

    public Provider update(String id, ProviderSpec spec) {
        Provider current = store.provider(id).orElseThrow(() -> new InvalidChange(404, "id", "no provider with id " + id));
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
        if (type == ProviderType.BEDROCK && (next.region() == null || next.region().isBlank())) {
            throw new InvalidChange("region", "a bedrock provider needs a region, e.g. us-east-1");
        }
        store.updateProvider(next);
        router.reload();
        return next;
    }

    public boolean delete(String id) {
        boolean deleted = store.deleteProvider(id);
        router.reload();
        return deleted;
    }

    public record CredentialSpec(String name, String credentialType, String apiKey, String accessKeyId,
                                 String secretAccessKey, String sessionToken, Integer weight, Boolean enabled) {
        @Override
        public String toString() {
            return "CredentialSpec[name=" + name + ", type=" + credentialType + "]";
        }
    }

    public Credential addCredential(String providerId, CredentialSpec spec) {
        Provider provider = store.provider(providerId)
                .orElseThrow(() -> new InvalidChange(404, "providerId", "no provider with id " + providerId));
        String name = spec.name() == null || spec.name().isBlank() ? "default" : spec.name().trim();
        if (name.length() > 100) {
            throw new InvalidChange("name", "a credential name has at most 100 characters");
        }
        if (store.credentials(providerId).stream().anyMatch(c -> c.name().equals(name))) {
            throw new InvalidChange(409, "name", "provider '" + provider.name() + "' already has a credential named '"
                    + name + "'");
        }
        CredentialKind kind = spec.credentialType() == null ? provider.type().credentialKind()
                : parseKind(spec.credentialType());
        CredentialSecret secret = secretOf(kind, spec);
        Credential c = store.createCredential(providerId, name, kind, secret, checkWeight(spec.weight(), 100));
        if (Boolean.FALSE.equals(spec.enabled())) {
            store.updateCredential(c.id(), null, null, null, false);
        }
        router.reload();
        return store.credential(c.id()).orElseThrow();
    }

    public Credential updateCredential(String providerId, String credentialId, CredentialSpec spec) {
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
        store.updateCredential(credentialId, name, secret,
                spec.weight() == null ? null : checkWeight(spec.weight(), current.weight()), spec.enabled());
        router.reload();
        if (secret != null) {
            router.markHealthy(credentialId);
        }
        return store.credential(credentialId).orElseThrow();
    }

    public boolean deleteCredential(String providerId, String credentialId) {
        credentialOf(providerId, credentialId);
        boolean deleted = store.deleteCredential(credentialId);
        router.reload();
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
     * Makes the database match the providers declared in the configuration: declared ones are created or updated
     * (credentials replaced when they changed), and config-sourced ones no longer declared are removed.
     */
    public void syncDeclared(List<ProviderDeclaration> declarations) {
        Set<String> declared = new HashSet<>();
        for (ProviderDeclaration d : declarations) {
            String name = requireName(d.name());
            if (!declared.add(name)) {
                throw new InvalidChange("providers", "provider '" + name + "' is declared twice in the configuration");
            }
            ProviderSpec spec = new ProviderSpec(name, d.type(), d.displayName(), d.baseUrl(), d.region(),
                    d.enabled(), d.models());
            Optional<Provider> existing = store.providerByName(name);
            Provider provider;
            if (existing.isEmpty()) {
                provider = create(spec, "config", "config");
            } else if (!"config".equals(existing.get().source())) {
                LOG.warn("provider '{}' is declared in the configuration but was created through the API; "
                        + "the API's version is kept", name);
                continue;
            } else {
                provider = update(existing.get().id(), new ProviderSpec(null, d.type() == null ? name : d.type(),
                        nullToEmpty(d.displayName()), nullToEmpty(d.baseUrl()), nullToEmpty(d.region()),
                        d.enabled() == null || d.enabled(), d.models()));
            }
            syncCredentials(provider, d.credentials());
        }
        for (Provider p : store.providers()) {
            if ("config".equals(p.source()) && !declared.contains(p.name())) {
                LOG.info("provider '{}' is no longer declared in the configuration; removing it", p.name());
                store.deleteProvider(p.id());
            }
        }
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
            CredentialSecret secret = secretOf(kind, new CredentialSpec(name, kind.wireName(), d.apiKey(),
                    d.accessKeyId(), d.secretAccessKey(), d.sessionToken(), d.weight(), true));
            int weight = checkWeight(d.weight(), 100);
            Optional<Credential> existing = store.credentials(provider.id()).stream()
                    .filter(c -> c.name().equals(name)).findFirst();
            if (existing.isEmpty()) {
                store.createCredential(provider.id(), name, kind, secret, weight);
            } else {
                boolean changed = !Objects.equals(store.openSecret(existing.get().id()), secret);
                store.updateCredential(existing.get().id(), null, changed ? secret : null, weight, true);
            }
        }
        for (Credential c : store.credentials(provider.id())) {
            if (!names.contains(c.name())) {
                store.deleteCredential(c.id());
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
        if (type == ProviderType.BEDROCK && (region == null || region.isBlank())) {
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
