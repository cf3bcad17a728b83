package io.aigne.hub.web.session.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.auth.Role;
import io.aigne.hub.auth.User;
import io.aigne.hub.server.Json;
import io.aigne.hub.testing.FakeOidcProvider;
import io.aigne.hub.testing.TestHub;
import io.aigne.hub.web.connect.Browser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Sign-in through an OpenID Connect provider, over HTTP: hub → fake provider → hub, as a browser follows it. */
class OidcSignInTest {
    private static final long NANOS_PER_CREDIT = 1_000_000_000L;
    private static FakeOidcProvider provider;
    private static TestHub hub;

    @BeforeAll
    static void start() {
        provider = new FakeOidcProvider("client_secret_basic");
        hub = provider.hubBuilder()
                .setting("AIGNE_HUB_BILLING_ENABLED", "true")
                .setting("AIGNE_HUB_BILLING_NEW_USER_GRANT", "5")
                .start();
    }

    @AfterAll
    static void stop() {
        hub.close();
        provider.close();
    }

    @Test
    void signInPageOffersTheProviderAndKeepsNext() {
        HttpResponse<String> page = new Browser(hub.baseUrl()).get("/auth/signin?next=%2Fconsole%2Fusage");

        assertThat(page.body()).contains("Sign in with Example ID")
                .contains("href=\"/auth/oidc/start?next=%2Fconsole%2Fusage\"");
    }

    @Test
    void firstSignInCreatesAMemberWithTheNewUserGrantOnceAndTheSessionWorks() {
        provider.signInAs("sub-grace", Map.of("preferred_username", "grace", "name", "Grace Hopper",
                "email", "grace@example.com"));
        Browser browser = new Browser(hub.baseUrl());

        HttpResponse<String> landed = signInThroughProvider(browser, "/console/usage");

        assertThat(landed.statusCode()).isEqualTo(303);
        assertThat(landed.headers().firstValue("Location")).hasValue("/console/usage");
        JsonNode me = TestHub.json(browser.get("/api/user/me"));
        assertThat(me.path("name").asText()).isEqualTo("grace");
        assertThat(me.path("role").asText()).isEqualTo("member");
        User grace = hub.hub().users().byName("grace").orElseThrow();
        assertThat(grace.email()).isEqualTo("grace@example.com");
        assertThat(grace.displayName()).isEqualTo("Grace Hopper");

        // a second sign-in of the same account: the same user, no second grant
        Browser again = new Browser(hub.baseUrl());
        signInThroughProvider(again, null);
        assertThat(TestHub.json(again.get("/api/user/me")).path("id").asText()).isEqualTo(grace.id());
        assertThat(hub.hub().users().list().stream().filter(u -> u.name().startsWith("grace"))).hasSize(1);
        assertThat(grants(grace.id())).isEqualTo(1);
        assertThat(hub.hub().billing().ledger().ledgerSum(grace.id()).nanos()).isEqualTo(5 * NANOS_PER_CREDIT);
        assertThat(auditedCreations(grace.id())).isEqualTo(1);
    }

    @Test
    void aNameTakenByAnotherUserGetsASuffixAndADisabledUserIsRefused() {
        hub.hub().users().create("linus", null, null, Role.MEMBER);
        provider.signInAs("sub-linus", Map.of("preferred_username", "linus"));

        Browser browser = new Browser(hub.baseUrl());
        signInThroughProvider(browser, null);
        assertThat(TestHub.json(browser.get("/api/user/me")).path("name").asText()).isEqualTo("linus-2");

        User linked = hub.hub().users().byName("linus-2").orElseThrow();
        hub.hub().users().update(linked.id(), null, true, null, null);
        HttpResponse<String> refused = signInThroughProvider(new Browser(hub.baseUrl()), null);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("this account is disabled");
    }

    @Test
    void withoutAPreferredNameTheEmailNamesTheUser() {
        provider.signInAs("sub-no-name", Map.of("email", "ann.lee@example.org"));
        Browser browser = new Browser(hub.baseUrl());

        signInThroughProvider(browser, null);

        assertThat(TestHub.json(browser.get("/api/user/me")).path("name").asText()).isEqualTo("ann.lee@example.org");
    }

    @Test
    void aCallbackWithAnotherStateIsRefused() {
        provider.signInAs("sub-state", Map.of("preferred_username", "mallory"));
        Browser browser = new Browser(hub.baseUrl());
        String callback = toCallback(browser, "/playground");

        HttpResponse<String> refused = browser.get(callback.replaceFirst("state=[^&]+", "state=forged"));

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("state mismatch").contains("value=\"/playground\"");
        assertThat(browser.get("/api/user/me").statusCode()).isEqualTo(401);
        assertThat(hub.hub().users().byName("mallory")).isEmpty();
    }

