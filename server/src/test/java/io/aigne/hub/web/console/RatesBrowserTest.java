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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The model rates page and the public pricing page in a real browser: a rate added and edited by hand (prices per
 * million tokens) is published on the pricing page; the catalogue import and the bulk margin update are previewed,
 * then applied.
 */
class RatesBrowserTest {
    private static final String ACME_CHAT_RATES = "/api/ai-providers/model-rates?provider=acme&model=acme-chat";
    @RegisterExtension
    static final BrowserHarness browser = new BrowserHarness();
    private static TestHub hub;
    private Page page;

    @BeforeAll
    static void start() {
        FakeOpenAiProvider fake = browser.own(FakeOpenAiProvider.start());
        hub = browser.start(TestHub.builder()
                .openAiProvider("openai", "openai", fake.baseUrl(), List.of("gpt-4o-mini"), "sk-ok-rates")
                .openAiProvider("acme", "openai", fake.baseUrl(), List.of("acme-chat"), "sk-ok-acme"));
        browser.user("ada", Role.ADMIN);
    }

    @BeforeEach
    void signIn() {
        page = browser.signIn("ada", "/console/rates");
    }

    private static Locator button(Locator in, String name) {
        return in.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName(name).setExact(true));
    }

    private Locator dialog() {
        return page.getByRole(AriaRole.DIALOG);
    }

    private Locator status() {
        return page.locator("#app > [aria-live=polite]").first();
    }

    private Locator row(String provider, String model) {
        return page.locator("tbody tr").filter(new Locator.FilterOptions().setHasText(provider))
                .filter(new Locator.FilterOptions().setHas(page.getByText(model,
                        new Page.GetByTextOptions().setExact(true))));
    }

    @Test
    void aRateAddedAndEditedByHandIsPublishedOnThePricingPage() {
        button(page.locator("#app"), "Add rate").click();
        Locator d = dialog();
        d.getByLabel("Provider").selectOption("acme");
        d.getByLabel("Model").fill("acme-chat");
        d.getByLabel("Type").selectOption("chat");
        d.getByLabel("Input", new Locator.GetByLabelOptions().setExact(true)).fill("2.5");
        d.getByLabel("Output", new Locator.GetByLabelOptions().setExact(true)).fill("abc");
        button(d, "Add rate").click();
        assertThat(d.getByRole(AriaRole.ALERT)).containsText("Output: 'outputRate' must be a decimal number");
        d.getByLabel("Output", new Locator.GetByLabelOptions().setExact(true)).fill("10");
        button(d, "Add rate").click();
        assertThat(status()).containsText("Rate for acme / acme-chat saved.");
        Locator acme = row("acme", "acme-chat");
        assertThat(acme.locator("td").nth(3)).hasText("2.5");
        assertThat(acme.locator("td").nth(4)).hasText("10");

        button(acme, "Edit acme acme-chat chat").click();
        d = dialog();
        d.getByLabel("Input", new Locator.GetByLabelOptions().setExact(true)).fill("3");
        d.getByLabel("Cache read").fill("0.3");
        button(d, "Save rate").click();
        assertThat(acme.locator("td").nth(3)).hasText("3");
        assertThat(acme.locator("td").nth(5)).hasText("0.3");
        JsonNode stored = TestHub.json(hub.get(ACME_CHAT_RATES, hub.ownerKey())).path("list");
        assertThat(stored.get(0).path("inputRate").asText()).isEqualTo("0.000003");
        assertThat(stored.get(0).path("cacheReadRate").asText()).isEqualTo("0.0000003");

        page.getByLabel("Filter").fill("acme-chat");
        assertThat(page.locator("#app p.muted[aria-live]")).hasText("1 rate");
        button(acme, "History of acme acme-chat chat").click();
        assertThat(dialog().locator("tbody tr")).hasCount(2);
        assertThat(dialog()).containsText("manual update");
        assertThat(dialog()).containsText("in 3, out 10");
        button(dialog(), "Close").click();
        browser.screenshot(page, "console-rates");

        Page pricing = browser.page();
        pricing.navigate("/pricing");
        Chromium.awaitReady(pricing);
        Locator section = pricing.locator("section[data-provider=acme]");
        assertThat(section.locator("h2")).hasText("acme");
        Locator priced = section.locator("tbody tr");
        assertThat(priced).hasCount(1);
        assertThat(priced).containsText("acme/acme-chat");
        assertThat(priced.locator("td").nth(2)).containsText("3");
        assertThat(priced.locator("td").nth(3)).containsText("10");
        assertThat(priced.locator("td").nth(4)).containsText("0.3");
        pricing.getByLabel("Search models").fill("no-such-model");
        assertThat(pricing.getByText("No model matches.")).isVisible();
        pricing.getByLabel("Search models").fill("acme");
        assertThat(pricing.locator("#app p.muted[aria-live]")).hasText("1 priced model matches “acme”.");
        browser.screenshot(pricing, "pricing");

        button(acme, "Delete acme acme-chat chat").click();
        button(dialog(), "Delete rate").click();
        assertThat(status()).containsText("Rate for acme / acme-chat deleted.");
        assertThat(page.getByText("No rate matches the filter.")).isVisible();
        assertThat(TestHub.json(hub.get(ACME_CHAT_RATES, hub.ownerKey())).path("count").asInt())
                .isZero();
    }

    @Test
    void theCatalogueImportAndTheBulkMarginAreShownBeforeTheyAreApplied() {
        // A rate set by hand, which the import must keep.
        assertThat(hub.post("/api/ai-providers/openai/model-rates", hub.ownerKey(),
                "{\"model\":\"gpt-4o\",\"inputRate\":\"0.000001\",\"outputRate\":\"0.000002\"}").statusCode())
                .isEqualTo(201);
        int ratesBefore = hub.hub().billing().rates().all().size();
        Locator importCard = page.locator("section[aria-labelledby=import-title]");
        importCard.getByLabel("openai", new Locator.GetByLabelOptions().setExact(true)).check();
        button(importCard, "Preview import").click();
        Locator toCreate = importCard.locator(".stat").filter(new Locator.FilterOptions().setHasText("To create"))
                .locator(".value");
        assertThat(toCreate).hasText(Pattern.compile("\\d"));
        int creates = Integer.parseInt(toCreate.textContent().replaceAll("\\D", ""));
        assertThat(creates).isGreaterThan(100);
        String shown = String.format(Locale.US, "%,d", creates); // as the page formats it (en-US)
        assertThat(importCard.locator("summary", new Locator.LocatorOptions().setHasText("New rates")))
                .containsText("(" + shown + ")");
        assertThat(importCard.locator(".stat").filter(new Locator.FilterOptions().setHasText("Kept, set by hand"))
                .locator(".value")).hasText("1");
        Locator kept = importCard.locator("details")
                .filter(new Locator.FilterOptions().setHasText("Kept, set by hand"));
        kept.locator("summary").click();
        assertThat(kept.locator("tbody tr")).hasCount(1);
        assertThat(kept.locator("tbody tr")).containsText("gpt-4o");
        assertThat(kept.locator("tbody tr td").nth(3)).hasText("in 1, out 2");
        assertThat(hub.hub().billing().rates().all()).hasSize(ratesBefore);
        browser.screenshot(page, "console-rates-import-preview");

        button(importCard, "Apply import").click();
        button(dialog(), "Apply import").click();
        assertThat(importCard.getByRole(AriaRole.STATUS)).containsText("Import applied: " + shown + " created");
        assertThat(hub.hub().billing().rates().all()).hasSize(ratesBefore + creates);

        Locator bulk = page.locator("section[aria-labelledby=bulk-title]");
        assertThat(bulk.getByLabel("Margin %")).hasAttribute("placeholder", "2");
        bulk.getByLabel("Margin %").fill("abc");
        button(bulk, "Preview").click();
        assertThat(bulk.getByRole(AriaRole.ALERT)).containsText("Margin %: 'marginPercent' must be a decimal number");
        bulk.getByLabel("Margin %").fill("10");
        button(bulk, "Preview").click();
        assertThat(bulk.locator(".bulk-summary")).containsText("At a 10 % margin: ");
        String before = TestHub.json(hub.get("/api/ai-providers/openai/model-rates", hub.ownerKey()))
                .path("list").get(0).path("inputRate").asText();
        Locator apply = bulk.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions()
                .setName(Pattern.compile("^Apply to [\\d,]+ rates$")));
        int planned = Integer.parseInt(apply.textContent().replaceAll("\\D", ""));
        assertThat(planned).isGreaterThan(0);
        apply.click();
        button(dialog(), "Apply margin").click();
        assertThat(bulk.getByRole(AriaRole.STATUS))
                .containsText("Margin 10 % applied: " + String.format(Locale.US, "%,d", planned) + " rate(s) updated");
        assertThat(bulk).containsText("Empty: the current margin, 10 %.");
        String after = TestHub.json(hub.get("/api/ai-providers/openai/model-rates", hub.ownerKey()))
                .path("list").get(0).path("inputRate").asText();
        assertThat(after).isNotEqualTo(before);
        assertThat(TestHub.json(hub.get("/api/admin/billing/settings", hub.ownerKey())).toString())
                .contains("\"marginPercent\":\"10\"");
    }
}
