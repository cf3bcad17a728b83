package io.aigne.hub.web.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.aigne.hub.auth.Role;
import io.aigne.hub.auth.User;
import io.aigne.hub.billing.ModelRate;
import io.aigne.hub.billing.RateStore;
import io.aigne.hub.store.Ids;
import io.aigne.hub.testing.BrowserHarness;
import io.aigne.hub.testing.Chromium;
import io.aigne.hub.testing.FakeOpenAiProvider;
import io.aigne.hub.testing.TestHub;
import io.aigne.hub.usage.CallRecord;
import io.aigne.hub.usage.CallStatus;
import io.aigne.hub.usage.CallType;
import io.aigne.hub.usage.Usage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The analytics pages (Overview, Usage, Projects, Audit log) and My credits in real Chromium, on a hub with billing
 * on whose ledger holds two real calls by a member (through the fake OpenAI provider, charged 7 credits each after
 * an admin's grant of 100) and two calls written to the ledger directly (a failed one and a streamed one of an app).
 */
class AnalyticsBrowserTest {
    @RegisterExtension
    static final BrowserHarness browser = new BrowserHarness();
    private static TestHub hub;

    @BeforeAll
    static void start() throws Exception {
        FakeOpenAiProvider openai = browser.own(FakeOpenAiProvider.start());
        hub = browser.start(TestHub.builder().setting("AIGNE_HUB_BILLING_ENABLED", "true")
                .openAiProvider("openai", "openai", openai.baseUrl(), List.of(), "sk-test-analytics"));
        // One credit per output token (max_tokens keeps the hold within the grant): the fake answers 7 completion tokens (11 prompt tokens), so a call costs 7.
        RateStore rates = hub.hub().billing().rates().store();
        rates.save(ModelRate.tokens("openai", "gpt-4o-mini", CallType.CHAT, BigDecimal.ZERO, BigDecimal.ONE));
        hub.hub().billing().rates().reload();

        User ada = browser.user("ada", Role.ADMIN);
        User max = browser.user("max", Role.MEMBER);
        HttpResponse<String> grant = hub.post("/api/admin/credits/grants", hub.ownerKey(),
                "{\"user\":\"max\",\"amount\":\"100\",\"expiresInDays\":30,\"description\":\"welcome\"}");
        assertThat(grant.statusCode()).isEqualTo(201);

        String maxKey = hub.hub().keys().issue(max.id(), "max's key", null).secret();
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> call = hub.post("/v1/chat/completions", maxKey, "{\"model\":\"openai/gpt-4o-mini\",\"max_tokens\":10,"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}");
            assertThat(call.statusCode()).isEqualTo(200);
        }
        long now = System.currentTimeMillis();
        hub.hub().ledger().record(new CallRecord(Ids.next(), now - 60_000, ada.id(), "key-ada", "app-x",
                "req-failed", "/v1/chat/completions", CallType.CHAT, false, "openai", "cred", "gpt-4o", "gpt-4o",
                CallStatus.FAILED, 502, "upstream said no", Usage.NONE, 1, 300, null, null, 0, 0, false));
        hub.hub().ledger().record(new CallRecord(Ids.next(), now - 30_000, ada.id(), "key-ada", "app-x",
                "req-streamed", "/v1/chat/completions", CallType.CHAT, true, "openai", "cred", "gpt-4o", "gpt-4o",
                CallStatus.SUCCESS, 200, null, Usage.tokens(20, 30, 0, 0, 0), 1, 900, 120L, null, 0, 0, false));
        assertThat(hub.calls()).hasSize(4);
        awaitSettled(max.id());
    }

    /** Charges are settled just after the answer is sent: wait until no credit is held. */
    private static void awaitSettled(String userId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (hub.hub().billing().ledger().account(userId).held().isPositive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    private static Locator stat(Page page, String label) {
        return page.locator(".stat:has(.label:text-is(\"" + label + "\")) .value");
    }

    @Test
    void theOverviewShowsWhatTheLedgerRecorded() {
        Page page = browser.signIn("ada", "/console");
        JsonNode totals = TestHub.json(hub.get("/api/usage/summary?allUsers=true&timeRange=1", hub.ownerKey()))
                .path("totals");

        assertThat(stat(page, "Calls").textContent()).isEqualTo("4");
        assertThat(stat(page, "Success rate").textContent()).isEqualTo("75.0 %");
        assertThat(stat(page, "Credits spent").textContent()).isEqualTo("14");
        assertThat(stat(page, "Tokens").textContent()).isEqualTo("86");
        assertThat(stat(page, "Latency p50 / p95").textContent()).isEqualTo(timing(totals.path("latency")));
        assertThat(stat(page, "First byte p50 / p95 (streams)").textContent()).isEqualTo(timing(totals.path("ttfb")))
                .doesNotContain("–");
        assertThat(page.locator(".chart-box canvas").count()).isEqualTo(1);
        Locator models = page.locator("section:has(h2:text-is(\"Top models\")) tbody tr");
        assertThat(models.locator("td:nth-child(1)").allTextContents())
                .containsExactlyInAnyOrder("gpt-4o", "openai/gpt-4o-mini");
        Locator mini = models.filter(new Locator.FilterOptions().setHasText("openai/gpt-4o-mini"));
        assertThat(mini.locator("td").allTextContents()).startsWith("openai/gpt-4o-mini", "2", "50.0 %", "100.0 %",
                "36", "14");
        assertThat(page.locator("section:has(h2:text-is(\"Top providers\")) tbody tr").first().textContent())
                .contains("openai").contains("100.0 %");
        browser.screenshot(page, "console-overview");
    }

    /** Percentiles as the cards show them (the hub's histogram estimates, so taken from the API, not the test). */
    private static String timing(JsonNode t) {
        return t.path("p50Ms").asLong() + " ms / " + t.path("p95Ms").asLong() + " ms";
    }

    @Test
    void usageChartsHistoryDetailAndCsvExportFollowTheFilters() {
        Page page = browser.signIn("ada", "/console/usage");

        assertThat(page.locator(".chart-box canvas").count()).isEqualTo(2);
        Locator rows = page.locator(".call-history tbody tr");
        assertThat(rows.count()).isEqualTo(4);
        assertThat(page.locator(".call-history").textContent()).contains("4 calls match.");

        rows.filter(new Locator.FilterOptions().setHasText("gpt-4o-mini")).first()
                .getByRole(AriaRole.BUTTON).click();
        Locator dialog = page.locator("dialog.call-detail");
        assertThat(dialog.isVisible()).isTrue();
        assertThat(detail(dialog, "Input tokens")).isEqualTo("11");
        assertThat(detail(dialog, "Output tokens")).isEqualTo("7");
        assertThat(detail(dialog, "Credits")).isEqualTo("7");
        assertThat(detail(dialog, "Model answered")).isNotBlank();
        assertThat(detail(dialog, "Access key")).isNotEqualTo("–");
        browser.screenshot(page, "console-usage-detail");
        dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Close")).click();

        page.getByLabel("Status").selectOption("failed");
        page.waitForFunction("() => document.querySelectorAll('.call-history tbody tr').length === 1");
        assertThat(rows.first().textContent()).contains("failed").contains("gpt-4o");

        String href = page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Export CSV"))
                .getAttribute("href");
        assertThat(href).startsWith("/api/user/model-calls/export?").contains("status=failed").contains("allUsers=true");
        APIResponse csv = page.request().get(href);
        assertThat(csv.status()).isEqualTo(200);
        String[] lines = csv.text().split("\r\n");
        assertThat(lines[0]).startsWith("Timestamp,Request ID,User DID");
        assertThat(lines).hasSize(2);
        assertThat(lines[1]).contains("failed");
        browser.screenshot(page, "console-usage");
    }

    private static String detail(Locator dialog, String term) {
        return dialog.locator("dt:text-is(\"" + term + "\") + dd").textContent();
    }

    @Test
    void projectsListAppsWithTheirTotalsAndRecentCalls() {
        Page page = browser.signIn("ada", "/console/projects");

        assertThat(page.locator(".chart-box canvas").count()).isEqualTo(1);
        Locator app = page.locator("tbody tr").filter(new Locator.FilterOptions().setHasText("app-x"));
        assertThat(app.locator("td").nth(1).textContent()).isEqualTo("2");
        assertThat(app.locator("td").nth(3).textContent()).isEqualTo("50");
        app.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("app-x")).click();
        page.waitForFunction("() => document.querySelectorAll('.call-history tbody tr').length === 2");
        assertThat(page.locator(".history-head h2").textContent()).isEqualTo("Recent calls of app-x");
        browser.screenshot(page, "console-projects");
    }

    @Test
    void theAuditLogListsTheGrantWithItsChange() {
        Page page = browser.signIn("ada", "/console/audit");

        page.getByLabel("Action").fill("credit.");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Apply filters")).click();
        page.getByText("1 change matches.").waitFor();
        Locator row = page.locator("tbody tr").first();
        assertThat(row.textContent()).contains("credit.grant").contains("user");
        row.getByRole(AriaRole.BUTTON).click();
        Locator after = page.locator("dialog section:has(h3:text-is(\"After\")) pre");
        assertThat(after.textContent()).contains("\"amount\": \"100\"").contains("welcome");
        browser.screenshot(page, "console-audit");
    }

    @Test
    void myCreditsShowTheBalanceAfterTheGrantAndTheDaysItLasts() {
        Page page = browser.signIn("max", "/account/credits");

        assertThat(stat(page, "Balance").textContent()).isEqualTo("86");
        assertThat(stat(page, "Held by calls in flight").textContent()).isEqualTo("0");
        // 14 credits in 30 days is 0.466666667 a day: 86 last 184 days.
        assertThat(stat(page, "Estimated days left").textContent()).isEqualTo("184");
        assertThat(page.locator(".chart-box canvas").count()).isEqualTo(1);
        Locator grant = page.locator("table:has(caption:text-is(\"Grants\")) tbody tr");
        assertThat(grant.count()).isEqualTo(1);
        assertThat(grant.textContent()).contains("100").contains("86").contains("welcome").doesNotContain("Never");
        assertThat(page.locator("table:has(caption:text-is(\"Transactions\")) tbody tr").count()).isEqualTo(3);
        assertThat(page.locator(".call-history tbody tr").count()).isEqualTo(2);
        assertThat(page.locator(".call-history tbody tr td:nth-child(2)").allTextContents())
                .containsExactly("openai/gpt-4o-mini", "openai/gpt-4o-mini");
        // Payments are not configured and no purchase URL is set: there is nowhere to buy credits.
        assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Buy credits")).count()).isZero();
        browser.screenshot(page, "account-credits");
    }

    @Test
    void myCreditsOfferAConfiguredPurchaseUrlAtPhoneSize() {
        String settings = "/api/admin/billing/settings";
        assertThat(hub.put(settings, hub.ownerKey(), "{\"purchaseUrl\":\"https://shop.example.com/credits\"}")
                .statusCode()).isEqualTo(200);
        try {
            Page page = browser.signInOnPhone("max", "/account/credits");

            assertThat(stat(page, "Balance").textContent()).isEqualTo("86");
            assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Buy credits"))
                    .getAttribute("href")).isEqualTo("https://shop.example.com/credits");
            assertThat((Boolean) page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"))
                    .isTrue();
            browser.screenshot(page, "account-credits-phone");
        } finally {
            assertThat(hub.put(settings, hub.ownerKey(), "{\"purchaseUrl\":\"\"}").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void membersAreRefusedTheUsagePage() {
        Page page = browser.page();
        Chromium.signIn(page, "max", "/console/usage");

        assertThat(page.textContent("main")).contains("This page is for owners and admins; your role is member");
        assertThat(page.locator("canvas").count()).isZero();
    }
}
