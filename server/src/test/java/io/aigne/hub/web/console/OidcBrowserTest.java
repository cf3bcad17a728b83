package io.aigne.hub.web.console;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.aigne.hub.testing.Chromium;
import io.aigne.hub.testing.FakeOidcProvider;
import io.aigne.hub.testing.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** "Sign in with …" in a real Chromium, against the fake provider (which takes client_secret_post only). */
class OidcBrowserTest {
    private static FakeOidcProvider provider;
    private static TestHub hub;
    private static Chromium chromium;

    @BeforeAll
    static void start() {
        chromium = Chromium.launch();
        provider = new FakeOidcProvider("client_secret_post");
        hub = TestHub.builder()
                .setting("AIGNE_HUB_AUTH_OIDC_ENABLED", "true")
                .setting("AIGNE_HUB_AUTH_OIDC_ISSUER", provider.issuer())
                .setting("AIGNE_HUB_AUTH_OIDC_CLIENT_ID", FakeOidcProvider.CLIENT_ID)
                .setting("AIGNE_HUB_AUTH_OIDC_CLIENT_SECRET", FakeOidcProvider.CLIENT_SECRET)
                .setting("AIGNE_HUB_AUTH_OIDC_DISPLAY_NAME", "Example ID")
                .start();
    }

    @AfterAll
    static void stop() {
        if (hub != null) {
            hub.close();
        }
        if (provider != null) {
            provider.close();
        }
        if (chromium != null) {
            chromium.close();
        }
    }

    @Test
    void signingInWithTheProviderLandsOnThePlaygroundAsTheProvidersUser() {
        provider.signInAs("sub-kay", Map.of("preferred_username", "kay", "name", "Kay Oidc"));
        try (BrowserContext context = chromium.desktop(hub.baseUrl())) {
            Page page = context.newPage();
            page.navigate("/playground");
            page.waitForURL(url -> url.contains("/auth/signin"));
            Chromium.screenshot(page, "oidc-signin");

            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Sign in with Example ID")).click();
            page.waitForURL(url -> url.endsWith("/playground"));

            assertThat(page.locator(".user-name").textContent()).isEqualTo("Kay Oidc");
            assertThat(page.locator("h1").first().textContent()).isEqualTo("Chat");
            assertThat(hub.hub().users().byName("kay")).isPresent();
            Chromium.screenshot(page, "oidc-landed-playground");
        }
    }

    @Test
    void aRefusalAtTheProviderIsShownOnTheSignInPageAtPhoneSize() {
        provider.refuseNext("access_denied");
        try (BrowserContext context = chromium.phone(hub.baseUrl())) {
            Page page = context.newPage();
            page.navigate("/auth/signin");

            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Sign in with Example ID")).click();
            page.waitForURL(url -> url.contains("/auth/oidc/callback"));

            assertThat(page.getByRole(AriaRole.ALERT).textContent())
                    .contains("The sign-in provider did not sign you in: access_denied");
            assertThat(page.getByLabel("User name").isVisible()).isTrue();
            Chromium.screenshot(page, "oidc-refused-phone");
        }
    }
}
