package io.aigne.hub.billing;

import java.util.Locale;

/**
 * One line of a user's credit ledger. Grants, promotions, purchases and refunds add credit (and keep what is left of
 * them in {@code remaining}); charges and expiries take it away. The balance is the sum of the amounts.
 */
public record CreditEntry(String id, String userId, Kind kind, Credits amount, Credits remaining, Long expiresAt,
                          String callId, String externalId, String description, String actor, long createdAt) {

    public enum Kind {
        GRANT, PROMOTION, PURCHASE, CHARGE, REFUND, EXPIRY;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public boolean adds() {
            return this == GRANT || this == PROMOTION || this == PURCHASE || this == REFUND;
        }

        public static Kind of(String wire) {
            return valueOf(wire.toUpperCase(Locale.ROOT));
        }
    }
}
