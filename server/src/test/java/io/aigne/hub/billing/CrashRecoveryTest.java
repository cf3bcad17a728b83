package io.aigne.hub.billing;

import io.aigne.hub.auth.AccessKeys;
import io.aigne.hub.auth.Role;
import io.aigne.hub.store.Database;
import io.aigne.hub.testing.FakeOpenAiProvider;
import io.aigne.hub.testing.HubProcess;
import io.aigne.hub.testing.TestDatabases;
import io.aigne.hub.usage.CallType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A hub process killed with SIGKILL under load loses no call its clients saw complete: after a restart on the same
 * data directory every such call is in the ledger and charged exactly once, and no hold of a call that never
 * finished is left open.
 */
class CrashRecoveryTest {
    private static final Credits GRANT = Credits.ofWhole(100_000);
    private static final Credits COST = Credits.ofWhole(7);

    @Test
    void killingTheHubUnderLoadLosesNoCompletedCallAndLeavesNoHold(@TempDir Path dir) throws Exception {
        try (FakeOpenAiProvider openai = FakeOpenAiProvider.start()) {
            String key;
            String userId;
            try (Database db = TestDatabases.sqlite(dir)) {
                userId = new io.aigne.hub.auth.UserStore(db.jdbi()).create("load", null, null, Role.MEMBER).id();
                key = new AccessKeys(db.jdbi(), Duration.ofSeconds(1)).issue(userId, "load", null).secret();
                new RateStore(db.jdbi()).save(ModelRate.tokens("openai", "gpt-4o-mini", CallType.CHAT,
                        BigDecimal.ZERO, BigDecimal.ONE));
                ledger(db).grant(userId, CreditEntry.Kind.GRANT, GRANT, null, null, "load test", "test");
            }
            // sk-slow makes streams take ~0.75 s, so calls are in flight when the process dies; a long flush
            // interval leaves finished calls unwritten at that moment, which only the journal can bring back.
            Path config = HubProcess.configWithProvider(dir.resolve("config"), "openai", openai.baseUrl(), "sk-slow");
            Map<String, String> env = Map.of("AIGNE_HUB_DATA_DIR", dir.toString(),
                    "AIGNE_HUB_BILLING_ENABLED", "true", "AIGNE_HUB_LEDGER_FLUSH_INTERVAL_MILLIS", "3000");

            Set<String> completed = ConcurrentHashMap.newKeySet();
            HubProcess first = HubProcess.start(config, env);
            AtomicBoolean stop = new AtomicBoolean();
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();
            for (int i = 0; i < 12; i++) {
                boolean stream = i % 3 == 0;
                clients.submit(() -> {
                    while (!stop.get()) {
                        callOnce(http, first.baseUrl(), key, stream, completed);
                    }
                    return null;
                });
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (completed.size() < 60 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            first.kill();
            stop.set(true);
            clients.shutdown();
            clients.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(completed).as("calls completed before the kill").hasSizeGreaterThanOrEqualTo(60);

            try (HubProcess second = HubProcess.start(config, env); Database db = TestDatabases.sqlite(dir)) {
                Set<String> recorded = Set.copyOf(db.jdbi().withHandle(h -> h.createQuery(
                        "SELECT id FROM model_calls").mapTo(String.class).list()));
                assertThat(recorded).as("every call a client saw complete is in the ledger").containsAll(completed);
                Map<String, Integer> chargesPerCall = new java.util.HashMap<>();
                db.jdbi().useHandle(h -> h.createQuery(
                                "SELECT call_id, COUNT(*) FROM credit_entries WHERE kind = 'charge' GROUP BY call_id")
                        .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getInt(2)))
                        .forEach(e -> chargesPerCall.put(e.getKey(), e.getValue())));
                for (String call : completed) {
                    assertThat(chargesPerCall.get(call)).as("charges of completed call " + call).isEqualTo(1);
                }
                List<Long> holds = db.jdbi().withHandle(h -> h.createQuery("SELECT amount FROM credit_holds")
                        .mapTo(Long.class).list());
                assertThat(holds).as("no hold of an unfinished call is left open").isEmpty();
                CreditAccount account = ledger(db).account(userId);
                assertThat(account.held()).isEqualTo(Credits.ZERO);
                assertThat(account.balance()).isEqualTo(ledger(db).ledgerSum(userId));
                long charges = chargesPerCall.values().stream().mapToLong(Integer::longValue).sum();
                assertThat(account.balance()).isEqualTo(GRANT.minus(new Credits(COST.nanos() * charges)));
                assertThat(second.output()).doesNotContain("ERROR")
                        .as("the journal brought back calls the dead process had not written")
                        .containsPattern("recovered [1-9][0-9]* call records");
            }
        }
    }

    private static CreditLedger ledger(Database db) {
        return new CreditLedger(db.jdbi(), db.dialect(), () -> new BillingPolicy(true, BigDecimal.ONE,
                BigDecimal.ZERO, Credits.ZERO, 0, 4096, true, "", ""));
    }

    /** One call; its id joins {@code completed} only when the whole answer arrived. */
    private static void callOnce(HttpClient http, String base, String key, boolean stream, Set<String> completed) {
        String body = "{\"model\":\"openai/gpt-4o-mini\",\"max_tokens\":7,\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}";
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
                    .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            boolean whole = response.statusCode() == 200
                    && (stream ? response.body().contains("data: [DONE]") : response.body().contains("\"usage\""));
            if (whole) {
                completed.add(response.headers().firstValue("x-aigne-hub-call-id").orElseThrow());
            }
        } catch (Exception e) {
            // The hub died under this call: it did not complete for its client.
        }
    }
}
