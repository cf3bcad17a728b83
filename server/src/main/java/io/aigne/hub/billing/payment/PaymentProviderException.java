package io.aigne.hub.billing.payment;

/**
 * The payment provider could not create a checkout: unreachable or overloaded ({@link #retryable()}), or it refused
 * the request (wrong key, invalid parameters). The message is safe to show: it names the cause and carries the
 * provider's own explanation with secrets masked.
 */
public final class PaymentProviderException extends RuntimeException {
    private final boolean retryable;

    public PaymentProviderException(String message, boolean retryable) {
        super(message, null, false, false);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
