package io.aigne.hub.testing;

import io.aigne.hub.billing.payment.CreditGrants;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Credit grants kept in memory with the contract the ledger has: each external id is booked at most once, atomically.
 * Tests read what was booked through {@link #total(String)} and {@link #grants()}; an adapter over the real ledger
 * offering the same two reads can replace it.
 */
public final class InMemoryCreditGrants implements CreditGrants {
    /** One booked grant. */
    public record Grant(String userId, BigDecimal credits, String externalId, String description) {
    }

    private final Map<String, Grant> byExternalId = new ConcurrentHashMap<>();
    private final AtomicInteger calls = new AtomicInteger();
    private volatile RuntimeException failNext;

    @Override
    public boolean grantPurchase(String userId, BigDecimal credits, String externalId, String description) {
        calls.incrementAndGet();
        RuntimeException failure = failNext;
        if (failure != null) {
            failNext = null;
            throw failure;
        }
        return byExternalId.putIfAbsent(externalId, new Grant(userId, credits, externalId, description)) == null;
    }

    /** The next call fails with {@code failure} (as a ledger whose database is down would), once. */
    public void failNext(RuntimeException failure) {
        this.failNext = failure;
    }

    /** Credits booked for a user. */
    public BigDecimal total(String userId) {
        return byExternalId.values().stream().filter(g -> g.userId().equals(userId)).map(Grant::credits)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    public List<Grant> grants() {
        return List.copyOf(byExternalId.values());
    }

    /** How often booking was asked for, including refused repeats. */
    public int calls() {
        return calls.get();
    }
}
