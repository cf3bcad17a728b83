package io.aigne.hub.web.console;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.aigne.hub.testing.BrowserHarness;
import io.aigne.hub.testing.FakeOidcProvider;
import io.aigne.hub.testing.TestHub;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** "Sign in with …" in a real Chromium, against the fake provider (which takes client_secret_post only). */
class OidcBrowserTest {
    @RegisterExtension
    static final BrowserHarness browser = new BrowserHarness();
    private static FakeOidcProvider provider;
    private static TestHub hub;

    @BeforeAll
    static void start() {
        provider = browser.own(new FakeOidcProvider("client_secret_post"));
        hub = browser.start(provider.hubBuilder());
    }

    @Test
    void signingInWithTheProviderLandsOnThePlaygroundAsTheProvidersUser() {
        provider.signInAs("sub-kay", Map.of("preferred_username", "kay", "name", "Kay Oidc"));
        Page page = browser.page();
        page.navigate("/playground");
        page.waitForURL(url -> url.contains("/auth/signin"));
        browser.screenshot(page, "oidc-signin");

        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Sign in with Example ID")).click();
        page.waitForURL(url -> url.endsWith("/playground"));

        assertThat(page.locator(".user-name").textContent()).isEqualTo("Kay Oidc");
        assertThat(page.locator("h1").first().textContent()).isEqualTo("Chat");
        assertThat(hub.hub().users().byName("kay")).isPresent();
        browser.screenshot(page, "oidc-landed-playground");
    }

    @Test
    void aRefusalAtTheProviderIsShownOnTheSignInPageAtPhoneSize() {
        provider.refuseNext("access_denied");
        Page page = browser.phonePage();
        page.navigate("/auth/signin");

        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Sign in with Example ID")).click();
        page.waitForURL(url -> url.contains("/auth/oidc/callback"));

        assertThat(page.getByRole(AriaRole.ALERT).textContent())
                .contains("The sign-in provider did not sign you in: access_denied");
        assertThat(page.getByLabel("User name").isVisible()).isTrue();
        browser.screenshot(page, "oidc-refused-phone");
    }
}
