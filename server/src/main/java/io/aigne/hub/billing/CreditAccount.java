package io.aigne.hub.billing;

/** A user's credit: the balance (sum of the ledger) and what open holds reserve of it. */
public record CreditAccount(String userId, Credits balance, Credits held) {
    public static CreditAccount empty(String userId) {
        return new CreditAccount(userId, Credits.ZERO, Credits.ZERO);
    }

    /** What a new call may still reserve. */
    public Credits available() {
        return balance.minus(held).max(Credits.ZERO);
    }
}
