package io.aigne.hub.testing;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import io.aigne.hub.auth.Passwords;
import io.aigne.hub.auth.Role;
import io.aigne.hub.auth.User;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Real headless Chromium (Debian's {@code /usr/bin/chromium}, driven by Playwright for Java; no browser is ever
 * downloaded) for the console and playground tests. Without Chromium the tests are skipped with the reason, unless
 * {@value #REQUIRE_ENV}{@code =1} (set by {@code .ci/run} after installing it) makes that a failure. Screenshots go
 * to {@code target/screenshots}.
 */
public final class Chromium implements AutoCloseable {
    public static final String REQUIRE_ENV = "AIGNE_HUB_TEST_REQUIRE_CHROMIUM";
    public static final Path EXECUTABLE = Path.of(System.getenv().getOrDefault("AIGNE_HUB_TEST_CHROMIUM",
            "/usr/bin/chromium"));
    public static final Path SCREENSHOTS = Path.of("target", "screenshots");
    public static final String PASSWORD = "a long enough password";
    private static final AtomicBoolean SKIP_ANNOUNCED = new AtomicBoolean();

    private final Playwright playwright;
    private final Browser browser;

    private Chromium(Playwright playwright, Browser browser) {
        this.playwright = playwright;
        this.browser = browser;
    }

    /** A headless Chromium, or the test is skipped (failed under {@value #REQUIRE_ENV}=1) when there is none. */
    public static Chromium launch() {
        if (!Files.isExecutable(EXECUTABLE)) {
            String message = "no Chromium at " + EXECUTABLE + ": install Debian's package (apt-get install chromium) "
                    + "or point AIGNE_HUB_TEST_CHROMIUM at one";
            if ("1".equals(System.getenv(REQUIRE_ENV))) {
                Assertions.fail(message + " [" + REQUIRE_ENV + "=1, so this is a failure, not a skip]");
            }
            if (SKIP_ANNOUNCED.compareAndSet(false, true)) {
                System.err.println("[Chromium] skipping the browser tests: " + message);
            }
            Assumptions.abort(message);
        }
        Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(java.util.Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(EXECUTABLE)
                .setHeadless(true)
                // The machine's network is closed: without these Chromium keeps dialling Google's services.
                .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync")));
        return new Chromium(playwright, browser);
    }

    /** The browser's version, for reports. */
    public String version() {
        return browser.version();
    }

    /** A fresh browser profile (no cookies) at desktop size. */
    public BrowserContext desktop(String baseUrl) {
        return context(baseUrl, 1280, 860);
    }

    /** A fresh browser profile at a phone's size. */
    public BrowserContext phone(String baseUrl) {
        return context(baseUrl, 390, 844);
    }

    private BrowserContext context(String baseUrl, int width, int height) {
        BrowserContext context = browser.newContext(new Browser.NewContextOptions().setBaseURL(baseUrl)
                .setViewportSize(width, height));
        context.setDefaultTimeout(15_000);
        return context;
    }

    /** A user with {@link #PASSWORD}, ready to sign in. */
    public static User user(TestHub hub, String name, Role role) {
        User user = hub.hub().users().create(name, null, null, role);
        hub.hub().users().setPasswordHash(user.id(), Passwords.hash(PASSWORD));
        return user;
    }

    /** Signs in through the real sign-in form and waits for the page it lands on. */
    public static void signIn(Page page, String userName, String nextPath) {
        page.navigate(nextPath == null ? "/auth/signin" : "/auth/signin?next=" + nextPath);
        page.getByLabel("User name").fill(userName);
        page.getByLabel("Password").fill(PASSWORD);
        page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                new Page.GetByRoleOptions().setName("Sign in")).click();
        page.waitForURL(url -> !url.contains("/auth/signin"));
    }

    /** Waits until the page's script has drawn it ({@code body[data-ready]}). */
    public static void awaitReady(Page page) {
        page.waitForSelector("body[data-ready=true]");
    }

    /** Saves a full-page screenshot as {@code target/screenshots/<name>.png}. */
    public static Path screenshot(Page page, String name) {
        Path file = SCREENSHOTS.resolve(name + ".png");
        page.screenshot(new Page.ScreenshotOptions().setPath(file).setFullPage(true));
        return file;
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }
}
