package io.aigne.hub.web.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.aigne.hub.auth.Role;
import io.aigne.hub.auth.User;
import io.aigne.hub.testing.BrowserHarness;
import io.aigne.hub.testing.TestHub;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.math.BigDecimal;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/** The users page in a real browser: search, roles, disabling, credit grants and a user's access keys. */
class UsersBrowserTest {
    @RegisterExtension
    static final BrowserHarness browser = new BrowserHarness();
    private static TestHub hub;
    private static User bruno;

    @BeforeAll
    static void start() {
        hub = browser.start(TestHub.builder());
        browser.user("olga", Role.OWNER);
        bruno = browser.user("bruno", Role.MEMBER);
        for (int i = 1; i <= 22; i++) {
            hub.hub().users().create(String.format("member%02d", i), null, null, Role.MEMBER);
        }
    }

    @Test
    void anOwnerFindsAUserChangesTheirRoleGrantsCreditsCreatesAKeyAndDisablesThem() {
        Page page = open();
        page.getByLabel("Search users").fill("bru");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Search")).click();
        assertThat(page.locator("tbody tr")).hasCount(1);
        assertThat(page.getByText("1 user", new Page.GetByTextOptions().setExact(true))).isVisible();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Manage bruno")).click();
        Locator detail = page.locator(".user-detail");
        assertThat(detail.getByRole(AriaRole.HEADING, new Locator.GetByRoleOptions().setName("User bruno")))
                .isFocused();

        detail.getByLabel("Role", new Locator.GetByLabelOptions().setExact(true)).selectOption("admin");
        detail.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Save changes")).click();
        assertThat(page.locator("tbody tr").first()).containsText("admin");
        assertThat(user().path("role").asText()).isEqualTo("admin");
        detail.getByLabel("Role", new Locator.GetByLabelOptions().setExact(true)).selectOption("member");
        detail.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Save changes")).click();
        assertThat(page.locator("tbody tr").first()).containsText("member");
        assertThat(user().path("role").asText()).isEqualTo("member");

        detail.getByLabel("Credits", new Locator.GetByLabelOptions().setExact(true)).fill("12.5");
        detail.getByLabel("Expires in days").fill("30");
        detail.getByLabel("Reason").fill("welcome");
        detail.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Grant credits")).click();
        assertThat(detail.getByText("Granted 12.5 credits to bruno.")).isVisible();
        assertThat(detail.locator("[data-balance]")).hasText("12.5");
        JsonNode account = TestHub.json(hub.get("/api/admin/credits/accounts/" + bruno.id(), hub.ownerKey()));
        assertThat(new BigDecimal(account.path("balance").asText())).isEqualByComparingTo("12.5");

        detail.getByLabel("Key name").fill("bruno-ci");
        detail.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Create key")).click();
        assertThat(detail.locator(".secret-once")).containsText("blocklet-");
        assertThat(detail.locator("tbody tr").filter(new Locator.FilterOptions().setHasText("bruno-ci")))
                .hasCount(1);
        JsonNode keys = TestHub.json(hub.get("/api/admin/users/" + bruno.id() + "/access-keys", hub.ownerKey()));
        assertThat(keys.findValuesAsText("name")).containsExactly("bruno-ci");
        browser.screenshot(page, "console-users-desktop");

        detail.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Disable user")).click();
        assertThat(detail.getByText("Disabled", new Locator.GetByTextOptions().setExact(true))).isVisible();
        assertThat(page.locator("tbody tr").first()).containsText("Disabled");
        assertThat(user().path("disabled").asBoolean()).isTrue();
        detail.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Enable user")).click();
        assertThat(detail.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Disable user")))
                .isVisible();
        assertThat(user().path("disabled").asBoolean()).isFalse();
    }

    @Test
    void theApisRefusalsAreShownAndBadGrantsNamed() {
        Page page = open();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Manage olga")).click();
        Locator detail = page.locator(".user-detail");
        detail.getByLabel("Role", new Locator.GetByLabelOptions().setExact(true)).selectOption("member");
        detail.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Save changes")).click();
        assertThat(detail.getByRole(AriaRole.ALERT)).containsText("you cannot change your own role");

        detail.getByLabel("Credits", new Locator.GetByLabelOptions().setExact(true)).fill("-3");
        detail.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Grant credits")).click();
        assertThat(detail.getByRole(AriaRole.ALERT).last()).containsText("amount: must be more than 0");
        assertThat(TestHub.json(hub.get("/api/user/me", hub.ownerKey())).path("role").asText()).isEqualTo("owner");
    }

    @Test
    void usersAreFilteredByRolePagedAndCreated() {
        Page page = open();
        assertThat(page.getByText("Page 1 of 2")).isVisible();
        assertThat(page.locator("tbody tr")).hasCount(20);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Next")).click();
        assertThat(page.getByText("Page 2 of 2")).isVisible();

        int owners = TestHub.json(hub.get("/api/admin/users?role=owner", hub.ownerKey())).path("count").asInt();
        page.locator("form[role=search]").getByLabel("Role").selectOption("owner");
        assertThat(page.locator("tbody tr")).hasCount(owners);
        assertThat(page.locator("tbody")).containsText("olga");
        assertThat(page.locator("tbody")).not().containsText("member");

        page.getByText("Create a user").click();
        Locator create = page.locator("details");
        create.getByLabel("User name").fill("zoe");
        create.getByLabel("Display name").fill("Zoë Example");
        create.getByLabel("Email").fill("zoe@example.com");
        create.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Create user")).click();
        assertThat(page.locator(".user-detail h2")).hasText("User zoe");
        create.getByLabel("User name").fill("zoe");
        create.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Create user")).click();
        assertThat(create.getByRole(AriaRole.ALERT)).containsText("zoe");
        JsonNode found = TestHub.json(hub.get("/api/admin/users?q=zoe", hub.ownerKey()));
        assertThat(found.path("list").get(0).path("email").asText()).isEqualTo("zoe@example.com");
        assertThat(found.path("list").get(0).path("role").asText()).isEqualTo("member");
    }

    private static Page open() {
        return browser.signIn("olga", "/console/users");
    }

    private static JsonNode user() {
        return TestHub.json(hub.get("/api/admin/users/" + bruno.id(), hub.ownerKey()));
    }
}
