package io.aigne.hub.limits;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Counters in this process, for a single node. One lock makes every operation atomic: the work under it is a few
 * map lookups, far below the cost of the call being admitted. Expired counters are dropped once a minute.
 */
public final class MemoryCounterStore implements CounterStore {
    private static final long SWEEP_INTERVAL_MILLIS = 60_000;

    private static final class Counter {
        long value;
        long expiresAt;
    }

    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Counter> counters = new HashMap<>();
    private long nextSweep;

    public MemoryCounterStore(Clock clock) {
        this.clock = clock;
    }

    @Override
    public List<Integer> admit(List<Check> checks) {
        lock.lock();
        try {
            long now = sweep();
            List<Integer> refused = new ArrayList<>();
            for (int i = 0; i < checks.size(); i++) {
                if (value(checks.get(i).key(), now) >= checks.get(i).limit()) {
                    refused.add(i);
                }
            }
            if (refused.isEmpty()) {
                for (Check c : checks) {
                    if (c.increment() > 0) {
                        raise(c.key(), c.increment(), c.expiresAt(), now);
                    }
                }
            }
            return refused;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void add(List<Add> adds) {
        lock.lock();
        try {
            long now = sweep();
            for (Add a : adds) {
                raise(a.key(), a.amount(), a.expiresAt(), now);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<Long> read(List<String> keys) {
        lock.lock();
        try {
            long now = clock.millis();
            List<Long> out = new ArrayList<>(keys.size());
            for (String key : keys) {
                out.add(value(key, now));
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String describe() {
        return "memory";
    }

    @Override
    public void close() {
        // nothing held outside the heap
    }

    private long value(String key, long now) {
        Counter c = counters.get(key);
        return c == null || c.expiresAt <= now ? 0 : c.value;
    }

    private void raise(String key, long amount, long expiresAt, long now) {
        Counter c = counters.get(key);
        if (c == null || c.expiresAt <= now) {
            c = new Counter();
            counters.put(key, c);
        }
        c.value += amount;
        c.expiresAt = Math.max(c.expiresAt, expiresAt);
    }

    /** Drops expired counters when due; returns the current time. */
    private long sweep() {
        long now = clock.millis();
        if (now >= nextSweep) {
            counters.values().removeIf(c -> c.expiresAt <= now);
            nextSweep = now + SWEEP_INTERVAL_MILLIS;
        }
        return now;
    }
}
