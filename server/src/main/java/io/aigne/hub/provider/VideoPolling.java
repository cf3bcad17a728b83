package io.aigne.hub.provider;

import java.time.Duration;

/**
 * How long and how often an adapter polls a provider's video job: the first check after {@link #firstInterval},
 * each wait twice the last up to {@link #maxInterval} (a clip takes one to several minutes; early checks catch
 * the quick ones, later ones spare the provider's rate limit), and a failure once {@link #timeout} has passed.
 * The sleeper is injectable so tests poll without waiting; time is then counted from the waits asked for.
 */
public final class VideoPolling {
    /** Waits between two checks. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    /** One check of the job: the result once it has ended, null while it runs. */
    @FunctionalInterface
    public interface Check<T> {
        T poll() throws ProviderFailure;
    }

    public static final Duration FIRST_INTERVAL = Duration.ofSeconds(1);
    public static final Duration MAX_INTERVAL = Duration.ofSeconds(10);

    private final Duration timeout;
    private final Duration firstInterval;
    private final Duration maxInterval;
    private final Sleeper sleeper;

    public VideoPolling(Duration timeout, Duration firstInterval, Duration maxInterval, Sleeper sleeper) {
        this.timeout = timeout;
        this.firstInterval = firstInterval;
        this.maxInterval = maxInterval;
        this.sleeper = sleeper;
    }

    /** Real waits from one second up to ten, within the timeout. */
    public static VideoPolling of(Duration timeout) {
        return new VideoPolling(timeout, FIRST_INTERVAL, MAX_INTERVAL, d -> Thread.sleep(d.toMillis()));
    }

    public Duration timeout() {
        return timeout;
    }

    /** Checks until the job has ended; {@code what} names the job in the timeout message. */
    public <T> T await(String what, Check<T> check) throws ProviderFailure {
        long started = System.nanoTime();
        long waitedNanos = 0;
        Duration interval = firstInterval;
        while (true) {
            long elapsed = Math.max(System.nanoTime() - started, waitedNanos);
            if (elapsed >= timeout.toNanos()) {
                throw ProviderFailure.broken(what + " did not finish within " + timeout.toSeconds()
                        + " s (upstream.videoTimeoutSeconds)", true);
            }
            Duration wait = Duration.ofNanos(Math.min(interval.toNanos(), timeout.toNanos() - elapsed));
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ProviderFailure.broken("the hub stopped waiting for " + what, false);
            }
            waitedNanos += wait.toNanos();
            T result = check.poll();
            if (result != null) {
                return result;
            }
            interval = interval.multipliedBy(2).compareTo(maxInterval) > 0 ? maxInterval : interval.multipliedBy(2);
        }
    }
}
