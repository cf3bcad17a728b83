package io.aigne.hub.billing.payment;

import io.aigne.hub.billing.payment.Purchase.Status;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The purchases and provider events tables (V8). Every state change is one conditional UPDATE, so concurrent
 * deliveries and hub nodes decide through the database: whoever changes the row owns the step.
 */
public final class PaymentStore {
    private static final String CLAIMABLE = "('creating', 'open', 'awaiting_payment', 'error')";

    private final Jdbi jdbi;

    public PaymentStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    void create(Purchase p) {
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO payment_checkouts (id, provider, user_id, credits_nanos, amount_minor, currency,
                                                       status, created_at, updated_at)
                        VALUES (:id, :provider, :userId, :credits, :amount, :currency, 'creating', :now, :now)""")
                .bind("id", p.id()).bind("provider", p.provider()).bind("userId", p.userId())
                .bind("credits", p.creditsNanos()).bind("amount", p.amountMinor()).bind("currency", p.currency())
                .bind("now", p.createdAt())
                .execute());
    }

    /** The provider opened the session: remember its id (unless a webhook already bound it). */
    void opened(String id, String sessionId, long now) {
        jdbi.useHandle(h -> h.createUpdate("""
                        UPDATE payment_checkouts SET session_id = COALESCE(session_id, :sessionId),
                               status = CASE WHEN status = 'creating' THEN 'open' ELSE status END, updated_at = :now
                        WHERE id = :id""")
                .bind("id", id).bind("sessionId", sessionId).bind("now", now).execute());
    }

    void failedToOpen(String id, String error, long now) {
        jdbi.useHandle(h -> h.createUpdate("""
                        UPDATE payment_checkouts SET status = 'error', error = :error, updated_at = :now
                        WHERE id = :id AND status = 'creating'""")
                .bind("id", id).bind("error", error).bind("now", now).execute());
    }

    /** The purchase whose provider session this is. */
    Optional<Purchase> bySession(String provider, String sessionId) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT * FROM payment_checkouts WHERE provider = :provider AND session_id = :sessionId")
                .bind("provider", provider).bind("sessionId", sessionId).map((rs, ctx) -> map(rs)).findOne());
    }

    /**
     * A purchase the hub asked the provider for but whose session id it never recorded (it stopped right after
     * asking): found by the purchase id the session's metadata names.
     */
    Optional<Purchase> unrecorded(String provider, String purchaseId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT * FROM payment_checkouts
                        WHERE id = :id AND provider = :provider AND session_id IS NULL""")
                .bind("id", purchaseId).bind("provider", provider).map((rs, ctx) -> map(rs)).findOne());
    }

    /** Records the session id of such a purchase; false if it meanwhile belongs to another session. */
    boolean bindSession(String id, String sessionId, long now) {
        return jdbi.withHandle(h -> h.createUpdate("""
                        UPDATE payment_checkouts SET session_id = :sessionId, updated_at = :now
                        WHERE id = :id AND (session_id IS NULL OR session_id = :sessionId)""")
                .bind("id", id).bind("sessionId", sessionId).bind("now", now).execute()) == 1;
    }

    public Optional<Purchase> byId(String id) {
        return jdbi.withHandle(h -> byId(h, id));
    }

    /** A purchase of this user by its provider session id (what a success page knows). */
    public Optional<Purchase> ofUser(String userId, String provider, String sessionId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT * FROM payment_checkouts
                        WHERE user_id = :userId AND provider = :provider AND session_id = :sessionId""")
                .bind("userId", userId).bind("provider", provider).bind("sessionId", sessionId)
                .map((rs, ctx) -> map(rs)).findOne());
    }

    /** Records an event's first delivery; false when the event was seen before. */
    boolean recordEvent(String provider, String eventId, String type, String sessionId, long now) {
        return jdbi.withHandle(h -> h.createUpdate("""
                        INSERT INTO payment_events (provider, event_id, type, session_id, outcome, received_at)
                        VALUES (:provider, :eventId, :type, :sessionId, 'received', :now)
                        ON CONFLICT (provider, event_id) DO NOTHING""")
                .bind("provider", provider).bind("eventId", eventId).bind("type", type).bind("sessionId", sessionId)
                .bind("now", now).execute()) == 1;
    }

    Optional<String> eventOutcome(String provider, String eventId) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT outcome FROM payment_events WHERE provider = :provider AND event_id = :eventId")
                .bind("provider", provider).bind("eventId", eventId).mapTo(String.class).findOne());
    }

    void settleEvent(String provider, String eventId, String outcome, String detail, long now) {
        jdbi.useHandle(h -> h.createUpdate("""
                        UPDATE payment_events SET outcome = :outcome, detail = :detail, settled_at = :now
                        WHERE provider = :provider AND event_id = :eventId""")
                .bind("provider", provider).bind("eventId", eventId).bind("outcome", outcome).bind("detail", detail)
                .bind("now", now).execute());
    }

    /**
     * Takes the right to book a purchase's credits: only one caller at a time gets it, and a claim older than
     * {@code staleBefore} (its holder crashed or hangs) can be taken over.
     */
    boolean claim(String id, String token, long now, long staleBefore) {
        return jdbi.withHandle(h -> h.createUpdate("""
                        UPDATE payment_checkouts SET status = 'granting', claim_token = :token, claimed_at = :now,
                               updated_at = :now
                        WHERE id = :id AND (status IN %s OR (status = 'granting' AND claimed_at < :staleBefore))"""
                        .formatted(CLAIMABLE))
                .bind("id", id).bind("token", token).bind("now", now).bind("staleBefore", staleBefore)
                .execute()) == 1;
    }

    /** The claim holder booked the credits. */
    boolean granted(String id, String token, String eventId, long now) {
        return jdbi.withHandle(h -> h.createUpdate("""
                        UPDATE payment_checkouts SET status = 'granted', granted_event = :eventId, claim_token = NULL,
                               updated_at = :now
                        WHERE id = :id AND status = 'granting' AND claim_token = :token""")
                .bind("id", id).bind("token", token).bind("eventId", eventId).bind("now", now).execute()) == 1;
    }

    /** The claim holder could not book the credits: the purchase is open again for the provider's retry. */
    void release(String id, String token, String error, long now) {
        jdbi.useHandle(h -> h.createUpdate("""
                        UPDATE payment_checkouts SET status = 'open', claim_token = NULL, claimed_at = NULL,
                               error = :error, updated_at = :now
                        WHERE id = :id AND status = 'granting' AND claim_token = :token""")
                .bind("id", id).bind("token", token).bind("error", error).bind("now", now).execute());
    }

    /** Moves an unpaid purchase to {@code to}; a purchase already granted (events out of order) stays granted. */
    boolean settleUnpaid(String id, Status to, long now) {
        String from = to == Status.AWAITING_PAYMENT ? "('creating', 'open', 'error')" : CLAIMABLE;
        return jdbi.withHandle(h -> h.createUpdate(
                        "UPDATE payment_checkouts SET status = :to, updated_at = :now WHERE id = :id AND status IN "
                                + from)
                .bind("id", id).bind("to", to.wireName()).bind("now", now).execute()) == 1;
    }

    /** A purchase marked failed or expired that the provider reports paid after all: open for booking again. */
    boolean reopen(String id, long now) {
        return jdbi.withHandle(h -> h.createUpdate("""
                        UPDATE payment_checkouts SET status = 'open', updated_at = :now
                        WHERE id = :id AND status IN ('payment_failed', 'expired')""")
                .bind("id", id).bind("now", now).execute()) == 1;
    }

    private static Optional<Purchase> byId(Handle h, String id) {
        return h.createQuery("SELECT * FROM payment_checkouts WHERE id = :id").bind("id", id)
                .map((rs, ctx) -> map(rs)).findOne();
    }

    private static Purchase map(ResultSet rs) throws SQLException {
        return new Purchase(rs.getString("id"), rs.getString("provider"), rs.getString("session_id"),
                rs.getString("user_id"), rs.getLong("credits_nanos"), rs.getLong("amount_minor"),
                rs.getString("currency"), Status.parse(rs.getString("status")), rs.getString("error"),
                rs.getLong("created_at"), rs.getLong("updated_at"));
    }
}
