package io.aigne.hub.limits;

/**
 * What admission does while the counter store cannot be reached ({@code limits.onBackendFailure}).
 * {@link #OPEN} (the default) lets calls through unchecked: a Redis outage should not become an outage of every
 * model call, and credit balances are guarded by the ledger in the database, not by these counters.
 * {@link #CLOSED} refuses calls with a 503 until the store answers again, for hubs where a limit must never be
 * exceeded.
 */
public enum OnStoreFailure {
    OPEN, CLOSED;

    public static OnStoreFailure parse(String text) {
        for (OnStoreFailure f : values()) {
            if (f.name().equalsIgnoreCase(text)) {
                return f;
            }
        }
        throw new IllegalArgumentException("must be 'open' or 'closed'");
    }
}
