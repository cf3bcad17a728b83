package io.aigne.hub.web.credits;

import io.aigne.hub.billing.payment.Checkout;
import io.aigne.hub.billing.payment.CreditPrice;
import io.aigne.hub.billing.payment.CreditPurchases;
import io.aigne.hub.billing.payment.Purchase;
import io.aigne.hub.media.PublicOrigin;
import io.aigne.hub.server.ApiException;
import io.aigne.hub.web.session.Forms;
import io.aigne.hub.web.session.Html;
import io.aigne.hub.web.session.SessionCookie;
import io.aigne.hub.web.session.SignInPage;
import io.aigne.hub.web.session.WebSession;
import io.aigne.hub.web.session.WebSessions;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.Map;
import java.util.Optional;

/**
 * {@code /credits/purchase}: the hub's payment link. A signed-in user (browser sign-in, see {@link SignInPage})
 * picks a number of credits and is sent on to the provider's checkout page; the provider sends them back here
 * ({@code ?status=success&session_id=…} or {@code ?status=cancelled}) to see how the purchase stands.
 *
 * <p>The form post carries the sign-in session's CSRF token. Its answer moves the browser on with a
 * {@code Refresh} (and a link), not a redirect: the page's {@code form-action 'self'} policy would stop a browser
 * from following a form post's redirect to another site.
 */
public final class PurchasePage {
    public static final String PATH = CreditPurchases.PAGE_PATH;

    private final CreditPurchases purchases;
    private final WebSessions sessions;
    private final PublicOrigin origin;

    public PurchasePage(CreditPurchases purchases, WebSessions sessions, PublicOrigin origin) {
        this.purchases = purchases;
        this.sessions = sessions;
        this.origin = origin;
    }

    public void register(HttpRouting.Builder routing) {
        routing.get(PATH, this::show).post(PATH, this::buy);
    }

    private void show(ServerRequest req, ServerResponse res) {
        if (!purchases.enabled()) {
            notConfigured(res);
            return;
        }
        Optional<WebSession> signedIn = sessions.find(SessionCookie.read(req));
        if (signedIn.isEmpty()) {
            String query = req.query().rawValue();
            Html.redirect(res, SignInPage.pathReturningTo(PATH + (query.isEmpty() ? "" : "?" + query)));
            return;
        }
        WebSession web = signedIn.get();
        String status = req.query().first("status").orElse("");
        String notice = switch (status) {
            case "success" -> outcome(web, req.query().first("session_id").orElse(""));
            case "cancelled" -> "<p>The checkout was cancelled; nothing was charged.</p>";
            default -> "";
        };
        form(res, 200, web, notice, suggested(req.query().first("credits").orElse(null)), null);
    }

    private void buy(ServerRequest req, ServerResponse res) {
        Forms.requireSameOrigin(req);
        Map<String, String> fields = Forms.read(req);
        if (!purchases.enabled()) {
            notConfigured(res);
            return;
        }
        Optional<WebSession> signedIn = sessions.find(SessionCookie.read(req));
        if (signedIn.isEmpty()) {
            Html.send(res, 401, "Signed out", "<p>Your sign-in has ended. <a href=\""
                    + Html.escape(SignInPage.pathReturningTo(PATH)) + "\">Sign in</a> and choose the credits again.</p>");
            return;
        }
        WebSession web = signedIn.get();
        if (!WebSessions.csrfMatches(web, fields.get("csrf"))) {
            Html.send(res, 403, "Not accepted", "<p>This form did not come from the hub's own page. "
                    + "<a href=\"" + PATH + "\">Open the purchase page</a> and try again.</p>");
            return;
        }
        String typed = fields.getOrDefault("credits", "").strip();
        long credits;
        try {
            credits = Long.parseLong(typed);
        } catch (NumberFormatException e) {
            form(res, 400, web, "", typed, "Enter the number of credits as a whole number, such as 100.");
            return;
        }
        Checkout checkout;
        try {
            checkout = purchases.startCheckout(web.userId(), credits, origin.of(req));
        } catch (ApiException e) {
            form(res, e.status(), web, "", typed, e.getMessage());
            return;
        }
        res.header(HeaderNames.create("Refresh"), "0; url=" + checkout.url());
        Html.send(res, 200, "Continue to payment", "<p>Taking you to the payment page for " + credits
                + " credits (" + Html.escape(price().format(price().amountMinor(credits))) + ").</p>"
                + "<p><a href=\"" + Html.escape(checkout.url()) + "\">Continue to payment</a></p>");
    }

    private String outcome(WebSession web, String sessionId) {
        Optional<Purchase> purchase = sessionId.isEmpty() || sessionId.length() > 255 ? Optional.empty()
                : purchases.purchaseOf(web.userId(), sessionId);
        if (purchase.isEmpty()) {
            return "<p class=\"error\">This purchase is not one of yours, or the link is incomplete.</p>";
        }
        Purchase p = purchase.get();
        return switch (p.status()) {
            case GRANTED -> "<p><b>Thank you.</b> " + p.credits() + " credits have been added to your balance.</p>";
            case AWAITING_PAYMENT -> "<p>Your payment method confirms payments later. The " + p.credits()
                    + " credits are added as soon as the payment clears.</p>";
            case PAYMENT_FAILED -> "<p class=\"error\">The payment failed; no credits were added.</p>";
            case EXPIRED -> "<p class=\"error\">This checkout expired unpaid.</p>";
            default -> "<p>Payment received. The " + p.credits() + " credits are added as soon as the payment "
                    + "provider confirms it, usually within seconds; reload this page to check.</p>";
        };
    }

    private void form(ServerResponse res, int status, WebSession web, String notice, String credits, String error) {
        CreditPrice price = price();
        Html.send(res, status, "Buy credits", notice
                + (error == null ? "" : "<p class=\"error\">" + Html.escape(error) + "</p>")
                + "<p>One credit costs " + Html.escape(price.formatPerCredit()) + ". You can buy " + price.minCredits()
                + " to " + price.maxCredits() + " credits at a time; you pay on the payment provider's page.</p>"
                + "<form method=\"post\" action=\"" + PATH + "\">" + Html.hidden("csrf", web.csrfToken())
                + "<label for=\"credits\">Credits</label>"
                + "<input type=\"text\" inputmode=\"numeric\" id=\"credits\" name=\"credits\" required value=\""
                + Html.escape(credits) + "\">"
                + "<button type=\"submit\">Continue to payment</button></form>"
                + "<p class=\"muted\">Signed in as " + Html.escape(web.userName()) + ".</p>");
    }

    /** The amount to show in the field: what the link suggested when it is a purchasable number, else the minimum. */
    private String suggested(String fromLink) {
        CreditPrice price = price();
        try {
            long n = Long.parseLong(fromLink == null ? "" : fromLink.strip());
            if (n >= price.minCredits() && n <= price.maxCredits()) {
                return Long.toString(n);
            }
        } catch (NumberFormatException ignored) {
            // no usable suggestion
        }
        return Long.toString(price.minCredits());
    }

    private CreditPrice price() {
        return purchases.settings().price();
    }

    private static void notConfigured(ServerResponse res) {
        Html.send(res, 404, "Buying credits", "<p>Buying credits is not configured on this hub. Ask its "
                + "administrator for credits.</p>");
    }
}
