package io.aigne.hub.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.stripe.StripeClient;
import com.stripe.exception.AuthenticationException;
import com.stripe.exception.IdempotencyException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.stripe.model.StripeObject;
import com.stripe.model.checkout.Session;
import com.stripe.net.RequestOptions;
import com.stripe.net.Webhook;
import com.stripe.param.checkout.SessionCreateParams;
import io.helidon.webserver.http.ServerRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Proves the fake is Stripe as far as the hub can tell: Stripe's own Java SDK (stripe-java) creates sessions on it
 * and reads its answers and errors, and accepts its webhook deliveries with {@code Webhook.constructEvent} exactly
 * when Stripe's own deliveries would be accepted.
 */
class FakeStripeTest {
    private static FakeStripe stripe;
    private static Receiver receiver;
    private static StripeClient sdk;

    /** A webhook endpoint that keeps what it receives. */
    static final class Receiver extends FakeProviderServer<Receiver.Received> {
        record Received(byte[] body, Map<String, String> headers) {
        }

        Receiver() {
            startServer(routing -> routing.post("/hook", (ServerRequest req, io.helidon.webserver.http.ServerResponse res) -> {
                record(new Received(bodyOf(req), headersOf(req)));
                res.send("{\"received\":true}".getBytes(StandardCharsets.UTF_8));
            }));
        }
    }

    @BeforeAll
    static void start() {
        stripe = FakeStripe.start();
        receiver = new Receiver();
        stripe.webhookUrl("http://127.0.0.1:" + receiver.port() + "/hook");
        sdk = StripeClient.builder().setApiKey(stripe.apiKey()).setApiBase(stripe.apiBase()).setMaxNetworkRetries(0)
                .build();
    }

    @AfterAll
    static void stop() {
        stripe.close();
        receiver.close();
    }

    private static Session createWithSdk(String reference) throws Exception {
        return sdk.checkout().sessions().create(SessionCreateParams.builder()
                .setMode(SessionCreateParams.Mode.PAYMENT)
                .setSuccessUrl("https://hub.example/credits/purchase?status=success&session_id={CHECKOUT_SESSION_ID}")
                .setCancelUrl("https://hub.example/credits/purchase?status=cancelled")
                .setClientReferenceId(reference)
                .putMetadata("aigne_hub_credits", "250")
                .addLineItem(SessionCreateParams.LineItem.builder().setQuantity(1L)
                        .setPriceData(SessionCreateParams.LineItem.PriceData.builder().setCurrency("usd")
                                .setUnitAmount(2500L)
                                .setProductData(SessionCreateParams.LineItem.PriceData.ProductData.builder()
                                        .setName("250 AIGNE Hub credits").build())
                                .build())
                        .build())
                .build());
    }

    @Test
    void stripesSdkCreatesASessionAndReadsTheAnswer() throws Exception {
        Session session = createWithSdk("user-1");

        assertThat(session.getId()).startsWith("cs_test_");
        assertThat(session.getObject()).isEqualTo("checkout.session");
        assertThat(session.getUrl()).startsWith(stripe.apiBase() + "/c/pay/" + session.getId());
        assertThat(session.getAmountTotal()).isEqualTo(2500L);
        assertThat(session.getCurrency()).isEqualTo("usd");
        assertThat(session.getPaymentStatus()).isEqualTo("unpaid");
        assertThat(session.getStatus()).isEqualTo("open");
        assertThat(session.getClientReferenceId()).isEqualTo("user-1");
        assertThat(session.getMetadata()).containsEntry("aigne_hub_credits", "250");
        FakeStripe.Request sent = stripe.lastRequest();
        assertThat(sent.form()).containsEntry("line_items[0][price_data][product_data][name]", "250 AIGNE Hub credits")
                .containsEntry("line_items[0][quantity]", "1").containsEntry("mode", "payment");
    }

