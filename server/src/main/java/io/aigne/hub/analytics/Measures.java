package io.aigne.hub.analytics;

import io.aigne.hub.usage.CallRecord;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;

import static io.aigne.hub.analytics.MeasureColumns.ALL;
import static io.aigne.hub.analytics.MeasureColumns.COUNT;

/**
 * The measures of a set of calls (one rollup row, or several combined), as a vector in {@link MeasureColumns}
 * order, with the figures the APIs derive from them: averages, success rate, percentiles.
 */
public final class Measures {
    private final long[] v = new long[COUNT];

    public static Measures of(CallRecord r) {
        Measures m = new Measures();
        m.add(r);
        return m;
    }

    public void add(CallRecord r) {
        for (int i = 0; i < COUNT; i++) {
            combine(i, ALL.get(i).value().applyAsLong(r));
        }
    }

    public void merge(Measures other) {
        for (int i = 0; i < COUNT; i++) {
            combine(i, other.v[i]);
        }
    }

    private void combine(int i, long value) {
        v[i] = ALL.get(i).kind() == MeasureColumns.Kind.MAX ? Math.max(v[i], value) : Math.addExact(v[i], value);
    }

    /** Reads the measures {@code columns} (indexes, in that order) from the result set, starting at {@code first}. */
    static Measures read(ResultSet rs, int first, int[] columns) throws SQLException {
        Measures m = new Measures();
        for (int i = 0; i < columns.length; i++) {
            m.v[columns[i]] = rs.getLong(first + i);
        }
        return m;
    }

    public long get(int column) {
        return v[column];
    }

    void set(int column, long value) {
        v[column] = value;
    }

    public long calls() {
        return v[MeasureColumns.CALLS];
    }

    public long successCalls() {
        return v[MeasureColumns.SUCCESS];
    }

    public long credits() {
        return v[MeasureColumns.CREDITS];
    }

    public long totalUsage() {
        return v[MeasureColumns.TOTAL_USAGE];
    }

    public long lastCallAt() {
        return v[MeasureColumns.LAST_CALL_AT];
    }

    public boolean isEmpty() {
        return calls() == 0;
    }

    /** Successful calls per hundred calls; 0 when there were none. */
    public double successRate() {
        return calls() == 0 ? 0 : 100.0 * successCalls() / calls();
    }

    /** Mean latency of successful calls in ms, or null when there were none. */
    public Double avgLatencyMillis() {
        return successCalls() == 0 ? null : (double) v[MeasureColumns.LATENCY_SUM] / successCalls();
    }

    /** Mean time to first byte of successful calls that measured one, in ms, or null. */
    public Double avgTtfbMillis() {
        long n = v[MeasureColumns.TTFB_COUNT];
        return n == 0 ? null : (double) v[MeasureColumns.TTFB_SUM] / n;
    }

    public long maxLatencyMillis() {
        return v[MeasureColumns.LATENCY_MAX];
    }

    public long maxTtfbMillis() {
        return v[MeasureColumns.TTFB_MAX];
    }

    /** A latency percentile (0–100] of successful calls from the histogram, or null when there is none. */
    public Long latencyPercentile(double p) {
        return Histogram.percentile(histogram(MeasureColumns.LATENCY_HISTOGRAM), p, maxLatencyMillis());
    }

    public Long ttfbPercentile(double p) {
        return Histogram.percentile(histogram(MeasureColumns.TTFB_HISTOGRAM), p, maxTtfbMillis());
    }

    private long[] histogram(int first) {
        return Arrays.copyOfRange(v, first, first + Histogram.BUCKETS);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Measures m && Arrays.equals(v, m.v);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(v);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("Measures{");
        for (int i = 0; i < COUNT; i++) {
            if (v[i] != 0) {
                s.append(ALL.get(i).name()).append('=').append(v[i]).append(' ');
            }
        }
        return s.append('}').toString();
    }
}
