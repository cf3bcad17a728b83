package io.aigne.hub.routing;

import io.aigne.hub.config.HubConfig.RoutingConfig;
import io.aigne.hub.provider.Credential;
import io.aigne.hub.provider.CredentialSecret;
import io.aigne.hub.provider.Provider;
import io.aigne.hub.provider.ProviderStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Turns a model id into an ordered plan of routes (provider + credential) to try.
 * <ul>
 *   <li>{@code provider/model}: that provider's usable credentials, the smooth weighted round-robin pick first;</li>
 *   <li>a bare model: every enabled provider that declares it or whose type serves its family, rotated per model,
 *   each with its credentials, so a failing provider hands the call to the next (spec §14.3).</li>
 * </ul>
 * The routing table is an immutable snapshot of the database with credentials decrypted, rebuilt after every
 * change on this node and periodically for changes made by other nodes.
 */
public final class Router {
    private static final Logger LOG = LoggerFactory.getLogger(Router.class);

    private final ProviderStore store;
    private final RoutingConfig config;
    private final Clock clock;
    private final Executor background;
    private final ConcurrentHashMap<String, CredentialHealth> health = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicInteger> modelCursors = new ConcurrentHashMap<>();
    private volatile Table table = new Table(Map.of());

    private record Entry(Credential credential, CredentialSecret secret) {
    }

    private record ProviderRoutes(Provider provider, WeightedRotation<Entry> rotation) {
    }

    private record Table(Map<String, ProviderRoutes> byName) {
    }

    public Router(ProviderStore store, RoutingConfig config, Clock clock, Executor background) {
        this.store = store;
        this.config = config;
        this.clock = clock;
        this.background = background;
    }

    /** Rebuilds the routing table from the database. */
    public synchronized void reload() {
        Map<String, ProviderRoutes> byName = new LinkedHashMap<>();
        Map<String, List<Credential>> credentialsByProvider = new java.util.HashMap<>();
        for (Credential c : store.allCredentials()) {
            credentialsByProvider.computeIfAbsent(c.providerId(), k -> new ArrayList<>()).add(c);
        }
        Map<String, ProviderRoutes> previous = table.byName();
        for (Provider provider : store.providers()) {
            List<Entry> entries = new ArrayList<>();
            for (Credential c : credentialsByProvider.getOrDefault(provider.id(), List.of())) {
                if (!c.enabled()) {
                    continue;
                }
                try {
                    entries.add(new Entry(c, store.openSecret(c.id())));
                } catch (RuntimeException e) {
                    LOG.error("credential {} of provider {} cannot be opened ({}); it is left out of routing",
                            c.name(), provider.name(), e.getMessage());
                }
            }
            ProviderRoutes old = previous.get(provider.name());
            boolean same = old != null && old.rotation().members().equals(entries);
            byName.put(provider.name(), same ? new ProviderRoutes(provider, old.rotation())
                    : new ProviderRoutes(provider, new WeightedRotation<>(entries)));
        }
        table = new Table(Map.copyOf(byName));
    }

    public boolean isProviderName(String name) {
        return table.byName().containsKey(name);
    }

    public List<Provider> providers() {
        return table.byName().values().stream().map(ProviderRoutes::provider).toList();
    }

    public Optional<Provider> provider(String name) {
        return Optional.ofNullable(table.byName().get(name)).map(ProviderRoutes::provider);
    }

    /** A route on the provider's first usable credential, for calls that are not model calls (listing models). */
    public Optional<Route> anyRoute(String providerName, String model) {
        ProviderRoutes routes = table.byName().get(providerName);
        if (routes == null) {
            return Optional.empty();
        }
        List<Route> plan = new ArrayList<>();
        addCredentials(plan, routes, model);
        return plan.stream().findFirst();
    }

    public List<Route> plan(ModelRef ref) {
        List<Route> plan = new ArrayList<>();
        if (ref.provider().isPresent()) {
            ProviderRoutes routes = table.byName().get(ref.provider().get());
            if (routes == null) {
                throw new RoutingException(404, "provider_not_found",
                        "provider '" + ref.provider().get() + "' is not configured on this hub");
            }
            requireUsable(routes.provider());
            addCredentials(plan, routes, ref.model());
            if (plan.isEmpty()) {
                throw noCredential(routes.provider());
            }
            return cap(plan);
        }
        List<ProviderRoutes> candidates = candidatesFor(ref.model());
        if (candidates.isEmpty()) {
            throw new RoutingException(404, "model_not_found", "model '" + ref.model()
                    + "' is not served by any enabled provider of this hub; write it as provider/model "
                    + "(configured providers: " + String.join(", ", table.byName().keySet()) + ")");
        }
        int start = Math.floorMod(modelCursors.computeIfAbsent(ref.model(), k -> new AtomicInteger())
                .getAndIncrement(), candidates.size());
        for (int i = 0; i < candidates.size(); i++) {
            ProviderRoutes routes = candidates.get((start + i) % candidates.size());
            addCredentials(plan, routes, upstreamModel(routes.provider(), ref.model()));
        }
        if (plan.isEmpty()) {
            throw new RoutingException(503, "no_available_provider", "no provider serving '" + ref.model()
                    + "' has a working credential right now; try again later or name a provider explicitly");
        }
        return cap(plan);
    }

