package io.aigne.hub.web.session;

import io.aigne.hub.auth.Role;
import io.aigne.hub.testing.Chromium;
import io.aigne.hub.testing.TestHub;
import io.aigne.hub.web.connect.Browser;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The password sign-in over HTTP: sessions that outlive a restart, and the brute-force throttle. */
class SignInPageTest {

    @Test
    void aSignedInBrowserStaysSignedInAcrossARestart() throws Exception {
        Path dataDir = Files.createTempDirectory("aigne-hub-sessions");
        String cookie;
        try (TestHub first = TestHub.builder().dataDir(dataDir).start()) {
            Chromium.user(first, "ada", Role.ADMIN);
            HttpResponse<String> signedIn = new Browser(first.baseUrl()).signIn("ada", Chromium.PASSWORD, null);
            cookie = signedIn.headers().allValues("Set-Cookie").stream()
                    .filter(c -> c.startsWith(SessionCookie.NAME + "=")).findFirst().orElseThrow().split(";")[0];
        }

        try (TestHub second = TestHub.builder().dataDir(dataDir).start()) {
            HttpResponse<String> me = new Browser(second.baseUrl()).send(HttpRequest.newBuilder(
                    URI.create(second.baseUrl() + "/api/user/me")).header("Cookie", cookie).GET());

            assertThat(me.statusCode()).isEqualTo(200);
            assertThat(TestHub.json(me).path("name").asText()).isEqualTo("ada");

            // signing out deletes the session: the same cookie no longer works
            String csrf = second.hub().database().jdbi().withHandle(h -> h.createQuery(
                    "SELECT csrf_token FROM web_sessions").mapTo(String.class).one());
            new Browser(second.baseUrl()).send(HttpRequest.newBuilder(URI.create(second.baseUrl() + "/auth/signout"))
                    .header("Cookie", cookie).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("csrf=" + csrf)));
            HttpResponse<String> after = new Browser(second.baseUrl()).send(HttpRequest.newBuilder(
                    URI.create(second.baseUrl() + "/api/user/me")).header("Cookie", cookie).GET());
            assertThat(after.statusCode()).isEqualTo(401);
        }
    }

    @Test
    void tenWrongPasswordsForAUserNameAreFollowedBy429EvenWithTheRightOne() {
        try (TestHub hub = TestHub.builder().start()) {
            Chromium.user(hub, "max", Role.MEMBER);
            Browser browser = new Browser(hub.baseUrl());
            for (int i = 0; i < 10; i++) {
                assertThat(browser.signIn("max", "wrong password " + i, null).statusCode()).isEqualTo(401);
            }

            HttpResponse<String> throttled = browser.signIn("max", Chromium.PASSWORD, null);

            assertThat(throttled.statusCode()).isEqualTo(429);
            assertThat(throttled.body()).contains("Too many failed sign-ins for this user name or from this address")
                    .contains("Try again in 15 minutes");
            assertThat(throttled.headers().firstValue("Retry-After")).isPresent();
        }
    }
}
