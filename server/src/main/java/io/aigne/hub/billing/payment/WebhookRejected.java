package io.aigne.hub.billing.payment;

/**
 * A webhook delivery the hub does not accept: no or wrong signature, a timestamp outside the tolerance, or a payload
 * that is not an event. Answered with 400 and nothing is booked.
 */
public final class WebhookRejected extends RuntimeException {
    public WebhookRejected(String message) {
        super(message, null, false, false);
    }
}
