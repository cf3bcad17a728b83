package io.aigne.hub.testing;

import io.aigne.hub.store.Ids;
import io.aigne.hub.usage.CallRecord;
import io.aigne.hub.usage.CallStatus;
import io.aigne.hub.usage.CallType;
import io.aigne.hub.usage.Usage;

import java.util.List;
import java.util.Random;

/**
 * Random but plausible ledger rows for analytics tests and the analytics benchmark: calls of a few types and
 * statuses from pools of users, apps, providers and models, with log-normal-ish latencies, some without a TTFB,
 * credits in nanocredits. Deterministic for a given {@link Random}.
 */
public final class SyntheticCalls {
    private final Random random;
    private final List<String> users;
    private final List<String> apps;
    private final List<String> providers;
    private final List<String> models;

    public SyntheticCalls(Random random, List<String> users, List<String> apps, List<String> providers,
                          List<String> models) {
        this.random = random;
        this.users = users;
        this.apps = apps;
        this.providers = providers;
        this.models = models;
    }

    /** A call at {@code createdAt} by a user, app, provider and model picked uniformly from the pools. */
    public CallRecord at(long createdAt) {
        return call(createdAt, pick(users), pick(apps), pick(providers), pick(models));
    }

    /** A call with the given key dimensions and random measures; {@code app} may be null. */
    public CallRecord call(long createdAt, String user, String app, String provider, String model) {
        int t = random.nextInt(100);
        CallType type = t < 80 ? CallType.CHAT : t < 90 ? CallType.EMBEDDING : t < 97 ? CallType.IMAGE : CallType.VIDEO;
        int s = random.nextInt(100);
        CallStatus status = s < 90 ? CallStatus.SUCCESS : s < 97 ? CallStatus.FAILED : CallStatus.CANCELLED;
        long input = random.nextInt(4_000);
        long output = type == CallType.EMBEDDING ? 0 : random.nextInt(1_500);
        long cached = input == 0 ? 0 : random.nextInt((int) input + 1) / 3;
        long cacheWrite = random.nextInt(4) == 0 ? random.nextInt(200) : 0;
        long reasoning = random.nextInt(5) == 0 ? random.nextInt(500) : 0;
        int images = type == CallType.IMAGE ? 1 + random.nextInt(4) : 0;
        int seconds = type == CallType.VIDEO ? 4 + random.nextInt(8) : 0;
        Usage usage = new Usage(input, output, cached, cacheWrite, reasoning, input + output, images, seconds);
        // Mostly 0.2-5 s, a tail to minutes; exact bucket bounds turn up too.
        long latency = random.nextInt(50) == 0 ? 10_000 + random.nextInt(400_000)
                : random.nextInt(20) == 0 ? new long[] {10, 25, 50, 1_000, 300_000}[random.nextInt(5)]
                : (long) Math.exp(5 + random.nextGaussian() * 0.9 + 1.5);
        Long ttfb = type != CallType.CHAT || random.nextInt(5) == 0 ? null : Math.max(1, latency / (2 + random.nextInt(8)));
        long credits = status == CallStatus.SUCCESS ? random.nextLong(5_000_000_000L) : 0;
        return new CallRecord(Ids.next(), createdAt, user, "key-" + user, app, "req-" + random.nextLong(1L << 40),
                "/v1/chat/completions", type, random.nextBoolean(), provider, "cred-" + provider, model,
                model + "-2025", status, status == CallStatus.SUCCESS ? 200 : 500,
                status == CallStatus.FAILED ? "upstream failed: overloaded" : null, usage, 1 + random.nextInt(2),
                latency, ttfb, "up-" + random.nextInt(1_000_000), credits, 0, false);
    }

    private String pick(List<String> pool) {
        return pool.get(random.nextInt(pool.size()));
    }
}
