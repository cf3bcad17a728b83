package io.aigne.hub.analytics;

import io.aigne.hub.testing.DatabaseContract;
import io.aigne.hub.testing.DatabaseContract.PostgresVariant;
import io.aigne.hub.testing.DatabaseContract.SqliteVariant;
import io.aigne.hub.testing.SyntheticCalls;
import io.aigne.hub.usage.CallRecord;
import io.aigne.hub.usage.UsageLedger;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.sqlite.SQLiteDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rollups always equal an aggregation of the calls: after many batches through the real ledger writer, after a
 * rebuild (the SQL path), after the V9 backfill, and however often a row is replayed.
 */
class RollupsTest {
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

        @BeforeEach
        void empty() {
            db.jdbi().useHandle(h -> {
                h.execute("DELETE FROM usage_rollups");
                h.execute("DELETE FROM model_calls");
            });
        }

        @Test
        void afterManyBatchesTheRollupsEqualTheAggregationOfTheCalls() throws Exception {
            long seed = System.nanoTime();
            Random random = new Random(seed);
            List<CallRecord> calls = randomCalls(random, 3_000, 3);
            // Small batches in a shuffled order: rows of one bucket arrive in many batches and are added up.
            Collections.shuffle(calls, random);
            try (UsageLedger ledger = new UsageLedger(db.dataSource(), null, 1 + random.nextInt(60),
                    Duration.ofMillis(5))) {
                calls.forEach(ledger::record);
            }

            assertThat(stored()).as("seed %d", seed).isEqualTo(expected(calls));
            assertThat(count("SELECT COUNT(*) FROM usage_rollups WHERE period = 'day' AND grain = 'all'"))
                    .isEqualTo(3);

            RollupRebuild.Result result = RollupRebuild.rebuild(db.dataSource(), null, null);
            assertThat(result.calls()).isEqualTo(calls.size());
            assertThat(stored()).as("after a rebuild from model_calls, seed %d", seed).isEqualTo(expected(calls));
        }

        @Test
        void rollupsAgreeWithPlainSqlOverTheCalls() {
            List<CallRecord> calls = randomCalls(new Random(7), 1_500, 2);
            try (UsageLedger ledger = new UsageLedger(db.dataSource(), null, 100, Duration.ofMillis(5))) {
                calls.forEach(ledger::record);
            }
            Map<String, List<Long>> direct = new TreeMap<>();
            db.jdbi().useHandle(h -> h.createQuery("SELECT user_id, COUNT(*), SUM(credits), SUM(total_tokens), "
                            + "SUM(CASE WHEN status = 'success' THEN 1 ELSE 0 END), MAX(CASE WHEN status = 'success' "
                            + "THEN latency_ms ELSE 0 END) FROM model_calls GROUP BY user_id")
                    .map((rs, ctx) -> direct.put(rs.getString(1), List.of(rs.getLong(2), rs.getLong(3), rs.getLong(4),
                            rs.getLong(5), rs.getLong(6)))).list());
            Map<String, List<Long>> fromRollups = new TreeMap<>();
            db.jdbi().useHandle(h -> h.createQuery("SELECT user_id, SUM(calls), SUM(credits), SUM(total_tokens), "
                            + "SUM(success), MAX(latency_max) FROM usage_rollups WHERE period = 'day' AND grain = 'user' "
                            + "GROUP BY user_id")
                    .map((rs, ctx) -> fromRollups.put(rs.getString(1), List.of(rs.getLong(2), rs.getLong(3),
                            rs.getLong(4), rs.getLong(5), rs.getLong(6)))).list());

            assertThat(fromRollups).isEqualTo(direct).hasSize(5);
        }

        @Test
        void aReplayedRowIsNotCountedTwice() throws Exception {
            List<CallRecord> calls = randomCalls(new Random(11), 40, 1);
            List<CallRecord> first = calls.subList(0, 30);
            // Replays of already-written rows and ten new ones, in one batch, the way an idempotent writer
            // (INSERT … ON CONFLICT (id) DO NOTHING) sends them after a crash.
            List<CallRecord> replay = new ArrayList<>(calls.subList(20, 40));
            replay.addAll(calls.subList(0, 5));

            assertThat(insertIdempotently(first)).containsOnly(1);
            int[] counts = insertIdempotently(replay);

            assertThat(counts).containsExactly(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
                    0, 0, 0, 0, 0);
            assertThat(count("SELECT COUNT(*) FROM model_calls")).isEqualTo(40);
            assertThat(stored()).isEqualTo(expected(calls));
        }

