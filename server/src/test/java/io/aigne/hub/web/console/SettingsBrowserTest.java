package io.aigne.hub.web.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.aigne.hub.auth.Role;
import io.aigne.hub.testing.BrowserHarness;
import io.aigne.hub.testing.TestHub;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.math.BigDecimal;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/** The settings page in a real browser: billing, IP rules and limits, each checked against the API. */
class SettingsBrowserTest {
    @RegisterExtension
    static final BrowserHarness browser = new BrowserHarness();
    private static TestHub hub;

    @BeforeAll
    static void start() {
        hub = browser.start(TestHub.builder());
        browser.user("ada", Role.ADMIN);
        browser.user("mia", Role.MEMBER);
    }

    @Test
    void billingIsToggledAndTheMarginChangedWithTheApisMessagesShown() {
        boolean wasEnabled = billing().path("enabled").asBoolean();
        Page page = open();
        Locator billing = page.locator("section").filter(new Locator.FilterOptions().setHas(
                page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Billing"))));
        billing.getByLabel("Margin (%)").fill("abc");
        save(billing);
        assertThat(billing.getByRole(AriaRole.ALERT)).containsText("marginPercent");

        billing.getByLabel("Billing on").setChecked(!wasEnabled);
        billing.getByLabel("Margin (%)").fill("25");
        save(billing);
        assertThat(billing.getByText("Billing settings saved.")).isVisible();
        assertThat(billing.getByLabel("Margin (%)")).hasValue("25");
        browser.screenshot(page, "console-settings-desktop");
        JsonNode after = billing();
        assertThat(after.path("enabled").asBoolean()).isEqualTo(!wasEnabled);
        assertThat(new BigDecimal(after.path("marginPercent").asText())).isEqualByComparingTo("25");
    }

    @Test
    void anIpRuleAndALimitAreAddedThenDeleted() {
        String mia = TestHub.json(hub.get("/api/admin/users?q=mia", hub.ownerKey())).path("list").get(0)
                .path("id").asText();
        Page page = open();
        Locator ip = section(page, "IP rules");
        assertThat(ip.getByText("No IP rules")).isVisible();
        ip.getByLabel("Action").selectOption("deny");
        ip.getByLabel("Network (CIDR)").fill("203.0.113.0/24");
        ip.getByLabel("Note", new Locator.GetByLabelOptions().setExact(true)).fill("abuse");
        ip.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Add rule")).click();
        assertThat(ip.locator("tbody tr")).hasCount(1);
        assertThat(ip.locator("tbody tr")).containsText("203.0.113.0/24");
        assertThat(ip.locator("tbody tr")).containsText("abuse");
        JsonNode rules = TestHub.json(hub.get("/api/admin/ip-rules", hub.ownerKey())).path("rules");
        assertThat(rules.get(0).path("action").asText() + " " + rules.get(0).path("cidr").asText())
                .isEqualTo("deny 203.0.113.0/24");

        Locator limits = section(page, "Limits");
        limits.getByLabel("Applies to").selectOption("user");
        limits.getByLabel("Subject").fill("mia");
        limits.getByLabel("Limit on").selectOption("credits_per_day");
        limits.getByLabel("At most").fill("2.5");
        limits.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Add limit")).click();
        assertThat(limits.locator("tbody tr")).hasCount(1);
        assertThat(limits.locator("tbody tr")).containsText("user mia");
        assertThat(limits.locator("tbody tr")).containsText("2.5 credits / day");
        JsonNode stored = TestHub.json(hub.get("/api/admin/limits", hub.ownerKey()));
        assertThat(stored.get(0).path("subject").asText()).isEqualTo(mia);
        assertThat(stored.get(0).path("limit").asText()).isEqualTo("2.5");

        limits.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Edit 2.5 credits / day for user mia"))
                .click();
        limits.getByLabel("At most").fill("4");
        limits.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Save limit")).click();
        assertThat(limits.locator("tbody tr")).containsText("4 credits / day");
        browser.screenshot(page, "console-settings-rules-and-limits");

        limits.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Delete 4 credits / day for user mia"))
                .click();
        page.getByRole(AriaRole.DIALOG).getByRole(AriaRole.BUTTON,
                new Locator.GetByRoleOptions().setName("Delete limit")).click();
        assertThat(limits.getByText("No limits yet.")).isVisible();

        ip.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Delete rule deny 203.0.113.0/24"))
                .click();
        page.getByRole(AriaRole.DIALOG).getByRole(AriaRole.BUTTON,
                new Locator.GetByRoleOptions().setName("Delete rule")).click();
        assertThat(ip.getByText("No IP rules")).isVisible();
        assertThat(TestHub.json(hub.get("/api/admin/limits", hub.ownerKey()))).isEmpty();
        assertThat(TestHub.json(hub.get("/api/admin/ip-rules", hub.ownerKey())).path("rules")).isEmpty();
    }

    @Test
    void aRuleThatWouldLockTheAdminOutIsExplained() {
        Page page = open();
        Locator ip = section(page, "IP rules");
        ip.getByLabel("Action").selectOption("allow");
        ip.getByLabel("Network (CIDR)").fill("198.51.100.0/24");
        ip.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Add rule")).click();
        assertThat(ip.getByRole(AriaRole.ALERT)).containsText("would refuse your own address");
        assertThat(ip.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Apply anyway"))).isVisible();
        assertThat(TestHub.json(hub.get("/api/admin/ip-rules", hub.ownerKey())).path("rules")).isEmpty();
    }

    private static Page open() {
        return browser.signIn("ada", "/console/settings");
    }

    private static Locator section(Page page, String heading) {
        return page.locator("section").filter(new Locator.FilterOptions().setHas(
                page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName(heading).setExact(true))));
    }

    private static void save(Locator billing) {
        billing.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Save billing settings")).click();
    }

    private static JsonNode billing() {
        return TestHub.json(hub.get("/api/admin/billing/settings", hub.ownerKey()));
    }
}
