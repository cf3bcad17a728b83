package io.aigne.hub.limits;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigne.hub.testing.FakeOpenAiProvider;
import io.aigne.hub.testing.TestDatabases;
import io.aigne.hub.testing.TestHub;
import io.aigne.hub.testing.TestRedis;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two hubs on one PostgreSQL database and one Redis, as two nodes behind a load balancer: a limit set through one
 * node holds on both, and a limit of N per minute admits N calls in total, not N per node.
 */
class TwoHubsShareLimitsTest {
    private static final int LIMIT = 10;
    private static final int CALLS_PER_NODE = 20;
    /** The nodes of one hub share the master key that seals provider credentials in the shared database. */
    private static final String MASTER_KEY = masterKey();

    @Test
    void aRateLimitOfNPerMinuteAdmitsNInTotalAcrossNodes() throws Exception {
        TestRedis.assumeRedis();
        try (TestDatabases.PgDatabase pg = TestDatabases.postgres();
             TestRedis.Prefix prefix = TestRedis.prefix();
             FakeOpenAiProvider fake = FakeOpenAiProvider.start();
             TestHub nodeA = node(pg, prefix, fake)) {
            String owner = nodeA.ownerKey();
            HttpResponse<String> created = nodeA.post("/api/admin/limits", owner, "{\"scope\":\"user\",\"subject\":"
                    + "\"*\",\"metric\":\"requests_per_minute\",\"limit\":" + LIMIT + "}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            try (TestHub nodeB = node(pg, prefix, fake)) {
                Minutes.awaitRoom(Duration.ofSeconds(20));
                List<Integer> statuses = race(List.of(nodeA, nodeB), owner);

                assertThat(statuses).filteredOn(s -> s == 200).hasSize(LIMIT);
                assertThat(statuses).filteredOn(s -> s == 429).hasSize(2 * CALLS_PER_NODE - LIMIT);
                assertThat(fake.requests()).hasSize(LIMIT);
                JsonNode seenByB = TestHub.json(nodeB.get("/api/user/limits", owner)).path("limits").get(0);
                assertThat(seenByB.path("used").asLong()).isEqualTo(LIMIT);
            }
        }
    }

    private static String masterKey() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return java.util.Base64.getEncoder().encodeToString(key);
    }

    private static TestHub node(TestDatabases.PgDatabase pg, TestRedis.Prefix prefix, FakeOpenAiProvider fake) {
        return TestHub.builder().postgres(pg.schemaUrl())
                .setting("AIGNE_HUB_SECURITY_MASTER_KEY", MASTER_KEY)
                .setting("AIGNE_HUB_LIMITS_BACKEND", "redis")
                .setting("AIGNE_HUB_LIMITS_REDIS_URL", TestRedis.url())
                .setting("AIGNE_HUB_LIMITS_KEY_PREFIX", prefix.value())
                .setting("AIGNE_HUB_LIMITS_ON_BACKEND_FAILURE", "closed")
                .openAiProvider("openai", null, fake.baseUrl(), List.of(), "sk-ok-two-nodes")
                .start();
    }

    /** Every node gets {@value #CALLS_PER_NODE} chat calls, all released at once; the statuses they answered. */
    private static List<Integer> race(List<TestHub> nodes, String key) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (TestHub node : nodes) {
                for (int i = 0; i < CALLS_PER_NODE; i++) {
                    futures.add(pool.submit(() -> {
                        start.await();
                        return node.send(node.request("/v1/chat/completions", key)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"openai/gpt-4o-mini\","
                                        + "\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}"))).statusCode();
                    }));
                }
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : futures) {
                statuses.add(f.get());
            }
            return statuses;
        }
    }
}
