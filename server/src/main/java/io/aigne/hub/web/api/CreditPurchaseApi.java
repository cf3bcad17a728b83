package io.aigne.hub.web.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.auth.Principal;
import io.aigne.hub.billing.Billing;
import io.aigne.hub.billing.payment.Checkout;
import io.aigne.hub.billing.payment.CreditPurchases;
import io.aigne.hub.billing.payment.WebhookDelivery;
import io.aigne.hub.billing.payment.WebhookRejected;
import io.aigne.hub.billing.payment.WebhookResult;
import io.aigne.hub.media.PublicOrigin;
import io.aigne.hub.server.ApiException;
import io.aigne.hub.server.Authenticator;
import io.aigne.hub.server.Exchange;
import io.aigne.hub.server.Json;
import io.helidon.http.Header;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;

/**
 * Buying credits over HTTP: {@code POST /api/user/credit/checkout} opens a checkout for the calling user, and
 * {@code POST /api/payment/stripe/webhook} receives Stripe's signed events (no key: the signature is the
 * authentication, checked on the raw bytes before anything is parsed). {@code GET /api/user/credit/purchase} says
 * whether this hub sells credits at all, so a page offers "Buy credits" only when there is somewhere to buy them.
 */
public final class CreditPurchaseApi {
    public static final String CHECKOUT_PATH = "/api/user/credit/checkout";
    public static final String STRIPE_WEBHOOK_PATH = "/api/payment/stripe/webhook";
    public static final String PURCHASE_PATH = "/api/user/credit/purchase";
    /** Stripe's events are a few kilobytes; this bounds what an unauthenticated caller can make the hub read. */
    private static final long MAX_WEBHOOK_BYTES = 1 << 20;
    private static final Logger LOG = LoggerFactory.getLogger(CreditPurchaseApi.class);

    private final Authenticator auth;
    private final CreditPurchases purchases;
    private final Billing billing;
    private final PublicOrigin origin;
    private final long maxBodyBytes;

    public CreditPurchaseApi(Authenticator auth, CreditPurchases purchases, Billing billing, PublicOrigin origin,
                             long maxBodyBytes) {
        this.auth = auth;
        this.purchases = purchases;
        this.billing = billing;
        this.origin = origin;
        this.maxBodyBytes = maxBodyBytes;
    }

    public void register(HttpRules rules) {
        rules.get(PURCHASE_PATH, this::purchase)
                .post(CHECKOUT_PATH, this::checkout)
                .post(STRIPE_WEBHOOK_PATH, this::webhook);
    }

    /**
     * {@code {available, link, checkout}}: a purchase URL set in the billing settings wins; otherwise the hub's own
     * purchase page when payments are configured; otherwise nothing to buy from ({@code available: false}). The
     * payment-link API cannot say this: for the original's clients it always answers a link.
     */
    private void purchase(ServerRequest req, ServerResponse res) {
        auth.require(req);
        String configured = billing.policy().purchaseUrl();
        String link = !configured.isEmpty() ? configured : purchases.paymentLink(origin.of(req)).orElse(null);
        ObjectNode out = Json.object().put("available", link != null).put("checkout", purchases.enabled());
        if (link == null) {
            out.putNull("link");
        } else {
            out.put("link", link);
        }
        Exchange.json(res, 200, out);
    }

    private void checkout(ServerRequest req, ServerResponse res) {
        Principal p = auth.require(req);
        ObjectNode body = Exchange.jsonBody(req, maxBodyBytes);
        Integer credits = Fields.integer(body, "credits");
        if (credits == null) {
            throw ApiException.invalid("credits", "'credits' is required: the whole number of credits to buy");
        }
        Checkout checkout = purchases.startCheckout(p.userId(), credits, origin.of(req));
        long amount = purchases.settings().price().amountMinor(credits);
        Exchange.json(res, 200, Json.object().put("id", checkout.id()).put("url", checkout.url())
                .put("credits", credits).put("amount", amount).put("currency", purchases.settings().price().currency())
                .put("price", purchases.settings().price().format(amount)));
    }

    private void webhook(ServerRequest req, ServerResponse res) {
        byte[] body = Exchange.body(req, MAX_WEBHOOK_BYTES);
        Map<String, String> headers = new HashMap<>();
        for (Header h : req.headers()) {
            headers.put(h.name(), h.get());
        }
        WebhookResult result;
        try {
            result = purchases.handleWebhook(new WebhookDelivery(body, headers));
        } catch (WebhookRejected e) {
            LOG.warn("Stripe webhook delivery from {} rejected: {}", req.remotePeer().host(), e.getMessage());
            throw new ApiException(400, "invalid_request_error", "webhook_rejected", "Stripe-Signature",
                    e.getMessage());
        }
        ObjectNode answer = Json.object().put("received", true).put("event", result.eventId())
                .put("type", result.type()).put("outcome", result.outcome()).put("granted", result.granted());
        if (result.duplicate()) {
            answer.put("duplicate", true);
        }
        Exchange.json(res, 200, answer);
    }
}
