package io.aigne.hub.billing.payment;

/**
 * How a verified delivery was handled, for the answer to the provider: {@code outcome} is one of the
 * {@code payment_events.outcome} values or {@code ignored}; {@code granted} says whether credits were booked by this
 * delivery. Every result is answered 2xx: the provider has nothing to retry.
 */
public record WebhookResult(String eventId, String type, String outcome, boolean granted, boolean duplicate) {
}
