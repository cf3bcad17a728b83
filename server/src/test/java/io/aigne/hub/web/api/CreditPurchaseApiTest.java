package io.aigne.hub.web.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigne.hub.auth.Role;
import io.aigne.hub.auth.User;
import io.aigne.hub.config.ConfigException;
import io.aigne.hub.server.Json;
import io.aigne.hub.testing.FakeStripe;
import io.aigne.hub.testing.FakeStripe.Signing;
import io.aigne.hub.testing.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Buying credits end to end through a running hub: the checkout API, Stripe (the local fake) paying the session and
 * delivering its signed events to the hub's webhook, and the credits booked once.
 */
class CreditPurchaseApiTest {
    private static final String WEBHOOK = CreditPurchaseApi.STRIPE_WEBHOOK_PATH;
    private static FakeStripe stripe;
    private static TestHub hub;

    @BeforeAll
    static void start() {
        stripe = FakeStripe.start();
        hub = stripe.configure(TestHub.builder())
                .setting("AIGNE_HUB_PAYMENTS_PRICE_PER_CREDIT", "0.02")
                .setting("AIGNE_HUB_PAYMENTS_MIN_CREDITS", "5")
                
                .start();
        stripe.webhookUrl(hub.baseUrl() + WEBHOOK);
    }

    @AfterAll
    static void stop() {
        if (hub != null) {
            hub.close();
        }
        stripe.close();
    }

    private static String keyOfNewUser(String name) {
        User user = hub.hub().users().create(name, null, null, Role.MEMBER);
        return hub.hub().keys().issue(user.id(), "test", null).secret();
    }

    private static String userIdOf(String name) {
        return hub.hub().users().byName(name).orElseThrow().id();
    }

    private static JsonNode checkout(String key, int credits) {
        HttpResponse<String> response = hub.post(CreditPurchaseApi.CHECKOUT_PATH, key, "{\"credits\":" + credits + "}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestHub.json(response);
    }

    @Test
    void withPaymentsConfiguredThePurchaseApiPointsAtThePurchasePage() {
        JsonNode purchase = TestHub.json(hub.get(CreditPurchaseApi.PURCHASE_PATH, keyOfNewUser("finn")));

        assertThat(purchase.path("available").asBoolean()).isTrue();
        assertThat(purchase.path("checkout").asBoolean()).isTrue();
        assertThat(purchase.path("link").asText()).isEqualTo(hub.baseUrl() + "/credits/purchase");
    }

    @Test
    void aCheckoutOpensAStripeSessionAndItsPaymentBooksTheCreditsOnce() {
        String key = keyOfNewUser("dana");
        JsonNode opened = checkout(key, 150);

        assertThat(opened.path("id").asText()).isEqualTo(stripe.lastSessionId());
        assertThat(opened.path("url").asText()).isEqualTo(stripe.session(opened.path("id").asText()).path("url").asText());
        assertThat(opened.path("credits").asLong()).isEqualTo(150);
        assertThat(opened.path("amount").asLong()).isEqualTo(300);
        assertThat(opened.path("price").asText()).isEqualTo("3.00 USD");
        FakeStripe.Request sent = stripe.lastRequest();
        assertThat(sent.form()).containsEntry("line_items[0][price_data][unit_amount]", "300")
                .containsEntry("client_reference_id", userIdOf("dana"))
                .containsEntry("success_url", hub.baseUrl() + "/credits/purchase?status=success&session_id={CHECKOUT_SESSION_ID}")
                .containsEntry("cancel_url", hub.baseUrl() + "/credits/purchase?status=cancelled");

        FakeStripe.Event paid = stripe.pay(opened.path("id").asText());
        FakeStripe.Delivery first = stripe.deliver(paid);
        FakeStripe.Delivery again = stripe.deliver(paid);

        assertThat(first.status()).as(first.responseBody()).isEqualTo(200);
        assertThat(first.response().path("outcome").asText()).isEqualTo("granted");
        assertThat(first.response().path("granted").asBoolean()).isTrue();
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.response().path("duplicate").asBoolean()).isTrue();
        assertThat(again.response().path("granted").asBoolean()).isFalse();
        assertThat(purchased(userIdOf("dana"))).isEqualByComparingTo("150");
    }

