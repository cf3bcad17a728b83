package io.aigne.hub.web.session;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Slows password guessing on the sign-in form: after {@code maxFailures} wrong passwords within {@code window} for
 * one user name, or from one client address, further attempts for that name or from that address are refused
 * (429) until the oldest of those failures is older than {@code window}. Counted per node, in memory: enough to make
 * online guessing impractical without a shared store; a restart forgets the counts.
 */
public final class SignInThrottle {
    public static final int DEFAULT_MAX_FAILURES = 10;
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(15);

    private final int maxFailures;
    private final long windowMillis;
    private final Clock clock;
    /** Failure times, oldest first, per "user:NAME" and per "ip:ADDRESS". */
    private final Cache<String, Deque<Long>> failures;

    public SignInThrottle(int maxFailures, Duration window, Clock clock) {
        this.maxFailures = maxFailures;
        this.windowMillis = window.toMillis();
        this.clock = clock;
        this.failures = Caffeine.newBuilder()
                .maximumSize(100_000)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .expireAfterWrite(window)
                .build();
    }

    /** How long {@code userName} or {@code address} must wait before another attempt; zero when it may try now. */
    public Duration waitFor(String userName, String address) {
        long now = clock.millis();
        return max(waitFor(userKey(userName), now), waitFor(ipKey(address), now));
    }

    public void failed(String userName, String address) {
        long now = clock.millis();
        record(userKey(userName), now);
        record(ipKey(address), now);
    }

    /** A correct password clears the user name's failures (not the address's: one address may try many names). */
    public void succeeded(String userName) {
        failures.invalidate(userKey(userName));
    }

    private Duration waitFor(String key, long now) {
        Deque<Long> times = failures.getIfPresent(key);
        if (times == null) {
            return Duration.ZERO;
        }
        synchronized (times) {
            prune(times, now);
            if (times.size() < maxFailures) {
                return Duration.ZERO;
            }
            return Duration.ofMillis(times.peekFirst() + windowMillis - now);
        }
    }

    private void record(String key, long now) {
        Deque<Long> times = failures.get(key, k -> new ArrayDeque<>());
        synchronized (times) {
            prune(times, now);
            times.addLast(now);
            while (times.size() > maxFailures) {
                times.removeFirst();
            }
        }
        failures.put(key, times);
    }

    private void prune(Deque<Long> times, long now) {
        while (!times.isEmpty() && times.peekFirst() + windowMillis <= now) {
            times.removeFirst();
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static String userKey(String userName) {
        String name = userName == null ? "" : userName.trim().toLowerCase(Locale.ROOT);
        return "user:" + (name.length() > 100 ? name.substring(0, 100) : name);
    }

    private static String ipKey(String address) {
        return "ip:" + (address == null ? "" : address);
    }
}
