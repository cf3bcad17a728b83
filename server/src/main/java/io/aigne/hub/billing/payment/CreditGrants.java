package io.aigne.hub.billing.payment;

import java.math.BigDecimal;

/**
 * Where purchased credits are booked: the credit ledger implements it. Purchases call it once per paid checkout
 * session, but a crash between the booking and the purchase's own bookkeeping can make them call it again for the
 * same session, so an implementation must book each {@code externalId} at most once (a unique constraint), and say
 * so by returning false.
 */
public interface CreditGrants {
    /**
     * Adds {@code credits} to the user's balance as a purchase grant.
     *
     * @param externalId  the payment provider's reference for the purchase, e.g. {@code stripe:cs_test_…}
     * @param description what the user sees in their grant list
     * @return true if booked now, false if this {@code externalId} was already booked (nothing changed)
     */
    boolean grantPurchase(String userId, BigDecimal credits, String externalId, String description);
}
