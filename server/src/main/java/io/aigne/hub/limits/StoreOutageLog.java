package io.aigne.hub.limits;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One clear log line when the counter store becomes unreachable (repeated at most once a minute while it stays
 * so, with the number of operations affected) and one when it answers again; never a stack trace per call.
 */
final class StoreOutageLog {
    private static final Logger LOG = LoggerFactory.getLogger(CallLimiter.class);
    private static final long REPEAT_MILLIS = 60_000;

    private final String consequence;
    private volatile boolean failing;
    private long lastLogged;
    private long failuresSinceLog;

    StoreOutageLog(OnStoreFailure policy) {
        this.consequence = policy == OnStoreFailure.OPEN
                ? "calls are admitted without checking limits, and their usage is not counted "
                        + "(limits.onBackendFailure: open)"
                : "calls are refused with 503 until it answers (limits.onBackendFailure: closed)";
    }

    synchronized void failed(CounterStoreUnavailable e) {
        long now = System.currentTimeMillis();
        failuresSinceLog++;
        if (!failing) {
            failing = true;
            lastLogged = now;
            failuresSinceLog = 0;
            LOG.warn("rate limits: the counter store is unreachable ({}); {}", e.getMessage(), consequence);
        } else if (now - lastLogged >= REPEAT_MILLIS) {
            LOG.warn("rate limits: the counter store is still unreachable ({}); {} operations affected in the last "
                    + "{} s", e.getMessage(), failuresSinceLog, (now - lastLogged) / 1000);
            lastLogged = now;
            failuresSinceLog = 0;
        }
    }

    void succeeded(CounterStore store) {
        if (failing) {
            recovered(store);
        }
    }

    private synchronized void recovered(CounterStore store) {
        if (failing) {
            failing = false;
            LOG.info("rate limits: {} answers again; limits are enforced", store.describe());
        }
    }
}
