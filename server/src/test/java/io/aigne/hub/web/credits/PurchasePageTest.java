package io.aigne.hub.web.credits;

import io.aigne.hub.auth.Passwords;
import io.aigne.hub.auth.Role;
import io.aigne.hub.auth.User;
import io.aigne.hub.testing.FakeStripe;
import io.aigne.hub.testing.TestHub;
import io.aigne.hub.web.api.CreditPurchaseApi;
import io.aigne.hub.web.connect.Browser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The payment link as a browser user follows it: sign in, choose credits, go to Stripe, come back. */
class PurchasePageTest {
    private static final String PASSWORD = "a long enough password";
    private static FakeStripe stripe;
    private static TestHub hub;
    private static User kim;

    @BeforeAll
    static void start() {
        stripe = FakeStripe.start();
        hub = stripe.configure(TestHub.builder()).setting("AIGNE_HUB_PAYMENTS_PRICE_PER_CREDIT", "0.05")
                .setting("AIGNE_HUB_PAYMENTS_MAX_CREDITS", "2000").start();
        stripe.webhookUrl(hub.baseUrl() + CreditPurchaseApi.STRIPE_WEBHOOK_PATH);
        kim = hub.hub().users().create("kim", null, null, Role.MEMBER);
        hub.hub().users().setPasswordHash(kim.id(), Passwords.hash(PASSWORD));
    }

    @AfterAll
    static void stop() {
        if (hub != null) {
            hub.close();
        }
        stripe.close();
    }

    private static Browser signedIn(String name) {
        Browser browser = new Browser(hub.baseUrl());
        HttpResponse<String> toSignIn = browser.get(PurchasePage.PATH);
        assertThat(toSignIn.statusCode()).isEqualTo(303);
        assertThat(toSignIn.headers().firstValue("Location")).hasValue("/auth/signin?next=%2Fcredits%2Fpurchase");
        HttpResponse<String> back = browser.signIn(name, PASSWORD, PurchasePage.PATH);
        assertThat(back.headers().firstValue("Location")).hasValue(PurchasePage.PATH);
        return browser;
    }

    @Test
    void aSignedInUserBuysCreditsThroughStripeAndSeesThemBooked() {
        Browser browser = signedIn("kim");
        HttpResponse<String> page = browser.get(PurchasePage.PATH + "?credits=80");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("One credit costs 0.05 USD").contains("1 to 2000 credits")
                .contains("value=\"80\"").contains("Signed in as kim");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
                csp -> assertThat(csp).contains("form-action 'self'"));

        Map<String, String> form = new HashMap<>(Browser.hiddenFields(page.body()));
        form.put("credits", "80");
        HttpResponse<String> toStripe = browser.post(PurchasePage.PATH, form);

        assertThat(toStripe.statusCode()).as(toStripe.body()).isEqualTo(200);
        String session = stripe.lastSessionId();
        String stripeUrl = stripe.session(session).path("url").asText();
        assertThat(toStripe.headers().firstValue("Refresh")).hasValue("0; url=" + stripeUrl);
        assertThat(toStripe.body()).contains("href=\"" + stripeUrl + "\"").contains("80 credits (4.00 USD)");
        assertThat(stripe.lastRequest().form()).containsEntry("metadata[aigne_hub_user_id]", kim.id())
                .containsEntry("metadata[aigne_hub_credits]", "80");

        String successPath = PurchasePage.PATH + "?status=success&session_id=" + session;
        assertThat(browser.get(successPath).body()).contains("Payment received. The 80 credits are added as soon");
        assertThat(stripe.deliver(stripe.pay(session)).status()).isEqualTo(200);
        assertThat(browser.get(successPath).body()).contains("80 credits have been added to your balance");
        assertThat(purchased(kim.id())).isEqualByComparingTo("80");
        assertThat(browser.get(PurchasePage.PATH + "?status=cancelled").body()).contains("nothing was charged");
    }

    @Test
    void aPostWithoutTheSessionsCsrfTokenIsRefusedAndOpensNoCheckout() {
        Browser browser = signedIn("kim");
        browser.get(PurchasePage.PATH);
        int sessions = stripe.sessionCount();

        HttpResponse<String> noToken = browser.post(PurchasePage.PATH, Map.of("credits", "100"));
        HttpResponse<String> wrongToken = browser.post(PurchasePage.PATH, Map.of("credits", "100", "csrf", "guess"));
        HttpResponse<String> signedOut = new Browser(hub.baseUrl()).post(PurchasePage.PATH, Map.of("credits", "100"));

        assertThat(noToken.statusCode()).isEqualTo(403);
        assertThat(wrongToken.statusCode()).isEqualTo(403);
        assertThat(wrongToken.body()).contains("did not come from the hub's own page");
        assertThat(signedOut.statusCode()).isEqualTo(401);
        assertThat(stripe.sessionCount()).isEqualTo(sessions);
    }

    @Test
    void anAmountThatCannotBeBoughtIsExplainedOnThePage() {
        Browser browser = signedIn("kim");
        Map<String, String> form = new HashMap<>(Browser.hiddenFields(browser.get(PurchasePage.PATH).body()));
        int sessions = stripe.sessionCount();

        form.put("credits", "lots");
        HttpResponse<String> notANumber = browser.post(PurchasePage.PATH, form);
        form.put("credits", "2001");
        HttpResponse<String> tooMany = browser.post(PurchasePage.PATH, form);

        assertThat(notANumber.statusCode()).isEqualTo(400);
        assertThat(notANumber.body()).contains("whole number").contains("value=\"lots\"");
        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertThat(tooMany.body()).contains("from 1 to 2000");
        assertThat(stripe.sessionCount()).isEqualTo(sessions);
    }

    @Test
    void anotherUsersPurchaseIsNotShown() {
        User lee = hub.hub().users().create("lee", null, null, Role.MEMBER);
        hub.hub().users().setPasswordHash(lee.id(), Passwords.hash(PASSWORD));
        String kimsSession = hub.hub().purchases().startCheckout(kim.id(), 10, hub.baseUrl()).id();

        HttpResponse<String> page = signedIn("lee").get(PurchasePage.PATH + "?status=success&session_id=" + kimsSession);

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("not one of yours").doesNotContain("10 credits");
    }

    /** What the user bought, as the hub's credit ledger has it. */
    private static java.math.BigDecimal purchased(String userId) {
        return hub.hub().billing().ledger().granted(userId).toBigDecimal();
    }
}