        @Test
        void theLedgerSetsADuplicateRowAsideAndCountsItOnce(@TempDir Path dir) throws Exception {
            List<CallRecord> calls = randomCalls(new Random(13), 20, 1);
            try (UsageLedger ledger = new UsageLedger(db.dataSource(), dir.resolve("dead.jsonl"), 50,
                    Duration.ofMillis(5))) {
                calls.forEach(ledger::record);
                ledger.awaitFlushed(Duration.ofSeconds(10));
                ledger.record(calls.get(3));
                ledger.record(calls.get(7));
            }
            assertThat(count("SELECT COUNT(*) FROM model_calls")).isEqualTo(20);
            assertThat(stored()).isEqualTo(expected(calls));
        }

        @Test
        void aRebuildOfOneDayRepairsItAndLeavesTheOthersAlone() throws Exception {
            List<CallRecord> calls = randomCalls(new Random(17), 900, 3);
            try (UsageLedger ledger = new UsageLedger(db.dataSource(), null, 200, Duration.ofMillis(5))) {
                calls.forEach(ledger::record);
            }
            db.jdbi().useHandle(h -> h.execute("UPDATE usage_rollups SET calls = calls + 1000"));

            RollupRebuild.Result result = RollupRebuild.rebuild(db.dataSource(), DAY0 + DAY + 5_000,
                    DAY0 + DAY + 7_000);

            assertThat(result.fromMillis()).isEqualTo(DAY0 + DAY);
            assertThat(result.toMillis()).isEqualTo(DAY0 + 2 * DAY);
            assertThat(result.calls()).isEqualTo(calls.stream()
                    .filter(c -> c.createdAt() >= DAY0 + DAY && c.createdAt() < DAY0 + 2 * DAY).count());
            Map<RollupKey, Measures> expected = expected(calls);
            Map<RollupKey, Measures> stored = stored();
            assertThat(stored.keySet()).isEqualTo(expected.keySet());
            stored.forEach((key, measures) -> {
                boolean repaired = key.bucket() >= DAY0 + DAY && key.bucket() < DAY0 + 2 * DAY;
                assertThat(measures.calls()).as("%s", key)
                        .isEqualTo(expected.get(key).calls() + (repaired ? 0 : 1000));
            });

            RollupRebuild.rebuild(db.dataSource(), null, null);
            assertThat(stored()).isEqualTo(expected);
        }

        @Test
        void migrationV9BackfillsTheCallsRecordedBeforeIt(@TempDir Path dir) throws Exception {
            DataSource empty;
            if (postgres()) {
                empty = fresh(dir).dataSource();
                Flyway.configure().dataSource(empty).table("schema_history").cleanDisabled(false).load().clean();
            } else {
                SQLiteDataSource sqlite = new SQLiteDataSource();
                sqlite.setUrl("jdbc:sqlite:" + dir.resolve("before-v9.db"));
                empty = sqlite;
            }
            Flyway flyway = Flyway.configure().dataSource(empty).locations("classpath:db/migration")
                    .table("schema_history").load();
            // The schema as it was just before V9, whichever migrations precede it.
            String before = Arrays.stream(flyway.info().all()).map(m -> m.getVersion())
                    .filter(v -> v != null && !v.isAtLeast("9")).max(Comparator.naturalOrder()).orElseThrow()
                    .getVersion();
            Flyway.configure().dataSource(empty).locations("classpath:db/migration").table("schema_history")
                    .target(before).load().migrate();
            List<CallRecord> calls = randomCalls(new Random(19), 700, 2);
            try (Connection c = empty.getConnection()) {
                c.setAutoCommit(false);
                insert(c, calls, "");
                c.commit();
            }

            flyway.migrate();

            assertThat(stored(Jdbi.create(empty))).isEqualTo(expected(calls));
        }

