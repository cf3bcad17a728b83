package io.aigne.hub.bench;

import io.aigne.hub.auth.Role;
import io.aigne.hub.auth.User;
import io.aigne.hub.auth.UserStore;
import io.aigne.hub.config.HubConfig.DatabaseConfig;
import io.aigne.hub.store.Database;
import io.aigne.hub.testing.TestDatabases;
import io.aigne.hub.testing.TestHub;
import io.aigne.hub.usage.UsageLedger;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The analytics benchmark (not a unit test; see {@code bench/analytics/README.md}): fills a database with synthetic
 * calls through the hub's own ledger writer (so the rollups are built by the production code path, in the same
 * transactions as the calls), starts a hub on it and measures every analytics endpoint over HTTP.
 *
 * <pre>
 * AnalyticsBenchmark --db sqlite|postgres [--calls 10000000] [--days 90] [--requests 200] [--warmup 20]
 *                    [--dir bench/analytics/work/sqlite] [--schema bench_analytics] [--skip-fill] [--drop]
 *                    [--out results.md]
 * </pre>
 */
public final class AnalyticsBenchmark {
    private static final long DAY = 86_400_000L;
    private static final int USERS = 2_000;
    private static final int APPS = 300;

    private final Map<String, String> options;
    private final boolean postgres;
    private final StringBuilder report = new StringBuilder();

