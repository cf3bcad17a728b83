package io.aigne.hub.web.console;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.aigne.hub.auth.Role;
import io.aigne.hub.auth.User;
import io.aigne.hub.billing.CreditEntry;
import io.aigne.hub.billing.Credits;
import io.aigne.hub.billing.ModelRate;
import io.aigne.hub.billing.RateStore;
import io.aigne.hub.testing.BrowserHarness;
import io.aigne.hub.testing.Chromium;
import io.aigne.hub.testing.FakeOpenAiProvider;
import io.aigne.hub.testing.TestHub;
import io.aigne.hub.usage.CallType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.math.BigDecimal;
import java.util.List;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The playground in real Chromium against the fake OpenAI provider: a streamed chat with its stats, saved and
 * reopened after a reload; Stop keeping the partial reply; an image; embeddings; and guests kept out until an admin
 * lets them in.
 */
class PlaygroundBrowserTest {
    private static final String FAST = "openai/gpt-4o-mini";
    /** The same fake behind a credential it answers slowly (first text after 300 ms, then 10 pieces 50 ms apart). */
    private static final String SLOW = "slow/gpt-4o-mini";
    private static final String ANSWER = "Hello from fake gpt-4o-mini";
    @RegisterExtension
    static final BrowserHarness browser = new BrowserHarness();
    private static FakeOpenAiProvider fake;
    private static TestHub hub;

    @BeforeAll
    static void start() {
        fake = browser.own(FakeOpenAiProvider.start());
        hub = browser.start(TestHub.builder().setting("AIGNE_HUB_BILLING_ENABLED", "true")
                .openAiProvider("openai", "openai", fake.baseUrl(), List.of(), "sk-ok-playground")
                .openAiProvider("slow", "openai", fake.baseUrl(), List.of("gpt-4o-mini"), "sk-slow"));
        RateStore rates = hub.hub().billing().rates().store();
        for (String provider : List.of("openai", "slow")) {
            rates.save(ModelRate.tokens(provider, "gpt-4o-mini", CallType.CHAT, new BigDecimal("0.001"),
                    new BigDecimal("0.002")));
        }
        rates.save(ModelRate.tokens("openai", "text-embedding-3-small", CallType.EMBEDDING, new BigDecimal("0.0001"),
                BigDecimal.ZERO));
        rates.save(new ModelRate(null, "openai", "gpt-image-1", CallType.IMAGE, null, BigDecimal.ZERO,
                BigDecimal.ZERO, null, null, new BigDecimal("0.04"), java.util.Map.of(), null, null,
                ModelRate.Source.MANUAL, false, null, null, null, 0, 0));
        hub.hub().billing().rates().reload();
        for (User user : List.of(browser.user("mia", Role.MEMBER), browser.user("gus", Role.GUEST))) {
            hub.hub().billing().ledger().grant(user.id(), CreditEntry.Kind.GRANT, Credits.parse("10"), null, null,
                    "test", "test");
        }
    }

    private static void send(Page page, String model, String text) {
        page.getByLabel("Model", new Page.GetByLabelOptions().setExact(true)).selectOption(model);
        page.getByLabel("Message").fill(text);
        page.getByLabel("Message").press("Enter");
    }

    @Test
    void aStreamedReplyShowsItsStatsAndTheConversationReopensAfterAReload() {
        Page page = browser.signIn("mia", "/playground");
        page.getByLabel("System prompt").fill("Answer in one line.");
        page.getByLabel("Temperature").fill("0.3");

        send(page, FAST, "Say hello to the **playground**");

        Locator reply = page.locator(".msg.assistant").last();
        assertThat(reply.locator(".msg-content")).hasText(ANSWER);
        Locator stats = reply.locator(".result-stats");
        assertThat(stats).containsText("11 in / 7 out tokens");
        // 11 × 0.001 + 7 × 0.002 credits, as the AIGNE door's usage.aigneHubCredits said.
        assertThat(stats).containsText("0.025 credits");
        assertThat(stats).containsText("first token");
        assertThat(stats).containsText("total");
        assertThat(stats).containsText(FAST);
        assertThat(page.locator(".msg.user .msg-content").last()).hasText("Say hello to the **playground**");
        Locator saved = page.locator(".conversation-open", new Page.LocatorOptions()
                .setHasText("Say hello to the **playground**"));
        assertThat(saved).hasCount(1);
        assertThat(fake.lastRequest().json().path("temperature").asDouble()).isEqualTo(0.3);
        assertThat(fake.lastRequest().json().path("messages").get(0).path("content").toString())
                .contains("Answer in one line.");
        browser.screenshot(page, "playground-chat");

        page.navigate("/playground");
        Chromium.awaitReady(page);
        assertThat(page.locator(".msg")).hasCount(0);
        saved.click();

        assertThat(page.locator(".msg.assistant .msg-content")).hasText(ANSWER);
        assertThat(page.locator(".msg.assistant .result-stats")).containsText("0.025 credits");
        assertThat(page.getByLabel("System prompt")).hasValue("Answer in one line.");

        // A second turn goes into the same conversation, which stays one entry at the top of the list.
        send(page, FAST, "And again");
        assertThat(page.locator(".msg.assistant")).hasCount(2);
        assertThat(page.locator(".msg.assistant").last().locator(".result-stats")).containsText("tokens");
        assertThat(saved).hasCount(1);
        assertThat(page.locator(".conversation-open").first()).hasText("Say hello to the **playground**");
        assertThat(fake.lastRequest().json().path("messages")).hasSize(4);
    }

