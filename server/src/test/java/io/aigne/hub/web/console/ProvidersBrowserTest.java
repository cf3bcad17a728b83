package io.aigne.hub.web.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.aigne.hub.auth.Role;
import io.aigne.hub.testing.BrowserHarness;
import io.aigne.hub.testing.FakeOpenAiProvider;
import io.aigne.hub.testing.TestHub;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/** The providers page in a real browser: an admin adds a provider that then serves calls, and manages its keys. */
class ProvidersBrowserTest {
    private static final String SECRET = "sk-ok-browser-secret-4242";
    @RegisterExtension
    static final BrowserHarness browser = new BrowserHarness();
    private static FakeOpenAiProvider fake;
    private static TestHub hub;
    private Page page;

    @BeforeAll
    static void start() {
        fake = browser.own(FakeOpenAiProvider.start());
        hub = browser.start(TestHub.builder());
        browser.user("ada", Role.ADMIN);
    }

    @BeforeEach
    void signIn() {
        page = browser.signIn("ada", "/console/providers");
    }

    private Locator button(Locator in, String name) {
        return in.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName(name).setExact(true));
    }

    private Locator dialog() {
        return page.getByRole(AriaRole.DIALOG);
    }

    private Locator card(String provider) {
        return page.locator("section.provider[data-provider=" + provider + "]");
    }

    private void addProvider(String name, String key) {
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add provider").setExact(true)).click();
        Locator d = dialog();
        d.getByLabel("Type").selectOption("openai");
        d.getByLabel("Name", new Locator.GetByLabelOptions().setExact(true)).fill(name);
        d.getByLabel("Base URL").fill(fake.baseUrl());
        d.getByLabel("Models").fill("gpt-4o-mini, gpt-4o");
        d.getByLabel("API key").fill(key);
        button(d, "Add provider").click();
        assertThat(page.getByRole(AriaRole.STATUS)).containsText("Provider " + name + " added.");
    }

    @Test
    void anAddedProviderIsTestedReweightedToggledAndServesCalls() {
        addProvider("acme", SECRET);

        Locator acme = card("acme");
        assertThat(acme).containsText(fake.baseUrl());
        assertThat(acme).containsText("gpt-4o-mini, gpt-4o");
        assertThat(acme.locator("td").first()).hasText("default");
        button(acme, "Test default").click();
        assertThat(page.getByRole(AriaRole.STATUS)).containsText("Test of acme/default passed");
        assertThat(acme.locator(".badge.ok", new Locator.LocatorOptions().setHasText("healthy"))).isVisible();
        assertThat(page.content()).doesNotContain(SECRET).doesNotContain("browser-secret");

        acme.getByLabel("Weight of default", new Locator.GetByLabelOptions().setExact(true)).fill("40");
        button(acme, "Save weight of default").click();
        assertThat(page.getByRole(AriaRole.STATUS)).containsText("Weight of acme/default set to 40.");
        assertThat(acme.getByLabel("Weight of default", new Locator.GetByLabelOptions().setExact(true))).hasValue("40");
        JsonNode listed = TestHub.json(hub.get("/api/ai-providers?name=acme", hub.ownerKey())).get(0);
        assertThat(listed.path("credentials").get(0).path("weight").asInt()).isEqualTo(40);

        button(acme, "Disable provider").click();
        assertThat(acme.locator("h2 .badge.bad")).hasText("disabled");
        assertThat(chat("acme/gpt-4o-mini").statusCode()).isNotEqualTo(200);
        button(acme, "Enable provider").click();
        assertThat(acme.locator("h2 .badge.ok")).hasText("enabled");
        browser.screenshot(page, "console-providers");

        fake.clearRequests();
        HttpResponse<String> call = chat("acme/gpt-4o-mini");
        assertThat(call.statusCode()).as(call.body()).isEqualTo(200);
        assertThat(fake.lastRequest().bearer()).isEqualTo(SECRET);
        assertThat(page.content()).doesNotContain(SECRET);
    }

    @Test
    void refusalsAreShownInTheFormAndACredentialAndAProviderCanBeDeleted() {
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add provider").setExact(true)).click();
        Locator d = dialog();
        d.getByLabel("Name", new Locator.GetByLabelOptions().setExact(true)).fill("Not A Name");
        d.getByLabel("API key").fill("sk-ok-x");
        button(d, "Add provider").click();
        assertThat(d.getByRole(AriaRole.ALERT)).containsText("a provider name is 1-50 lower-case letters");
        button(d, "Cancel").click();

        addProvider("spare", "sk-ok-spare");
        Locator spare = card("spare");
        button(spare, "Edit provider").click();
        d = dialog();
        d.getByLabel("Display name").fill("Spare Co");
        d.getByLabel("Models").fill("gpt-4o-mini");
        d.getByLabel("Base URL").fill("ftp://nowhere");
        button(d, "Save").click();
        assertThat(d.getByRole(AriaRole.ALERT)).containsText("baseUrl must be an http(s) URL");
        d.getByLabel("Base URL").fill(fake.baseUrl());
        button(d, "Save").click();
        assertThat(page.getByRole(AriaRole.STATUS)).containsText("Provider spare saved.");
        assertThat(spare.locator("h2")).containsText("Spare Co (spare)");
        assertThat(spare.locator("dl")).containsText("gpt-4o-mini");

        button(spare, "Add credential").click();
        d = dialog();
        d.getByLabel("Credential name").fill("bad");
        d.getByLabel("API key").fill("sk-401");
        button(d, "Test key").click();
        assertThat(d.getByRole(AriaRole.ALERT)).containsText("Invalid credentials");
        button(d, "Add credential").click();
        assertThat(page.getByRole(AriaRole.STATUS)).containsText("Credential bad added to spare.");
        button(spare, "Test bad").click();
        assertThat(spare.getByRole(AriaRole.ALERT)).containsText("Test of spare/bad failed");

        button(spare, "Disable bad").click();
        assertThat(spare.locator("tr", new Locator.LocatorOptions().setHasText("bad")).locator(".badge"))
                .hasText("disabled");
        button(spare, "Delete bad").click();
        button(dialog(), "Delete").click();
        assertThat(page.getByRole(AriaRole.STATUS)).containsText("Credential spare/bad deleted.");
        assertThat(spare.locator("tbody tr")).hasCount(1);

        button(spare, "Delete provider").click();
        assertThat(dialog()).containsText("spare and its 1 credential(s) are removed");
        button(dialog(), "Delete").click();
        assertThat(page.getByRole(AriaRole.STATUS)).containsText("Provider spare deleted.");
        assertThat(card("spare")).hasCount(0);
        assertThat(TestHub.json(hub.get("/api/ai-providers?name=spare", hub.ownerKey())).size()).isZero();
    }

    @Test
    void thePageWorksAtPhoneSize() {
        addProvider("pocket", "sk-ok-pocket");
        Page small = browser.signInOnPhone("ada", "/console/providers");
        Locator pocket = small.locator("section.provider[data-provider=pocket]");
        assertThat(pocket).containsText("pocket");
        assertThat(pocket.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Add credential")))
                .isVisible();
        Object overflow = small.evaluate("document.documentElement.scrollWidth > window.innerWidth");
        assertThat(overflow).isEqualTo(false);
        browser.screenshot(small, "console-providers-phone");
    }

    private static HttpResponse<String> chat(String model) {
        return hub.post("/v1/chat/completions", hub.ownerKey(),
                "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    }
}
