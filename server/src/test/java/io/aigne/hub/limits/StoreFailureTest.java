package io.aigne.hub.limits;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.aigne.hub.server.ApiException;
import io.aigne.hub.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What calls get while the counter store cannot be reached, and what the log says: once, clearly. */
class StoreFailureTest {
    private static final LimitSubject CALLER = new LimitSubject("u1", "alice", "k1", "ci-bot", null, "m");

    private final MutableClock clock = new MutableClock(Instant.parse("2031-03-01T10:15:00Z"));
    private final ActiveLimits active = new ActiveLimits(() -> List.of(new Limit("l1", LimitScope.USER, Limit.EACH,
            LimitMetric.REQUESTS_PER_MINUTE, 1, null, null, 0, 0)));
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(CallLimiter.class);

    private Level levelBefore;

    @BeforeEach
    void capture() {
        active.reload();
        log.start();
        logger.addAppender(log);
        levelBefore = logger.getLevel();
        logger.setLevel(Level.INFO);
    }

    @AfterEach
    void release() {
        logger.detachAppender(log);
        logger.setLevel(levelBefore);
    }

    @Test
    void openAdmitsUncheckedAndLogsOneLine() {
        try (RedisCounterStore down = unreachableRedis()) {
            CallLimiter limiter = new CallLimiter(active, down, OnStoreFailure.OPEN, clock);
            for (int i = 0; i < 5; i++) {
                Admission a = limiter.admit(CALLER);
                limiter.settle(a, 100, 0);
            }
            assertThat(limiter.status(CALLER)).singleElement().satisfies(st -> assertThat(st.used()).isNull());
        }
        assertThat(log.list).singleElement().satisfies(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.WARN);
            assertThat(e.getFormattedMessage())
                    .contains("counter store is unreachable", "Redis at 127.0.0.1:1",
                            "admitted without checking limits", "limits.onBackendFailure: open");
            assertThat(e.getThrowableProxy()).isNull();
        });
    }

    @Test
    void closedRefusesWith503AndRetryAfter() {
        try (RedisCounterStore down = unreachableRedis()) {
            CallLimiter limiter = new CallLimiter(active, down, OnStoreFailure.CLOSED, clock);
            assertThatThrownBy(() -> limiter.admit(CALLER)).isInstanceOfSatisfying(ApiException.class, e -> {
                assertThat(e.status()).isEqualTo(503);
                assertThat(e.code()).isEqualTo("limits_unavailable");
                assertThat(e.retryAfter()).isEqualTo("5");
                assertThat(e.getMessage()).contains("cannot check its rate limits");
            });
        }
        assertThat(log.list).singleElement().satisfies(e ->
                assertThat(e.getFormattedMessage()).contains("refused with 503", "limits.onBackendFailure: closed"));
    }

    @Test
    void recoveryIsLoggedAndLimitsApplyAgain() {
        FlakyStore store = new FlakyStore(new MemoryCounterStore(clock));
        CallLimiter limiter = new CallLimiter(active, store, OnStoreFailure.OPEN, clock);
        store.down = true;
        limiter.admit(CALLER);
        limiter.admit(CALLER);
        store.down = false;
        limiter.admit(CALLER);
        assertThatThrownBy(() -> limiter.admit(CALLER)).isInstanceOf(ApiException.class);
        assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage).satisfiesExactly(
                m -> assertThat(m).contains("unreachable"),
                m -> assertThat(m).contains("flaky answers again; limits are enforced"));
    }

    @Test
    void aBrokenRedisFailsFastInsteadOfEveryCallWaitingForItsTimeOut() {
        try (RedisCounterStore down = unreachableRedis()) {
            assertThatThrownBy(down::ping).isInstanceOf(CounterStoreUnavailable.class);
            long start = System.nanoTime();
            for (int i = 0; i < 100; i++) {
                assertThatThrownBy(() -> down.read(List.of("x"))).isInstanceOf(CounterStoreUnavailable.class)
                        .hasMessageContaining("failed less than a second ago");
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
        }
    }

    /** Nothing listens on port 1 of the loopback: connections are refused at once. */
    private static RedisCounterStore unreachableRedis() {
        return new RedisCounterStore(URI.create("redis://127.0.0.1:1/0"), "x:", Duration.ofMillis(300));
    }

    /** A store that can be switched off and on. */
    private static final class FlakyStore implements CounterStore {
        private final CounterStore inner;
        volatile boolean down;

        FlakyStore(CounterStore inner) {
            this.inner = inner;
        }

        private void check() {
            if (down) {
                throw new CounterStoreUnavailable("flaky: down", null);
            }
        }

        @Override
        public List<Integer> admit(List<Check> checks) {
            check();
            return inner.admit(checks);
        }

        @Override
        public void add(List<Add> adds) {
            check();
            inner.add(adds);
        }

        @Override
        public List<Long> read(List<String> keys) {
            check();
            return inner.read(keys);
        }

        @Override
        public String describe() {
            return "flaky";
        }

        @Override
        public void close() {
        }
    }
}
