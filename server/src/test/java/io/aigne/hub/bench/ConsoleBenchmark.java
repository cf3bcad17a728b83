package io.aigne.hub.bench;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Page;
import io.aigne.hub.auth.Passwords;
import io.aigne.hub.auth.Role;
import io.aigne.hub.auth.User;
import io.aigne.hub.auth.UserStore;
import io.aigne.hub.testing.Chromium;
import io.aigne.hub.testing.TestHub;
import io.aigne.hub.web.console.ConsolePage;
import io.aigne.hub.web.console.ConsolePages;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How long the console's pages take in a real browser on a large ledger: from the start of the navigation until the
 * page's script has drawn it with its data ({@code body[data-ready]}), measured by the browser's own clock
 * ({@code performance.now()}). Run on a data directory filled by {@code bench/analytics/run.sh --calls 1000000};
 * see {@code bench/console/README.md}.
 */
public final class ConsoleBenchmark {
    private static final int COLD_LOADS = 5;
    private final Map<String, String> options;
    private final StringBuilder report = new StringBuilder();

    private ConsoleBenchmark(Map<String, String> options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i].substring(2);
            boolean flag = i + 1 >= args.length || args[i + 1].startsWith("--");
            options.put(name, flag ? "true" : args[++i]);
        }
        new ConsoleBenchmark(options).run();
        System.exit(0);
    }

    private void run() throws Exception {
        Path dir = Path.of(options.getOrDefault("dir", "bench/analytics/work/sqlite")).toAbsolutePath();
        int runs = Integer.parseInt(options.getOrDefault("runs", "20"));
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "3"));
        try (TestHub hub = TestHub.builder().dataDir(dir).start(); Chromium chromium = Chromium.launch()) {
            UserStore users = hub.hub().users();
            User admin = users.byName("bench-admin").orElseGet(() -> users.create("bench-admin", null, null,
                    Role.ADMIN));
            User busiest = users.byName("user-0000").orElseThrow(() -> new IllegalStateException(
                    "no user-0000: fill the directory first with bench/analytics/run.sh --calls 1000000 --dir " + dir));
            for (User u : List.of(admin, busiest)) {
                users.setPasswordHash(u.id(), Passwords.hash(Chromium.PASSWORD));
            }
            long calls = hub.hub().database().jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM model_calls")
                    .mapTo(Long.class).one());
            long busiestCalls = hub.hub().database().jdbi().withHandle(h -> h.createQuery(
                    "SELECT COUNT(*) FROM model_calls WHERE user_id = :u").bind("u", busiest.id())
                    .mapTo(Long.class).one());
            line("# Console pages in Chromium: %s", Instant.now());
            line("");
            line("Ledger: %,d calls (SQLite, %s); the busiest user has %,d. Each page: %d warm-up loads, then %d "
                    + "loads, one after another, in headless Chromium %s on the same machine (2 cores). Time = "
                    + "navigation start → page drawn with its data (the page's `hub-ready` performance mark), browser clock.", calls,
                    dir.getFileName(), busiestCalls, warmup, runs, chromium.version());
            line("");
            line("| user | page | p50 ms | p95 ms | max ms | HTML received, p50 ms | scripts run (DOMContentLoaded), p50 ms "
                    + "| slowest API request, p50 ms | API requests | first visit (cache cleared), p50 / max ms |");
            line("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
            measure(chromium, hub, "admin", "bench-admin", ConsolePages.ALL, runs, warmup);
            measure(chromium, hub, "busiest user", "user-0000", ConsolePages.ALL.stream()
                    .filter(p -> p.access() != ConsolePage.Access.ADMIN).toList(), runs, warmup);
        }
        if (options.containsKey("out")) {
            Files.writeString(Path.of(options.get("out")), report.toString());
        }
    }

    private void measure(Chromium chromium, TestHub hub, String who, String userName, List<ConsolePage> pages,
                         int runs, int warmup) {
        try (BrowserContext context = chromium.desktop(hub.baseUrl())) {
            Page page = context.newPage();
            List<String> requests = new ArrayList<>();
            page.onRequest(r -> {
                if (r.url().contains("/api/")) {
                    requests.add(r.url());
                }
            });
            Chromium.signIn(page, userName, null);
            for (ConsolePage p : pages) {
                double[] times = new double[runs];
                double[] html = new double[runs];
                double[] scripts = new double[runs];
                double[] slowestApi = new double[runs];
                long apiRequests = 0;
                for (int i = -warmup; i < runs; i++) {
                    requests.clear();
                    page.navigate(p.path());
                    Chromium.awaitReady(page);
                    double ms = ((Number) page.evaluate("performance.getEntriesByName('hub-ready')[0].startTime"))
                            .doubleValue();
                    @SuppressWarnings("unchecked")
                    List<Number> marks = (List<Number>) page.evaluate("(() => { const n = performance"
                            + ".getEntriesByType('navigation')[0]; const api = performance.getEntriesByType('resource')"
                            + ".filter(r => r.name.includes('/api/')); return [n.responseEnd, n.domContentLoadedEventEnd,"
                            + " Math.max(0, ...api.map(r => r.responseEnd - r.startTime))]; })()");
                    if (i >= 0) {
                        times[i] = ms;
                        html[i] = marks.get(0).doubleValue();
                        scripts[i] = marks.get(1).doubleValue();
                        slowestApi[i] = marks.get(2).doubleValue();
                        apiRequests = requests.size();
                    }
                }
                double[] cold = new double[COLD_LOADS];
                for (int i = 0; i < COLD_LOADS; i++) {
                    cold[i] = coldLoad(page, p);
                }
                Arrays.sort(cold);
                Arrays.sort(times);
                Arrays.sort(html);
                Arrays.sort(scripts);
                Arrays.sort(slowestApi);
                line("| %s | %s `%s` | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %d | %.0f / %.0f |", who, p.title(),
                        p.path(), pct(times, 50), pct(times, 95), times[times.length - 1], pct(html, 50),
                        pct(scripts, 50), pct(slowestApi, 50), apiRequests, pct(cold, 50), cold[cold.length - 1]);
            }
        }
    }

    /**
     * A first visit: the browser is open and signed in, but nothing of the hub is in its cache (cleared through the
     * DevTools protocol, which also drops the compiled code cached with the files), so every file is fetched and
     * compiled again.
     */
    private static double coldLoad(Page page, ConsolePage p) {
        CDPSession devtools = page.context().newCDPSession(page);
        devtools.send("Network.clearBrowserCache");
        devtools.detach();
        page.navigate(p.path());
        Chromium.awaitReady(page);
        double ready = ((Number) page.evaluate("performance.getEntriesByName('hub-ready')[0].startTime")).doubleValue();
        if (System.getenv("BENCH_COLD_DETAIL") != null) {
            System.out.println("    cold " + p.path() + " " + page.evaluate("JSON.stringify({ready: " + ready
                    + ", dcl: performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd, res: "
                    + "performance.getEntriesByType('resource').map(r => [r.name.replace(location.origin, ''), "
                    + "Math.round(r.startTime), Math.round(r.responseEnd), r.transferSize])})"));
        }
        return ready;
    }

    private static double pct(double[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private void line(String format, Object... args) {
        String text = args.length == 0 ? format : String.format(format, args);
        System.out.println(text);
        report.append(text).append('\n');
    }
}
