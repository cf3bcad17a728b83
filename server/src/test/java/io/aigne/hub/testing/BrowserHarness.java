package io.aigne.hub.testing;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import io.aigne.hub.auth.Role;
import io.aigne.hub.auth.User;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The set-up every browser test shares, as a JUnit extension:
 * <pre>{@code
 * @RegisterExtension
 * static final BrowserHarness browser = new BrowserHarness();
 *
 * @BeforeAll
 * static void start() {
 *     fake = browser.own(FakeOpenAiProvider.start());
 *     hub = browser.start(TestHub.builder().openAiProvider(...));
 *     browser.user("ada", Role.ADMIN);
 * }
 *
 * @Test
 * void ...() {
 *     Page page = browser.signIn("ada", "/console/providers");
 * }
 * }</pre>
 * One Chromium per class, launched before the class's {@code @BeforeAll} so that a machine without it skips the class
 * before anything starts; the hub and whatever else the class hands to {@link #own} are closed after the class, last
 * opened first. Each page lives in a fresh browser profile (no cookies) that is closed after its test; when the test
 * failed, a screenshot of every page it opened is saved first ({@code target/screenshots/failed-<class>-<test>}).
 */
public final class BrowserHarness implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
    private final Deque<AutoCloseable> owned = new ArrayDeque<>();
    private final List<BrowserContext> contexts = new ArrayList<>();
    private Chromium chromium;
    private TestHub hub;

    @Override
    public void beforeAll(ExtensionContext context) {
        chromium = Chromium.launch();
    }

    /** Closes {@code resource} (a fake provider, say) after the class's tests; answers it. */
    public <T extends AutoCloseable> T own(T resource) {
        owned.push(resource);
        return resource;
    }

    /** Starts the class's hub, which the pages of {@link #page} and {@link #signIn} open; it is closed after the class. */
    public TestHub start(TestHub.Builder builder) {
        hub = own(builder.start());
        return hub;
    }

    public TestHub hub() {
        if (hub == null) {
            throw new IllegalStateException("start the hub first: browser.start(TestHub.builder()...) in @BeforeAll");
        }
        return hub;
    }

    /** A user of the hub with {@link Chromium#PASSWORD}, ready to sign in. */
    public User user(String name, Role role) {
        return Chromium.user(hub(), name, role);
    }

    /** A blank page at desktop size, in a fresh browser profile. */
    public Page page() {
        return open(Chromium::desktop);
    }

    /** A blank page at a phone's size, in a fresh browser profile. */
    public Page phonePage() {
        return open(Chromium::phone);
    }

    /** Signs {@code user} in through the sign-in form, on to {@code path}, and waits for that page to be drawn. */
    public Page signIn(String user, String path) {
        return signedIn(page(), user, path);
    }

    /** {@link #signIn} at a phone's size. */
    public Page signInOnPhone(String user, String path) {
        return signedIn(phonePage(), user, path);
    }

    /** Saves a full-page screenshot as {@code target/screenshots/<name>.png}. */
    public Path screenshot(Page page, String name) {
        return Chromium.screenshot(page, name);
    }

    private static Page signedIn(Page page, String user, String path) {
        Chromium.signIn(page, user, path);
        Chromium.awaitReady(page);
        return page;
    }

    private Page open(BiFunction<Chromium, String, BrowserContext> size) {
        BrowserContext context = size.apply(chromium, hub().baseUrl());
        contexts.add(context);
        return context.newPage();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (context.getExecutionException().isPresent()) {
            String name = "failed-" + context.getRequiredTestClass().getSimpleName() + "-"
                    + context.getRequiredTestMethod().getName();
            int n = 0;
            for (BrowserContext browserContext : contexts) {
                for (Page page : browserContext.pages()) {
                    try {
                        Chromium.screenshot(page, name + (n++ == 0 ? "" : "-" + n));
                    } catch (RuntimeException e) {
                        System.err.println("[BrowserHarness] no screenshot of a failed test's page: " + e.getMessage());
                    }
                }
            }
        }
        closeContexts();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        closeContexts();
        Exception failure = null;
        while (!owned.isEmpty()) {
            try {
                owned.pop().close();
            } catch (Exception e) {
                failure = addTo(failure, e);
            }
        }
        hub = null;
        if (chromium != null) {
            try {
                chromium.close();
            } catch (RuntimeException e) {
                failure = addTo(failure, e);
            }
            chromium = null;
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void closeContexts() {
        for (BrowserContext context : contexts) {
            context.close();
        }
        contexts.clear();
    }

    private static Exception addTo(Exception first, Exception next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }
}
