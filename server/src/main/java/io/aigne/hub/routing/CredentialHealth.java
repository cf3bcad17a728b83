package io.aigne.hub.routing;

import java.time.Clock;
import java.time.Duration;

/**
 * What this node has learnt about one credential from the answers it got:
 * <ul>
 *   <li>rejected (401/403): out of rotation until a background re-test passes; re-tests back off exponentially;</li>
 *   <li>rate limited (429): its weight drops to a tenth until the cool-down (or the provider's Retry-After) ends;</li>
 *   <li>failing (5xx, resets): after three failures in a row it rests for the cool-down, then gets one try.</li>
 * </ul>
 */
public final class CredentialHealth {
    public enum State { HEALTHY, RATE_LIMITED, FAILING, REJECTED }

    private static final int FAILURES_BEFORE_REST = 3;

    private final Clock clock;
    private State state = State.HEALTHY;
    private long until;
    private int consecutiveFailures;
    private int retests;
    private String lastError;
    private long lastErrorAt;
    private long successes;
    private long failures;

    CredentialHealth(Clock clock) {
        this.clock = clock;
    }

    public synchronized State state() {
        refresh();
        return state;
    }

    /** The weight to rotate with right now: zero takes the credential out of the first pass. */
    synchronized int effectiveWeight(int weight) {
        refresh();
        return switch (state) {
            case HEALTHY -> weight;
            case RATE_LIMITED -> Math.max(1, weight / 10);
            case FAILING -> until > clock.millis() ? 0 : weight;
            case REJECTED -> 0;
        };
    }

    synchronized boolean usable() {
        refresh();
        return state != State.REJECTED;
    }

    synchronized void succeeded() {
        successes++;
        consecutiveFailures = 0;
        if (state == State.FAILING || state == State.REJECTED) {
            state = State.HEALTHY;
            retests = 0;
        }
    }

    synchronized void rejected(String error, Duration firstRetest, Duration maxRetest) {
        failures++;
        noteError(error);
        long delay = Math.min(maxRetest.toMillis(), firstRetest.toMillis() << Math.min(20, retests));
        state = State.REJECTED;
        until = clock.millis() + delay;
    }

    synchronized void rateLimited(String error, Duration coolDown) {
        failures++;
        noteError(error);
        if (state != State.REJECTED) {
            state = State.RATE_LIMITED;
            until = clock.millis() + coolDown.toMillis();
        }
    }

    synchronized void failed(String error, Duration rest) {
        failures++;
        noteError(error);
        consecutiveFailures++;
        if (state != State.REJECTED && consecutiveFailures >= FAILURES_BEFORE_REST) {
            state = State.FAILING;
            until = clock.millis() + rest.toMillis();
        }
    }

    /** True when a rejected credential is due for its next background re-test. */
    synchronized boolean retestDue() {
        return state == State.REJECTED && clock.millis() >= until;
    }

    synchronized void retestFailed(String error, Duration firstRetest, Duration maxRetest) {
        retests++;
        rejected(error, firstRetest, maxRetest);
    }

    synchronized void retestPassed() {
        state = State.HEALTHY;
        retests = 0;
        consecutiveFailures = 0;
    }

    public synchronized Snapshot snapshot() {
        refresh();
        return new Snapshot(state, state == State.HEALTHY ? null : until, lastError, lastErrorAt == 0 ? null : lastErrorAt,
                successes, failures);
    }

    public record Snapshot(State state, Long until, String lastError, Long lastErrorAt, long successes, long failures) {
    }

    private void noteError(String error) {
        lastError = error;
        lastErrorAt = clock.millis();
    }

    private void refresh() {
        if (state == State.RATE_LIMITED && clock.millis() >= until) {
            state = State.HEALTHY;
        }
    }
}
