package io.aigne.hub.limits;

import io.aigne.hub.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@link CallLimiter} relies on from a counter store, on the in-memory and the Redis store alike. */
class CounterStoreContractTest {
    // A time in the future, so Redis does not expire counters the moment they are written.
    private static final Instant T0 = Instant.parse("2031-03-01T10:15:00Z");
    private static final long WINDOW_END = T0.plusSeconds(60).toEpochMilli();

    private final MutableClock clock = new MutableClock(T0);

    private static CounterStore.Check check(String key, long limit, long increment) {
        return new CounterStore.Check(key, limit, increment, WINDOW_END);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {StoreUnderTest.MEMORY, StoreUnderTest.REDIS})
    void admitRaisesCountersUntilTheLimitThenRefusesWithoutChangingThem(String backend) {
        try (StoreUnderTest s = StoreUnderTest.open(backend, clock)) {
            CounterStore store = s.store();
            for (int i = 0; i < 3; i++) {
                assertThat(store.admit(List.of(check("a", 3, 1)))).isEmpty();
            }
            assertThat(store.admit(List.of(check("a", 3, 1)))).containsExactly(0);
            assertThat(store.read(List.of("a", "never-written"))).containsExactly(3L, 0L);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {StoreUnderTest.MEMORY, StoreUnderTest.REDIS})
    void oneCounterAtItsLimitRefusesTheWholeAdmissionAndRaisesNone(String backend) {
        try (StoreUnderTest s = StoreUnderTest.open(backend, clock)) {
            CounterStore store = s.store();
            store.add(List.of(new CounterStore.Add("tokens", 100, WINDOW_END)));

            List<Integer> refused = store.admit(List.of(check("requests", 10, 1), check("tokens", 100, 0),
                    check("other", 5, 1)));

            assertThat(refused).containsExactly(1);
            assertThat(store.read(List.of("requests", "tokens", "other"))).containsExactly(0L, 100L, 0L);

            assertThat(store.admit(List.of(check("requests", 10, 1), check("tokens", 101, 0)))).isEmpty();
            assertThat(store.read(List.of("requests", "tokens"))).containsExactly(1L, 100L);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {StoreUnderTest.MEMORY, StoreUnderTest.REDIS})
    void everyCounterAtItsLimitIsReported(String backend) {
        try (StoreUnderTest s = StoreUnderTest.open(backend, clock)) {
            CounterStore store = s.store();
            store.add(List.of(new CounterStore.Add("x", 2, WINDOW_END), new CounterStore.Add("z", 9, WINDOW_END)));
            assertThat(store.admit(List.of(check("x", 2, 1), check("y", 2, 1), check("z", 3, 0))))
                    .containsExactly(0, 2);
            assertThat(store.admit(List.of(check("zero", 0, 1)))).containsExactly(0);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {StoreUnderTest.MEMORY, StoreUnderTest.REDIS})
    void countersBeyond2To53StayExact(String backend) {
        try (StoreUnderTest s = StoreUnderTest.open(backend, clock)) {
            CounterStore store = s.store();
            long big = 9_007_199_254_740_993L; // 2^53 + 1: a double cannot hold it
            store.add(List.of(new CounterStore.Add("credits", big, WINDOW_END)));
            assertThat(store.read(List.of("credits"))).containsExactly(big);
            assertThat(store.admit(List.of(check("credits", big + 1, 0)))).isEmpty();
            assertThat(store.admit(List.of(check("credits", big, 0)))).containsExactly(0);
            assertThat(store.admit(List.of(check("credits", big - 1, 0)))).containsExactly(0);
        }
    }

    /** Redis expires keys by its own clock (PEXPIREAT), which a test cannot move; the memory store follows ours. */
    @Test
    void expiredCountersReadAsZero() {
        try (StoreUnderTest s = StoreUnderTest.open(StoreUnderTest.MEMORY, clock)) {
            CounterStore store = s.store();
            store.add(List.of(new CounterStore.Add("gone", 7, WINDOW_END)));
            clock.advance(Duration.ofSeconds(60));
            assertThat(store.read(List.of("gone"))).containsExactly(0L);
            assertThat(store.admit(List.of(check("gone", 1, 1)))).isEmpty();
        }
    }
}
