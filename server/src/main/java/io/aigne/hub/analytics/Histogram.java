package io.aigne.hub.analytics;

import java.util.Arrays;

/**
 * Fixed log-scale buckets of milliseconds for latency and time to first byte. Rollups keep one count per bucket,
 * so percentiles over any set of rollup rows are the percentiles of the summed counts: exact to the bucket, and
 * interpolated linearly inside it. Consecutive bounds are at most 1.5 apart from 50 ms up, so an estimate is off by
 * less than half a bucket's width (it always lies in the bucket holding the true value).
 *
 * <p>The bounds are part of the stored schema ({@code lat_bNN}/{@code ttfb_bNN} columns of {@code usage_rollups}
 * and migration V9): changing them needs a migration and a rebuild.
 */
public final class Histogram {
    /** Exclusive upper bounds (ms) of every bucket but the last, which holds everything from 300 s up. */
    static final long[] UPPER = {10, 25, 50, 75, 100, 150, 200, 300, 400, 500, 750, 1_000, 1_500, 2_000, 3_000,
            4_000, 5_000, 7_500, 10_000, 15_000, 20_000, 30_000, 45_000, 60_000, 90_000, 120_000, 180_000, 300_000};
    public static final int BUCKETS = UPPER.length + 1;

    private Histogram() {
    }

    /** The bucket a duration falls in; negative durations count as 0. */
    public static int bucketOf(long millis) {
        int i = Arrays.binarySearch(UPPER, millis);
        // An exact hit on an upper bound belongs to the next bucket (bounds are exclusive).
        return i >= 0 ? i + 1 : -i - 1;
    }

    /** Inclusive lower bound of bucket {@code i}. */
    public static long lowerBound(int i) {
        return i == 0 ? 0 : UPPER[i - 1];
    }

    /** Exclusive upper bound of bucket {@code i}; {@link Long#MAX_VALUE} for the last. */
    public static long upperBound(int i) {
        return i < UPPER.length ? UPPER[i] : Long.MAX_VALUE;
    }

    /**
     * The {@code p}-th percentile (0 < p ≤ 100) of the durations counted in {@code counts}, or null when nothing was
     * counted. {@code max} is the largest duration counted: it bounds the last non-empty bucket, which makes the
     * open-ended top bucket usable and tightens the others.
     */
    public static Long percentile(long[] counts, double p, long max) {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        if (total == 0) {
            return null;
        }
        double rank = p / 100.0 * total;
        long before = 0;
        for (int i = 0; i < counts.length; i++) {
            long c = counts[i];
            if (c == 0) {
                continue;
            }
            if (before + c >= rank) {
                long lower = lowerBound(i);
                long upper = Math.max(lower, Math.min(upperBound(i), max));
                double fraction = (rank - before) / c;
                return Math.min(max, Math.round(lower + fraction * (upper - lower)));
            }
            before += c;
        }
        return max;
    }
}
