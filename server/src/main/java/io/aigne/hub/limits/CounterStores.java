package io.aigne.hub.limits;

import io.aigne.hub.config.ConfigException;
import io.aigne.hub.config.HubConfig.LimitsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;

/** Opens the counter store the {@code limits} settings choose; a setting mistake stops the start, naming it. */
public final class CounterStores {
    private static final Logger LOG = LoggerFactory.getLogger(CounterStores.class);

    private CounterStores() {
    }

    public static CounterStore open(LimitsConfig config, Clock clock) {
        String backend = config.backend() == null ? "memory" : config.backend().trim();
        switch (backend) {
            case "memory" -> {
                return new MemoryCounterStore(clock);
            }
            case "redis" -> {
                return redis(config);
            }
            default -> throw new ConfigException("setting 'limits.backend' is '" + backend
                    + "'; it must be 'memory' (one node) or 'redis' (several nodes sharing limits)");
        }
    }

    /** The failure policy setting, checked. */
    public static OnStoreFailure onFailure(LimitsConfig config) {
        try {
            return OnStoreFailure.parse(config.onBackendFailure());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("setting 'limits.onBackendFailure' is '" + config.onBackendFailure() + "'; it "
                    + e.getMessage());
        }
    }

    private static RedisCounterStore redis(LimitsConfig config) {
        String url = config.redisUrl() == null ? "" : config.redisUrl().trim();
        if (url.isEmpty()) {
            throw new ConfigException("setting 'limits.redisUrl' is empty but limits.backend is 'redis'; set it, "
                    + "e.g. redis://127.0.0.1:6379/0");
        }
        if (config.redisTimeoutMillis() <= 0) {
            throw new ConfigException("setting 'limits.redisTimeoutMillis' must be a positive number of milliseconds");
        }
        RedisCounterStore store;
        try {
            store = new RedisCounterStore(new URI(url), config.keyPrefix() == null ? "" : config.keyPrefix(),
                    Duration.ofMillis(config.redisTimeoutMillis()));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new ConfigException("setting 'limits.redisUrl' is not a Redis URL (" + e.getMessage()
                    + "); write redis://[user:password@]host:port[/db], or rediss:// for TLS");
        }
        try {
            store.ping();
            LOG.info("rate limits: counters shared through {}", store.describe());
        } catch (CounterStoreUnavailable e) {
            // The hub starts anyway: the failure policy decides what calls get until Redis answers.
            LOG.warn("rate limits: {} does not answer at start ({}); limits.onBackendFailure decides until it does",
                    store.describe(), e.getMessage());
        }
        return store;
    }
}
