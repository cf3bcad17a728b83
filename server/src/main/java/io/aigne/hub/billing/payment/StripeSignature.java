package io.aigne.hub.billing.payment;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Verification of Stripe's {@code Stripe-Signature} header: {@code t=<unix seconds>} and one or more
 * {@code v1=<hex HMAC-SHA256>} of {@code "<t>.<raw body>"} keyed with the endpoint's signing secret. Several
 * {@code v1} values appear while a secret is being rolled (one per live secret), so any match is enough; other
 * schemes ({@code v0}) are ignored so that a weaker one can never be substituted. The timestamp must be within the
 * tolerance of the hub's clock in either direction, which bounds how long a captured delivery can be replayed.
 */
final class StripeSignature {
    static final String HEADER = "Stripe-Signature";
    private static final String SCHEME = "v1";

    private StripeSignature() {
    }

    static void verify(byte[] payload, String header, String secret, Duration tolerance, Instant now) {
        if (header == null || header.isBlank()) {
            throw new WebhookRejected("no " + HEADER + " header: only deliveries signed by Stripe are accepted");
        }
        Long timestamp = null;
        List<byte[]> signatures = new ArrayList<>();
        for (String item : header.split(",")) {
            int eq = item.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String key = item.substring(0, eq);
            String value = item.substring(eq + 1);
            if (key.equals("t") && timestamp == null) {
                try {
                    timestamp = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw new WebhookRejected("the " + HEADER + " timestamp is not a number");
                }
            } else if (key.equals(SCHEME)) {
                // compared as Stripe writes it (lower-case hex), as Stripe's own libraries do
                signatures.add(value.getBytes(StandardCharsets.US_ASCII));
            }
        }
        if (timestamp == null) {
            throw new WebhookRejected("the " + HEADER + " header has no timestamp (t=)");
        }
        if (signatures.isEmpty()) {
            throw new WebhookRejected("the " + HEADER + " header has no " + SCHEME + " signature");
        }
        byte[] expected = HexFormat.of().formatHex(hmac(secret, timestamp, payload)).getBytes(StandardCharsets.US_ASCII);
        if (signatures.stream().noneMatch(s -> MessageDigest.isEqual(expected, s))) {
            throw new WebhookRejected("the " + HEADER + " signature does not match this delivery; check that "
                    + "payments.stripe.webhookSecret is the signing secret of this webhook endpoint");
        }
        long skew = Math.abs(now.getEpochSecond() - timestamp);
        if (skew > tolerance.toSeconds()) {
            throw new WebhookRejected("the " + HEADER + " timestamp is " + skew + " s away from the hub's clock, "
                    + "more than the " + tolerance.toSeconds() + " s tolerance (a replayed or long-delayed delivery)");
        }
    }

    static byte[] hmac(String secret, long timestamp, byte[] payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
