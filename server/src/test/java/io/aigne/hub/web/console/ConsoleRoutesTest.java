package io.aigne.hub.web.console;

import io.aigne.hub.auth.Role;
import io.aigne.hub.testing.Chromium;
import io.aigne.hub.testing.TestHub;
import io.aigne.hub.web.connect.Browser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The console's pages, assets and browser-session API access, over plain HTTP. */
class ConsoleRoutesTest {
    private static final Pattern CSRF = Pattern.compile("<meta name=\"csrf-token\" content=\"([^\"]+)\">");
    private static TestHub hub;

    @BeforeAll
    static void start() {
        hub = TestHub.builder().start();
        Chromium.user(hub, "ada", Role.ADMIN);
        Chromium.user(hub, "max", Role.MEMBER);
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void signedOutVisitorsAreSentToSignInAndBroughtBack() {
        Browser browser = new Browser(hub.baseUrl());

        HttpResponse<String> page = browser.get("/console/usage");

        assertThat(page.statusCode()).isEqualTo(303);
        assertThat(page.headers().firstValue("Location")).hasValue("/auth/signin?next=%2Fconsole%2Fusage");
        assertThat(browser.signIn("ada", Chromium.PASSWORD, "/console/usage").headers().firstValue("Location"))
                .hasValue("/console/usage");
    }

    @Test
    void homeLeadsAdminsToTheConsoleAndMembersToThePlayground() {
        Browser admin = signedIn("ada");
        Browser member = signedIn("max");

        assertThat(admin.get("/").headers().firstValue("Location")).hasValue("/console");
        assertThat(member.get("/").headers().firstValue("Location")).hasValue("/playground");
        assertThat(new Browser(hub.baseUrl()).get("/").headers().firstValue("Location")).hasValue("/auth/signin");
    }

    @Test
    void adminPagesAreRefusedToMembersWithTheRoleTheyNeed() {
        HttpResponse<String> page = signedIn("max").get("/console/providers");

        assertThat(page.statusCode()).isEqualTo(403);
        assertThat(page.body()).contains("This page is for owners and admins; your role is member")
                .doesNotContain("console-providers.js")
                .doesNotContain("href=\"/console/providers\"");
    }

    @Test
    void pagesCarryTheCsrfTokenAndStrictHeaders() {
        HttpResponse<String> page = signedIn("ada").get("/console/providers");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).containsPattern("<script type=\"module\" src=\"/assets/app/v-[0-9a-f]{12}/"
                        + "console-providers.js\">")
                .containsPattern("<link rel=\"modulepreload\" href=\"/assets/app/v-[0-9a-f]{12}/hub.js\">")
                .contains("href=\"/console/users\"").containsPattern(CSRF);
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("script-src 'self'").contains("frame-ancestors 'none'");
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
    }

    @Test
    void thePublicPricingPageOpensSignedOut() {
        HttpResponse<String> page = new Browser(hub.baseUrl()).get("/pricing");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("\"user\":null").contains(">Sign in</a>").doesNotContain("/console/users");
    }

    @Test
    void librariesComeFromTheirWebJarsGzippedAndImmutable() {
        HttpResponse<String> lib = hub.send(HttpRequest.newBuilder(java.net.URI.create(hub.baseUrl()
                + WebLibrary.CHART.scriptUrl())).header("Accept-Encoding", "gzip"));

        assertThat(WebLibrary.CHART.scriptUrl()).isEqualTo("/assets/lib/chart.js/4.4.9/dist/chart.umd.js");
        assertThat(lib.statusCode()).isEqualTo(200);
        assertThat(lib.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(lib.headers().firstValue("Cache-Control")).hasValue("public, max-age=31536000, immutable");
        assertThat(hub.get(StaticAssets.APP_PREFIX + "hub.js", null).headers().firstValue("Content-Type"))
                .hasValue("text/javascript; charset=utf-8");
        assertThat(hub.get("/assets/app/..%2F..%2F..%2F..%2F..%2Flogback.xml", null).statusCode()).isEqualTo(404);
        assertThat(hub.get("/assets/app/..%2Fweb%2Fassets%2Fhub.js", null).statusCode()).isEqualTo(404);
    }

    @Test
    void theHubsOwnFilesAreImmutableUnderTheirVersionAndRevalidatedWithout() {
        StaticAssets assets = new StaticAssets();
        String url = assets.appUrl("hub.js");

        HttpResponse<String> versioned = hub.get(url, null);
        HttpResponse<String> stale = hub.get(url.replaceFirst("v-[0-9a-f]+", "v-000000000000"), null);

        assertThat(versioned.statusCode()).isEqualTo(200);
        assertThat(versioned.headers().firstValue("Cache-Control")).hasValue("public, max-age=31536000, immutable");
        assertThat(stale.statusCode()).isEqualTo(200);
        assertThat(stale.headers().firstValue("Cache-Control")).hasValue("no-cache");
        assertThat(assets.modulesImportedBy("console-usage.js")).contains("hub.js", "widgets/charts.js",
                "widgets/call-history.js").doesNotContain("console-usage.js");
    }

    @Test
    void assetsAreRevalidatedByEtag() {
        HttpResponse<String> first = hub.get(StaticAssets.APP_PREFIX + "hub.css", null);
        String etag = first.headers().firstValue("ETag").orElseThrow();

        HttpResponse<String> again = hub.send(hub.request(StaticAssets.APP_PREFIX + "hub.css", null)
                .header("If-None-Match", etag).GET());

        assertThat(again.statusCode()).isEqualTo(304);
    }

    @Test
    void aSessionCallsTheApisButChangesNothingWithoutItsCsrfToken() {
        Browser browser = signedIn("max");
        String csrf = csrfOf(browser.get("/account/keys").body());

        HttpResponse<String> read = browser.get("/api/user/me");
        HttpResponse<String> noToken = browser.send(HttpRequest.newBuilder(browser.uri("/api/user/access-keys"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"laptop\"}")));
        HttpResponse<String> withToken = browser.send(HttpRequest.newBuilder(browser.uri("/api/user/access-keys"))
                .header("Content-Type", "application/json").header("X-CSRF-Token", csrf)
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"laptop\"}")));
        HttpResponse<String> crossSite = browser.send(HttpRequest.newBuilder(browser.uri("/api/user/access-keys"))
                .header("Content-Type", "application/json").header("X-CSRF-Token", csrf)
                .header("Origin", "https://evil.example")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"laptop\"}")));

        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.body()).contains("\"max\"");
        assertThat(noToken.statusCode()).isEqualTo(403);
        assertThat(noToken.body()).contains("CSRF token").contains("X-CSRF-Token");
        assertThat(withToken.statusCode()).as(withToken.body()).isIn(200, 201);
        assertThat(withToken.body()).contains("laptop");
        assertThat(crossSite.statusCode()).isEqualTo(403);
    }

    @Test
    void aMemberSessionIsRefusedAdminApis() {
        HttpResponse<String> users = signedIn("max").get("/api/admin/users");

        assertThat(users.statusCode()).isEqualTo(403);
        assertThat(users.body()).contains("owner or admin role");
    }

    private static Browser signedIn(String name) {
        Browser browser = new Browser(hub.baseUrl());
        assertThat(browser.signIn(name, Chromium.PASSWORD, null).statusCode()).isEqualTo(303);
        return browser;
    }

    private static String csrfOf(String html) {
        Matcher m = CSRF.matcher(html);
        assertThat(m.find()).as("a csrf-token meta tag").isTrue();
        return m.group(1);
    }
}
