package io.aigne.hub.web.connect;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigne.hub.audit.Actor;
import io.aigne.hub.audit.AuditQuery;
import io.aigne.hub.auth.AccessKey;
import io.aigne.hub.auth.Passwords;
import io.aigne.hub.auth.Role;
import io.aigne.hub.auth.User;
import io.aigne.hub.testing.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The connect flow over HTTP as the CLI (session API) and a user's browser (sign-in, approval page) drive it,
 * without the CLI itself (see {@code AigneCliConnectTest} for that).
 */
class ConnectFlowTest {
    private static final String SESSION = "/.well-known/service/api/access-key/session";
    private static final String PASSWORD = "a long enough password";

    private static TestHub hub;
    private static User mia;

    @BeforeAll
    static void start() {
        hub = TestHub.builder().start();
        mia = hub.hub().users().create("mia", "Mia", null, Role.MEMBER);
        hub.hub().users().setPasswordHash(mia.id(), Passwords.hash(PASSWORD));
    }

    @AfterAll
    static void stop() {
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void approvedSessionHandsTheCliAWorkingKeyOfTheSignedInUser() throws Exception {
        String sid = createSession();
        assertThat(poll(sid).statusCode()).isEqualTo(200);
        assertThat(TestHub.json(poll(sid)).isEmpty()).as("pending answers {}").isTrue();

        Browser browser = new Browser(hub.baseUrl());
        String approvalUrl = approvalUrl(sid);
        HttpResponse<String> toSignIn = browser.get(approvalUrl);
        assertThat(toSignIn.statusCode()).isEqualTo(303);
        String location = toSignIn.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith("/auth/signin?next=");

        assertThat(browser.get(location).body()).contains("name=\"password\"");
        HttpResponse<String> signedIn = browser.signIn("mia", PASSWORD, Browser.hiddenFields(browser.get(location).body()).get("next"));
        assertThat(signedIn.statusCode()).isEqualTo(303);
        assertThat(signedIn.headers().firstValue("Location").orElseThrow()).isEqualTo(approvalUrl.substring(hub.baseUrl().length()));
        String cookie = signedIn.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith("aigne_hub_session=").contains("HttpOnly").contains("SameSite=Lax").contains("Path=/");

        HttpResponse<String> page = browser.get(approvalUrl);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("AIGNE CLI").contains("<b>mia</b>").contains("value=\"approve\"");
        assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        Map<String, String> form = new HashMap<>(Browser.hiddenFields(page.body()));
        form.put("decision", "approve");
        HttpResponse<String> approved = browser.post(ApprovalPage.PATH, form);
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
        assertThat(approved.body()).contains("close this window");

        JsonNode session = TestHub.json(poll(sid));
        String keyId = session.path("accessKeyId").asText();
        String secret = SecretSealerTest.openSslDecrypt(session.path("accessKeySecret").asText(),
                SecretSealer.passphrase(keyId, session.path("challenge").asText()));
        assertThat(secret).startsWith("blocklet-");
        HttpResponse<String> info = hub.get("/api/user/info", secret);
        assertThat(info.statusCode()).isEqualTo(200);
        assertThat(TestHub.json(info).path("user").path("did").asText()).isEqualTo(mia.id());
        List<AccessKey> keys = hub.hub().keys().listForUser(mia.id());
        assertThat(keys).extracting(AccessKey::id).contains(keyId);
        assertThat(keys.stream().filter(k -> k.id().equals(keyId)).findFirst().orElseThrow().name())
                .isEqualTo("AIGNE CLI (@aigne/cli connect to AIGNE hub)");
        var recorded = hub.hub().audit().find(new AuditQuery(null, "key.create", "access_key", keyId, null, null, 1, 10))
                .entries();
        assertThat(recorded).singleElement().satisfies(e -> {
            assertThat(e.event().actor()).isEqualTo(Actor.user(mia.id(), "mia", "127.0.0.1"));
            assertThat(e.toString()).doesNotContain(secret);
        });

        HttpResponse<String> again = browser.post(ApprovalPage.PATH, form);
        assertThat(again.statusCode()).as("a session is approved only once").isEqualTo(404);
        assertThat(hub.hub().keys().listForUser(mia.id())).hasSize(keys.size());

        assertThat(hub.delete(SESSION + "?sid=" + sid, null).statusCode()).isEqualTo(200);
        HttpResponse<String> gone = poll(sid);
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(TestHub.json(gone).path("error").path("message").asText()).contains("run 'aigne hub connect' again");
    }

    @Test
    void aWrongPasswordDoesNotSignIn() {
        Browser browser = new Browser(hub.baseUrl());

        HttpResponse<String> refused = browser.signIn("mia", "not the password", null);
        HttpResponse<String> unknown = browser.signIn("nobody", PASSWORD, null);

        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).contains("Wrong user name or password");
        assertThat(refused.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(unknown.statusCode()).isEqualTo(401);
    }

    @Test
    void approvalWithoutTheFormTokenIsRefusedAndCreatesNoKey() {
        String sid = createSession();
        Browser browser = new Browser(hub.baseUrl());
        browser.signIn("mia", PASSWORD, null);
        int before = hub.hub().keys().listForUser(mia.id()).size();

        HttpResponse<String> forged = browser.post(ApprovalPage.PATH, Map.of("__token__", token(sid),
                "decision", "approve", "csrf", "guessed"));

        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(TestHub.json(poll(sid)).isEmpty()).isTrue();
        assertThat(hub.hub().keys().listForUser(mia.id())).hasSize(before);
    }

    @Test
    void aFormPostedFromAnotherSiteIsRefused() {
        String sid = createSession();
        Browser browser = new Browser("http://evil.example");
        HttpResponse<String> crossSite = browser.post(hub.baseUrl() + ApprovalPage.PATH,
                Map.of("__token__", token(sid), "decision", "approve"));

        assertThat(crossSite.statusCode()).isEqualTo(403);
    }

    @Test
    void aDeclinedSessionStopsTheCliWithAMessage() {
        String sid = createSession();
        Browser browser = new Browser(hub.baseUrl());
        browser.signIn("mia", PASSWORD, null);
        Map<String, String> form = new HashMap<>(Browser.hiddenFields(browser.get(approvalUrl(sid)).body()));
        form.put("decision", "decline");

        assertThat(browser.post(ApprovalPage.PATH, form).statusCode()).isEqualTo(200);

        HttpResponse<String> poll = poll(sid);
        assertThat(poll.statusCode()).isEqualTo(403);
        assertThat(TestHub.json(poll).path("error").path("message").asText()).contains("declined");
    }

    @Test
    void unknownSessionsAnswer404AndAMissingSidIs400() {
        assertThat(poll("no-such-session").statusCode()).isEqualTo(404);
        assertThat(hub.get(SESSION, null).statusCode()).isEqualTo(400);
        Browser browser = new Browser(hub.baseUrl());
        browser.signIn("mia", PASSWORD, null);
        HttpResponse<String> page = browser.get(approvalUrl("no-such-session"));
        assertThat(page.statusCode()).isEqualTo(404);
        assertThat(page.body()).contains("Run <code>aigne hub connect</code> again");
    }

    @Test
    void signInOnlyReturnsToPathsOnTheHub() {
        Browser browser = new Browser(hub.baseUrl());

        HttpResponse<String> response = browser.signIn("mia", PASSWORD, "//evil.example/x");

        assertThat(response.statusCode()).isEqualTo(303);
        assertThat(response.headers().firstValue("Location")).hasValue("/");
    }

    private static String createSession() {
        HttpResponse<String> created = hub.post(SESSION, null, "");
        assertThat(created.statusCode()).isEqualTo(200);
        String sid = TestHub.json(created).path("id").asText();
        assertThat(sid).isNotEmpty();
        return sid;
    }

    private static HttpResponse<String> poll(String sid) {
        return hub.get(SESSION + "?sid=" + URLEncoder.encode(sid, StandardCharsets.UTF_8), null);
    }

    private static String token(String sid) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sid.getBytes(StandardCharsets.UTF_8));
    }

    /** The URL the CLI opens (same parameters and encoding as @aigne/cli's createConnect). */
    private static String approvalUrl(String sid) {
        return hub.baseUrl() + ApprovalPage.PATH + "?__token__=" + token(sid)
                + "&source=%40aigne%2Fcli+connect+to+AIGNE+hub&closeOnSuccess=true&cli=true"
                + "&appName=+AIGNE+CLI&appLogo=https%3A%2F%2Fwww.aigne.io%2Ffavicon.ico%3FimageFilter%3Dresize%26w%3D32";
    }
}