    @Test
    void twentyConcurrentDeliveriesOfOneEventAreAllAnswered200AndBookOnce() throws Exception {
        String key = keyOfNewUser("eli");
        FakeStripe.Event paid = stripe.pay(checkout(key, 500).path("id").asText());

        CountDownLatch go = new CountDownLatch(1);
        List<Future<FakeStripe.Delivery>> deliveries = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 20; i++) {
                deliveries.add(pool.submit(() -> {
                    go.await();
                    return stripe.deliver(paid);
                }));
            }
            go.countDown();
            int granted = 0;
            for (Future<FakeStripe.Delivery> d : deliveries) {
                FakeStripe.Delivery delivery = d.get();
                assertThat(delivery.status()).as(delivery.responseBody()).isEqualTo(200);
                granted += delivery.response().path("granted").asBoolean() ? 1 : 0;
            }
            assertThat(granted).isEqualTo(1);
        }
        assertThat(purchased(userIdOf("eli"))).isEqualByComparingTo("500");
    }

    @Test
    void deliveriesThatAreNotVerifiablyStripesAre400AndBookNothing() {
        String key = keyOfNewUser("fay");
        FakeStripe.Event paid = stripe.pay(checkout(key, 20).path("id").asText());

        for (Signing bad : List.of(Signing.withSecret("whsec_forged"), Signing.stale(Duration.ofMinutes(6)),
                Signing.tampered(), Signing.unsigned())) {
            FakeStripe.Delivery refused = stripe.deliver(paid, bad);
            assertThat(refused.status()).as(bad.toString()).isEqualTo(400);
            JsonNode error = refused.response().path("error");
            assertThat(error.path("code").asText()).isEqualTo("webhook_rejected");
            assertThat(error.path("param").asText()).isEqualTo("Stripe-Signature");
            assertThat(error.path("message").asText()).containsAnyOf("does not match", "tolerance",
                    "no Stripe-Signature header");
        }
        assertThat(purchased(userIdOf("fay"))).isEqualByComparingTo("0");

        // none of them was recorded as this event: the genuine delivery still books
        FakeStripe.Delivery genuine = stripe.deliver(paid);
        assertThat(genuine.response().path("granted").asBoolean()).isTrue();
        assertThat(purchased(userIdOf("fay"))).isEqualByComparingTo("20");
    }

    @Test
    void aDelayedPaymentIsBookedWhenStripeSaysItSucceeded() {
        String key = keyOfNewUser("gus");
        String session = checkout(key, 40).path("id").asText();

        FakeStripe.Delivery completed = stripe.deliver(stripe.completeUnpaid(session));
        assertThat(completed.status()).isEqualTo(200);
        assertThat(completed.response().path("outcome").asText()).isEqualTo("awaiting_payment");
        assertThat(purchased(userIdOf("gus"))).isEqualByComparingTo("0");

        FakeStripe.Delivery succeeded = stripe.deliver(stripe.asyncPaymentSucceeded(session));
        assertThat(succeeded.response().path("outcome").asText()).isEqualTo("granted");
        assertThat(purchased(userIdOf("gus"))).isEqualByComparingTo("40");
    }

    @Test
    void eventsOfOtherKindsAreAcknowledgedAndIgnored() {
        FakeStripe.Delivery other = stripe.deliver(stripe.otherEvent("customer.created",
                Json.object().put("id", "cus_9").put("object", "customer")));

        assertThat(other.status()).isEqualTo(200);
        assertThat(other.response().path("outcome").asText()).isEqualTo("ignored");
        assertThat(other.response().path("type").asText()).isEqualTo("customer.created");
    }

    @Test
    void badCheckoutRequestsAre400sNamingTheField() {
        String key = keyOfNewUser("hal");
        int sessions = stripe.sessionCount();
        for (String body : List.of("{}", "{\"credits\":\"ten\"}", "{\"credits\":2.5}", "{\"credits\":4}",
                "{\"credits\":10001}", "{\"credits\":99999999999}")) {
            HttpResponse<String> response = hub.post(CreditPurchaseApi.CHECKOUT_PATH, key, body);
            assertThat(response.statusCode()).as(body).isEqualTo(400);
            assertThat(TestHub.json(response).path("error").path("param").asText()).as(body).isEqualTo("credits");
        }
        assertThat(TestHub.json(hub.post(CreditPurchaseApi.CHECKOUT_PATH, key, "{\"credits\":4}")).path("error")
                .path("message").asText()).contains("from 5 to 10000");
        assertThat(hub.post(CreditPurchaseApi.CHECKOUT_PATH, null, "{\"credits\":50}").statusCode()).isEqualTo(401);
        assertThat(stripe.sessionCount()).isEqualTo(sessions);
    }

    @Test
    void aHubWithoutPaymentsSaysPurchasesAreNotConfigured() {
        try (TestHub plain = TestHub.builder().start()) {
            String key = plain.hub().keys().issue(plain.hub().users().create("ivy", null, null, Role.MEMBER).id(),
                    "k", null).secret();
            HttpResponse<String> checkout = plain.post(CreditPurchaseApi.CHECKOUT_PATH, key, "{\"credits\":10}");
            HttpResponse<String> webhook = plain.send(plain.request(WEBHOOK, null)
                    .header("Stripe-Signature", "t=1,v1=00").POST(HttpRequest.BodyPublishers.ofString("{}")));
            HttpResponse<String> page = plain.get("/credits/purchase", null);

            assertThat(checkout.statusCode()).isEqualTo(409);
            assertThat(TestHub.json(checkout).path("error").path("code").asText()).isEqualTo("payments_not_configured");
            assertThat(TestHub.json(checkout).path("error").path("message").asText()).contains("not configured");
            assertThat(webhook.statusCode()).isEqualTo(404);
            assertThat(TestHub.json(webhook).path("error").path("code").asText()).isEqualTo("payments_not_configured");
            assertThat(page.statusCode()).isEqualTo(404);
            assertThat(page.body()).contains("Buying credits is not configured");
            assertThat(plain.hub().purchases().paymentLink(plain.baseUrl())).isEmpty();
        }
    }

    /** What the user bought, as the hub's credit ledger has it. */
    private static java.math.BigDecimal purchased(String userId) {
        return hub.hub().billing().ledger().granted(userId).toBigDecimal();
    }
}
