package io.aigne.hub.usage;

import io.aigne.hub.analytics.Period;
import io.aigne.hub.testing.DatabaseContract;
import io.aigne.hub.testing.DatabaseContract.PostgresVariant;
import io.aigne.hub.testing.DatabaseContract.SqliteVariant;
import io.aigne.hub.testing.SyntheticCalls;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The call history at the edges of what it promises: counts from the rollups equal counting the calls for any
 * filters and millisecond ranges; text searches and latency filters stay inside their window and cap; an exact id
 * finds its call anywhere.
 */
class ModelCallStoreTest {
    @SqliteVariant
    class OnSqlite extends Contract {
    }

    @PostgresVariant
    class OnPostgres extends Contract {
    }

    abstract static class Contract extends DatabaseContract {
        /** 2024-03-01T00:00:00Z */
        static final long DAY0 = 1_709_251_200_000L;
        static final long DAY = 86_400_000L;

        List<CallRecord> calls;

        @BeforeAll
        void writeCalls() {
            if (db == null) {
                return;
            }
            Random random = new Random(23);
            SyntheticCalls synthetic = new SyntheticCalls(random, List.of("u1", "u2", "u3"),
                    Arrays.asList("app-a", "app-b", null), List.of("openai", "anthropic"),
                    List.of("gpt-4o", "claude-sonnet-4", "text-embedding-3-small"));
            calls = new ArrayList<>();
            for (int i = 0; i < 1_500; i++) {
                calls.add(synthetic.at(DAY0 + random.nextLong(3 * DAY)));
            }
            try (UsageLedger ledger = new UsageLedger(db.dataSource(), null, 200, Duration.ofMillis(5))) {
                calls.forEach(ledger::record);
            }
        }

        @Test
        void rollupCountsEqualCountingTheCalls() {
            ModelCallStore store = new ModelCallStore(db.jdbi());
            long seed = System.nanoTime();
            Random random = new Random(seed);
            String[] statuses = {null, "success", "failed", "cancelled"};
            for (int round = 0; round < 60; round++) {
                CallRecord sample = calls.get(random.nextInt(calls.size()));
                String user = random.nextBoolean() ? sample.userId() : null;
                String app = random.nextInt(3) == 0 ? sample.appDid() : null;
                String model = random.nextInt(3) == 0 ? sample.modelRequested() : null;
                String provider = random.nextInt(4) == 0 ? sample.provider() : null;
                String type = random.nextInt(4) == 0 ? sample.type().wireName() : null;
                String status = statuses[random.nextInt(statuses.length)];
                Long from = random.nextInt(4) == 0 ? null : DAY0 - DAY / 2 + random.nextLong(4 * DAY);
                Long to = random.nextInt(4) == 0 ? null
                        : (from == null ? DAY0 : from) + random.nextLong(random.nextBoolean() ? 7_200_000 : 2 * DAY);
                ModelCallQuery q = new ModelCallQuery(user, from, to, status, model, type, provider, app, null, 1, 10);

                ModelCallStore.Page page = store.find(q);

                Predicate<CallRecord> matches = c -> (user == null || user.equals(c.userId()))
                        && (app == null || app.equals(c.appDid())) && (model == null || model.equals(c.modelRequested()))
                        && (provider == null || provider.equals(c.provider()))
                        && (type == null || type.equals(c.type().wireName()))
                        && (status == null || status.equals(c.status().wireName()))
                        && (from == null || c.createdAt() >= from) && (to == null || c.createdAt() < to);
                List<CallRecord> expected = newestFirst(matches);
                assertThat(page.count()).as("seed %d round %d: %s", seed, round, q).isEqualTo(expected.size());
                assertThat(page.countExact()).isTrue();
                assertThat(page.rows()).isEqualTo(expected.subList(0, Math.min(10, expected.size())));
            }
        }

        @Test
        void searchesLookThroughTheNewestCallsOnlyAndStopCounting() {
            ModelCallStore store = new ModelCallStore(db.jdbi(), 300, 40);
            List<CallRecord> u1 = newestFirst(c -> "u1".equals(c.userId()));
            // The window starts at the hour in which, counting back from the newest, 300 calls are reached.
            long windowStart = Period.HOUR.floor(u1.get(299).createdAt());
            List<CallRecord> window = u1.stream().filter(c -> c.createdAt() >= windowStart).toList();
            assertThat(window.size()).as("fixture").isBetween(300, 360);
            List<CallRecord> gpt = window.stream().filter(c -> c.modelRequested().equals("gpt-4o")).toList();

            ModelCallStore.Page found = store.find(query("u1", "GPT-4O", null, 20));
            assertThat(found.count()).isEqualTo(40);
            assertThat(found.countExact()).isFalse();
            assertThat(found.rows()).isEqualTo(gpt.subList(0, 20));

            ModelCallStore.Page slow = store.find(query("u1", null, 20_000L, 100));
            List<CallRecord> slowInWindow = window.stream().filter(c -> c.latencyMs() >= 20_000).toList();
            assertThat(slowInWindow.size()).as("fixture").isBetween(1, 39);
            assertThat(slow.rows()).isEqualTo(slowInWindow);
            assertThat(slow.count()).isEqualTo(slowInWindow.size());
            assertThat(slow.countExact()).as("older calls were not searched").isFalse();

            CallRecord oldest = u1.getLast();
            ModelCallStore.Page byId = store.find(query("u1", oldest.id(), null, 20));
            assertThat(byId.rows()).containsExactly(oldest);
            assertThat(byId.countExact()).isTrue();

            ModelCallStore.Page everything = new ModelCallStore(db.jdbi(), 10_000, 10_000)
                    .find(query("u1", null, 20_000L, 100));
            assertThat(everything.countExact()).isTrue();
            assertThat(everything.count()).isEqualTo(u1.stream().filter(c -> c.latencyMs() >= 20_000).count());
        }

        @Test
        void exportReadsEveryMatchInBatches() {
            List<String> ids = new ArrayList<>();
            new ModelCallStore(db.jdbi()).forEach(query("u2", null, null, 1), 7, c -> ids.add(c.id()));
            assertThat(ids).isEqualTo(newestFirst(c -> "u2".equals(c.userId())).stream().map(CallRecord::id)
                    .toList());
        }

        private static ModelCallQuery query(String user, String search, Long minLatency, int pageSize) {
            return new ModelCallQuery(user, null, null, null, null, null, null, null, search, minLatency, null, 1,
                    pageSize);
        }

        private List<CallRecord> newestFirst(Predicate<CallRecord> filter) {
            return calls.stream().filter(filter)
                    .sorted(Comparator.comparingLong(CallRecord::createdAt).thenComparing(CallRecord::id).reversed())
                    .toList();
        }
    }
}