    private AnalyticsBenchmark(Map<String, String> options) {
        this.options = options;
        this.postgres = "postgres".equals(options.getOrDefault("db", "sqlite"));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + args[i]);
            }
            String name = args[i].substring(2);
            boolean flag = i + 1 >= args.length || args[i + 1].startsWith("--");
            options.put(name, flag ? "true" : args[++i]);
        }
        new AnalyticsBenchmark(options).run();
    }

    private void run() throws Exception {
        long calls = Long.parseLong(options.getOrDefault("calls", "10000000"));
        int days = Integer.parseInt(options.getOrDefault("days", "90"));
        Path dir = Path.of(options.getOrDefault("dir", "bench/analytics/work/" + (postgres ? "pg-hub" : "sqlite")))
                .toAbsolutePath();
        Files.createDirectories(dir);
        String url = postgres ? pgSchemaUrl(options.getOrDefault("schema", "bench_analytics")) : "";
        line("# Analytics benchmark: %s, %s", postgres ? "PostgreSQL" : "SQLite", Instant.now());
        line("");
        line("Machine: %d cores, %s; load average before the run: %s", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"), loadAverage());
        try (Database db = Database.open(new DatabaseConfig(url, "", "", 4), dir)) {
            if (!options.containsKey("skip-fill")) {
                fill(db, url, dir, calls, days);
            }
            describe(db, dir);
        }
        measure(dir, url);
        if (options.containsKey("drop")) {
            if (postgres) {
                TestDatabases.dropSchema(TestDatabases.configuredPostgresUrl(), options.getOrDefault("schema",
                        "bench_analytics"));
            } else {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
        if (options.containsKey("out")) {
            Files.writeString(Path.of(options.get("out")), report.toString());
        }
    }

    // ------------------------------------------------------------------------------------------------ fill

    private void fill(Database db, String url, Path dir, long n, int days) throws Exception {
        long existing = db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM model_calls")
                .mapTo(Long.class).one());
        if (existing > 0) {
            throw new IllegalStateException("the benchmark database already has " + existing + " calls: measure "
                    + "it again with --skip-fill, or start from an empty one (--drop after a run removes it)");
        }
        UserStore users = new UserStore(db.jdbi());
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            ids.add(users.create(String.format("user-%04d", i), null, "user" + i + "@example.com", Role.MEMBER).id());
        }
        BenchPopulation population = new BenchPopulation(ids, APPS, 20_250_101L);
        long end = System.currentTimeMillis();
        long start = end - days * DAY;
        double step = (double) (end - start) / n;
        long began = System.nanoTime();
        // PostgreSQL: let the driver send each batch as multi-row statements (a fill-only speed-up; the hub's
        // own pool does not rewrite).
        try (Database writerDb = postgres ? Database.open(new DatabaseConfig(url + "&reWriteBatchedInserts=true",
                "", "", 2), dir) : null;
             UsageLedger ledger = new UsageLedger((writerDb == null ? db : writerDb).dataSource(), null, 5_000,
                     Duration.ofMillis(500))) {
            for (long i = 0; i < n; i++) {
                ledger.record(population.call(start + (long) (i * step)));
                if ((i + 1) % 200_000 == 0) {
                    ledger.awaitFlushed(Duration.ofMinutes(10));
                    double seconds = (System.nanoTime() - began) / 1e9;
                    System.out.printf("  %,d calls written, %.0f calls/s%n", i + 1, (i + 1) / seconds);
                }
            }
            ledger.awaitFlushed(Duration.ofMinutes(10));
        }
        double seconds = (System.nanoTime() - began) / 1e9;
        line("");
        line("Filled %,d calls over %d days through the ledger writer (calls and rollups in one transaction per "
                + "batch of 5,000) in %.0f s: %,.0f calls/s.", n, days, seconds, n / seconds);
        line("The busiest user makes %.1f%% of the calls; %d users, %d apps, %d models of %d providers.",
                100 * population.shareOfRank(0), USERS, APPS, population.models.size(),
                BenchPopulation.PROVIDERS.length);
        long analyze = System.nanoTime();
        // What the database's own maintenance does after a bulk load (autovacuum on PostgreSQL): statistics, and
        // there the visibility map that index-only scans need.
        String maintenance = postgres ? "VACUUM ANALYZE" : "ANALYZE";
        db.jdbi().useHandle(h -> h.execute(maintenance));
        line("%s: %.0f s.", maintenance, (System.nanoTime() - analyze) / 1e9);
    }

    private void describe(Database db, Path dir) {
        long calls = db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM model_calls")
                .mapTo(Long.class).one());
        line("");
        line("Rows: model_calls %,d; usage_rollups by period and grain:", calls);
        line("");
        line("| period | grain | rows |");
        line("|---|---|---:|");
        db.jdbi().useHandle(h -> h.createQuery("SELECT period, grain, COUNT(*) FROM usage_rollups "
                        + "GROUP BY period, grain ORDER BY period DESC, COUNT(*)")
                .map((rs, ctx) -> {
                    line("| %s | %s | %,d |", rs.getString(1), rs.getString(2), rs.getLong(3));
                    return 0;
                }).list());
        if (postgres) {
            db.jdbi().useHandle(h -> h.createQuery("SELECT relname, pg_total_relation_size(c.oid) FROM pg_class c "
                            + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() "
                            + "AND relname IN ('model_calls', 'usage_rollups')")
                    .map((rs, ctx) -> {
                        line("Size of %s with its indexes: %,d MB", rs.getString(1), rs.getLong(2) >> 20);
                        return 0;
                    }).list());
        } else {
            line("Size of the SQLite file: %,d MB", dir.resolve("hub.db").toFile().length() >> 20);
        }
    }

    // ------------------------------------------------------------------------------------------------ measure

    private record Scenario(String who, String name, String path, String key) {
    }

    private void measure(Path dir, String url) throws Exception {
        TestHub.Builder builder = TestHub.builder().dataDir(dir)
                .setting("AIGNE_HUB_LEDGER_FLUSH_INTERVAL_MILLIS", "200");
        if (postgres) {
            builder.postgres(url);
        }
        try (TestHub hub = builder.start()) {
            Database db = hub.hub().database();
            UserStore users = new UserStore(db.jdbi());
            // The users the fill made keep the hub from creating its first owner: an admin of our own asks.
            User adminUser = users.byName("bench-admin")
                    .orElseGet(() -> users.create("bench-admin", null, null, Role.ADMIN));
            String admin = hub.hub().keys().issue(adminUser.id(), "bench", null).secret();
            String heavyId = users.byName("user-0000").orElseThrow().id();
            String typicalId = users.byName("user-0040").orElseThrow().id();
            String heavy = hub.hub().keys().issue(heavyId, "bench", null).secret();
            String typical = hub.hub().keys().issue(typicalId, "bench", null).secret();
            long now = System.currentTimeMillis();
            String last30 = "startTime=" + (now - 30 * DAY) + "&endTime=" + now;
            String last90 = "startTime=" + (now - 90 * DAY) + "&endTime=" + now;
            String last7 = "startTime=" + (now - 7 * DAY) + "&endTime=" + now;
            String topApp = single(db, "SELECT app_did FROM usage_rollups WHERE period = 'day' AND grain = 'app' "
                    + "GROUP BY app_did ORDER BY SUM(calls) DESC LIMIT 1");
            String heavyApp = single(db, "SELECT app_did FROM usage_rollups WHERE period = 'day' AND grain = 'full' "
                    + "AND user_id = '" + heavyId + "' GROUP BY app_did ORDER BY SUM(calls) DESC LIMIT 1");
            String topModel = single(db, "SELECT model FROM usage_rollups WHERE period = 'day' AND grain = 'model' "
                    + "GROUP BY model ORDER BY SUM(calls) DESC LIMIT 1");
            String heavyModel = single(db, "SELECT model FROM usage_rollups WHERE period = 'day' AND grain = 'full' "
                    + "AND user_id = '" + heavyId + "' GROUP BY model ORDER BY SUM(calls) DESC LIMIT 1");
            String someCall = single(db, "SELECT id FROM model_calls WHERE created_at >= " + (now - 45 * DAY)
                    + " ORDER BY created_at LIMIT 1");
            String heavyShare = single(db, "SELECT CAST(SUM(calls) AS VARCHAR(20)) FROM usage_rollups "
                    + "WHERE period = 'day' AND grain = 'user' AND user_id = '" + heavyId + "'");
            String typicalShare = single(db, "SELECT CAST(SUM(calls) AS VARCHAR(20)) FROM usage_rollups "
                    + "WHERE period = 'day' AND grain = 'user' AND user_id = '" + typicalId + "'");
            String cursor = TestHub.json(hub.get("/api/user/model-calls?pageSize=20", heavy))
                    .path("paging").path("nextCursor").asText();

            List<Scenario> scenarios = List.of(
                    new Scenario("admin", "trends, 30 days by day (UTC+8)", "/api/usage/trends?" + last30
                            + "&timezoneOffset=-480", admin),
                    new Scenario("admin", "trends, 90 days by day (UTC)", "/api/usage/trends?" + last90
                            + "&timezoneOffset=0", admin),
                    new Scenario("admin", "trends, 24 hours by hour", "/api/usage/trends?startTime=" + (now - DAY)
                            + "&endTime=" + now, admin),
                    new Scenario("admin", "summary, 90 days, top models", "/api/usage/summary?allUsers=true&groupBy=model&"
                            + last90 + "&timezoneOffset=0", admin),
                    new Scenario("admin", "summary, 30 days, top users (UTC+8)", "/api/usage/summary?allUsers=true"
                            + "&groupBy=user&" + last30 + "&timezoneOffset=-480", admin),
                    new Scenario("admin", "summary, 30 days, top apps (UTC+8)", "/api/usage/summary?allUsers=true"
                            + "&groupBy=app&" + last30 + "&timezoneOffset=-480", admin),
                    new Scenario("admin", "projects, 30 days", "/api/usage/projects?allUsers=true&" + last30, admin),
                    new Scenario("admin", "project group trends, 30 days (UTC+8)",
                            "/api/usage/projects/group-trends?allUsers=true&" + last30 + "&timezoneOffset=-480", admin),
                    new Scenario("admin", "busiest project's trend, 30 days (UTC+8)",
                            "/api/usage/projects/trends?allUsers=true&appDid=" + enc(topApp) + "&" + last30
                                    + "&timezoneOffset=-480", admin),
                    new Scenario("admin", "busiest project's calls, page 1", "/api/usage/projects/calls?allUsers=true"
                            + "&appDid=" + enc(topApp) + "&" + last30, admin),
                    new Scenario("admin", "top models of all users, 30 days", "/api/user/admin/user-stats?" + last30,
                            admin),
                    new Scenario("admin", "call history, all users, page 1", "/api/user/model-calls?allUsers=true",
                            admin),
                    new Scenario("admin", "call history, all users, page 500 (offset 9,980)",
                            "/api/user/model-calls?allUsers=true&page=500", admin),
                    new Scenario("admin", "call history, all users, failed calls of the top model, 30 days",
                            "/api/user/model-calls?allUsers=true&status=failed&model=" + enc(topModel) + "&" + last30,
                            admin),
                    new Scenario("admin", "call history, all users, search by call id",
                            "/api/user/model-calls?allUsers=true&search=" + someCall, admin),
                    new Scenario("busiest user", "trends, 30 days by day (UTC+8)", "/api/usage/trends?" + last30
                            + "&timezoneOffset=-480", heavy),
                    new Scenario("busiest user", "summary, 30 days, top models (UTC+8)", "/api/usage/summary?"
                            + "groupBy=model&" + last30 + "&timezoneOffset=-480", heavy),
                    new Scenario("busiest user", "projects, 90 days", "/api/usage/projects?" + last90, heavy),
                    new Scenario("busiest user", "project group trends, 30 days (UTC+8)",
                            "/api/usage/projects/group-trends?" + last30 + "&timezoneOffset=-480", heavy),
                    new Scenario("busiest user", "own project's trend, 30 days (UTC+8)",
                            "/api/usage/projects/trends?appDid=" + enc(heavyApp) + "&" + last30
                                    + "&timezoneOffset=-480", heavy),
                    new Scenario("busiest user", "own project's calls, page 1", "/api/usage/projects/calls?appDid="
                            + enc(heavyApp) + "&" + last30, heavy),
                    new Scenario("busiest user", "top models, 30 days", "/api/user/usage-stats?" + last30, heavy),
                    new Scenario("busiest user", "call history, page 1", "/api/user/model-calls", heavy),
                    new Scenario("busiest user", "call history, next page by cursor", "/api/user/model-calls?cursor="
                            + enc(cursor), heavy),
                    new Scenario("busiest user", "call history, failed calls, 30 days", "/api/user/model-calls?"
                            + "status=failed&" + last30, heavy),
                    new Scenario("busiest user", "call history, search a model name",
                            "/api/user/model-calls?search=" + enc(heavyModel.substring(heavyModel.indexOf('/') + 1)),
                            heavy),
                    new Scenario("busiest user", "call history, calls slower than 10 s",
                            "/api/user/model-calls?minDurationSeconds=10", heavy),
                    new Scenario("typical user", "summary, 30 days, top models (UTC+8)", "/api/usage/summary?"
                            + "groupBy=model&" + last30 + "&timezoneOffset=-480", typical),
                    new Scenario("typical user", "call history, page 1", "/api/user/model-calls", typical),
                    new Scenario("typical user", "CSV export, 7 days", "/api/user/model-calls/export?" + last7,
                            typical));

            int warmup = Integer.parseInt(options.getOrDefault("warmup", "20"));
            int requests = Integer.parseInt(options.getOrDefault("requests", "200"));
            line("");
            line("The busiest user has %s calls, the typical one (activity rank 41 of %d) %s. Each endpoint: %d "
                    + "warm-up requests, then %d measured one after another from one client on the same machine; "
                    + "times are from sending the request to the last byte of the answer.", heavyShare, USERS,
                    typicalShare, warmup, requests);
            line("");
            line("| caller | request | p50 ms | p95 ms | p99 ms | max ms | answer bytes |");
            line("|---|---|---:|---:|---:|---:|---:|");
            for (Scenario s : scenarios) {
                for (int i = 0; i < warmup; i++) {
                    send(hub, s);
                }
                long[] nanos = new long[requests];
                long bytes = 0;
                for (int i = 0; i < requests; i++) {
                    long t0 = System.nanoTime();
                    bytes = send(hub, s);
                    nanos[i] = System.nanoTime() - t0;
                }
                Arrays.sort(nanos);
                line("| %s | %s | %.1f | %.1f | %.1f | %.1f | %,d |", s.who(), s.name(), ms(nanos, 50), ms(nanos, 95),
                        ms(nanos, 99), nanos[requests - 1] / 1e6, bytes);
            }
            line("");
            line("Load average after the run: %s", loadAverage());
        }
    }

    private static long send(TestHub hub, Scenario s) {
        HttpResponse<String> r = hub.get(s.path(), s.key());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(s.name() + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return r.body().getBytes(StandardCharsets.UTF_8).length;
    }

    /** Nearest-rank percentile of sorted durations, in ms. */
    private static double ms(long[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)] / 1e6;
    }

    private static String single(Database db, String sql) {
        return db.jdbi().withHandle(h -> h.createQuery(sql).mapTo(String.class).one());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String pgSchemaUrl(String schema) throws Exception {
        TestDatabases.assumePostgres();
        String base = TestDatabases.configuredPostgresUrl();
        try (Connection c = DriverManager.getConnection(base); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
        }
        return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private void line(String format, Object... args) {
        String text = args.length == 0 ? format : String.format(format, args);
        System.out.println(text);
        report.append(text).append('\n');
    }
}
