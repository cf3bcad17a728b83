package io.aigne.hub.analytics;

import io.aigne.hub.usage.CallRecord;

import java.util.Comparator;

/** The key of one rollup row: period, grain, bucket start and the five dimension values ('' when not kept). */
public record RollupKey(Period period, Grain grain, long bucket, String userId, String appDid, String provider,
                        String model, String type) implements Comparable<RollupKey> {
    private static final Comparator<RollupKey> ORDER = Comparator.comparing(RollupKey::period)
            .thenComparing(RollupKey::grain).thenComparingLong(RollupKey::bucket)
            .thenComparing(RollupKey::userId).thenComparing(RollupKey::appDid).thenComparing(RollupKey::provider)
            .thenComparing(RollupKey::model).thenComparing(RollupKey::type);

    /** The row of {@code grain} and {@code period} that call {@code r} counts in. */
    public static RollupKey of(Period period, Grain grain, CallRecord r) {
        return new RollupKey(period, grain, period.floor(r.createdAt()), kept(grain, Dimension.USER, r),
                kept(grain, Dimension.APP, r), kept(grain, Dimension.PROVIDER, r), kept(grain, Dimension.MODEL, r),
                kept(grain, Dimension.TYPE, r));
    }

    private static String kept(Grain grain, Dimension d, CallRecord r) {
        return grain.keeps(d) ? d.of(r) : "";
    }

    /** A total order, so that writers always lock rows in the same order and cannot deadlock one another. */
    @Override
    public int compareTo(RollupKey o) {
        return ORDER.compare(this, o);
    }
}
