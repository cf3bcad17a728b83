package io.aigne.hub.billing.payment;

/**
 * One purchase of credits as the hub recorded it when the checkout was created: the only source of who gets how
 * many credits for which amount. {@code sessionId} is null until the provider has answered.
 */
public record Purchase(String id, String provider, String sessionId, String userId, long creditsNanos,
                       long amountMinor, String currency, Status status, String error, long createdAt,
                       long updatedAt) {
    public static final long NANOS_PER_CREDIT = 1_000_000_000L;

    public enum Status {
        CREATING, OPEN, AWAITING_PAYMENT, GRANTING, GRANTED, PAYMENT_FAILED, EXPIRED, ERROR;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Status parse(String wire) {
            return valueOf(wire.toUpperCase(java.util.Locale.ROOT));
        }
    }

    /** Whole credits (purchases are always whole). */
    public long credits() {
        return creditsNanos / NANOS_PER_CREDIT;
    }
}
