package io.aigne.hub.billing.payment;

import io.aigne.hub.billing.payment.Purchase.Status;
import io.aigne.hub.server.ApiException;
import io.aigne.hub.store.Ids;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Selling credits: opens a provider checkout for a user and an amount of credits, and books the credits when the
 * provider's signed webhook says the session is paid — exactly once per session, however often and in whatever
 * order the provider delivers its events, on one hub node or several.
 *
 * <p>What is booked comes only from the purchase row written when the checkout was created (user, credits, amount);
 * the event must agree with it (client reference, metadata, amount and currency) or nothing is booked. Booking is
 * decided by a claim on that row (one conditional UPDATE): one delivery wins, concurrent deliveries of the same
 * session wait for its result, and a claim whose holder died is taken over after {@link #CLAIM_LEASE}. The credits
 * are booked through {@link CreditGrants} under the external id {@code <provider>:<session id>}, which the ledger
 * books at most once, so even a crash between booking and recording cannot book twice.
 */
public final class CreditPurchases implements AutoCloseable {
    public static final String PAGE_PATH = "/credits/purchase";
    public static final String META_USER = "aigne_hub_user_id";
    public static final String META_CREDITS = "aigne_hub_credits";
    public static final String META_PURCHASE = "aigne_hub_purchase_id";
    static final Duration CLAIM_LEASE = Duration.ofSeconds(60);
    private static final Logger LOG = LoggerFactory.getLogger(CreditPurchases.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<String> FINAL_EVENT_OUTCOMES = Set.of("granted", "already_granted", "awaiting_payment",
            "payment_failed", "expired", "unknown_session", "mismatch");

    private final PaymentSettings settings;
    private final PaymentProvider provider;
    private final PaymentStore store;
    private final CreditGrants grants;
    private final Clock clock;
    private final Duration waitForOtherDelivery;

    /**
     * @param provider null when payments are off ({@code settings.enabled()} is false)
     * @param grants   null when payments are off
     */
    public CreditPurchases(PaymentSettings settings, PaymentProvider provider, PaymentStore store, CreditGrants grants,
                           Clock clock, Duration waitForOtherDelivery) {
        if (settings.enabled() && (provider == null || grants == null)) {
            throw new IllegalArgumentException("payments are enabled: a provider and the credit grants are needed");
        }
        this.settings = settings;
        this.provider = provider;
        this.store = store;
        this.grants = grants;
        this.clock = clock;
        this.waitForOtherDelivery = waitForOtherDelivery;
    }

    /** The provider the settings name (only Stripe so far), or null when payments are off. */
    public static PaymentProvider providerFor(PaymentSettings settings, Clock clock) {
        return settings.enabled() ? new StripeCheckout(settings.stripe(), clock) : null;
    }

    public boolean enabled() {
        return settings.enabled();
    }

    public PaymentSettings settings() {
        return settings;
    }

    /** The provider's name ({@code stripe}), or {@code none}. */
    public String providerName() {
        return provider == null ? PaymentSettings.NONE : provider.name();
    }

    /**
     * Where a user of this hub buys credits (the purchase page at {@code publicOrigin}, e.g. for the 402 answers
     * and {@code /api/user/credit/payment-link}); empty when payments are off.
     */
    public Optional<String> paymentLink(String publicOrigin) {
        return enabled() ? Optional.of(stripSlash(publicOrigin) + PAGE_PATH) : Optional.empty();
    }

    /**
     * Opens a checkout for {@code credits} whole credits for {@code userId}.
     *
     * @param publicOrigin the hub's origin as the user reaches it, for the default success and cancel pages
     * @throws ApiException 409 when payments are off, 400 for an amount outside the configured range, 502/503
     *                      when the provider refuses or cannot be reached
     */
    public Checkout startCheckout(String userId, long credits, String publicOrigin) {
        requireEnabled();
        settings.price().check(credits, "credits");
        long amount = settings.price().amountMinor(credits);
        long now = clock.millis();
        Purchase purchase = new Purchase(Ids.next(), provider.name(), null, userId,
                Math.multiplyExact(credits, Purchase.NANOS_PER_CREDIT), amount, settings.price().currency(),
                Status.CREATING, null, now, now);
        store.create(purchase);
        String page = stripSlash(publicOrigin) + PAGE_PATH;
        CheckoutRequest request = new CheckoutRequest(purchase.id(), userId, amount, purchase.currency(),
                credits + " " + settings.productName(),
                Objects.requireNonNullElse(settings.successUrl(), page + "?status=success&session_id={CHECKOUT_SESSION_ID}"),
                Objects.requireNonNullElse(settings.cancelUrl(), page + "?status=cancelled"),
                Map.of(META_USER, userId, META_CREDITS, Long.toString(credits), META_PURCHASE, purchase.id()));
        Checkout checkout;
        try {
            checkout = provider.createCheckout(request);
        } catch (PaymentProviderException e) {
            store.failedToOpen(purchase.id(), e.getMessage(), clock.millis());
            throw new ApiException(e.retryable() ? 503 : 502, "api_error", "payment_provider_error", null,
                    e.getMessage());
        }
        store.opened(purchase.id(), checkout.id(), clock.millis());
        LOG.info("purchase {}: checkout {} opened for user {} ({} credits, {})", purchase.id(), checkout.id(), userId,
                credits, settings.price().format(amount));
        return checkout;
    }

    /** A purchase of this user by the provider's session id, e.g. to show its state on the success page. */
    public Optional<Purchase> purchaseOf(String userId, String sessionId) {
        return enabled() ? store.ofUser(userId, provider.name(), sessionId) : Optional.empty();
    }

    /**
     * Verifies and handles one webhook delivery.
     *
     * @throws WebhookRejected      for a delivery that is not verifiably the provider's (answer 400)
     * @throws ApiException         404 when payments are off; 503 when the credits could not be booked now or
     *                              another delivery of the same session is still booking them (the provider
     *                              retries later)
     */
    public WebhookResult handleWebhook(WebhookDelivery delivery) {
        if (!enabled()) {
            throw notConfigured(404);
        }
        PaymentEvent event = provider.verifyWebhook(delivery);
        if (event.kind() == PaymentEvent.Kind.IGNORED) {
            return new WebhookResult(event.id(), event.type(), "ignored", false, false);
        }
        String name = provider.name();
        PaymentEvent.Session session = event.session();
        long now = clock.millis();
        if (!store.recordEvent(name, event.id(), event.type(), session.id(), now)) {
            Optional<String> outcome = store.eventOutcome(name, event.id());
            if (outcome.isPresent() && FINAL_EVENT_OUTCOMES.contains(outcome.get())) {
                return new WebhookResult(event.id(), event.type(), outcome.get(), false, true);
            }
            // Seen but not finished: still in progress elsewhere, or its handler died. Handle it again; the claim
            // below lets only one of them book.
        }
        Optional<Purchase> found = store.bySession(name, session.id());
        boolean unrecorded = found.isEmpty() && session.metadata().containsKey(META_PURCHASE);
        if (unrecorded) {
            found = store.unrecorded(name, session.metadata().get(META_PURCHASE));
        }
        if (found.isEmpty()) {
            LOG.info("{} event {} ({}) is about session {}, which this hub did not create; ignored", name, event.id(),
                    event.type(), session.id());
            return settle(event, "unknown_session", null, false);
        }
        Purchase purchase = found.get();
        String mismatch = mismatch(purchase, session);
        if (mismatch != null) {
            LOG.warn("{} event {} ({}) for purchase {} does not match what was sold, nothing booked: {}", name,
                    event.id(), event.type(), purchase.id(), mismatch);
            return settle(event, "mismatch", mismatch, false);
        }
        if (unrecorded && !store.bindSession(purchase.id(), session.id(), now)) {
            return settle(event, "mismatch", "the purchase named in the metadata belongs to another session", false);
        }
        return switch (event.kind()) {
            case PAID -> grantOnce(event, purchase);
            case AWAITING_PAYMENT -> {
                store.settleUnpaid(purchase.id(), Status.AWAITING_PAYMENT, clock.millis());
                yield settle(event, "awaiting_payment", null, false);
            }
            case PAYMENT_FAILED -> {
                store.settleUnpaid(purchase.id(), Status.PAYMENT_FAILED, clock.millis());
                yield settle(event, "payment_failed", null, false);
            }
            case EXPIRED -> {
                store.settleUnpaid(purchase.id(), Status.EXPIRED, clock.millis());
                yield settle(event, "expired", null, false);
            }
            case IGNORED -> throw new IllegalStateException("handled above");
        };
    }

    private WebhookResult grantOnce(PaymentEvent event, Purchase purchase) {
        long deadline = clock.millis() + waitForOtherDelivery.toMillis();
        while (true) {
            String token = token();
            long now = clock.millis();
            if (store.claim(purchase.id(), token, now, now - CLAIM_LEASE.toMillis())) {
                return book(event, purchase, token);
            }
            Purchase current = store.byId(purchase.id()).orElseThrow();
            if (current.status() == Status.GRANTED) {
                return settle(event, "already_granted", null, false);
            }
            if (current.status() != Status.GRANTING && store.reopen(purchase.id(), now)) {
                // marked failed or expired, yet the provider's signed word now is "paid": the money arrived
                continue;
            }
            if (clock.millis() >= deadline) {
                throw new ApiException(503, "api_error", "purchase_in_progress", null,
                        "another delivery of this purchase is booking its credits; retry later");
            }
            sleep();
        }
    }

    private WebhookResult book(PaymentEvent event, Purchase purchase, String token) {
        long credits = purchase.credits();
        boolean bookedNow;
        try {
            bookedNow = grants.grantPurchase(purchase.userId(), BigDecimal.valueOf(credits),
                    provider.name() + ":" + event.session().id(),
                    "Purchase of " + credits + " credits (" + settings.price().format(purchase.amountMinor()) + ")");
        } catch (RuntimeException e) {
            store.release(purchase.id(), token, "booking the credits failed: " + e.getMessage(), clock.millis());
            LOG.error("purchase {}: booking {} credits for user {} failed; the provider will deliver again",
                    purchase.id(), credits, purchase.userId(), e);
            throw new ApiException(503, "api_error", "grant_failed", null,
                    "the credits could not be booked now; deliver the event again later");
        }
        store.granted(purchase.id(), token, event.id(), clock.millis());
        if (bookedNow) {
            LOG.info("purchase {}: {} credits booked for user {} ({} event {})", purchase.id(), credits,
                    purchase.userId(), event.type(), event.id());
        }
        return settle(event, bookedNow ? "granted" : "already_granted", null, bookedNow);
    }

    /** Why the event does not describe the purchase the hub recorded, or null when it does. */
    private static String mismatch(Purchase purchase, PaymentEvent.Session session) {
        if (!purchase.userId().equals(session.clientReferenceId())) {
            return "client_reference_id is " + session.clientReferenceId() + ", the purchase is user "
                    + purchase.userId() + "'s";
        }
        if (!purchase.userId().equals(session.metadata().get(META_USER))) {
            return "metadata " + META_USER + " is " + session.metadata().get(META_USER) + ", not " + purchase.userId();
        }
        if (!Long.toString(purchase.credits()).equals(session.metadata().get(META_CREDITS))) {
            return "metadata " + META_CREDITS + " is " + session.metadata().get(META_CREDITS) + ", " + purchase.credits()
                    + " were sold";
        }
        if (session.amountTotal() == null || session.amountTotal() != purchase.amountMinor()
                || !purchase.currency().equalsIgnoreCase(String.valueOf(session.currency()))) {
            return "the session's total is " + session.amountTotal() + " " + session.currency() + ", "
                    + purchase.amountMinor() + " " + purchase.currency() + " was asked";
        }
        return null;
    }

    private WebhookResult settle(PaymentEvent event, String outcome, String detail, boolean granted) {
        store.settleEvent(provider.name(), event.id(), outcome, detail, clock.millis());
        return new WebhookResult(event.id(), event.type(), outcome, granted, false);
    }

    private void requireEnabled() {
        if (!enabled()) {
            throw notConfigured(409);
        }
    }

    private static ApiException notConfigured(int status) {
        return new ApiException(status, "invalid_request_error", "payments_not_configured", null,
                "buying credits is not configured on this hub (payments.provider is none); an administrator can "
                        + "enable Stripe Checkout in the payments section of the configuration");
    }

    private static String stripSlash(String origin) {
        return origin.endsWith("/") ? origin.substring(0, origin.length() - 1) : origin;
    }

    private static String token() {
        byte[] random = new byte[16];
        RANDOM.nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    private static void sleep() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "api_error", "interrupted", null, "interrupted; retry later");
        }
    }

    @Override
    public void close() {
        if (provider != null) {
            provider.close();
        }
    }
}
