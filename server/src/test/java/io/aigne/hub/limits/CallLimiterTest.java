package io.aigne.hub.limits;

import io.aigne.hub.server.ApiException;
import io.aigne.hub.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The limiter's semantics, each on the in-memory and the Redis counter store: what is counted when, which limit
 * applies, and what a refused caller is told.
 */
class CallLimiterTest {
    private static final long CREDIT = 1_000_000_000L;
    private static final LimitSubject ALICE_CI = new LimitSubject("u-alice", "alice", "k-ci", "ci-bot", "did:app:x",
            "openai/gpt-4o-mini");
    private static final LimitSubject BOB = new LimitSubject("u-bob", "bob", "k-bob", null, null,
            "openai/gpt-4o-mini");

    private final MutableClock clock = new MutableClock(Instant.parse("2031-03-01T10:15:48Z"));
    private final List<Limit> limits = new ArrayList<>();
    private final ActiveLimits active = new ActiveLimits(() -> limits);

    private void limit(LimitScope scope, String subject, LimitMetric metric, long value) {
        limits.add(new Limit("id-" + limits.size(), scope, subject, metric, value, null, null, 0, 0));
        active.reload();
    }

    private CallLimiter limiter(StoreUnderTest s) {
        return new CallLimiter(active, s.store(), OnStoreFailure.OPEN, clock);
    }

