package io.aigne.hub.web.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.aigne.hub.auth.Role;
import io.aigne.hub.auth.User;
import io.aigne.hub.testing.BrowserHarness;
import io.aigne.hub.testing.Chromium;
import io.aigne.hub.testing.FakeOpenAiProvider;
import io.aigne.hub.testing.TestHub;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/** "My access keys" in a real browser: a member's key, its secret shown once, used from Java, revoked. */
class AccessKeysBrowserTest {
    @RegisterExtension
    static final BrowserHarness browser = new BrowserHarness();
    private static TestHub hub;
    private static User mia;

    @BeforeAll
    static void start() {
        FakeOpenAiProvider openai = browser.own(FakeOpenAiProvider.start());
        hub = browser.start(TestHub.builder().openAiProvider("openai", "openai", openai.baseUrl(), List.of(), "sk-ok-keys"));
        mia = browser.user("mia", Role.MEMBER);
        browser.user("noah", Role.MEMBER);
    }

    @Test
    void aMemberCreatesAKeySeesItsSecretOnceUsesItAndRevokesIt() throws Exception {
        Page page = browser.signIn("mia", "/account/keys");
        assertThat(page.getByText("No access keys yet.")).isVisible();

        page.getByLabel("Key name").fill("laptop");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create key")).click();
        Locator secretBox = page.locator(".secret-once");
        assertThat(secretBox).isVisible();
        String secret = secretBox.textContent().trim();
        assertThat(page.getByText("it will not be shown again")).isVisible();
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Copy"))).isVisible();
        Locator row = page.locator("tbody tr").filter(new Locator.FilterOptions().setHasText("laptop"));
        assertThat(row).containsText("Never");
        assertThat(row).containsText("Any address");
        browser.screenshot(page, "account-keys-desktop");

        page.reload();
        Chromium.awaitReady(page);
        assertThat(page.locator("tbody tr").filter(new Locator.FilterOptions().setHasText("laptop"))).hasCount(1);
        assertThat(page.locator(".secret-once")).hasCount(0);
        org.assertj.core.api.Assertions.assertThat(page.content()).doesNotContain(secret);

        HttpResponse<String> answer = chat(secret);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(TestHub.json(answer).at("/choices/0/message/content").asText()).startsWith("Hello from fake");

        hub.hub().keys().flushLastUsed(); // the hub writes last-used times in the background, this at once
        page.reload();
        Chromium.awaitReady(page);
        assertThat(page.locator("tbody tr").filter(new Locator.FilterOptions().setHasText("laptop")))
                .not().containsText("Never");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Revoke key laptop")).click();
        Locator dialog = page.getByRole(AriaRole.DIALOG);
        assertThat(dialog).containsText("Programs using it stop working at once");
        dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Revoke key")).click();
        assertThat(page.getByText("No access keys yet.")).isVisible();
        assertThat(page.getByText("Show 1 revoked")).isVisible();

        assertThat(chat(secret).statusCode()).isEqualTo(401);
    }

    @Test
    void aKeyIsRenamedCappedByItsUserAndBadNetworksExplainedWhileAnAdminsLimitStays() {
        JsonNode key = TestHub.json(hub.post("/api/admin/users/" + mia.id() + "/access-keys", hub.ownerKey(),
                "{\"name\":\"ci-runner\"}"));
        HttpResponse<String> limit = hub.post("/api/admin/limits", hub.ownerKey(), "{\"scope\":\"key\",\"subject\":\""
                + key.path("id").asText() + "\",\"metric\":\"requests_per_minute\",\"limit\":60}");
        assertThat(limit.statusCode()).as(limit.body()).isEqualTo(201);

        Page page = browser.signInOnPhone("mia", "/account/keys");
        Locator row = page.locator("tbody tr").filter(new Locator.FilterOptions().setHasText("ci-runner"));
        assertThat(row).containsText("60 requests / minute (set by an admin)");
        assertThat(row.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName(
                "Remove the 60 requests / minute limit of ci-runner"))).hasCount(0);

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Limit key ci-runner")).click();
        Locator limitDialog = page.getByRole(AriaRole.DIALOG);
        limitDialog.getByLabel("Limit on").selectOption("credits_per_day");
        limitDialog.getByLabel("At most").fill("lots");
        limitDialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Set limit")).click();
        assertThat(limitDialog.getByRole(AriaRole.ALERT)).containsText("limit");
        limitDialog.getByLabel("At most").fill("2.5");
        limitDialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Set limit")).click();
        assertThat(row).containsText("2.5 credits / day");
        JsonNode own = TestHub.json(hub.get("/api/admin/limits?scope=key&subject=" + key.path("id").asText(),
                hub.ownerKey()));
        assertThat(own.findValuesAsText("metric")).containsExactlyInAnyOrder("requests_per_minute", "credits_per_day");

        row.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName(
                "Remove the 2.5 credits / day limit of ci-runner")).click();
        page.getByRole(AriaRole.DIALOG).getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions()
                .setName("Remove limit")).click();
        assertThat(row).not().containsText("credits / day");
        assertThat(row).containsText("60 requests / minute");

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Edit key ci-runner")).click();
        Locator dialog = page.getByRole(AriaRole.DIALOG);
        dialog.getByLabel("Key name").fill("build-server");
        dialog.getByLabel("Only from networks").fill("10.0.0.0/8");
        dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Save")).click();
        Locator renamed = page.locator("tbody tr").filter(new Locator.FilterOptions().setHasText("build-server"));
        assertThat(renamed).containsText("10.0.0.0/8");
        assertThat(renamed).containsText("60 requests / minute");

        page.getByLabel("Key name").fill("bad-net");
        page.getByLabel("Only from networks (optional)").fill("not-a-network");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create key")).click();
        assertThat(page.getByRole(AriaRole.ALERT)).containsText("ipAllow[0]");
        assertThat(page.locator(".secret-once")).hasCount(0);
        browser.screenshot(page, "account-keys-phone");
        JsonNode keys = TestHub.json(hub.get("/api/admin/users/" + mia.id() + "/access-keys", hub.ownerKey()));
        assertThat(keys.findValuesAsText("name")).contains("build-server").doesNotContain("ci-runner", "bad-net");
    }

    @Test
    void aMembersKeysAreTheirOwn() {
        Page page = browser.signIn("noah", "/account/keys");
        assertThat(page.getByText("No access keys yet.")).isVisible();
        assertThat(page.locator("tbody tr")).hasCount(0);
    }

    private static HttpResponse<String> chat(String key) throws IOException, InterruptedException {
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/v1/chat/completions"))
                    .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"openai/gpt-4o-mini\",\"messages\":"
                            + "[{\"role\":\"user\",\"content\":\"hi\"}]}")).build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