        // ---------------------------------------------------------------- helpers

        /** Calls over {@code days} days from DAY0 by five users (one without an app) on three models. */
        static List<CallRecord> randomCalls(Random random, int n, int days) {
            SyntheticCalls synthetic = new SyntheticCalls(random, List.of("u1", "u2", "u3", "u4", "u5"),
                    Arrays.asList("app-a", "app-b", null), List.of("openai", "anthropic"),
                    List.of("gpt-4o", "claude-sonnet-4", "text-embedding-3-small"));
            List<CallRecord> calls = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                calls.add(synthetic.at(DAY0 + random.nextLong(days * DAY)));
            }
            return calls;
        }

        static Map<RollupKey, Measures> expected(List<CallRecord> calls) {
            Map<RollupKey, Measures> expected = new TreeMap<>();
            calls.forEach(c -> UsageRollups.addTo(expected, c));
            return expected;
        }

        Map<RollupKey, Measures> stored() {
            return stored(db.jdbi());
        }

        static Map<RollupKey, Measures> stored(Jdbi jdbi) {
            Map<RollupKey, Measures> rows = new TreeMap<>();
            jdbi.useHandle(h -> h.createQuery("SELECT " + RollupSql.KEY_COLUMNS + ", "
                            + RollupSql.measureColumns() + " FROM usage_rollups")
                    .map((rs, ctx) -> rows.put(new RollupKey(
                            Period.valueOf(rs.getString(1).toUpperCase(Locale.ROOT)),
                            Grain.valueOf(rs.getString(2).toUpperCase(Locale.ROOT)), rs.getLong(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8)),
                            Measures.read(rs, 9, IntStream.range(0, MeasureColumns.COUNT).toArray())))
                    .list());
            return rows;
        }

        long count(String sql) {
            return db.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
        }

        /** Inserts like an idempotent ledger writer and lets the rollups count what the batch reports inserted. */
        int[] insertIdempotently(List<CallRecord> rows) throws SQLException {
            DataSource ds = db.dataSource();
            try (Connection c = ds.getConnection()) {
                c.setAutoCommit(false);
                int[] counts = insert(c, rows, " ON CONFLICT (id) DO NOTHING");
                UsageRollups.record(c, rows, counts);
                c.commit();
                return counts;
            }
        }

        static int[] insert(Connection c, List<CallRecord> rows, String conflict) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO model_calls (id, created_at, user_id, app_did, endpoint, type, provider,
                        model_requested, status, input_tokens, output_tokens, cached_tokens, cache_write_tokens,
                        reasoning_tokens, total_tokens, image_count, video_seconds, latency_ms, ttfb_ms, credits)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""" + conflict)) {
                for (CallRecord r : rows) {
                    int i = 1;
                    ps.setString(i++, r.id());
                    ps.setLong(i++, r.createdAt());
                    ps.setString(i++, r.userId());
                    ps.setString(i++, r.appDid());
                    ps.setString(i++, r.endpoint());
                    ps.setString(i++, r.type().wireName());
                    ps.setString(i++, r.provider());
                    ps.setString(i++, r.modelRequested());
                    ps.setString(i++, r.status().wireName());
                    ps.setLong(i++, r.usage().inputTokens());
                    ps.setLong(i++, r.usage().outputTokens());
                    ps.setLong(i++, r.usage().cachedTokens());
                    ps.setLong(i++, r.usage().cacheWriteTokens());
                    ps.setLong(i++, r.usage().reasoningTokens());
                    ps.setLong(i++, r.usage().totalTokens());
                    ps.setInt(i++, r.usage().imageCount());
                    ps.setInt(i++, r.usage().videoSeconds());
                    ps.setLong(i++, r.latencyMs());
                    if (r.ttfbMs() == null) {
                        ps.setNull(i++, Types.BIGINT);
                    } else {
                        ps.setLong(i++, r.ttfbMs());
                    }
                    ps.setLong(i, r.credits());
                    ps.addBatch();
                }
                return ps.executeBatch();
            }
        }
    }
}
