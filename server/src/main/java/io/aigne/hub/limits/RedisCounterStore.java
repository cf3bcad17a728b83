package io.aigne.hub.limits;

import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;
import redis.clients.jedis.util.JedisURIHelper;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;

/**
 * Counters in Redis, shared by every node of a hub. Admission is one Lua script, which Redis runs atomically: it
 * reads every counter of the call, and only when all are below their limits raises the request counters, so N
 * admissions per window in total pass however many nodes ask at once. Counters expire a minute after their window
 * ends (slack for clock differences between the nodes and Redis).
 *
 * <p>Values are compared as decimal strings in the script, not as Lua numbers (doubles), so nanocredit counters
 * stay exact beyond 2^53. All keys of one admission go to one script, so this needs a single Redis primary, not a
 * Redis Cluster.
 *
 * <p>When Redis fails, later operations fail at once for {@value #RETRY_AFTER_FAILURE_MILLIS} ms instead of each
 * call waiting for its own time-out.
 */
public final class RedisCounterStore implements CounterStore {
    static final long RETRY_AFTER_FAILURE_MILLIS = 1_000;
    private static final long EXPIRY_SLACK_MILLIS = 60_000;

    private static final Script ADMIT = new Script("""
            local function reached(value, limit)
              if #value ~= #limit then return #value > #limit end
              return value >= limit
            end
            local refused = {}
            for i = 1, #KEYS do
              local value = redis.call('GET', KEYS[i]) or '0'
              if reached(value, ARGV[3 * i - 2]) then refused[#refused + 1] = i - 1 end
            end
            if #refused > 0 then return refused end
            for i = 1, #KEYS do
              if ARGV[3 * i - 1] ~= '0' then
                redis.call('INCRBY', KEYS[i], ARGV[3 * i - 1])
                redis.call('PEXPIREAT', KEYS[i], ARGV[3 * i])
              end
            end
            return refused
            """);
    private static final Script ADD = new Script("""
            for i = 1, #KEYS do
              redis.call('INCRBY', KEYS[i], ARGV[2 * i - 1])
              redis.call('PEXPIREAT', KEYS[i], ARGV[2 * i])
            end
            return #KEYS
            """);

    private record Script(String body, String sha) {
        Script(String body) {
            this(body, sha1(body));
        }
    }

    private final JedisPooled redis;
    private final String prefix;
    private final String where;
    private volatile long failingUntil;

    /**
     * @param url     {@code redis://[user:password@]host:port[/db]}, or {@code rediss://} for TLS
     * @param prefix  put before every key, so several hubs (or tests) can share one Redis
     * @param timeout for connecting and for each answer
     */
    public RedisCounterStore(URI url, String prefix, Duration timeout) {
        if (!JedisURIHelper.isValid(url)
                || !(JedisURIHelper.isRedisScheme(url) || JedisURIHelper.isRedisSSLScheme(url))) {
            throw new IllegalArgumentException("not a Redis URL (redis://host:port/db or rediss://…)");
        }
        GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
        // Calls run on virtual threads, many at once; each holds a connection for one short round trip.
        pool.setMaxTotal(64);
        pool.setMaxIdle(64);
        pool.setMaxWait(timeout);
        int millis = (int) timeout.toMillis();
        this.redis = new JedisPooled(pool, url, millis, millis);
        this.prefix = prefix;
        this.where = "Redis at " + JedisURIHelper.getHostAndPort(url);
    }

    @Override
    public List<Integer> admit(List<Check> checks) {
        List<String> keys = new ArrayList<>(checks.size());
        List<String> args = new ArrayList<>(checks.size() * 3);
        for (Check c : checks) {
            keys.add(prefix + c.key());
            args.add(Long.toString(c.limit()));
            args.add(Long.toString(c.increment()));
            args.add(Long.toString(c.expiresAt() + EXPIRY_SLACK_MILLIS));
        }
        Object answer = call(() -> run(ADMIT, keys, args));
        List<Integer> refused = new ArrayList<>();
        if (answer instanceof List<?> list) {
            for (Object item : list) {
                refused.add(((Number) item).intValue());
            }
        }
        return refused;
    }

    @Override
    public void add(List<Add> adds) {
        if (adds.isEmpty()) {
            return;
        }
        List<String> keys = new ArrayList<>(adds.size());
        List<String> args = new ArrayList<>(adds.size() * 2);
        for (Add a : adds) {
            keys.add(prefix + a.key());
            args.add(Long.toString(a.amount()));
            args.add(Long.toString(a.expiresAt() + EXPIRY_SLACK_MILLIS));
        }
        call(() -> run(ADD, keys, args));
    }

    @Override
    public List<Long> read(List<String> keys) {
        if (keys.isEmpty()) {
            return List.of();
        }
        List<String> values = call(() -> redis.mget(keys.stream().map(k -> prefix + k).toArray(String[]::new)));
        List<Long> out = new ArrayList<>(values.size());
        for (String v : values) {
            out.add(v == null ? 0L : Long.parseLong(v));
        }
        return out;
    }

    /** Checks that Redis answers; throws {@link CounterStoreUnavailable} otherwise. */
    public void ping() {
        call(redis::ping);
    }

    @Override
    public String describe() {
        return where;
    }

    @Override
    public void close() {
        redis.close();
    }

    private Object run(Script script, List<String> keys, List<String> args) {
        try {
            return redis.evalsha(script.sha(), keys, args);
        } catch (JedisNoScriptException e) {
            // First use on this Redis (or after SCRIPT FLUSH / a restart): EVAL also caches the script.
            return redis.eval(script.body(), keys, args);
        }
    }

    private <T> T call(Supplier<T> operation) {
        if (System.currentTimeMillis() < failingUntil) {
            throw new CounterStoreUnavailable(where + " failed less than a second ago", null);
        }
        try {
            return operation.get();
        } catch (JedisException e) {
            failingUntil = System.currentTimeMillis() + RETRY_AFTER_FAILURE_MILLIS;
            throw new CounterStoreUnavailable(where + ": " + rootMessage(e), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage();
        return message == null ? t.getClass().getSimpleName() : message;
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