    @Test
    void errorsHaveStripesShapeAsTheSdkReadsThem() {
        StripeClient wrongKey = StripeClient.builder().setApiKey("sk_test_not_the_right_key_1234")
                .setApiBase(stripe.apiBase()).setMaxNetworkRetries(0).build();
        assertThatThrownBy(() -> wrongKey.checkout().sessions().create(SessionCreateParams.builder()
                .setMode(SessionCreateParams.Mode.PAYMENT).setSuccessUrl("https://x.example/").build()))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("Invalid API Key provided: sk_test_")
                .hasMessageNotContaining("not_the_right_key");

        InvalidRequestException missing = (InvalidRequestException) catchStripe(() -> sdk.checkout().sessions()
                .create(SessionCreateParams.builder().setMode(SessionCreateParams.Mode.PAYMENT)
                        .setSuccessUrl("https://x.example/")
                        .addLineItem(SessionCreateParams.LineItem.builder().setQuantity(1L)
                                .setPriceData(SessionCreateParams.LineItem.PriceData.builder().setUnitAmount(100L)
                                        .setProductData(SessionCreateParams.LineItem.PriceData.ProductData.builder()
                                                .setName("x").build()).build()).build())
                        .build()));
        assertThat(missing.getStatusCode()).isEqualTo(400);
        assertThat(missing.getParam()).isEqualTo("line_items[0][price_data][currency]");
        assertThat(missing.getCode()).isEqualTo("parameter_missing");
        assertThat(missing.getStripeError().getType()).isEqualTo("invalid_request_error");
    }

    @Test
    void anIdempotencyKeyReplaysTheFirstSessionAndRefusesOtherParameters() throws Exception {
        RequestOptions key = RequestOptions.builder().setIdempotencyKey("purchase-42").build();
        SessionCreateParams params = SessionCreateParams.builder().setMode(SessionCreateParams.Mode.PAYMENT)
                .setSuccessUrl("https://x.example/").addLineItem(SessionCreateParams.LineItem.builder()
                        .setQuantity(1L).setPriceData(SessionCreateParams.LineItem.PriceData.builder()
                                .setCurrency("eur").setUnitAmount(700L).setProductData(
                                        SessionCreateParams.LineItem.PriceData.ProductData.builder().setName("7 credits")
                                                .build()).build()).build()).build();
        int before = stripe.sessionCount();
        Session first = sdk.checkout().sessions().create(params, key);
        Session again = sdk.checkout().sessions().create(params, key);

        assertThat(again.getId()).isEqualTo(first.getId());
        assertThat(stripe.sessionCount()).isEqualTo(before + 1);
        assertThatThrownBy(() -> sdk.checkout().sessions().create(SessionCreateParams.builder()
                .setMode(SessionCreateParams.Mode.PAYMENT).setSuccessUrl("https://other.example/").build(), key))
                .isInstanceOf(IdempotencyException.class);
    }

    @Test
    void deliveriesVerifyWithStripesSdkAndCarryTheSessionAsStripesModel() throws Exception {
        Session created = createWithSdk("user-7");
        FakeStripe.Delivery delivery = stripe.deliver(stripe.pay(created.getId()));
        assertThat(delivery.status()).isEqualTo(200);
        Receiver.Received received = receiver.lastRequest();
        String header = received.headers().get("stripe-signature");
        assertThat(header).matches("t=\\d+,v1=[0-9a-f]{64},v0=[0-9a-f]{64}");
        assertThat(received.headers().get("content-type")).startsWith("application/json");

        Event event = Webhook.constructEvent(new String(received.body(), StandardCharsets.UTF_8), header,
                stripe.webhookSecret());

        assertThat(event.getId()).isEqualTo(delivery.event().id()).startsWith("evt_");
        assertThat(event.getType()).isEqualTo("checkout.session.completed");
        assertThat(event.getApiVersion()).isEqualTo(com.stripe.Stripe.API_VERSION);
        assertThat(event.getLivemode()).isFalse();
        StripeObject object = event.getDataObjectDeserializer().getObject().orElseThrow();
        Session paid = (Session) object;
        assertThat(paid.getId()).isEqualTo(created.getId());
        assertThat(paid.getPaymentStatus()).isEqualTo("paid");
        assertThat(paid.getStatus()).isEqualTo("complete");
        assertThat(paid.getPaymentIntent()).startsWith("pi_");
        assertThat(paid.getClientReferenceId()).isEqualTo("user-7");
        assertThat(paid.getMetadata()).containsEntry("aigne_hub_credits", "250");
        assertThat(paid.getAmountTotal()).isEqualTo(2500L);
    }

