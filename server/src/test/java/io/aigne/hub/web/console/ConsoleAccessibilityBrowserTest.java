package io.aigne.hub.web.console;

import com.microsoft.playwright.Page;
import io.aigne.hub.auth.Role;
import io.aigne.hub.testing.BrowserHarness;
import io.aigne.hub.testing.Chromium;
import io.aigne.hub.testing.FakeOpenAiProvider;
import io.aigne.hub.testing.TestHub;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every page of {@link ConsolePages}, checked the same way in Chromium: each form control and button has an
 * accessible name, the keyboard reaches the content first through the skip link, and at a phone's width nothing
 * makes the page itself scroll sideways (wide tables scroll inside their own box).
 */
class ConsoleAccessibilityBrowserTest {
    /** Controls and buttons without an accessible name (label, aria-label, aria-labelledby or text). */
    private static final String UNNAMED = """
            () => {
              const shown = [...document.querySelectorAll('input:not([type=hidden]), select, textarea, button')]
                .filter(el => el.offsetParent !== null || el.closest('dialog[open]'));
              const unnamed = shown.filter(el => !((el.labels && el.labels.length) || el.getAttribute('aria-label')
                  || el.getAttribute('aria-labelledby') || (el.tagName === 'BUTTON' && el.textContent.trim())))
                .map(el => el.outerHTML.slice(0, 120));
              return {checked: shown.length, unnamed};
            }""";

    @RegisterExtension
    static final BrowserHarness browser = new BrowserHarness();

    @BeforeAll
    static void start() {
        FakeOpenAiProvider fake = browser.own(FakeOpenAiProvider.start());
        browser.start(TestHub.builder().openAiProvider("openai", "openai", fake.baseUrl(), List.of(), "sk-ok-a11y"));
        browser.user("ada", Role.ADMIN);
    }

    @Test
    void everyControlOnEveryPageHasAName() {
        Page page = browser.signIn("ada", "/console");
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (ConsolePage p : ConsolePages.ALL) {
            page.navigate(p.path());
            Chromium.awaitReady(page);
            @SuppressWarnings("unchecked")
            Map<String, Object> audit = (Map<String, Object>) page.evaluate(UNNAMED);
            checked += ((Number) audit.get("checked")).intValue();
            @SuppressWarnings("unchecked")
            List<String> unnamed = (List<String>) audit.get("unnamed");
            unnamed.forEach(html -> problems.add(p.path() + ": " + html));
        }
        assertThat(problems).isEmpty();
        assertThat(checked).as("controls checked on all pages").isGreaterThan(100);
    }

    @Test
    void theKeyboardReachesTheContentThroughTheSkipLink() {
        Page page = browser.signIn("ada", "/console/usage");

        page.keyboard().press("Tab");
        assertThat(page.evaluate("document.activeElement.textContent")).isEqualTo("Skip to content");
        page.keyboard().press("Enter");

        assertThat(page.evaluate("document.activeElement.id")).isEqualTo("main");
    }

    @Test
    void noPageScrollsSidewaysOnAPhone() {
        Page page = browser.signInOnPhone("ada", "/console");
        List<String> wide = new ArrayList<>();
        for (ConsolePage p : ConsolePages.ALL) {
            page.navigate(p.path());
            Chromium.awaitReady(page);
            Number overflow = (Number) page.evaluate(
                    "document.documentElement.scrollWidth - document.documentElement.clientWidth");
            if (overflow.intValue() > 0) {
                wide.add(p.path() + " is " + overflow + " px too wide");
            }
        }
        assertThat(wide).isEmpty();
    }
}
