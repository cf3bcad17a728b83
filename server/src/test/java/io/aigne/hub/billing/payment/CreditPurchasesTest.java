package io.aigne.hub.billing.payment;

import io.aigne.hub.auth.Role;
import io.aigne.hub.auth.User;
import io.aigne.hub.auth.UserStore;
import io.aigne.hub.server.ApiException;
import io.aigne.hub.testing.DatabaseContract;
import io.aigne.hub.testing.DatabaseContract.PostgresVariant;
import io.aigne.hub.testing.DatabaseContract.SqliteVariant;
import io.aigne.hub.testing.FakeStripe;
import io.aigne.hub.testing.InMemoryCreditGrants;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Selling credits against the local Stripe, on both databases: the credits of a paid session are booked exactly
 * once however its events arrive (repeated, concurrent, out of order, both event types, after a crash), only as
 * sold (user, credits, amount), and never for unpaid, failed or foreign sessions.
 */
class CreditPurchasesTest {
    private static final String ORIGIN = "https://hub.example";

    @SqliteVariant
    class OnSqlite extends Contract {}

    @PostgresVariant
    class OnPostgres extends Contract {}

    abstract static class Contract extends DatabaseContract {
        FakeStripe stripe;
        PaymentSettings settings;
        PaymentStore store;
        InMemoryCreditGrants grants;
        CreditPurchases purchases;
        User ann;
        User bob;

        Contract() {
            super("payment_events", "payment_checkouts", "access_keys", "users");
        }

        @BeforeAll
        final void startStripe() {
            stripe = FakeStripe.start();
            settings = new PaymentSettings(PaymentSettings.STRIPE, new CreditPrice("usd", 2, new BigDecimal("0.10"), 10,
                    5000), "AIGNE Hub credits", null, null, new PaymentSettings.Stripe(stripe.apiKey(),
                    stripe.webhookSecret(), URI.create(stripe.apiBase()), Duration.ofSeconds(5), Duration.ofSeconds(300)));
        }

        @AfterAll
        final void stopStripe() {
            stripe.close();
        }

        @BeforeEach
        final void freshState() {
            UserStore users = new UserStore(db.jdbi());
            ann = users.create("ann", null, null, Role.MEMBER);
            bob = users.create("bob", null, null, Role.MEMBER);
            store = new PaymentStore(db.jdbi());
            grants = new InMemoryCreditGrants();
            purchases = purchases(Duration.ofSeconds(10));
        }

        @AfterEach
        final void closePurchases() {
            if (purchases != null) {
                purchases.close();
            }
        }

        CreditPurchases purchases(Duration waitForOtherDelivery) {
            return new CreditPurchases(settings, new StripeCheckout(settings.stripe(), Clock.systemUTC()), store, grants,
                    Clock.systemUTC(), waitForOtherDelivery);
        }

        WebhookResult deliver(FakeStripe.Event event) {
            return deliver(purchases, event);
        }

        WebhookResult deliver(CreditPurchases to, FakeStripe.Event event) {
            FakeStripe.Signed signed = stripe.sign(event, FakeStripe.Signing.valid());
            return to.handleWebhook(new WebhookDelivery(signed.payload(), Map.of("Stripe-Signature", signed.header())));
        }

        @Test
        void aCheckoutIsRecordedBeforeStripeIsAskedAndCarriesWhatWasSold() {
            Checkout checkout = purchases.startCheckout(ann.id(), 250, ORIGIN);

            Purchase purchase = store.ofUser(ann.id(), "stripe", checkout.id()).orElseThrow();
            assertThat(purchase.status()).isEqualTo(Purchase.Status.OPEN);
            assertThat(purchase.credits()).isEqualTo(250);
            assertThat(purchase.creditsNanos()).isEqualTo(250_000_000_000L);
            assertThat(purchase.amountMinor()).isEqualTo(2500);
            Map<String, String> form = stripe.lastRequest().form();
            assertThat(form).containsEntry("line_items[0][price_data][unit_amount]", "2500")
                    .containsEntry("line_items[0][price_data][product_data][name]", "250 AIGNE Hub credits")
                    .containsEntry("client_reference_id", ann.id())
                    .containsEntry("metadata[aigne_hub_user_id]", ann.id())
                    .containsEntry("metadata[aigne_hub_credits]", "250")
                    .containsEntry("metadata[aigne_hub_purchase_id]", purchase.id())
                    .containsEntry("success_url", ORIGIN + "/credits/purchase?status=success&session_id={CHECKOUT_SESSION_ID}")
                    .containsEntry("cancel_url", ORIGIN + "/credits/purchase?status=cancelled");
            assertThat(stripe.lastRequest().header("idempotency-key")).isEqualTo(purchase.id());
        }