    @Test
    void theAsyncFlowSendsCompletedUnpaidThenAsyncSucceeded() throws Exception {
        Session created = createWithSdk("user-8");
        Event completed = verified(stripe.completeUnpaid(created.getId()));
        Event succeeded = verified(stripe.asyncPaymentSucceeded(created.getId()));

        assertThat(completed.getType()).isEqualTo("checkout.session.completed");
        assertThat(((Session) completed.getDataObjectDeserializer().getObject().orElseThrow()).getPaymentStatus())
                .isEqualTo("unpaid");
        assertThat(succeeded.getType()).isEqualTo("checkout.session.async_payment_succeeded");
        assertThat(((Session) succeeded.getDataObjectDeserializer().getObject().orElseThrow()).getPaymentStatus())
                .isEqualTo("paid");
    }

    @Test
    void badDeliveriesAreRejectedByStripesSdkToo() throws Exception {
        Session created = createWithSdk("user-9");
        FakeStripe.Event event = stripe.pay(created.getId());

        FakeStripe.Signed wrong = stripe.sign(event, FakeStripe.Signing.withSecret("whsec_someone_else"));
        assertThatThrownBy(() -> Webhook.constructEvent(wrong.payloadText(), wrong.header(), stripe.webhookSecret()))
                .isInstanceOf(SignatureVerificationException.class);

        FakeStripe.Signed stale = stripe.sign(event, FakeStripe.Signing.stale(Duration.ofSeconds(301)));
        assertThatThrownBy(() -> Webhook.constructEvent(stale.payloadText(), stale.header(), stripe.webhookSecret()))
                .isInstanceOf(SignatureVerificationException.class)
                .hasMessageContaining("tolerance");
        FakeStripe.Signed recent = stripe.sign(event, FakeStripe.Signing.stale(Duration.ofSeconds(240)));
        assertThat(Webhook.constructEvent(recent.payloadText(), recent.header(), stripe.webhookSecret()).getId())
                .isEqualTo(event.id());

        FakeStripe.Signed tampered = stripe.sign(event, FakeStripe.Signing.tampered());
        assertThat(tampered.payloadText()).isNotEqualTo(event.json());
        assertThatThrownBy(() -> Webhook.constructEvent(tampered.payloadText(), tampered.header(),
                stripe.webhookSecret())).isInstanceOf(SignatureVerificationException.class);
    }

    @Test
    void whileASecretIsRolledEitherSecretVerifies() throws Exception {
        Session created = createWithSdk("user-10");
        FakeStripe.Event event = stripe.pay(created.getId());
        FakeStripe.Signed rolling = stripe.sign(event, FakeStripe.Signing.rolling("whsec_the_old_secret"));

        assertThat(rolling.header()).matches("t=\\d+,v1=[0-9a-f]{64},v1=[0-9a-f]{64},v0=[0-9a-f]{64}");
        assertThat(Webhook.constructEvent(rolling.payloadText(), rolling.header(), stripe.webhookSecret()).getId())
                .isEqualTo(event.id());
        assertThat(Webhook.constructEvent(rolling.payloadText(), rolling.header(), "whsec_the_old_secret").getId())
                .isEqualTo(event.id());
    }

    @Test
    void unknownParametersAndMissingKeysAreRefusedWithStripesErrorShape() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(URI.create(stripe.apiBase()
                        + "/v1/checkout/sessions")).header("Authorization", "Bearer " + stripe.apiKey())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("mode=payment&line_item%5B0%5D%5Bquantity%5D=1"))
                .build(), HttpResponse.BodyHandlers.ofString());
        JsonNode error = TestHub.json(unknown).path("error");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.path("code").asText()).isEqualTo("parameter_unknown");
        assertThat(error.path("param").asText()).isEqualTo("line_item[0][quantity]");
        assertThat(error.path("message").asText()).contains("line_item[0][quantity]");

        HttpResponse<String> noKey = http.send(HttpRequest.newBuilder(URI.create(stripe.apiBase()
                        + "/v1/checkout/sessions")).POST(HttpRequest.BodyPublishers.ofString("mode=payment")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(noKey.statusCode()).isEqualTo(401);
        assertThat(TestHub.json(noKey).path("error").path("message").asText()).contains("did not provide an API key");
    }

    private static Event verified(FakeStripe.Event event) throws SignatureVerificationException {
        FakeStripe.Signed signed = stripe.sign(event, FakeStripe.Signing.valid());
        return Webhook.constructEvent(signed.payloadText(), signed.header(), stripe.webhookSecret());
    }

    private static Exception catchStripe(ThrowingCall call) {
        try {
            call.run();
        } catch (Exception e) {
            return e;
        }
        throw new AssertionError("expected Stripe to refuse the request");
    }

    private interface ThrowingCall {
        void run() throws Exception;
    }
}
