package io.aigne.hub;

import io.aigne.hub.auth.AccessKeys;
import io.aigne.hub.auth.Role;
import io.aigne.hub.auth.UserStore;
import io.aigne.hub.billing.BillingPolicy;
import io.aigne.hub.billing.CreditAccount;
import io.aigne.hub.billing.CreditEntry;
import io.aigne.hub.billing.CreditLedger;
import io.aigne.hub.billing.Credits;
import io.aigne.hub.billing.ModelRate;
import io.aigne.hub.billing.RateStore;
import io.aigne.hub.limits.LimitMetric;
import io.aigne.hub.limits.LimitScope;
import io.aigne.hub.limits.LimitStore;
import io.aigne.hub.testing.FakeOpenAiProvider;
import io.aigne.hub.testing.HubProcess;
import io.aigne.hub.testing.TestDatabases;
import io.aigne.hub.testing.TestDatabases.PgDatabase;
import io.aigne.hub.testing.TestRedis;
import io.aigne.hub.usage.CallType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two hub processes on one PostgreSQL database (and one Redis) behave as one hub: 200 concurrent calls spread over
 * both by a user whose credit covers 50 are admitted 50 times in total and the ledger sums to the balance; a rate
 * limit of N per minute admits N calls in total, not N per node.
 */
class TwoHubProcessesTest {

    private record Setup(String userId, String key, CreditLedger ledger) {
    }

    private static Setup member(PgDatabase pg, String credits) {
        String userId = new UserStore(pg.db().jdbi()).create("shared", null, null, Role.MEMBER).id();
        String key = new AccessKeys(pg.db().jdbi(), Duration.ofSeconds(1)).issue(userId, "shared", null).secret();
        new RateStore(pg.db().jdbi()).save(ModelRate.tokens("openai", "gpt-4o-mini", CallType.CHAT,
                BigDecimal.ZERO, BigDecimal.ONE));
        CreditLedger ledger = new CreditLedger(pg.db().jdbi(), pg.db().dialect(), () -> new BillingPolicy(true,
                BigDecimal.ONE, BigDecimal.ZERO, Credits.ZERO, 0, 4096, true, "", ""));
        ledger.grant(userId, CreditEntry.Kind.GRANT, Credits.parse(credits), null, null, "test", "test");
        return new Setup(userId, key, ledger);
    }

    /** The account once every call has settled: a call is charged just after its answer is sent. */
    private static CreditAccount settled(Setup m) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        CreditAccount account = m.ledger().account(m.userId());
        while (account.held().isPositive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            account = m.ledger().account(m.userId());
        }
        return account;
    }

    /** The environment of one node: the shared database and master key, its own data directory. */
    private static Map<String, String> node(PgDatabase pg, String masterKey, Path dataDir, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(extra);
        env.put("AIGNE_HUB_DATABASE_URL", pg.schemaUrl());
        env.put("AIGNE_HUB_BILLING_ENABLED", "true");
        env.put("AIGNE_HUB_SECURITY_MASTER_KEY", masterKey);
        env.put("AIGNE_HUB_DATA_DIR", dataDir.toString());
        return env;
    }

    private static String masterKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /** Sends {@code calls} chat calls at once, alternating between the nodes; the count of each status. */
    private static Map<Integer, Integer> race(List<HubProcess> nodes, String key, int calls) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> sent = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            String base = nodes.get(i % nodes.size()).baseUrl();
            sent.add(pool.submit(() -> {
                go.await();
                return http.send(HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
                        .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"openai/gpt-4o-mini\","
                                + "\"max_tokens\":7,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"))
                        .build(), HttpResponse.BodyHandlers.ofString()).statusCode();
            }));
        }
        go.countDown();
        Map<Integer, Integer> statuses = new HashMap<>();
        for (Future<Integer> call : sent) {
            statuses.merge(call.get(), 1, Integer::sum);
        }
        pool.shutdown();
        return statuses;
    }

    @Test
    void twoNodesNeverOverdrawOneAccount(@TempDir Path dir) throws Exception {
        TestDatabases.assumePostgres();
        try (PgDatabase pg = TestDatabases.postgres(); FakeOpenAiProvider openai = FakeOpenAiProvider.start()) {
            Setup m = member(pg, "350");
            Path config = HubProcess.configWithProvider(dir.resolve("config"), "openai", openai.baseUrl(), "sk-nodes");
            String masterKey = masterKey();
            try (HubProcess a = HubProcess.start(config, node(pg, masterKey, dir.resolve("a"), Map.of()));
                 HubProcess b = HubProcess.start(config, node(pg, masterKey, dir.resolve("b"), Map.of()))) {
                Map<Integer, Integer> statuses = race(List.of(a, b), m.key(), 200);

                assertThat(statuses).as("status counts").containsOnlyKeys(200, 402);
                assertThat(statuses.get(200)).isEqualTo(50);
                assertThat(openai.requests()).as("only admitted calls reached the provider").hasSize(50);
                CreditAccount account = settled(m);
                assertThat(account.balance()).isEqualTo(Credits.ZERO);
                assertThat(account.held()).isEqualTo(Credits.ZERO);
                assertThat(m.ledger().ledgerSum(m.userId())).isEqualTo(account.balance());
            }
        }
    }

    @Test
    void aRateLimitOfNPerMinuteAdmitsNInTotalAcrossTwoProcesses(@TempDir Path dir) throws Exception {
        TestDatabases.assumePostgres();
        TestRedis.assumeRedis();
        try (PgDatabase pg = TestDatabases.postgres(); TestRedis.Prefix prefix = TestRedis.prefix();
             FakeOpenAiProvider openai = FakeOpenAiProvider.start()) {
            Setup m = member(pg, "1000");
            new LimitStore(pg.db().jdbi()).create(LimitScope.USER, m.userId(), LimitMetric.REQUESTS_PER_MINUTE, 10,
                    "two-node test", "test");
            Path config = HubProcess.configWithProvider(dir.resolve("config"), "openai", openai.baseUrl(), "sk-nodes");
            String masterKey = masterKey();
            Map<String, String> redis = Map.of("AIGNE_HUB_LIMITS_BACKEND", "redis",
                    "AIGNE_HUB_LIMITS_REDIS_URL", TestRedis.url(), "AIGNE_HUB_LIMITS_KEY_PREFIX", prefix.value());
            try (HubProcess a = HubProcess.start(config, node(pg, masterKey, dir.resolve("a"), redis));
                 HubProcess b = HubProcess.start(config, node(pg, masterKey, dir.resolve("b"), redis))) {
                // The window is the clock minute: start the race where it cannot straddle two minutes.
                if (LocalTime.now(ZoneOffset.UTC).getSecond() > 45) {
                    Thread.sleep((61 - LocalTime.now(ZoneOffset.UTC).getSecond()) * 1000L);
                }
                Map<Integer, Integer> statuses = race(List.of(a, b), m.key(), 40);

                assertThat(statuses).as("status counts").containsOnlyKeys(200, 429);
                assertThat(statuses.get(200)).isEqualTo(10);
                assertThat(openai.requests()).as("only admitted calls reached the provider").hasSize(10);
                assertThat(settled(m).balance()).isEqualTo(Credits.ofWhole(1000 - 10 * 7));
            }
        }
    }
}
