package io.aigne.hub.billing;

import io.aigne.hub.auth.AccessKeys;
import io.aigne.hub.auth.Role;
import io.aigne.hub.auth.UserStore;
import io.aigne.hub.testing.FakeOpenAiProvider;
import io.aigne.hub.testing.HubProcess;
import io.aigne.hub.testing.TestDatabases;
import io.aigne.hub.testing.TestDatabases.PgDatabase;
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
 * Two hub processes on one PostgreSQL database share one credit ledger: 200 concurrent calls spread over both
 * nodes by a user whose credit covers 50 are admitted 50 times in total, and the ledger sums to the balance.
 */
class TwoNodeBillingTest {

    @Test
    void twoNodesNeverOverdrawOneAccount(@TempDir Path dir) throws Exception {
        TestDatabases.assumePostgres();
        try (PgDatabase pg = TestDatabases.postgres(); FakeOpenAiProvider openai = FakeOpenAiProvider.start()) {
            String userId = new UserStore(pg.db().jdbi()).create("shared", null, null, Role.MEMBER).id();
            String key = new AccessKeys(pg.db().jdbi(), Duration.ofSeconds(1)).issue(userId, "shared", null).secret();
            new RateStore(pg.db().jdbi()).save(ModelRate.tokens("openai", "gpt-4o-mini", CallType.CHAT,
                    BigDecimal.ZERO, BigDecimal.ONE));
            CreditLedger ledger = new CreditLedger(pg.db().jdbi(), pg.db().dialect(), () -> new BillingPolicy(true,
                    BigDecimal.ONE, BigDecimal.ZERO, Credits.ZERO, 0, 4096, true, "", ""));
            ledger.grant(userId, CreditEntry.Kind.GRANT, Credits.ofWhole(350), null, null, "covers 50 calls", "test");

            Path config = HubProcess.configWithProvider(dir.resolve("config"), "openai", openai.baseUrl(), "sk-two-nodes");
            byte[] masterKey = new byte[32];
            new SecureRandom().nextBytes(masterKey);
            Map<String, String> env = new HashMap<>(Map.of("AIGNE_HUB_DATABASE_URL", pg.schemaUrl(),
                    "AIGNE_HUB_BILLING_ENABLED", "true",
                    "AIGNE_HUB_SECURITY_MASTER_KEY", Base64.getEncoder().encodeToString(masterKey)));
            env.put("AIGNE_HUB_DATA_DIR", dir.resolve("node-a").toString());
            try (HubProcess a = HubProcess.start(config, env)) {
                env.put("AIGNE_HUB_DATA_DIR", dir.resolve("node-b").toString());
                try (HubProcess b = HubProcess.start(config, env)) {
                    HttpClient http = HttpClient.newHttpClient();
                    ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
                    CountDownLatch go = new CountDownLatch(1);
                    List<Future<Integer>> calls = new ArrayList<>();
                    for (int i = 0; i < 200; i++) {
                        String base = (i % 2 == 0 ? a : b).baseUrl();
                        calls.add(pool.submit(() -> {
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
                    for (Future<Integer> call : calls) {
                        statuses.merge(call.get(), 1, Integer::sum);
                    }
                    pool.shutdown();

                    assertThat(statuses).as("status counts").containsOnlyKeys(200, 402);
                    assertThat(statuses.get(200)).isEqualTo(50);
                    assertThat(openai.requests()).as("only admitted calls reached the provider").hasSize(50);
                    CreditAccount account = ledger.account(userId);
                    assertThat(account.balance()).isEqualTo(Credits.ZERO);
                    assertThat(account.held()).isEqualTo(Credits.ZERO);
                    assertThat(ledger.ledgerSum(userId)).isEqualTo(account.balance());
                }
            }
        }
    }
}
