package io.aigne.hub.billing.payment;

import io.aigne.hub.testing.FakeStripe;
import io.aigne.hub.testing.FakeStripe.Signing;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Stripe provider against the local Stripe: what it sends to open a checkout, and how it reads events. */
class StripeCheckoutTest {
    private static FakeStripe stripe;
    private static StripeCheckout checkout;

    @BeforeAll
    static void start() {
        stripe = FakeStripe.start();
        checkout = new StripeCheckout(settings(stripe.apiBase(), stripe.apiKey()), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        checkout.close();
        stripe.close();
    }

    private static PaymentSettings.Stripe settings(String base, String key) {
        return new PaymentSettings.Stripe(key, stripe.webhookSecret(), URI.create(base), Duration.ofSeconds(5),
                Duration.ofSeconds(300));
    }

    private static CheckoutRequest request(String purchaseId) {
        return new CheckoutRequest(purchaseId, "user-42", 1250, "usd", "125 AIGNE Hub credits",
                "https://hub.example/credits/purchase?status=success&session_id={CHECKOUT_SESSION_ID}",
                "https://hub.example/credits/purchase?status=cancelled",
                Map.of("aigne_hub_user_id", "user-42", "aigne_hub_credits", "125", "aigne_hub_purchase_id", purchaseId));
    }

    @Test
    void opensAPaymentModeSessionWithOneInlinePricedLineItem() {
        Checkout opened = checkout.createCheckout(request("p-1"));

        FakeStripe.Request sent = stripe.lastRequest();
        assertThat(sent.path()).isEqualTo("/v1/checkout/sessions");
        assertThat(sent.header("authorization")).isEqualTo("Bearer " + stripe.apiKey());
        assertThat(sent.header("content-type")).isEqualTo("application/x-www-form-urlencoded");
        assertThat(sent.header("idempotency-key")).isEqualTo("p-1");
        assertThat(sent.header("stripe-version")).isEqualTo(StripeCheckout.API_VERSION);
        assertThat(sent.form()).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry("mode", "payment"),
                Map.entry("line_items[0][price_data][currency]", "usd"),
                Map.entry("line_items[0][price_data][unit_amount]", "1250"),
                Map.entry("line_items[0][price_data][product_data][name]", "125 AIGNE Hub credits"),
                Map.entry("line_items[0][quantity]", "1"),
                Map.entry("success_url", "https://hub.example/credits/purchase?status=success&session_id={CHECKOUT_SESSION_ID}"),
                Map.entry("cancel_url", "https://hub.example/credits/purchase?status=cancelled"),
                Map.entry("client_reference_id", "user-42"),
                Map.entry("metadata[aigne_hub_credits]", "125"),
                Map.entry("metadata[aigne_hub_purchase_id]", "p-1"),
                Map.entry("metadata[aigne_hub_user_id]", "user-42")));
        assertThat(opened.id()).isEqualTo(stripe.lastSessionId());
        assertThat(opened.url()).isEqualTo(stripe.session(opened.id()).path("url").asText());
        assertThat(stripe.session(opened.id()).path("amount_total").asLong()).isEqualTo(1250);
    }

    @Test
    void aRefusedKeyIsReportedWithoutTheKeyAndIsNotRetryable() {
        String wrongKey = "sk_test_0123456789abcdefWRONGKEY";
        try (StripeCheckout wrong = new StripeCheckout(settings(stripe.apiBase(), wrongKey), Clock.systemUTC())) {
            assertThatThrownBy(() -> wrong.createCheckout(request("p-2")))
                    .isInstanceOfSatisfying(PaymentProviderException.class, e -> assertThat(e.retryable()).isFalse())
                    .hasMessageContaining("Stripe refused the hub's API key (payments.stripe.apiKey)")
                    .hasMessageNotContaining(wrongKey);
        }
    }

    @Test
    void stripeFailuresAndAnUnreachableStripeAreRetryable() throws Exception {
        stripe.failNextCreate(500);
        assertThatThrownBy(() -> checkout.createCheckout(request("p-3")))
                .isInstanceOfSatisfying(PaymentProviderException.class, e -> assertThat(e.retryable()).isTrue())
                .hasMessageContaining("HTTP 500");

        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (StripeCheckout nowhere = new StripeCheckout(settings("http://127.0.0.1:" + closedPort, stripe.apiKey()),
                Clock.systemUTC())) {
            assertThatThrownBy(() -> nowhere.createCheckout(request("p-4")))
                    .isInstanceOfSatisfying(PaymentProviderException.class, e -> assertThat(e.retryable()).isTrue())
                    .hasMessageContaining("could not be reached");
        }
    }

    @Test
    void readsEachCheckoutEventAsWhatItMeansForThePurchase() {
        String paidSession = checkout.createCheckout(request("p-5")).id();
        PaymentEvent paid = verify(stripe.pay(paidSession));
        assertThat(paid.kind()).isEqualTo(PaymentEvent.Kind.PAID);
        assertThat(paid.type()).isEqualTo("checkout.session.completed");
        assertThat(paid.completedPurchase()).hasValueSatisfying(s -> {
            assertThat(s.id()).isEqualTo(paidSession);
            assertThat(s.clientReferenceId()).isEqualTo("user-42");
            assertThat(s.metadata()).containsEntry("aigne_hub_credits", "125").containsEntry("aigne_hub_purchase_id", "p-5");
            assertThat(s.amountTotal()).isEqualTo(1250L);
            assertThat(s.currency()).isEqualTo("usd");
        });

        String delayed = checkout.createCheckout(request("p-6")).id();
        assertThat(verify(stripe.completeUnpaid(delayed)).kind()).isEqualTo(PaymentEvent.Kind.AWAITING_PAYMENT);
        assertThat(verify(stripe.completeUnpaid(delayed)).completedPurchase()).isEmpty();
        assertThat(verify(stripe.asyncPaymentSucceeded(delayed)).kind()).isEqualTo(PaymentEvent.Kind.PAID);
        String failing = checkout.createCheckout(request("p-7")).id();
        assertThat(verify(stripe.asyncPaymentFailed(failing)).kind()).isEqualTo(PaymentEvent.Kind.PAYMENT_FAILED);
        String abandoned = checkout.createCheckout(request("p-8")).id();
        assertThat(verify(stripe.expire(abandoned)).kind()).isEqualTo(PaymentEvent.Kind.EXPIRED);

        PaymentEvent other = verify(stripe.otherEvent("customer.created",
                io.aigne.hub.server.Json.object().put("id", "cus_1").put("object", "customer")));
        assertThat(other.kind()).isEqualTo(PaymentEvent.Kind.IGNORED);
        assertThat(other.session()).isNull();
    }

    @Test
    void anAdaptivePricingConversionIsReadInTheCurrencyTheSessionWasCreatedIn() {
        String id = checkout.createCheckout(request("p-9")).id();
        PaymentEvent converted = verify(stripe.eventAbout(id, "checkout.session.completed", s -> {
            s.put("payment_status", "paid").put("currency", "eur").put("amount_total", 1160);
            s.putObject("currency_conversion").put("amount_subtotal", 1250).put("amount_total", 1250)
                    .put("fx_rate", "0.928").put("source_currency", "usd");
        }));

        assertThat(converted.session().amountTotal()).isEqualTo(1250L);
        assertThat(converted.session().currency()).isEqualTo("usd");
    }

    @Test
    void nothingIsReadFromADeliveryThatIsNotVerifiablyStripes() {
        String id = checkout.createCheckout(request("p-10")).id();
        FakeStripe.Event event = stripe.pay(id);

        assertThatThrownBy(() -> verify(event, Signing.withSecret("whsec_attacker"))).isInstanceOf(WebhookRejected.class);
        assertThatThrownBy(() -> verify(event, Signing.stale(Duration.ofMinutes(10)))).isInstanceOf(WebhookRejected.class);
        assertThatThrownBy(() -> verify(event, Signing.tampered())).isInstanceOf(WebhookRejected.class);
        assertThatThrownBy(() -> verify(event, Signing.unsigned())).isInstanceOf(WebhookRejected.class)
                .hasMessageContaining("no Stripe-Signature header");
        FakeStripe.Event notAnEvent = new FakeStripe.Event("evt_x", "checkout.session.completed", "{\"hello\":1}");
        assertThatThrownBy(() -> verify(notAnEvent, Signing.valid())).isInstanceOf(WebhookRejected.class)
                .hasMessageContaining("not a Stripe event");
    }

    private static PaymentEvent verify(FakeStripe.Event event) {
        return verify(event, Signing.valid());
    }

    private static PaymentEvent verify(FakeStripe.Event event, Signing signing) {
        FakeStripe.Signed signed = stripe.sign(event, signing);
        return checkout.verifyWebhook(new WebhookDelivery(signed.payload(),
                signed.header() == null ? Map.of() : Map.of("Stripe-Signature", signed.header())));
    }
}
