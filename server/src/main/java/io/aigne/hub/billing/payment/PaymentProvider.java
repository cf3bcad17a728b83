package io.aigne.hub.billing.payment;

/**
 * A payment service that sells credits through a hosted checkout page and reports the outcome by signed webhook
 * deliveries. Implementations keep no record of purchases: what was sold to whom is kept by {@link CreditPurchases}.
 */
public interface PaymentProvider extends AutoCloseable {
    /** The provider's name in URLs, configuration and the purchases table, e.g. {@code stripe}. */
    String name();

    /**
     * Creates a hosted checkout for one purchase; the user is sent to its URL.
     *
     * @throws PaymentProviderException when the provider cannot be reached or refuses the request
     */
    Checkout createCheckout(CheckoutRequest request);

    /**
     * Checks that a webhook delivery really comes from the provider (signature and freshness) before reading it,
     * then says what it reports about a checkout session, if anything.
     *
     * @throws WebhookRejected when the signature, its timestamp or the payload is not acceptable
     */
    PaymentEvent verifyWebhook(WebhookDelivery delivery);

    @Override
    default void close() {
    }
}
