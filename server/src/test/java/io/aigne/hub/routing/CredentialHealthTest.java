package io.aigne.hub.routing;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class CredentialHealthTest {
    private static final Duration FIRST_RETEST = Duration.ofSeconds(5);
    private static final Duration MAX_RETEST = Duration.ofSeconds(30);
    private static final Duration COOL_DOWN = Duration.ofSeconds(60);
    private static final Duration REST = Duration.ofSeconds(60);
    private static final int WEIGHT = 20;

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private MutableClock clock;
    private CredentialHealth health;

    @BeforeEach
    void setUp() {
        clock = new MutableClock(Instant.parse("2025-06-01T12:00:00Z"));
        health = new CredentialHealth(clock);
    }

    @Test
    void aNewCredentialIsHealthyWithItsFullWeight() {
        assertThat(health.state()).isEqualTo(CredentialHealth.State.HEALTHY);
        assertThat(health.effectiveWeight(WEIGHT)).isEqualTo(WEIGHT);
        assertThat(health.usable()).isTrue();
        assertThat(health.retestDue()).isFalse();
        assertThat(health.snapshot().until()).isNull();
        assertThat(health.snapshot().lastError()).isNull();
        assertThat(health.snapshot().lastErrorAt()).isNull();
    }

    @Test
    void aRejectedCredentialLeavesTheRotationUntilARetestIsDue() {
        health.rejected("401 Incorrect API key provided", FIRST_RETEST, MAX_RETEST);

        assertThat(health.state()).isEqualTo(CredentialHealth.State.REJECTED);
        assertThat(health.effectiveWeight(WEIGHT)).isZero();
        assertThat(health.usable()).isFalse();
        assertThat(health.retestDue()).isFalse();

        clock.advance(Duration.ofMillis(4_999));
        assertThat(health.retestDue()).isFalse();

        clock.advance(Duration.ofMillis(1));
        assertThat(health.retestDue()).isTrue();
        assertThat(health.usable()).as("still out until a retest passes").isFalse();
        assertThat(health.effectiveWeight(WEIGHT)).isZero();
    }

    @Test
    void eachFailedRetestDoublesTheBackOffUpToTheMaximum() {
        health.rejected("401", FIRST_RETEST, MAX_RETEST);
        assertThat(secondsUntilRetestDue()).isEqualTo(5);

        health.retestFailed("401", FIRST_RETEST, MAX_RETEST);
        assertThat(secondsUntilRetestDue()).isEqualTo(10);

        health.retestFailed("401", FIRST_RETEST, MAX_RETEST);
        assertThat(secondsUntilRetestDue()).isEqualTo(20);

        health.retestFailed("401", FIRST_RETEST, MAX_RETEST);
        assertThat(secondsUntilRetestDue()).isEqualTo(30);

        health.retestFailed("401", FIRST_RETEST, MAX_RETEST);
        assertThat(secondsUntilRetestDue()).isEqualTo(30);
    }

    @Test
    void aPassedRetestMakesTheCredentialHealthyAndResetsTheBackOff() {
        health.rejected("401", FIRST_RETEST, MAX_RETEST);
        health.retestFailed("401", FIRST_RETEST, MAX_RETEST);
        health.retestFailed("401", FIRST_RETEST, MAX_RETEST);

        health.retestPassed();

        assertThat(health.state()).isEqualTo(CredentialHealth.State.HEALTHY);
        assertThat(health.usable()).isTrue();
        assertThat(health.effectiveWeight(WEIGHT)).isEqualTo(WEIGHT);
        assertThat(health.retestDue()).isFalse();

        health.rejected("401 again", FIRST_RETEST, MAX_RETEST);
        assertThat(secondsUntilRetestDue()).as("back-off starts over").isEqualTo(5);
    }

    @Test
    void aRateLimitedCredentialRotatesWithATenthOfItsWeightUntilTheCoolDownEnds() {
        health.rateLimited("429 Rate limit reached", COOL_DOWN);

        assertThat(health.state()).isEqualTo(CredentialHealth.State.RATE_LIMITED);
        assertThat(health.effectiveWeight(WEIGHT)).isEqualTo(2);
        assertThat(health.effectiveWeight(5)).as("never below 1").isEqualTo(1);
        assertThat(health.usable()).isTrue();

        clock.advance(COOL_DOWN.minusMillis(1));
        assertThat(health.effectiveWeight(WEIGHT)).isEqualTo(2);

        clock.advance(Duration.ofMillis(1));
        assertThat(health.effectiveWeight(WEIGHT)).isEqualTo(WEIGHT);
        assertThat(health.state()).isEqualTo(CredentialHealth.State.HEALTHY);
    }

    @Test
    void aRateLimitDoesNotBringARejectedCredentialBack() {
        health.rejected("401", FIRST_RETEST, MAX_RETEST);

        health.rateLimited("429", COOL_DOWN);

        assertThat(health.state()).isEqualTo(CredentialHealth.State.REJECTED);
        assertThat(health.effectiveWeight(WEIGHT)).isZero();
    }

    @Test
    void threeFailuresInARowRestTheCredentialThenItGetsItsWeightBack() {
        health.failed("502 Bad Gateway", REST);
        health.failed("connection reset", REST);
        assertThat(health.effectiveWeight(WEIGHT)).as("two failures are not enough").isEqualTo(WEIGHT);

        health.failed("503 Service Unavailable", REST);

        assertThat(health.state()).isEqualTo(CredentialHealth.State.FAILING);
        assertThat(health.effectiveWeight(WEIGHT)).isZero();
        assertThat(health.usable()).as("failing credentials stay usable as a last resort").isTrue();

        clock.advance(REST.minusMillis(1));
        assertThat(health.effectiveWeight(WEIGHT)).isZero();

        clock.advance(Duration.ofMillis(1));
        assertThat(health.effectiveWeight(WEIGHT)).isEqualTo(WEIGHT);
    }

    @Test
    void afterTheRestOneMoreFailureRestsItAgain() {
        for (int i = 0; i < 3; i++) {
            health.failed("502", REST);
        }
        clock.advance(REST);

        health.failed("502", REST);

        assertThat(health.effectiveWeight(WEIGHT)).isZero();
    }

    @Test
    void aSuccessResetsTheFailureCount() {
        health.failed("502", REST);
        health.failed("502", REST);
        health.succeeded();
        health.failed("502", REST);
        health.failed("502", REST);

        assertThat(health.state()).isEqualTo(CredentialHealth.State.HEALTHY);
        assertThat(health.effectiveWeight(WEIGHT)).isEqualTo(WEIGHT);

        health.failed("502", REST);
        assertThat(health.effectiveWeight(WEIGHT)).isZero();
    }

    @Test
    void aSuccessEndsTheRestOfAFailingCredential() {
        for (int i = 0; i < 3; i++) {
            health.failed("502", REST);
        }

        health.succeeded();

        assertThat(health.state()).isEqualTo(CredentialHealth.State.HEALTHY);
        assertThat(health.effectiveWeight(WEIGHT)).isEqualTo(WEIGHT);
    }

    @Test
    void theSnapshotReportsTheLastErrorAndTheCounts() {
        health.succeeded();
        health.succeeded();
        clock.advance(Duration.ofSeconds(1));
        health.rejected("401 Incorrect API key provided", FIRST_RETEST, MAX_RETEST);

        CredentialHealth.Snapshot snapshot = health.snapshot();

        assertThat(snapshot.state()).isEqualTo(CredentialHealth.State.REJECTED);
        assertThat(snapshot.lastError()).isEqualTo("401 Incorrect API key provided");
        assertThat(snapshot.lastErrorAt()).isEqualTo(clock.millis());
        assertThat(snapshot.until()).isEqualTo(clock.millis() + 5_000);
        assertThat(snapshot.successes()).isEqualTo(2);
        assertThat(snapshot.failures()).isEqualTo(1);
    }

    /** Moves the clock second by second until a re-test is due and returns how long that took. */
    private long secondsUntilRetestDue() {
        long seconds = 0;
        while (!health.retestDue()) {
            clock.advance(Duration.ofSeconds(1));
            seconds++;
            assertThat(seconds).isLessThan(3600);
        }
        return seconds;
    }
}
