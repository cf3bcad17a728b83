package io.aigne.hub.limits;

import io.aigne.hub.server.ApiException;
import io.aigne.hub.testing.MutableClock;
import io.aigne.hub.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Admission under contention: however many calls arrive at once, on one node or on several sharing Redis, a
 * limit of N admits exactly N.
 */
class LimiterConcurrencyTest {
    private static final int CALLS = 200;
    private static final int LIMIT = 50;
    private static final LimitSubject CALLER = new LimitSubject("u1", "alice", "k1", "ci-bot", null, "m");

    private final MutableClock clock = new MutableClock(Instant.parse("2031-03-01T10:15:00Z"));
    private final ActiveLimits active = new ActiveLimits(() -> List.of(new Limit("l1", LimitScope.KEY, Limit.EACH,
            LimitMetric.REQUESTS_PER_MINUTE, LIMIT, null, null, 0, 0)));

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {StoreUnderTest.MEMORY, StoreUnderTest.REDIS})
    void twoHundredConcurrentCallsWithALimitOfFiftyAdmitExactlyFifty(String backend) throws Exception {
        active.reload();
        try (StoreUnderTest s = StoreUnderTest.open(backend, clock)) {
            CallLimiter limiter = new CallLimiter(active, s.store(), OnStoreFailure.CLOSED, clock);
            Outcome outcome = race(List.of(limiter));
            assertThat(outcome.admitted()).isEqualTo(LIMIT);
            assertThat(outcome.refused()).isEqualTo(CALLS - LIMIT);
            assertThat(limiter.status(CALLER).getFirst().used()).isEqualTo(LIMIT);
        }
    }

    @Test
    void twoNodesSharingOneRedisAdmitTheLimitInTotal() throws Exception {
        TestRedis.assumeRedis();
        active.reload();
        try (StoreUnderTest s = StoreUnderTest.open(StoreUnderTest.REDIS, clock)) {
            CallLimiter nodeA = new CallLimiter(active, s.store(), OnStoreFailure.CLOSED, clock);
            CallLimiter nodeB = new CallLimiter(active, s.anotherNode(), OnStoreFailure.CLOSED, clock);
            Outcome outcome = race(List.of(nodeA, nodeB));
            assertThat(outcome.admitted()).isEqualTo(LIMIT);
            assertThat(outcome.refused()).isEqualTo(CALLS - LIMIT);
            assertThat(outcome.admittedBy()).allSatisfy(n -> assertThat(n).isPositive());
        }
    }

    private record Outcome(int admitted, int refused, List<Integer> admittedBy) {
    }

    /** {@value #CALLS} admissions released at once, spread over the limiters (the nodes). */
    private Outcome race(List<CallLimiter> nodes) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger refused = new AtomicInteger();
        List<AtomicInteger> admittedBy = nodes.stream().map(n -> new AtomicInteger()).toList();
        List<Future<?>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < CALLS; i++) {
                int node = i % nodes.size();
                futures.add(pool.submit(() -> {
                    start.await();
                    try {
                        nodes.get(node).admit(CALLER);
                        admittedBy.get(node).incrementAndGet();
                    } catch (ApiException e) {
                        assertThat(e.status()).as(e.getMessage()).isEqualTo(429);
                        refused.incrementAndGet();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get();
            }
        }
        int admitted = admittedBy.stream().mapToInt(AtomicInteger::get).sum();
        return new Outcome(admitted, refused.get(), admittedBy.stream().map(AtomicInteger::get).toList());
    }
}