        @Test
        void amountsOutsideTheRangeAndAnOffSwitchAreRefusedBeforeStripeIsAsked() {
            int before = stripe.requests().size();
            assertThatThrownBy(() -> purchases.startCheckout(ann.id(), 9, ORIGIN))
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.param()).isEqualTo("credits");
                    }).hasMessageContaining("from 10 to 5000");
            assertThatThrownBy(() -> purchases.startCheckout(ann.id(), 5001, ORIGIN)).isInstanceOf(ApiException.class);
            CreditPurchases off = new CreditPurchases(PaymentSettings.DISABLED, null, store, null,
                    Clock.systemUTC(), Duration.ZERO);
            assertThatThrownBy(() -> off.startCheckout(ann.id(), 100, ORIGIN))
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(409);
                        assertThat(e.code()).isEqualTo("payments_not_configured");
                    });
            assertThat(off.paymentLink(ORIGIN)).isEmpty();
            assertThat(purchases.paymentLink(ORIGIN + "/")).hasValue(ORIGIN + "/credits/purchase");
            assertThat(stripe.requests()).hasSize(before);
        }

        @Test
        void aStripeFailureIsA503AndLeavesThePurchaseMarkedAsNotOpened() {
            stripe.failNextCreate(503);
            assertThatThrownBy(() -> purchases.startCheckout(ann.id(), 100, ORIGIN))
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(503));
            String status = db.jdbi().withHandle(h -> h.createQuery(
                    "SELECT status FROM payment_checkouts WHERE user_id = :u").bind("u", ann.id()).mapTo(String.class).one());
            assertThat(status).isEqualTo("error");
        }

        @Test
        void aPaidSessionIsBookedOnceHoweverOftenItsEventIsDelivered() {
            String session = purchases.startCheckout(ann.id(), 120, ORIGIN).id();
            FakeStripe.Event paid = stripe.pay(session);

            WebhookResult first = deliver(paid);
            WebhookResult again = deliver(paid);
            WebhookResult third = deliver(paid);

            assertThat(first.granted()).isTrue();
            assertThat(first.outcome()).isEqualTo("granted");
            assertThat(again.duplicate()).isTrue();
            assertThat(again.granted()).isFalse();
            assertThat(third.outcome()).isEqualTo("granted");
            assertThat(grants.total(ann.id())).isEqualByComparingTo("120");
            assertThat(grants.calls()).isEqualTo(1);
            InMemoryCreditGrants.Grant grant = grants.grants().getFirst();
            assertThat(grant.externalId()).isEqualTo("stripe:" + session);
            assertThat(grant.description()).isEqualTo("Purchase of 120 credits (12.00 USD)");
            assertThat(store.ofUser(ann.id(), "stripe", session).orElseThrow().status()).isEqualTo(Purchase.Status.GRANTED);
        }

        @Test
        void twentyConcurrentDeliveriesOfOneEventBookOnce() throws Exception {
            String session = purchases.startCheckout(ann.id(), 300, ORIGIN).id();
            FakeStripe.Event paid = stripe.pay(session);

            List<WebhookResult> results = concurrently(20, i -> deliver(paid));

            assertThat(results).hasSize(20);
            assertThat(results).filteredOn(WebhookResult::granted).hasSize(1);
            assertThat(grants.total(ann.id())).isEqualByComparingTo("300");
            assertThat(grants.grants()).hasSize(1);
        }

        @Test
        void bothEventTypesOfOneSessionDeliveredConcurrentlyBookOnce() throws Exception {
            String session = purchases.startCheckout(ann.id(), 40, ORIGIN).id();
            FakeStripe.Event completed = stripe.pay(session);
            FakeStripe.Event succeeded = stripe.asyncPaymentSucceeded(session);

            List<WebhookResult> results = concurrently(20, i -> deliver(i % 2 == 0 ? completed : succeeded));

            assertThat(results).filteredOn(WebhookResult::granted).hasSize(1);
            assertThat(results).extracting(WebhookResult::outcome).containsOnly("granted", "already_granted");
            assertThat(grants.total(ann.id())).isEqualByComparingTo("40");
        }

        @Test
        void aDelayedPaymentIsBookedWhenItSucceedsNotWhenTheCheckoutCompletes() {
            String session = purchases.startCheckout(ann.id(), 75, ORIGIN).id();

            WebhookResult completed = deliver(stripe.completeUnpaid(session));
            assertThat(completed.outcome()).isEqualTo("awaiting_payment");
            assertThat(grants.grants()).isEmpty();
            assertThat(store.ofUser(ann.id(), "stripe", session).orElseThrow().status())
                    .isEqualTo(Purchase.Status.AWAITING_PAYMENT);

            WebhookResult succeeded = deliver(stripe.asyncPaymentSucceeded(session));
            assertThat(succeeded.granted()).isTrue();
            assertThat(grants.total(ann.id())).isEqualByComparingTo("75");
        }

        @Test
        void outOfOrderEventsStillBookOnceAndALateUnpaidEventChangesNothing() {
            String session = purchases.startCheckout(ann.id(), 60, ORIGIN).id();
            FakeStripe.Event completedUnpaid = stripe.completeUnpaid(session);
            FakeStripe.Event succeeded = stripe.asyncPaymentSucceeded(session);

            assertThat(deliver(succeeded).granted()).isTrue();
            assertThat(deliver(completedUnpaid).outcome()).isEqualTo("awaiting_payment");

            assertThat(store.ofUser(ann.id(), "stripe", session).orElseThrow().status()).isEqualTo(Purchase.Status.GRANTED);
            assertThat(grants.total(ann.id())).isEqualByComparingTo("60");
        }

        @Test
        void aFailedDelayedPaymentOrAnExpiredSessionBooksNothing() {
            String failing = purchases.startCheckout(ann.id(), 20, ORIGIN).id();
            deliver(stripe.completeUnpaid(failing));
            assertThat(deliver(stripe.asyncPaymentFailed(failing)).outcome()).isEqualTo("payment_failed");
            String abandoned = purchases.startCheckout(ann.id(), 20, ORIGIN).id();
            assertThat(deliver(stripe.expire(abandoned)).outcome()).isEqualTo("expired");

            assertThat(grants.grants()).isEmpty();
            assertThat(store.ofUser(ann.id(), "stripe", failing).orElseThrow().status())
                    .isEqualTo(Purchase.Status.PAYMENT_FAILED);
            assertThat(store.ofUser(ann.id(), "stripe", abandoned).orElseThrow().status())
                    .isEqualTo(Purchase.Status.EXPIRED);
        }

        @Test
        void creditsComeFromWhatWasSoldAndAnEventThatDisagreesBooksNothing() {
            String session = purchases.startCheckout(ann.id(), 100, ORIGIN).id();

            WebhookResult moreCredits = deliver(stripe.eventAbout(session, "checkout.session.completed",
                    s -> s.put("payment_status", "paid").with("metadata").put("aigne_hub_credits", "5000")));
            WebhookResult otherUser = deliver(stripe.eventAbout(session, "checkout.session.completed",
                    s -> s.put("payment_status", "paid").put("client_reference_id", bob.id())
                            .with("metadata").put("aigne_hub_user_id", bob.id())));
            WebhookResult cheaper = deliver(stripe.eventAbout(session, "checkout.session.completed",
                    s -> s.put("payment_status", "paid").put("amount_total", 1)));

            assertThat(List.of(moreCredits, otherUser, cheaper)).extracting(WebhookResult::outcome)
                    .containsOnly("mismatch");
            assertThat(grants.grants()).isEmpty();
            String detail = db.jdbi().withHandle(h -> h.createQuery(
                    "SELECT detail FROM payment_events WHERE event_id = :e").bind("e", otherUser.eventId())
                    .mapTo(String.class).one());
            assertThat(detail).contains("client_reference_id is " + bob.id());

            // the genuine event still books what was sold, to the buyer
            assertThat(deliver(stripe.pay(session)).granted()).isTrue();
            assertThat(grants.total(ann.id())).isEqualByComparingTo("100");
            assertThat(grants.total(bob.id())).isEqualByComparingTo("0");
        }

        @Test
        void aSessionThisHubDidNotCreateIsIgnored() {
            Checkout foreign = new StripeCheckout(settings.stripe(), Clock.systemUTC()).createCheckout(new CheckoutRequest(
                    "not-ours", ann.id(), 1000, "usd", "x", "https://shop.example/ok", "https://shop.example/no", Map.of()));

            WebhookResult result = deliver(stripe.pay(foreign.id()));

            assertThat(result.outcome()).isEqualTo("unknown_session");
            assertThat(grants.grants()).isEmpty();
        }

        @Test
        void aSessionTheHubCouldNotRecordIsFoundByThePurchaseIdInItsMetadata() {
            long now = System.currentTimeMillis();
            Purchase recorded = new Purchase("purchase-before-crash", "stripe", null, ann.id(), 30 * Purchase.NANOS_PER_CREDIT,
                    300, "usd", Purchase.Status.CREATING, null, now, now);
            store.create(recorded);
            // the hub asked Stripe, then stopped before it could write the session id down
            Checkout opened = new StripeCheckout(settings.stripe(), Clock.systemUTC()).createCheckout(new CheckoutRequest(
                    recorded.id(), ann.id(), 300, "usd", "30 AIGNE Hub credits", ORIGIN + "/ok", ORIGIN + "/no",
                    Map.of(CreditPurchases.META_USER, ann.id(), CreditPurchases.META_CREDITS, "30",
                            CreditPurchases.META_PURCHASE, recorded.id())));

            WebhookResult otherBuyer = deliver(stripe.eventAbout(opened.id(), "checkout.session.completed",
                    s -> s.put("payment_status", "paid").put("client_reference_id", bob.id())));
            assertThat(otherBuyer.outcome()).isEqualTo("mismatch");
            assertThat(store.byId(recorded.id()).orElseThrow().sessionId()).as("not bound by a mismatch").isNull();

            assertThat(deliver(stripe.pay(opened.id())).granted()).isTrue();
            assertThat(store.byId(recorded.id()).orElseThrow().sessionId()).isEqualTo(opened.id());
            assertThat(grants.total(ann.id())).isEqualByComparingTo("30");
        }

        @Test
        void whenBookingFailsStripesRedeliveryBooksLater() {
            String session = purchases.startCheckout(ann.id(), 55, ORIGIN).id();
            FakeStripe.Event paid = stripe.pay(session);
            grants.failNext(new IllegalStateException("ledger database unavailable"));

            assertThatThrownBy(() -> deliver(paid)).isInstanceOfSatisfying(ApiException.class,
                    e -> assertThat(e.status()).isEqualTo(503));
            assertThat(store.ofUser(ann.id(), "stripe", session).orElseThrow().status()).isEqualTo(Purchase.Status.OPEN);

            WebhookResult retried = deliver(paid);
            assertThat(retried.granted()).isTrue();
            assertThat(retried.duplicate()).isFalse();
            assertThat(grants.total(ann.id())).isEqualByComparingTo("55");
        }

        @Test
        void aBookingInProgressElsewhereIsWaitedForAndADeadOneIsTakenOver() {
            String session = purchases.startCheckout(ann.id(), 80, ORIGIN).id();
            String id = store.ofUser(ann.id(), "stripe", session).orElseThrow().id();
            long now = System.currentTimeMillis();
            assertThat(store.claim(id, "another-node", now, now - 1)).isTrue();

            CreditPurchases impatient = purchases(Duration.ofMillis(200));
            FakeStripe.Event paid = stripe.pay(session);
            assertThatThrownBy(() -> deliver(impatient, paid)).isInstanceOfSatisfying(ApiException.class, e -> {
                assertThat(e.status()).isEqualTo(503);
                assertThat(e.code()).isEqualTo("purchase_in_progress");
            });
            assertThat(grants.grants()).isEmpty();

            // the other node died holding the claim: once the lease is over, the next delivery books
            db.jdbi().useHandle(h -> h.createUpdate("UPDATE payment_checkouts SET claimed_at = :old WHERE id = :id")
                    .bind("old", now - CreditPurchases.CLAIM_LEASE.toMillis() - 1).bind("id", id).execute());
            assertThat(deliver(paid).granted()).isTrue();
            assertThat(grants.total(ann.id())).isEqualByComparingTo("80");
        }

        @Test
        void aCrashAfterBookingButBeforeRecordingItDoesNotBookTwice() {
            String session = purchases.startCheckout(ann.id(), 90, ORIGIN).id();
            // the ledger booked it, then the hub died before marking the purchase granted
            grants.grantPurchase(ann.id(), new BigDecimal("90"), "stripe:" + session, "booked before the crash");

            WebhookResult redelivered = deliver(stripe.pay(session));

            assertThat(redelivered.outcome()).isEqualTo("already_granted");
            assertThat(redelivered.granted()).isFalse();
            assertThat(grants.total(ann.id())).isEqualByComparingTo("90");
            assertThat(store.ofUser(ann.id(), "stripe", session).orElseThrow().status()).isEqualTo(Purchase.Status.GRANTED);
        }

        private interface Delivery {
            WebhookResult run(int i) throws Exception;
        }

        private static List<WebhookResult> concurrently(int n, Delivery delivery) throws Exception {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<WebhookResult>> futures = new ArrayList<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < n; i++) {
                    int index = i;
                    futures.add(pool.submit(() -> {
                        start.await();
                        return delivery.run(index);
                    }));
                }
                start.countDown();
                List<WebhookResult> results = new ArrayList<>();
                for (Future<WebhookResult> f : futures) {
                    results.add(f.get());
                }
                return results;
            }
        }
    }
}
