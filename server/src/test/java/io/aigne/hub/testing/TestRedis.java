package io.aigne.hub.testing;

import io.aigne.hub.limits.CounterStoreUnavailable;
import io.aigne.hub.limits.RedisCounterStore;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Redis for the tests that share limits across nodes: {@value #URL_ENV} (default {@value #DEFAULT_URL}). Tests
 * start with {@link #assumeRedis()}: skipped with the reason when Redis does not answer, unless
 * {@value #REQUIRE_ENV}{@code =1} (as in CI), in which case they fail. Each test gets its own key prefix, so tests
 * never see each other's counters, and {@link Prefix#close()} deletes its keys.
 */
public final class TestRedis {
    public static final String URL_ENV = "AIGNE_HUB_TEST_REDIS_URL";
    public static final String REQUIRE_ENV = "AIGNE_HUB_TEST_REQUIRE_REDIS";
    public static final String DEFAULT_URL = "redis://127.0.0.1:6379/0";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final AtomicBoolean SKIP_ANNOUNCED = new AtomicBoolean();

    private TestRedis() {
    }

    public static String url() {
        String url = System.getenv(URL_ENV);
        return url == null || url.isBlank() ? DEFAULT_URL : url.trim();
    }

    /** Skips the calling test when Redis does not answer, or fails it when {@value #REQUIRE_ENV}=1. */
    public static void assumeRedis() {
        String failure = Probe.FAILURE;
        if (failure == null) {
            return;
        }
        if ("1".equals(System.getenv(REQUIRE_ENV))) {
            Assertions.fail(REQUIRE_ENV + "=1 but Redis is not reachable at " + url() + ": " + failure);
        }
        String reason = "Redis not reachable at " + url() + " (" + failure + "); skipping the Redis limit tests — "
                + "set " + URL_ENV + " or start Redis";
        if (SKIP_ANNOUNCED.compareAndSet(false, true)) {
            System.err.println("[TestRedis] " + reason);
        }
        Assumptions.abort(reason);
    }

    /** A fresh key prefix on the test Redis (after {@link #assumeRedis()}). */
    public static Prefix prefix() {
        assumeRedis();
        return new Prefix("aigne-hub-test:" + HexFormat.of().formatHex(randomBytes()) + ":");
    }

    /** A key prefix of one test; stores opened on it share counters, as the nodes of one hub do. */
    public record Prefix(String value) implements AutoCloseable {
        public RedisCounterStore store() {
            return new RedisCounterStore(URI.create(url()), value, Duration.ofSeconds(2));
        }

        /** Deletes every key under this prefix. */
        @Override
        public void close() {
            try (JedisPooled redis = new JedisPooled(URI.create(url()))) {
                String cursor = ScanParams.SCAN_POINTER_START;
                do {
                    ScanResult<String> page = redis.scan(cursor, new ScanParams().match(value + "*").count(500));
                    if (!page.getResult().isEmpty()) {
                        redis.del(page.getResult().toArray(String[]::new));
                    }
                    cursor = page.getCursor();
                } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
            }
        }
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** Whether Redis answered, found out once per JVM. */
    private static final class Probe {
        static final String FAILURE = run();

        private static String run() {
            try (RedisCounterStore store = new RedisCounterStore(URI.create(url()), "probe:", Duration.ofSeconds(2))) {
                store.ping();
                return null;
            } catch (CounterStoreUnavailable | IllegalArgumentException e) {
                return e.getMessage();
            }
        }
    }
}
