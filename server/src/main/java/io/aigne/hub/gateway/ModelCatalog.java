package io.aigne.hub.gateway;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.provider.Provider;
import io.aigne.hub.provider.ProviderAdapters;
import io.aigne.hub.routing.Route;
import io.aigne.hub.routing.Router;
import io.aigne.hub.server.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The models the hub can route, as {@code provider/model}: a provider's declared list when it has one, otherwise
 * what the provider itself lists at {@code GET /models}, fetched with one of its credentials and cached.
 */
public final class ModelCatalog {
    private static final Logger LOG = LoggerFactory.getLogger(ModelCatalog.class);
    private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration RETRY_FAILED_AFTER = Duration.ofSeconds(30);

    private final Router router;
    private final ProviderAdapters upstream;
    private final Duration cacheFor;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(List<String> models, long fetchedAt, long providerUpdatedAt, boolean failed) {
    }

    public ModelCatalog(Router router, ProviderAdapters upstream, Duration cacheFor) {
        this.router = router;
        this.upstream = upstream;
        this.cacheFor = cacheFor;
    }

    public record Entry(Provider provider, String model) {
        public String id() {
            return provider.name() + "/" + model;
        }
    }

    public List<Entry> entries() {
        List<Provider> providers = router.providers().stream()
                .filter(p -> p.enabled()).toList();
        List<Entry> entries = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<List<String>>> lists = new ArrayList<>();
            for (Provider p : providers) {
                lists.add(pool.submit(() -> models(p)));
            }
            for (int i = 0; i < providers.size(); i++) {
                try {
                    for (String m : lists.get(i).get(FETCH_TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS)) {
                        entries.add(new Entry(providers.get(i), m));
                    }
                } catch (Exception e) {
                    LOG.debug("model list of {} unavailable: {}", providers.get(i).name(), e.toString());
                }
            }
        }
        return entries;
    }

    /** {@code GET /v1/models} in OpenAI's shape. */
    public ObjectNode openAiList() {
        ObjectNode root = Json.object();
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        for (Entry e : entries()) {
            data.add(toOpenAi(e));
        }
        return root;
    }

    public java.util.Optional<ObjectNode> openAiModel(String id) {
        int slash = id.indexOf('/');
        if (slash <= 0) {
            return java.util.Optional.empty();
        }
        return router.provider(id.substring(0, slash))
                .filter(p -> p.enabled())
                .filter(p -> models(p).contains(id.substring(slash + 1)))
                .map(p -> toOpenAi(new Entry(p, id.substring(slash + 1))));
    }

    private static ObjectNode toOpenAi(Entry e) {
        ObjectNode m = Json.object();
        m.put("id", e.id());
        m.put("object", "model");
        m.put("created", e.provider().createdAt() / 1000);
        m.put("owned_by", e.provider().name());
        return m;
    }

    private List<String> models(Provider provider) {
        if (!provider.models().isEmpty()) {
            return provider.models();
        }
        long now = System.currentTimeMillis();
        Cached cached = cache.get(provider.name());
        if (cached != null && cached.providerUpdatedAt() == provider.updatedAt()) {
            long age = now - cached.fetchedAt();
            if (age < (cached.failed() ? RETRY_FAILED_AFTER : cacheFor).toMillis()) {
                return cached.models();
            }
        }
        Route route = router.anyRoute(provider.name(), "").orElse(null);
        if (route == null) {
            return List.of();
        }
        try {
            List<String> models = upstream.listModels(provider, route.secret(), FETCH_TIMEOUT);
            cache.put(provider.name(), new Cached(List.copyOf(models), now, provider.updatedAt(), false));
            return models;
        } catch (Exception e) {
            LOG.warn("cannot list the models of provider {}: {}", provider.name(), e.getMessage());
            List<String> stale = cached == null ? List.of() : cached.models();
            cache.put(provider.name(), new Cached(stale, now, provider.updatedAt(), true));
            return stale;
        }
    }
}