    /** Records what an attempt on a route taught us; 401/403 also persist the error for the admin views. */
    public void report(Route route, Outcome outcome) {
        if (route.credential() == null) {
            return;
        }
        CredentialHealth h = healthOf(route.credential().id());
        switch (outcome) {
            case Outcome.Success s -> h.succeeded();
            case Outcome.Rejected r -> {
                h.rejected(r.message(), Duration.ofSeconds(config.retestInitialSeconds()),
                        Duration.ofSeconds(config.retestMaxSeconds()));
                LOG.warn("credential {} of provider {} was refused with {}; out of rotation until a re-test passes",
                        route.credential().name(), route.provider().name(), r.status());
                String id = route.credential().id();
                background.execute(() -> store.recordError(id, r.message()));
            }
            case Outcome.RateLimited r -> {
                Duration coolDown = r.retryAfter() != null && !r.retryAfter().isZero()
                        ? r.retryAfter() : Duration.ofSeconds(config.rateLimitCooldownSeconds());
                h.rateLimited(r.message(), coolDown);
            }
            case Outcome.Failed f -> h.failed(f.message(), Duration.ofSeconds(config.rateLimitCooldownSeconds()));
        }
    }

    /** Re-tests refused credentials whose back-off has elapsed; run periodically in the background. */
    public void retestDue(CredentialProbe probe) {
        for (ProviderRoutes routes : table.byName().values()) {
            for (Entry entry : routes.rotation().members()) {
                CredentialHealth h = health.get(entry.credential().id());
                if (h == null || !h.retestDue()) {
                    continue;
                }
                Outcome outcome = probe.probe(routes.provider(), entry.secret());
                if (outcome instanceof Outcome.Rejected r) {
                    h.retestFailed(r.message(), Duration.ofSeconds(config.retestInitialSeconds()),
                            Duration.ofSeconds(config.retestMaxSeconds()));
                } else if (outcome instanceof Outcome.Success) {
                    h.retestPassed();
                    store.clearError(entry.credential().id());
                    LOG.info("credential {} of provider {} passed its re-test and is back in rotation",
                            entry.credential().name(), routes.provider().name());
                } else {
                    // The provider itself is unwell; try the credential again at the next tick.
                    h.retestFailed(String.valueOf(outcome), Duration.ofSeconds(config.retestInitialSeconds()),
                            Duration.ofSeconds(config.retestMaxSeconds()));
                }
            }
        }
    }

    /** Marks a credential healthy after an admin's successful manual check. */
    public void markHealthy(String credentialId) {
        healthOf(credentialId).retestPassed();
    }

    public CredentialHealth.Snapshot health(String credentialId) {
        CredentialHealth h = health.get(credentialId);
        return h == null ? new CredentialHealth(clock).snapshot() : h.snapshot();
    }

    private CredentialHealth healthOf(String credentialId) {
        return health.computeIfAbsent(credentialId, k -> new CredentialHealth(clock));
    }

    private void addCredentials(List<Route> plan, ProviderRoutes routes, String upstreamModel) {
        Provider provider = routes.provider();
        if (routes.rotation().members().isEmpty()) {
            if (provider.type().keyOptional()) {
                plan.add(new Route(provider, null, null, upstreamModel));
            }
            return;
        }
        List<Entry> ordered = routes.rotation().order(e -> healthOf(e.credential().id())
                .effectiveWeight(e.credential().weight()));
        for (Entry e : ordered) {
            plan.add(new Route(provider, e.credential(), e.secret(), upstreamModel));
        }
        // Resting (failing) credentials come last: better a doubtful try than no try at all.
        for (Entry e : routes.rotation().members()) {
            CredentialHealth h = healthOf(e.credential().id());
            if (!ordered.contains(e) && h.usable() && e.credential().weight() > 0) {
                plan.add(new Route(provider, e.credential(), e.secret(), upstreamModel));
            }
        }
    }

    private List<ProviderRoutes> candidatesFor(String model) {
        List<ProviderRoutes> declared = new ArrayList<>();
        List<ProviderRoutes> byFamily = new ArrayList<>();
        Optional<ModelFamily> family = ModelFamily.of(model);
        for (ProviderRoutes routes : table.byName().values()) {
            Provider p = routes.provider();
            if (!p.enabled()) {
                continue;
            }
            if (p.models().contains(model)) {
                declared.add(routes);
            } else if (family.isPresent() && family.get().types().contains(p.type())
                    && family.get().nativeId(p.type(), model).isPresent()) {
                byFamily.add(routes);
            }
        }
        if (!declared.isEmpty()) {
            return declared;
        }
        byFamily.sort(Comparator.comparingInt((ProviderRoutes r) -> r.provider().type().rank())
                .thenComparing(r -> r.provider().name()));
        return byFamily;
    }

    private static String upstreamModel(Provider provider, String model) {
        if (provider.models().contains(model)) {
            return model;
        }
        return ModelFamily.of(model).flatMap(f -> f.nativeId(provider.type(), model)).orElse(model);
    }

    private List<Route> cap(List<Route> plan) {
        return plan.size() <= config.maxAttempts() ? plan : List.copyOf(plan.subList(0, config.maxAttempts()));
    }

    private static void requireUsable(Provider provider) {
        if (!provider.enabled()) {
            throw new RoutingException(503, "provider_disabled", "provider '" + provider.name() + "' is disabled");
        }
    }

    private RoutingException noCredential(Provider provider) {
        boolean any = !table.byName().get(provider.name()).rotation().members().isEmpty();
        return new RoutingException(503, "no_available_credential", any
                ? "every credential of provider '" + provider.name() + "' was refused by the provider and awaits a re-test; "
                + "check them with GET /api/ai-providers/health"
                : "provider '" + provider.name() + "' has no enabled credential; add one with "
                + "POST /api/ai-providers/" + provider.id() + "/credentials");
    }
}
