package io.aigne.hub.analytics;

import io.aigne.hub.testing.DatabaseContract;
import io.aigne.hub.testing.DatabaseContract.PostgresVariant;
import io.aigne.hub.testing.DatabaseContract.SqliteVariant;
import io.aigne.hub.testing.SyntheticCalls;
import io.aigne.hub.usage.CallRecord;
import io.aigne.hub.usage.UsageLedger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever the question (filters, groupings, ragged ranges, hours or a time zone's days), the reader's answer from
 * the rollups equals the answer computed call by call at hour resolution.
 */
class RollupReaderTest {
    @SqliteVariant
    class OnSqlite extends Contract {
    }

    @PostgresVariant
    class OnPostgres extends Contract {
    }

    abstract static class Contract extends DatabaseContract {
        /** 2024-03-01T00:00:00Z */
        static final long DAY0 = 1_709_251_200_000L;
        static final long HOUR = 3_600_000L;
        static final long DAY = 86_400_000L;
        static final int[] OFFSETS = {0, -480, 300, -330, 60, -1440};

        List<CallRecord> calls;
        RollupReader reader;

        @BeforeAll
        void writeCalls() {
            if (db == null) {
                return;
            }
            db.jdbi().useHandle(h -> {
                h.execute("DELETE FROM usage_rollups");
                h.execute("DELETE FROM model_calls");
            });
            Random random = new Random(3);
            SyntheticCalls synthetic = new SyntheticCalls(random, List.of("u1", "u2", "u3", "u4"),
                    Arrays.asList("app-a", "app-b", "app-c", null), List.of("openai", "anthropic", "google"),
                    List.of("gpt-4o", "claude-sonnet-4", "gemini-2.5-pro", "text-embedding-3-small"));
            calls = new ArrayList<>();
            for (int i = 0; i < 4_000; i++) {
                calls.add(synthetic.at(DAY0 + random.nextLong(9 * DAY)));
            }
            try (UsageLedger ledger = new UsageLedger(db.dataSource(), null, 250, Duration.ofMillis(5))) {
                calls.forEach(ledger::record);
            }
            reader = new RollupReader(db.jdbi());
        }

        @Test
        void randomQuestionsGetTheAnswerComputedCallByCall() {
            long seed = System.nanoTime();
            Random random = new Random(seed);
            for (int round = 0; round < 150; round++) {
                UsageFilter filter = randomFilter(random);
                List<Dimension> groupBy = randomGroups(random);
                long start = DAY0 - DAY + random.nextLong(11 * DAY);
                long end = start + 1 + random.nextLong(random.nextBoolean() ? 2 * DAY : 10 * DAY);
                Bucketing bucketing = switch (random.nextInt(3)) {
                    case 0 -> Bucketing.NONE;
                    case 1 -> Bucketing.HOUR;
                    default -> Bucketing.day(OFFSETS[random.nextInt(OFFSETS.length)]);
                };
                String question = String.format("seed %d round %d: %s grouped by %s over [%s, %s) by %s", seed,
                        round, filter, groupBy, Instant.ofEpochMilli(start), Instant.ofEpochMilli(end), bucketing);

                Map<List<Object>, Measures> answer = asMap(reader.read(filter, groupBy, start, end, bucketing, true));

                assertThat(answer).as(question).isEqualTo(expected(filter, groupBy, start, end, bucketing));
            }
        }

        @Test
        void daysOfATimeZoneStartAtItsMidnight() {
            // 2024-03-02T17:30Z is 01:30 on March 3rd in UTC+8 (offset -480): that day starts 2024-03-02T16:00Z.
            long call = DAY0 + DAY + 17 * HOUR + 30 * 60_000;
            assertThat(Bucketing.day(-480).keyOf(Period.HOUR.floor(call))).isEqualTo(DAY0 + DAY + 16 * HOUR);
            // ... and 09:30 on March 2nd in UTC-8 (offset 480), whose day starts 2024-03-02T08:00Z.
            assertThat(Bucketing.day(480).keyOf(Period.HOUR.floor(call))).isEqualTo(DAY0 + DAY + 8 * HOUR);
            assertThat(Bucketing.day(0).keyOf(Period.HOUR.floor(call))).isEqualTo(DAY0 + DAY);
            assertThat(Bucketing.day(-480).keys(DAY0 + 16 * HOUR, DAY0 + 2 * DAY + 16 * HOUR))
                    .containsExactly(DAY0 + 16 * HOUR, DAY0 + DAY + 16 * HOUR);
        }

        @Test
        void theTotalOfEverythingCountsEveryCall() {
            Measures total = reader.total(UsageFilter.EVERYONE, DAY0 - DAY, DAY0 + 30 * DAY, true);
            Measures expected = new Measures();
            calls.forEach(expected::add);
            assertThat(total).isEqualTo(expected);
            assertThat(total.calls()).isEqualTo(4_000);
        }

        private Map<List<Object>, Measures> expected(UsageFilter filter, List<Dimension> groupBy, long start,
                                                     long end, Bucketing bucketing) {
            long from = Period.HOUR.floor(start);
            long to = Period.HOUR.ceil(end);
            Map<List<Object>, Measures> expected = new HashMap<>();
            for (CallRecord c : calls) {
                long hour = Period.HOUR.floor(c.createdAt());
                boolean matches = hour >= from && hour < to
                        && filter.values().entrySet().stream().allMatch(e -> e.getKey().of(c).equals(e.getValue()));
                if (matches) {
                    List<Object> key = new ArrayList<>();
                    groupBy.forEach(d -> key.add(d.of(c)));
                    key.add(bucketing.keyOf(hour));
                    expected.computeIfAbsent(key, k -> new Measures()).add(c);
                }
            }
            return expected;
        }

        private static Map<List<Object>, Measures> asMap(List<RollupReader.Row> rows) {
            Map<List<Object>, Measures> map = new HashMap<>();
            for (RollupReader.Row r : rows) {
                List<Object> key = new ArrayList<>(r.dimensions());
                key.add(r.bucket());
                assertThat(map.put(key, r.measures())).as("one row per key: %s", key).isNull();
            }
            return map;
        }

        private UsageFilter randomFilter(Random random) {
            CallRecord sample = calls.get(random.nextInt(calls.size()));
            String[] v = new String[5];
            Dimension[] dims = Dimension.values();
            for (int i = 0; i < dims.length; i++) {
                v[i] = random.nextInt(4) == 0 ? dims[i].of(sample) : null;
            }
            return new UsageFilter(v[0], v[1], v[2], v[3], v[4]);
        }

        private static List<Dimension> randomGroups(Random random) {
            List<Dimension> all = new ArrayList<>(EnumSet.allOf(Dimension.class));
            Collections.shuffle(all, random);
            return List.copyOf(all.subList(0, random.nextInt(3)));
        }
    }
}
