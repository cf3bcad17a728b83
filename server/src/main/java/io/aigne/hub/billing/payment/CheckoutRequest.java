package io.aigne.hub.billing.payment;

import java.util.Map;

/**
 * One purchase to open a checkout for: a single line item of {@code amountMinor} (the currency's smallest unit)
 * named {@code itemName}. {@code purchaseId} is the hub's own id of the purchase; providers use it to make retries of
 * the same request idempotent. {@code metadata} is stored with the provider's session and comes back in its events.
 */
public record CheckoutRequest(String purchaseId, String userId, long amountMinor, String currency, String itemName,
                              String successUrl, String cancelUrl, Map<String, String> metadata) {
    public CheckoutRequest {
        metadata = Map.copyOf(metadata);
    }
}
