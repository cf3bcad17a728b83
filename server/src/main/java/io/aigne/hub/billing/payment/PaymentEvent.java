package io.aigne.hub.billing.payment;

import java.util.Map;
import java.util.Optional;

/**
 * What a verified webhook delivery says. {@code session} is null for events about anything but a checkout session
 * ({@link Kind#IGNORED}).
 */
public record PaymentEvent(String id, String type, Kind kind, Session session) {

    public enum Kind {
        /** The session is paid: its credits are due (once). */
        PAID,
        /** The customer finished the checkout with a payment method that confirms later; nothing is due yet. */
        AWAITING_PAYMENT,
        /** A delayed payment failed; nothing will be due. */
        PAYMENT_FAILED,
        /** The session expired unpaid. */
        EXPIRED,
        /** Not about a checkout session's payment. */
        IGNORED
    }

    /**
     * The checkout session as the event shows it. {@code amountTotal}/{@code currency} are in the currency the
     * session was created in (for Stripe: before any conversion into the customer's currency).
     */
    public record Session(String id, String clientReferenceId, Map<String, String> metadata, Long amountTotal,
                          String currency) {
        public Session {
            metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        }
    }

    /** The completed purchase this event reports, if it reports one. */
    public Optional<Session> completedPurchase() {
        return kind == Kind.PAID ? Optional.of(session) : Optional.empty();
    }
}