    @Test
    void aCodeWithoutTheRightPkceVerifierIsRefusedByTheProvider() {
        provider.signInAs("sub-pkce", Map.of("preferred_username", "eve"));
        Browser victim = new Browser(hub.baseUrl());
        HttpResponse<String> started = victim.get("/auth/oidc/start");
        String callback = victim.get(started.headers().firstValue("Location").orElseThrow())
                .headers().firstValue("Location").orElseThrow();
        // an attacker with the code and the state, but not the victim's verifier
        ObjectNode pending = pendingCookie(started);
        pending.put("v", "an-attackers-own-verifier-that-is-long-enough-for-pkce-0123456789");

        HttpResponse<String> refused = withCookie(callback, pending);

        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).contains("refused to finish the sign-in: invalid_grant")
                .contains("PKCE verification failed");
        assertThat(provider.tokenErrors()).anyMatch(e -> e.contains("PKCE"));
        assertThat(hub.hub().users().byName("eve")).isEmpty();
    }

    @Test
    void anExpiredSignInIsRefusedWithAClearMessage() {
        Browser browser = new Browser(hub.baseUrl());
        HttpResponse<String> started = browser.get("/auth/oidc/start");
        String callback = browser.get(started.headers().firstValue("Location").orElseThrow())
                .headers().firstValue("Location").orElseThrow();
        ObjectNode pending = pendingCookie(started);
        pending.put("e", System.currentTimeMillis() - 1);

        HttpResponse<String> refused = withCookie(callback, pending);

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("took too long");
    }

    @Test
    void anIdTokenForAnotherAudienceOrWithAnotherNonceIsRefused() {
        provider.signInAs("sub-token", Map.of("preferred_username", "trudy"));
        provider.nextAudience("some-other-client");
        HttpResponse<String> wrongAudience = signInThroughProvider(new Browser(hub.baseUrl()), null);
        assertThat(wrongAudience.statusCode()).isEqualTo(401);
        assertThat(wrongAudience.body()).contains("ID token was not accepted").contains("audience");

        provider.nextNonce("a-replayed-nonce");
        HttpResponse<String> wrongNonce = signInThroughProvider(new Browser(hub.baseUrl()), null);
        assertThat(wrongNonce.statusCode()).isEqualTo(401);
        assertThat(wrongNonce.body()).contains("ID token was not accepted").contains("nonce");
        assertThat(hub.hub().users().byName("trudy")).isEmpty();
    }

    @Test
    void aRefusalAtTheProviderLandsOnTheSignInPage() {
        provider.refuseNext("access_denied");

        HttpResponse<String> refused = signInThroughProvider(new Browser(hub.baseUrl()), "/playground");

        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).contains("did not sign you in: access_denied (the user declined)")
                .contains("value=\"/playground\"");
    }

    @Test
    void nextMayOnlyBeAPathOnTheHub() {
        Browser browser = new Browser(hub.baseUrl());
        provider.signInAs("sub-next", Map.of("preferred_username", "nina"));

        HttpResponse<String> landed = signInThroughProvider(browser, "https://evil.example/");

        assertThat(landed.headers().firstValue("Location")).hasValue("/");
    }

    /** start → provider → callback; the answer of the hub's callback. */
    private static HttpResponse<String> signInThroughProvider(Browser browser, String next) {
        return browser.get(toCallback(browser, next));
    }

    private static String toCallback(Browser browser, String next) {
        HttpResponse<String> started = browser.get("/auth/oidc/start" + (next == null ? ""
                : "?next=" + java.net.URLEncoder.encode(next, StandardCharsets.UTF_8)));
        assertThat(started.statusCode()).as(started.body()).isEqualTo(302);
        String authorize = started.headers().firstValue("Location").orElseThrow();
        assertThat(authorize).startsWith(provider.issuer() + "/authorize?")
                .contains("code_challenge_method=S256").contains("nonce=").contains("state=");
        HttpResponse<String> atProvider = browser.get(authorize);
        assertThat(atProvider.statusCode()).as(atProvider.body()).isEqualTo(302);
        String callback = atProvider.headers().firstValue("Location").orElseThrow();
        assertThat(callback).startsWith(hub.baseUrl() + "/auth/oidc/callback?");
        return callback;
    }

    private static ObjectNode pendingCookie(HttpResponse<String> started) {
        String header = started.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith(PendingSignIn.COOKIE + "=")).findFirst().orElseThrow();
        assertThat(header).contains("HttpOnly").contains("SameSite=Lax").contains("Path=/auth/oidc");
        String value = header.substring(PendingSignIn.COOKIE.length() + 1, header.indexOf(';'));
        try {
            return (ObjectNode) Json.MAPPER.readTree(Base64.getUrlDecoder().decode(value));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static HttpResponse<String> withCookie(String callback, ObjectNode pending) {
        String value = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(pending.toString().getBytes(StandardCharsets.UTF_8));
        return new Browser(hub.baseUrl()).send(HttpRequest.newBuilder(java.net.URI.create(callback))
                .header("Cookie", PendingSignIn.COOKIE + "=" + value).GET());
    }

    private static long grants(String userId) {
        return hub.hub().database().jdbi().withHandle(h -> h.createQuery(
                        "SELECT COUNT(*) FROM credit_entries WHERE user_id = :u AND external_id = :x")
                .bind("u", userId).bind("x", "new-user:" + userId).mapTo(Long.class).one());
    }

    private static long auditedCreations(String userId) {
        return hub.hub().database().jdbi().withHandle(h -> h.createQuery(
                        "SELECT COUNT(*) FROM audit_log WHERE action = 'user.create' AND target_id = :u")
                .bind("u", userId).mapTo(Long.class).one());
    }
}
