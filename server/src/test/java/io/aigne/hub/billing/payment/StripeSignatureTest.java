package io.aigne.hub.billing.payment;

import com.stripe.exception.SignatureVerificationException;
import com.stripe.net.Webhook;
import io.aigne.hub.server.Json;
import io.aigne.hub.testing.FakeStripe;
import io.aigne.hub.testing.FakeStripe.Signed;
import io.aigne.hub.testing.FakeStripe.Signing;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The hub's {@code Stripe-Signature} check accepts exactly what Stripe's own SDK accepts (same deliveries, same
 * secret, same 300 s tolerance), and additionally refuses timestamps too far in the future.
 */
class StripeSignatureTest {
    private static final Duration TOLERANCE = Duration.ofSeconds(300);
    private static FakeStripe stripe;
    private static FakeStripe.Event event;

    @BeforeAll
    static void start() {
        stripe = FakeStripe.start();
        event = stripe.otherEvent("customer.created", Json.object().put("id", "cus_123").put("object", "customer"));
    }

    @AfterAll
    static void stop() {
        stripe.close();
    }

    @Test
    void acceptsAndRefusesExactlyWhatStripesSdkDoes() {
        Signed valid = stripe.sign(event, Signing.valid());
        String v1 = valid.header().replaceAll(".*(v1=[0-9a-f]+).*", "$1");
        String t = valid.header().replaceAll("^(t=\\d+).*", "$1");
        Map<String, Signed> cases = new LinkedHashMap<>();
        cases.put("valid", valid);
        cases.put("rolling secret: a second v1 from another secret", stripe.sign(event, Signing.rolling("whsec_old")));
        cases.put("signed 240 s ago", stripe.sign(event, Signing.stale(Duration.ofSeconds(240))));
        cases.put("signed 301 s ago", stripe.sign(event, Signing.stale(Duration.ofSeconds(301))));
        cases.put("wrong secret", stripe.sign(event, Signing.withSecret("whsec_not_this_endpoint")));
        cases.put("body changed after signing", stripe.sign(event, Signing.tampered()));
        cases.put("only the v0 test signature", new Signed(valid.payload(), valid.header().replaceAll("v1=[0-9a-f]+,", "")));
        cases.put("no timestamp", new Signed(valid.payload(), v1));
        cases.put("v1 signature under another scheme name", new Signed(valid.payload(), t + "," + v1.replace("v1=", "v2=")));
        cases.put("upper-case hex", new Signed(valid.payload(), t + "," + v1.toUpperCase().replace("V1=", "v1=")));
        cases.put("signature repeated with a bad one first", new Signed(valid.payload(), t + ",v1=" + "0".repeat(64) + "," + v1));

        Map<String, Boolean> ours = new LinkedHashMap<>();
        Map<String, Boolean> sdk = new LinkedHashMap<>();
        cases.forEach((name, signed) -> {
            ours.put(name, accepts(signed));
            sdk.put(name, sdkAccepts(signed));
        });

        assertThat(ours).isEqualTo(sdk);
        assertThat(ours).containsEntry("valid", true).containsEntry("rolling secret: a second v1 from another secret", true)
                .containsEntry("signed 240 s ago", true).containsEntry("signature repeated with a bad one first", true)
                .containsEntry("signed 301 s ago", false).containsEntry("wrong secret", false)
                .containsEntry("body changed after signing", false).containsEntry("only the v0 test signature", false)
                .containsEntry("no timestamp", false);
    }

    @Test
    void refusalsSayWhyWithoutEchoingTheSecret() {
        Signed valid = stripe.sign(event, Signing.valid());
        assertThatThrownBy(() -> verify(new Signed(valid.payload(), null)))
                .isInstanceOf(WebhookRejected.class).hasMessageContaining("no Stripe-Signature header");
        assertThatThrownBy(() -> verify(stripe.sign(event, Signing.withSecret("whsec_other"))))
                .hasMessageContaining("does not match").hasMessageContaining("payments.stripe.webhookSecret")
                .hasMessageNotContaining(stripe.webhookSecret());
        assertThatThrownBy(() -> verify(stripe.sign(event, Signing.stale(Duration.ofSeconds(900)))))
                .hasMessageContaining("900 s away").hasMessageContaining("300 s tolerance");
        assertThatThrownBy(() -> verify(new Signed(valid.payload(), "t=yesterday," + valid.header().substring(
                valid.header().indexOf(',') + 1)))).hasMessageContaining("timestamp is not a number");
    }

    @Test
    void aTimestampFarInTheFutureIsRefusedToo() {
        Signed valid = stripe.sign(event, Signing.valid());
        Instant fiveMinutesAgo = Instant.now().minusSeconds(301);
        // the same delivery, seen by a hub whose clock is 301 s behind: Stripe's SDK only bounds the past
        assertThatThrownBy(() -> StripeSignature.verify(valid.payload(), valid.header(), stripe.webhookSecret(),
                TOLERANCE, fiveMinutesAgo)).isInstanceOf(WebhookRejected.class).hasMessageContaining("tolerance");
    }

    private static boolean accepts(Signed signed) {
        try {
            verify(signed);
            return true;
        } catch (WebhookRejected e) {
            return false;
        }
    }

    private static void verify(Signed signed) {
        StripeSignature.verify(signed.payload(), signed.header(), stripe.webhookSecret(), TOLERANCE, Instant.now());
    }

    private static boolean sdkAccepts(Signed signed) {
        try {
            return Webhook.Signature.verifyHeader(new String(signed.payload(), StandardCharsets.UTF_8), signed.header(),
                    stripe.webhookSecret(), TOLERANCE.toSeconds());
        } catch (SignatureVerificationException e) {
            return false;
        }
    }
}
