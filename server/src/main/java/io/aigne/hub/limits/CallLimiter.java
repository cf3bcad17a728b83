package io.aigne.hub.limits;

import io.aigne.hub.server.ApiException;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Quotas and rate limits on model calls. {@link #admit} before a call is sent anywhere: it counts the request
 * and refuses the call (429 with {@code Retry-After}) when any limit that applies has reached its value in the
 * current window. {@link #settle} when the call ends: its tokens and credits are added to the windows they fall in.
 *
 * <p>The algorithm is a <b>fixed window</b> counter: one counter per subject, metric and window (the clock minute,
 * the UTC day, the UTC month), checked and raised atomically in a {@link CounterStore}. It was chosen over a
 * sliding-window estimate because the day and month quotas are calendar windows by definition, so one exact rule
 * serves all four metrics; because the counts are exact and auditable ("42 of 60 this minute") and the answer to
 * "when can I retry" is exact too (the window's end); and because it is one atomic read-compare-increment in Redis.
 * Its known cost: a client can spend a full minute's allowance at the end of one minute and again at the start of
 * the next.
 */
public final class CallLimiter {
    private final ActiveLimits limits;
    private final CounterStore store;
    private final OnStoreFailure onFailure;
    private final Clock clock;
    private final StoreOutageLog outages;

    public CallLimiter(ActiveLimits limits, CounterStore store, OnStoreFailure onFailure, Clock clock) {
        this.limits = limits;
        this.store = store;
        this.onFailure = onFailure;
        this.clock = clock;
        this.outages = new StoreOutageLog(onFailure);
    }

    /**
     * Admits a call or refuses it with a 429 {@link ApiException} naming the limit, with {@code Retry-After} in
     * seconds until that limit's window ends (the longest wait when several are reached). When the counter store is
     * unreachable: admitted unchecked, or a 503, as {@link OnStoreFailure} says.
     */
    public Admission admit(LimitSubject subject) {
        List<AppliedLimit> applied = limits.table().applicable(subject);
        if (applied.isEmpty()) {
            return Admission.NONE;
        }
        long now = clock.millis();
        List<CounterStore.Check> checks = new ArrayList<>(applied.size());
        for (AppliedLimit a : applied) {
            checks.add(new CounterStore.Check(a.counterKey(now), a.limit().value(),
                    a.metric().countedAtAdmission() ? 1 : 0, a.metric().window().end(now)));
        }
        List<Integer> refused;
        try {
            refused = store.admit(checks);
            outages.succeeded(store);
        } catch (CounterStoreUnavailable e) {
            outages.failed(e);
            if (onFailure == OnStoreFailure.CLOSED) {
                throw new ApiException(503, "server_error", "limits_unavailable", null,
                        "the hub cannot check its rate limits right now (its counter store does not answer); "
                                + "try again shortly", "5");
            }
            return new Admission(applied);
        }
        if (refused.isEmpty()) {
            return new Admission(applied);
        }
        AppliedLimit binding = null;
        for (int i : refused) {
            AppliedLimit a = applied.get(i);
            if (binding == null || a.metric().window().end(now) > binding.metric().window().end(now)) {
                binding = a;
            }
        }
        throw exceeded(binding, now);
    }

    /**
     * Counts what an admitted call used, in the windows of the moment it ended: total tokens for tokens-per-minute
     * limits, nanocredits for the credit quotas. Never throws: a store failure is logged and the amounts are lost.
     */
    public void settle(Admission admission, long tokens, long creditsNanos) {
        if (admission == null || admission.isEmpty() || (tokens <= 0 && creditsNanos <= 0)) {
            return;
        }
        long now = clock.millis();
        List<CounterStore.Add> adds = new ArrayList<>();
        for (AppliedLimit a : admission.limits()) {
            long amount = switch (a.metric().unit()) {
                case TOKENS -> tokens;
                case CREDITS -> creditsNanos;
                case REQUESTS -> 0;
            };
            if (amount > 0) {
                adds.add(new CounterStore.Add(a.counterKey(now), amount, a.metric().window().end(now)));
            }
        }
        if (adds.isEmpty()) {
            return;
        }
        try {
            store.add(adds);
            outages.succeeded(store);
        } catch (CounterStoreUnavailable e) {
            outages.failed(e);
        }
    }

    /**
     * The limits that apply to a caller and how much of each window is used: its user, key and app limits, and
     * every model limit (with usage for limits on a named model; a model default counts each model apart, so it
     * has no single usage). Usage is absent when the counter store does not answer.
     */
    public List<LimitStatus> status(LimitSubject subject) {
        long now = clock.millis();
        LimitTable table = limits.table();
        List<AppliedLimit> counted = new ArrayList<>(table.applicable(
                new LimitSubject(subject.userId(), subject.userName(), subject.keyId(), subject.keyName(),
                        subject.appDid(), null)));
        List<Limit> modelDefaults = new ArrayList<>();
        for (Limit l : table.all()) {
            if (l.scope() == LimitScope.MODEL) {
                if (l.forEach()) {
                    modelDefaults.add(l);
                } else {
                    counted.add(new AppliedLimit(l, l.subject(), LimitScope.MODEL.label() + " '" + l.subject() + "'"));
                }
            }
        }
        List<Long> used = null;
        if (!counted.isEmpty()) {
            try {
                used = store.read(counted.stream().map(a -> a.counterKey(now)).toList());
                outages.succeeded(store);
            } catch (CounterStoreUnavailable e) {
                outages.failed(e);
            }
        }
        List<LimitStatus> out = new ArrayList<>();
        for (int i = 0; i < counted.size(); i++) {
            AppliedLimit a = counted.get(i);
            Window w = a.metric().window();
            out.add(new LimitStatus(a.limit(), a.subjectId(), used == null ? null : used.get(i), w.start(now),
                    w.end(now)));
        }
        for (Limit l : modelDefaults) {
            Window w = l.metric().window();
            out.add(new LimitStatus(l, Limit.EACH, null, w.start(now), w.end(now)));
        }
        return out;
    }

    /** The 429 for a reached limit: "requests per minute for access key 'ci-bot' (limit 60) exceeded; retry in 12 s". */
    private static ApiException exceeded(AppliedLimit limit, long now) {
        long end = limit.metric().window().end(now);
        long seconds = Math.max(1, (end - now + 999) / 1000);
        LimitMetric metric = limit.metric();
        String message = metric.label() + " for " + limit.label() + " (limit " + metric.format(limit.limit().value())
                + ") exceeded; retry in " + seconds + " s";
        String code = metric.window() == Window.MINUTE ? "rate_limit_exceeded" : "quota_exceeded";
        return new ApiException(429, "rate_limit_error", code, null, message, Long.toString(seconds));
    }
}