    @Test
    void stopKeepsThePartialReplyAndSavesIt() {
        Page page = browser.signIn("mia", "/playground");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("New chat")).click();
        // Presses Stop the moment the first words show, as a user watching the reply would.
        page.evaluate("""
                () => new MutationObserver((_, observer) => {
                  const content = document.querySelector('.msg.assistant.streaming .msg-content');
                  if (content && content.textContent.trim()) {
                    observer.disconnect();
                    [...document.querySelectorAll('button')].find(b => b.textContent === 'Stop').click();
                  }
                }).observe(document.querySelector('.transcript'), {subtree: true, childList: true,
                  characterData: true})""");

        send(page, SLOW, "Tell me slowly");

        Locator reply = page.locator(".msg.assistant").last();
        assertThat(reply.locator(".result-stats .badge")).hasText("stopped");
        String partial = reply.locator(".msg-content").innerText().trim();
        assertThat(partial).isNotEmpty();
        assertThat(ANSWER).startsWith(partial);
        assertThat(partial.length()).isLessThan(ANSWER.length());
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Send"))).isEnabled();

        page.locator(".conversation-open", new Page.LocatorOptions().setHasText("Tell me slowly")).click();
        assertThat(page.locator(".msg.assistant .msg-content")).hasText(partial);
    }

    @Test
    void onAPhoneTheChatFitsTheScreen() {
        Page page = browser.signInOnPhone("mia", "/playground");
        send(page, FAST, "Hi from a phone");
        assertThat(page.locator(".msg.assistant .result-stats")).containsText("credits");
        Object overflow = page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth");
        assertThat(overflow).isEqualTo(false);
        browser.screenshot(page, "playground-chat-phone");
    }

    @Test
    void anImageIsGeneratedIntoTheGallery() {
        Page page = browser.signIn("mia", "/playground/images");
        page.getByLabel("Model", new Page.GetByLabelOptions().setExact(true)).selectOption("openai/gpt-image-1");
        page.getByLabel("Prompt").fill("a tiny red square");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Generate")).click();

        Locator item = page.locator(".gallery-item").first();
        assertThat(item.locator(".gallery-prompt")).hasText("a tiny red square");
        assertThat(item.locator(".result-stats")).containsText("openai/gpt-image-1");
        assertThat(item.locator(".result-stats")).containsText("0.04 credits");
        page.waitForFunction("() => { const img = document.querySelector('.gallery img');"
                + " return img && img.complete && img.naturalWidth > 0; }");
        assertThat(item.locator("a")).hasAttribute("target", "_blank");
        browser.screenshot(page, "playground-images");
    }

    @Test
    void embeddingsShowTheirSizeAndHowAlikeTheTextsAre() {
        Page page = browser.signIn("mia", "/playground/embeddings");
        page.getByLabel("Model", new Page.GetByLabelOptions().setExact(true))
                .selectOption("openai/text-embedding-3-small");
        page.getByLabel("Texts").fill("the cat sat\na kitten rested\nmarkets fell");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Embed")).click();

        Locator dims = page.locator(".stat", new Page.LocatorOptions().setHasText("Dimensions")).locator(".value");
        assertThat(dims).hasText(String.valueOf(FakeOpenAiProvider.EMBEDDING_DIMENSIONS));
        assertThat(page.locator(".stat", new Page.LocatorOptions().setHasText("Tokens")).locator(".value"))
                .hasText(String.valueOf(3 * FakeOpenAiProvider.EMBEDDING_TOKENS_PER_INPUT));
        Locator matrix = page.locator("table", new Page.LocatorOptions().setHas(
                page.locator("caption", new Page.LocatorOptions().setHasText("Cosine similarity"))));
        assertThat(matrix.locator("tbody tr")).hasCount(3);
        assertThat(matrix.locator("tbody tr").nth(1).locator("td").nth(2)).hasText("1.000");
        assertThat(page.locator(".result-stats")).containsText("ms");
        // 3 × 5 tokens at 0.0001 credits, as the hub charged them (usage.aigneHubCredits).
        assertThat(page.locator(".result-stats")).containsText("0.0015 credits");
        browser.screenshot(page, "playground-embeddings");
    }

    @Test
    void guestsAreKeptOutUntilAnAdminLetsThemIn() {
        Page page = browser.signIn("gus", "/playground");
        assertThat(page.locator(".notice.error")).containsText("the playground is not open to guests");
        assertThat(page.getByLabel("Message")).isDisabled();
        Object status = page.evaluate("""
                async () => (await fetch('/api/v2/chat', {method: 'POST', headers: {'Content-Type':
                  'application/json', 'X-CSRF-Token': JSON.parse(document.getElementById('page-data')
                  .textContent).csrfToken}, body: JSON.stringify({input: {messages: [{role: 'user',
                  content: 'hi'}], modelOptions: {model: 'openai/gpt-4o-mini'}}})})).status""");
        assertThat(status).isEqualTo(403);
        browser.screenshot(page, "playground-guest-closed");

        assertThat(hub.put("/api/admin/playground/settings", hub.ownerKey(), "{\"guestAccess\":true}")
                .statusCode()).isEqualTo(200);
        try {
            page.reload();
            Chromium.awaitReady(page);
            send(page, FAST, "A guest says hi");
            assertThat(page.locator(".msg.assistant .msg-content")).hasText(ANSWER);
        } finally {
            hub.put("/api/admin/playground/settings", hub.ownerKey(), "{\"guestAccess\":false}");
        }
    }
}
