package io.aigne.hub.limits;

import java.util.List;

/**
 * Where window counters live: in this process ({@link MemoryCounterStore}) or shared by every node
 * ({@link RedisCounterStore}). Both give the same answers; each operation is atomic, so concurrent admissions on
 * any number of nodes never admit more than a limit allows. A store that cannot be reached throws
 * {@link CounterStoreUnavailable}.
 */
public interface CounterStore extends AutoCloseable {

    /**
     * One counter to check at admission: refused when its value has reached {@code limit}; otherwise, if the whole
     * admission passes, raised by {@code increment} (0 for counters only checked). {@code expiresAt} is when the
     * counter may be forgotten (epoch millis).
     */
    record Check(String key, long limit, long increment, long expiresAt) {
    }

    /** An amount to add to a counter (creating it at 0), and when the counter may be forgotten. */
    record Add(String key, long amount, long expiresAt) {
    }

    /**
     * Atomically: when every counter is below its limit, raises each by its increment and returns an empty list;
     * otherwise changes nothing and returns the positions (in {@code checks}) of the counters at their limit.
     */
    List<Integer> admit(List<Check> checks);

    /** Adds the amounts (each atomically). */
    void add(List<Add> adds);

    /** The current values, 0 for counters that do not exist. */
    List<Long> read(List<String> keys);

    /** For log lines: "memory", or "Redis at host:port". */
    String describe();

    @Override
    void close();
}
