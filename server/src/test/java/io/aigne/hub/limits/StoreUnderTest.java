package io.aigne.hub.limits;

import io.aigne.hub.testing.TestRedis;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * A counter store of either kind for tests that must hold for both ({@code "memory"}, {@code "redis"}); the Redis
 * one skips (or fails, see {@link TestRedis#assumeRedis()}) when Redis is absent, and lives under a key prefix of
 * its own that is deleted on close.
 */
final class StoreUnderTest implements AutoCloseable {
    static final String MEMORY = "memory";
    static final String REDIS = "redis";

    private final CounterStore store;
    private final TestRedis.Prefix prefix;
    private final List<CounterStore> others = new ArrayList<>();

    private StoreUnderTest(CounterStore store, TestRedis.Prefix prefix) {
        this.store = store;
        this.prefix = prefix;
    }

    static StoreUnderTest open(String backend, Clock clock) {
        return switch (backend) {
            case MEMORY -> new StoreUnderTest(new MemoryCounterStore(clock), null);
            case REDIS -> {
                TestRedis.Prefix prefix = TestRedis.prefix();
                yield new StoreUnderTest(prefix.store(), prefix);
            }
            default -> throw new IllegalArgumentException(backend);
        };
    }

    CounterStore store() {
        return store;
    }

    /** Another node's view of the same counters: for Redis a separate client on the same prefix. */
    CounterStore anotherNode() {
        if (prefix == null) {
            return store;
        }
        CounterStore other = prefix.store();
        others.add(other);
        return other;
    }

    @Override
    public void close() {
        store.close();
        others.forEach(CounterStore::close);
        if (prefix != null) {
            prefix.close();
        }
    }
}
