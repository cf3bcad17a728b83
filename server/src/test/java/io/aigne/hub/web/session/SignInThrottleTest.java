package io.aigne.hub.web.session;

import io.aigne.hub.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class SignInThrottleTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2025-06-01T10:00:00Z"));
    private final SignInThrottle throttle = new SignInThrottle(10, Duration.ofMinutes(15), clock);

    @Test
    void tenFailuresForOneNameBlockItUntilTheOldestIsFifteenMinutesOld() {
        for (int i = 0; i < 10; i++) {
            assertThat(throttle.waitFor("ada", "10.0.0." + i)).isZero();
            throttle.failed("ada", "10.0.0." + i);
            clock.advance(Duration.ofMinutes(1));
        }

        assertThat(throttle.waitFor("ADA", "10.9.9.9")).isEqualTo(Duration.ofMinutes(5));
        assertThat(throttle.waitFor("bob", "10.9.9.9")).isZero();
        clock.advance(Duration.ofMinutes(5));
        assertThat(throttle.waitFor("ada", "10.9.9.9")).isZero();
    }

    @Test
    void tenFailuresFromOneAddressBlockEveryNameFromIt() {
        for (int i = 0; i < 10; i++) {
            throttle.failed("user" + i, "10.0.0.1");
        }

        assertThat(throttle.waitFor("someone-else", "10.0.0.1")).isPositive();
        assertThat(throttle.waitFor("someone-else", "10.0.0.2")).isZero();
    }

    @Test
    void aCorrectPasswordClearsTheNameButNotTheAddress() {
        for (int i = 0; i < 9; i++) {
            throttle.failed("ada", "10.0.0.1");
        }
        throttle.succeeded("ada");
        throttle.failed("ada", "10.0.0.2");

        assertThat(throttle.waitFor("ada", "10.0.0.3")).isZero();
        throttle.failed("bob", "10.0.0.1");
        assertThat(throttle.waitFor("carol", "10.0.0.1")).isPositive();
    }
}