    private static ApiException refusal(CallLimiter limiter, LimitSubject subject) {
        try {
            limiter.admit(subject);
        } catch (ApiException e) {
            return e;
        }
        throw new AssertionError("the call was admitted");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {StoreUnderTest.MEMORY, StoreUnderTest.REDIS})
    void requestsPerMinuteAdmitTheLimitThenRefuseUntilTheMinuteEnds(String backend) {
        try (StoreUnderTest s = StoreUnderTest.open(backend, clock)) {
            limit(LimitScope.KEY, Limit.EACH, LimitMetric.REQUESTS_PER_MINUTE, 3);
            CallLimiter limiter = limiter(s);
            for (int i = 0; i < 3; i++) {
                assertThat(limiter.admit(ALICE_CI).isEmpty()).isFalse();
            }

            ApiException refused = refusal(limiter, ALICE_CI);
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.retryAfter()).isEqualTo("12");
            assertThat(refused.type()).isEqualTo("rate_limit_error");
            assertThat(refused.code()).isEqualTo("rate_limit_exceeded");
            assertThat(refused.getMessage()).isEqualTo(
                    "requests per minute for access key 'ci-bot' (limit 3) exceeded; retry in 12 s");

            clock.advance(Duration.ofMillis(11_500));
            assertThat(refusal(limiter, ALICE_CI).retryAfter()).isEqualTo("1");
            clock.set(Instant.parse("2031-03-01T10:16:00Z"));
            limiter.admit(ALICE_CI);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {StoreUnderTest.MEMORY, StoreUnderTest.REDIS})
    void refusedCallsAreNotCounted(String backend) {
        try (StoreUnderTest s = StoreUnderTest.open(backend, clock)) {
            limit(LimitScope.USER, Limit.EACH, LimitMetric.REQUESTS_PER_MINUTE, 5);
            limit(LimitScope.KEY, "k-ci", LimitMetric.REQUESTS_PER_MINUTE, 1);
            CallLimiter limiter = limiter(s);
            limiter.admit(ALICE_CI);
            for (int i = 0; i < 4; i++) {
                assertThat(refusal(limiter, ALICE_CI).getMessage()).startsWith("requests per minute for access key");
            }

            assertThat(used(limiter, ALICE_CI, LimitScope.USER)).isEqualTo(1);
            assertThat(used(limiter, ALICE_CI, LimitScope.KEY)).isEqualTo(1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {StoreUnderTest.MEMORY, StoreUnderTest.REDIS})
    void tokensAreCheckedAtAdmissionAndCountedWhenTheCallEnds(String backend) {
        try (StoreUnderTest s = StoreUnderTest.open(backend, clock)) {
            limit(LimitScope.USER, "u-alice", LimitMetric.TOKENS_PER_MINUTE, 100);
            CallLimiter limiter = limiter(s);
            Admission first = limiter.admit(ALICE_CI);
            Admission second = limiter.admit(ALICE_CI);
            assertThat(used(limiter, ALICE_CI, LimitScope.USER)).isZero();

            limiter.settle(first, 80, 0);
            Admission third = limiter.admit(ALICE_CI);
            limiter.settle(second, 30, 0);
            assertThat(used(limiter, ALICE_CI, LimitScope.USER)).isEqualTo(110);

            ApiException refused = refusal(limiter, ALICE_CI);
            assertThat(refused.getMessage())
                    .isEqualTo("tokens per minute for user 'alice' (limit 100) exceeded; retry in 12 s");
            // A call admitted before the window filled still counts what it used.
            limiter.settle(third, 5, 0);
            assertThat(used(limiter, ALICE_CI, LimitScope.USER)).isEqualTo(115);

            clock.advance(Duration.ofSeconds(12));
            Admission next = limiter.admit(ALICE_CI);
            limiter.settle(next, 7, 0);
            assertThat(used(limiter, ALICE_CI, LimitScope.USER)).isEqualTo(7);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {StoreUnderTest.MEMORY, StoreUnderTest.REDIS})
    void creditsPerDayAreExactAndResetAtMidnightUtc(String backend) {
        clock.set(Instant.parse("2031-03-31T23:00:00Z"));
        try (StoreUnderTest s = StoreUnderTest.open(backend, clock)) {
            limit(LimitScope.USER, Limit.EACH, LimitMetric.CREDITS_PER_DAY, 5 * CREDIT);
            CallLimiter limiter = limiter(s);
            limiter.settle(limiter.admit(ALICE_CI), 0, 5 * CREDIT - 1);
            Admission last = limiter.admit(ALICE_CI); // 4.999999999 used: still below
            limiter.settle(last, 0, 1);

            ApiException refused = refusal(limiter, ALICE_CI);
            assertThat(refused.code()).isEqualTo("quota_exceeded");
            assertThat(refused.retryAfter()).isEqualTo("3600");
            assertThat(refused.getMessage())
                    .isEqualTo("credits per day for user 'alice' (limit 5) exceeded; retry in 3600 s");
            limiter.admit(BOB);

            clock.set(Instant.parse("2031-04-01T00:00:00Z"));
            limiter.settle(limiter.admit(ALICE_CI), 0, 5 * CREDIT - 1);
            assertThat(used(limiter, ALICE_CI, LimitScope.USER)).isEqualTo(5 * CREDIT - 1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {StoreUnderTest.MEMORY, StoreUnderTest.REDIS})
    void theDayAndTheMonthAreUtcCalendarWindows(String backend) {
        clock.set(Instant.parse("2031-01-31T23:59:59.500Z"));
        try (StoreUnderTest s = StoreUnderTest.open(backend, clock)) {
            limit(LimitScope.APP, Limit.EACH, LimitMetric.CREDITS_PER_MONTH, CREDIT / 2);
            limit(LimitScope.APP, Limit.EACH, LimitMetric.CREDITS_PER_DAY, 10 * CREDIT);
            CallLimiter limiter = limiter(s);
            limiter.settle(limiter.admit(ALICE_CI), 0, CREDIT / 2);

            ApiException refused = refusal(limiter, ALICE_CI);
            assertThat(refused.getMessage())
                    .isEqualTo("credits per month for app 'did:app:x' (limit 0.5) exceeded; retry in 1 s");

            clock.set(Instant.parse("2031-02-01T00:00:00Z"));
            limiter.settle(limiter.admit(ALICE_CI), 0, CREDIT / 2);
            // February has 28 days in 2031: the month ends at 2031-03-01T00:00Z.
            clock.set(Instant.parse("2031-02-28T12:00:00Z"));
            assertThat(refusal(limiter, ALICE_CI).retryAfter()).isEqualTo(Long.toString(12 * 3600));
            clock.set(Instant.parse("2031-03-01T00:00:00Z"));
            limiter.admit(ALICE_CI);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {StoreUnderTest.MEMORY, StoreUnderTest.REDIS})
    void aNamedSubjectOverridesTheDefaultAndEachSubjectCountsApart(String backend) {
        try (StoreUnderTest s = StoreUnderTest.open(backend, clock)) {
            limit(LimitScope.USER, Limit.EACH, LimitMetric.REQUESTS_PER_MINUTE, 1);
            limit(LimitScope.USER, "u-bob", LimitMetric.REQUESTS_PER_MINUTE, 3);
            CallLimiter limiter = limiter(s);

            limiter.admit(ALICE_CI);
            assertThat(refusal(limiter, ALICE_CI).getMessage()).contains("user 'alice' (limit 1)");
            LimitSubject carol = new LimitSubject("u-carol", "carol", "k-c", null, null, "m");
            limiter.admit(carol);
            for (int i = 0; i < 3; i++) {
                limiter.admit(BOB);
            }
            assertThat(refusal(limiter, BOB).getMessage()).contains("user 'bob' (limit 3)");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {StoreUnderTest.MEMORY, StoreUnderTest.REDIS})
    void aModelLimitCountsEveryCallerTogether(String backend) {
        try (StoreUnderTest s = StoreUnderTest.open(backend, clock)) {
            limit(LimitScope.MODEL, "openai/gpt-4o-mini", LimitMetric.REQUESTS_PER_MINUTE, 2);
            CallLimiter limiter = limiter(s);
            limiter.admit(ALICE_CI);
            limiter.admit(BOB);

            assertThat(refusal(limiter, ALICE_CI).getMessage()).isEqualTo(
                    "requests per minute for model 'openai/gpt-4o-mini' (limit 2) exceeded; retry in 12 s");
            limiter.admit(new LimitSubject("u-bob", "bob", "k-bob", null, null, "openai/gpt-4o"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {StoreUnderTest.MEMORY, StoreUnderTest.REDIS})
    void whenSeveralLimitsAreReachedTheLongestWaitIsTold(String backend) {
        try (StoreUnderTest s = StoreUnderTest.open(backend, clock)) {
            limit(LimitScope.KEY, Limit.EACH, LimitMetric.REQUESTS_PER_MINUTE, 1);
            limit(LimitScope.USER, Limit.EACH, LimitMetric.CREDITS_PER_DAY, CREDIT);
            CallLimiter limiter = limiter(s);
            limiter.settle(limiter.admit(ALICE_CI), 0, CREDIT);

            ApiException refused = refusal(limiter, ALICE_CI);
            long untilMidnight = Duration.between(clock.instant(), Instant.parse("2031-03-02T00:00:00Z")).toSeconds();
            assertThat(refused.retryAfter()).isEqualTo(Long.toString(untilMidnight));
            assertThat(refused.getMessage()).startsWith("credits per day for user 'alice' (limit 1)");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {StoreUnderTest.MEMORY, StoreUnderTest.REDIS})
    void aLimitOfZeroRefusesEveryCall(String backend) {
        try (StoreUnderTest s = StoreUnderTest.open(backend, clock)) {
            limit(LimitScope.MODEL, "openai/gpt-4o-mini", LimitMetric.REQUESTS_PER_MINUTE, 0);
            CallLimiter limiter = limiter(s);
            assertThat(refusal(limiter, BOB).getMessage()).contains("model 'openai/gpt-4o-mini' (limit 0)");
        }
    }

    @Test
    void aCallWithoutAnAppIsNotLimitedByAppLimitsAndAKeyWithoutANameIsNamedByItsId() {
        try (StoreUnderTest s = StoreUnderTest.open(StoreUnderTest.MEMORY, clock)) {
            limit(LimitScope.APP, Limit.EACH, LimitMetric.REQUESTS_PER_MINUTE, 0);
            limit(LimitScope.KEY, Limit.EACH, LimitMetric.REQUESTS_PER_MINUTE, 1);
            CallLimiter limiter = limiter(s);
            limiter.admit(BOB);
            assertThat(refusal(limiter, BOB).getMessage()).contains("access key 'k-bob'");
            assertThat(refusal(limiter, ALICE_CI).getMessage()).contains("app 'did:app:x' (limit 0)");
        }
    }

    @Test
    void withoutLimitsTheStoreIsNotAsked() {
        CallLimiter limiter = new CallLimiter(active, new UnreachableStore(), OnStoreFailure.CLOSED, clock);
        active.reload();
        Admission admission = limiter.admit(ALICE_CI);
        assertThat(admission).isSameAs(Admission.NONE);
        limiter.settle(admission, 1000, CREDIT);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {StoreUnderTest.MEMORY, StoreUnderTest.REDIS})
    void statusShowsTheLimitsThatApplyAndTheirUsage(String backend) {
        try (StoreUnderTest s = StoreUnderTest.open(backend, clock)) {
            limit(LimitScope.USER, Limit.EACH, LimitMetric.REQUESTS_PER_MINUTE, 10);
            limit(LimitScope.USER, "u-bob", LimitMetric.REQUESTS_PER_MINUTE, 99);
            limit(LimitScope.MODEL, Limit.EACH, LimitMetric.TOKENS_PER_MINUTE, 1000);
            limit(LimitScope.MODEL, "openai/gpt-4o-mini", LimitMetric.CREDITS_PER_MONTH, 7 * CREDIT);
            CallLimiter limiter = limiter(s);
            limiter.settle(limiter.admit(ALICE_CI), 40, 2 * CREDIT);
            limiter.admit(ALICE_CI);

            List<LimitStatus> status = limiter.status(ALICE_CI);
            assertThat(status).extracting(st -> st.limit().scope() + "/" + st.subjectId() + "/"
                            + st.limit().metric().wireName() + "=" + st.used())
                    .containsExactlyInAnyOrder("USER/u-alice/requests_per_minute=2",
                            "MODEL/openai/gpt-4o-mini/credits_per_month=" + 2 * CREDIT,
                            "MODEL/*/tokens_per_minute=null");
            LimitStatus month = status.stream().filter(st -> st.limit().metric() == LimitMetric.CREDITS_PER_MONTH)
                    .findFirst().orElseThrow();
            assertThat(Instant.ofEpochMilli(month.windowStart())).isEqualTo("2031-03-01T00:00:00Z");
            assertThat(Instant.ofEpochMilli(month.windowEnd())).isEqualTo("2031-04-01T00:00:00Z");
        }
    }

    private static long used(CallLimiter limiter, LimitSubject subject, LimitScope scope) {
        return limiter.status(subject).stream().filter(st -> st.limit().scope() == scope)
                .findFirst().orElseThrow().used();
    }

    /** A store that is never reachable, to see what admission does then. */
    static final class UnreachableStore implements CounterStore {
        int calls;

        @Override
        public List<Integer> admit(List<Check> checks) {
            calls++;
            throw new CounterStoreUnavailable("Redis at nowhere:1: Connection refused", null);
        }

        @Override
        public void add(List<Add> adds) {
            calls++;
            throw new CounterStoreUnavailable("Redis at nowhere:1: Connection refused", null);
        }

        @Override
        public List<Long> read(List<String> keys) {
            calls++;
            throw new CounterStoreUnavailable("Redis at nowhere:1: Connection refused", null);
        }

        @Override
        public String describe() {
            return "Redis at nowhere:1";
        }

        @Override
        public void close() {
        }
    }
}
