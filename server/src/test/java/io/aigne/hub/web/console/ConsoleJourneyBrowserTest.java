package io.aigne.hub.web.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.aigne.hub.auth.Role;
import io.aigne.hub.testing.BrowserHarness;
import io.aigne.hub.testing.Chromium;
import io.aigne.hub.testing.FakeOpenAiProvider;
import io.aigne.hub.testing.TestHub;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The walk through the console in real Chromium, one step after another on one hub that starts with no
 * provider: an admin signs in, adds a provider, chats with it in the playground and watches the reply stream in,
 * finds that call in the usage chart and history, creates an access key and calls the hub with it; a member is
 * refused an admin page. While the reply streams, nothing on the page moves (layout shift). Each step leaves a
 * screenshot (target/screenshots/journey-*.png).
 */
class ConsoleJourneyBrowserTest {
    /** The fake answers this key slowly: the role chunk at once, then the text in ten pieces 50 ms apart. */
    private static final String SLOW_KEY = "sk-slow";
    private static final String ANSWER = "Hello from fake gpt-4o-mini";
    private static final String MODEL = "acme/gpt-4o-mini";
    @RegisterExtension
    static final BrowserHarness browser = new BrowserHarness();
    private static FakeOpenAiProvider fake;
    private static TestHub hub;

    @BeforeAll
    static void start() {
        fake = browser.own(FakeOpenAiProvider.start());
        hub = browser.start(TestHub.builder());
        browser.user("ada", Role.ADMIN);
        browser.user("max", Role.MEMBER);
    }

    @Test
    void anAdminAddsAProviderChatsFindsTheCallAndCallsWithANewKey() throws Exception {
        Page page = browser.page();

        // Signing in without a destination leads an admin to the console's overview.
        Chromium.signIn(page, "ada", null);
        page.waitForURL("**/console");
        Chromium.awaitReady(page);
        assertThat(page.locator("h1")).hasText("Overview");
        browser.screenshot(page, "journey-1-overview");

        addProvider(page);
        browser.screenshot(page, "journey-2-provider-added");

        List<Integer> seen = chatAndWatchTheStream(page);
        assertThat(seen).as("lengths of the reply as the page showed it while streaming").hasSizeGreaterThan(2);
        assertThat(seen.getFirst()).isLessThan(ANSWER.length());
        browser.screenshot(page, "journey-3-playground");

        assertThat(hub.hub().ledger().awaitFlushed(Duration.ofSeconds(10))).isTrue();
        page.navigate("/console/usage");
        Chromium.awaitReady(page);
        assertThat(page.locator(".chart-box").first()).containsText("Calls total 1");
        Locator row = page.locator(".call-history tbody tr");
        assertThat(row).hasCount(1);
        assertThat(row).containsText(MODEL);
        browser.screenshot(page, "journey-4-usage");

        String key = createKey(page);
        browser.screenshot(page, "journey-5-key-created");
        HttpResponse<String> call = hub.send(HttpRequest.newBuilder(URI.create(hub.baseUrl()
                        + "/v1/chat/completions")).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + MODEL
                        + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")));
        assertThat(call.statusCode()).as(call.body()).isEqualTo(200);
        JsonNode answer = TestHub.json(call);
        assertThat(answer.at("/choices/0/message/content").asText()).isEqualTo(ANSWER);
        assertThat(fake.lastRequest().bearer()).isEqualTo(SLOW_KEY);
    }

    @Test
    void aMemberIsRefusedAnAdminPageAndSeesNoConsoleLinks() {
        Page page = browser.page();
        Chromium.signIn(page, "max", null);
        page.waitForURL("**/playground");

        com.microsoft.playwright.Response refused = page.navigate("/console/providers");

        assertThat(refused.status()).isEqualTo(403);
        assertThat(page.getByRole(AriaRole.ALERT)).containsText("This page is for owners and admins; your role "
                + "is member");
        assertThat(page.locator("#site-nav a[href^='/console']")).hasCount(0);
        assertThat(page.locator("#site-nav")).containsText("My access keys");
        browser.screenshot(page, "journey-6-member-refused");
    }

    private static void addProvider(Page page) {
        page.navigate("/console/providers");
        Chromium.awaitReady(page);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add provider").setExact(true)).click();
        Locator dialog = page.getByRole(AriaRole.DIALOG);
        dialog.getByLabel("Type").selectOption("openai");
        dialog.getByLabel("Name", new Locator.GetByLabelOptions().setExact(true)).fill("acme");
        dialog.getByLabel("Base URL").fill(fake.baseUrl());
        dialog.getByLabel("Models").fill("gpt-4o-mini");
        dialog.getByLabel("API key").fill(SLOW_KEY);
        dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Add provider").setExact(true))
                .click();
        assertThat(page.getByRole(AriaRole.STATUS)).containsText("Provider acme added.");
        assertThat(page.content()).doesNotContain(SLOW_KEY);
    }

    /** Sends a message and answers the lengths of the reply's text each time the page changed it. */
    @SuppressWarnings("unchecked")
    private static List<Integer> chatAndWatchTheStream(Page page) {
        page.navigate("/playground");
        Chromium.awaitReady(page);
        page.evaluate("""
                () => {
                  window.replyLengths = [];
                  window.layoutShift = 0;
                  new PerformanceObserver(list => list.getEntries().forEach(e => {
                    if (!e.hadRecentInput) window.layoutShift += e.value;
                  })).observe({type: 'layout-shift'});
                  new MutationObserver(() => {
                    const content = document.querySelector('.msg.assistant .msg-content');
                    const length = content ? content.textContent.length : 0;
                    const last = window.replyLengths[window.replyLengths.length - 1];
                    if (length > 0 && length !== last) window.replyLengths.push(length);
                  }).observe(document.querySelector('.transcript'), {subtree: true, childList: true,
                    characterData: true});
                }""");
        page.getByLabel("Model", new Page.GetByLabelOptions().setExact(true)).selectOption(MODEL);
        page.getByLabel("Message").fill("Say hello");
        page.getByLabel("Message").press("Enter");

        Locator reply = page.locator(".msg.assistant").last();
        assertThat(reply.locator(".msg-content")).hasText(ANSWER);
        assertThat(reply.locator(".result-stats")).containsText(MODEL);
        assertThat(reply.locator(".result-stats")).containsText("tokens");
        // Cumulative layout shift while the reply streamed in: "good" is below 0.1; nothing may jump here.
        assertThat(((Number) page.evaluate("window.layoutShift")).doubleValue()).isLessThan(0.01);
        return ((List<Number>) page.evaluate("window.replyLengths")).stream().map(Number::intValue).toList();
    }

    private static String createKey(Page page) {
        page.navigate("/account/keys");
        Chromium.awaitReady(page);
        page.getByLabel("Key name").fill("journey");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create key")).click();
        Locator secret = page.locator(".secret-once");
        assertThat(secret).isVisible();
        String key = secret.textContent().trim();
        assertThat(key).startsWith("blocklet-");
        return key;
    }
}
