package io.aigne.hub.analytics;

import io.aigne.hub.usage.CallRecord;
import io.aigne.hub.usage.CallStatus;
import io.aigne.hub.usage.Usage;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * The measures a rollup row keeps, defined once: each column's name, how rows combine (summed, or the larger
 * kept), its value for one call in Java (the ledger writer's path) and in SQL over {@code model_calls} (the rebuild
 * path). Keeping both next to each other is what makes the two paths agree; {@code RollupsTest} checks that they do.
 *
 * <p>Latency and time-to-first-byte figures count successful calls only, as the original hub's statistics do:
 * failures are mostly quick refusals that would drag averages and percentiles down.
 */
public final class MeasureColumns {
    public enum Kind { SUM, MAX }

    public record Column(String name, Kind kind, String rowSql, ToLongFunction<CallRecord> value) {
        /** The aggregate over raw calls, e.g. {@code SUM(input_tokens)}. */
        String aggregateOverCalls() {
            return kind + "(" + rowSql + ")";
        }
    }

    private static final String OK = "status = 'success'";
    private static final String TTFB_OK = OK + " AND ttfb_ms IS NOT NULL";

    public static final int CALLS = 0;
    public static final int SUCCESS = 1;
    public static final int FAILED = 2;
    public static final int CANCELLED = 3;
    public static final int INPUT_TOKENS = 4;
    public static final int OUTPUT_TOKENS = 5;
    public static final int CACHED_TOKENS = 6;
    public static final int CACHE_WRITE_TOKENS = 7;
    public static final int REASONING_TOKENS = 8;
    public static final int TOTAL_TOKENS = 9;
    public static final int IMAGES = 10;
    public static final int VIDEO_SECONDS = 11;
    public static final int TOTAL_USAGE = 12;
    public static final int CREDITS = 13;
    public static final int LATENCY_SUM = 14;
    public static final int LATENCY_MAX = 15;
    public static final int TTFB_SUM = 16;
    public static final int TTFB_COUNT = 17;
    public static final int TTFB_MAX = 18;
    public static final int LAST_CALL_AT = 19;
    /** First of the {@link Histogram#BUCKETS} latency histogram columns. */
    public static final int LATENCY_HISTOGRAM = 20;
    /** First of the {@link Histogram#BUCKETS} TTFB histogram columns. */
    public static final int TTFB_HISTOGRAM = LATENCY_HISTOGRAM + Histogram.BUCKETS;

    /** Every column, in index order. */
    public static final List<Column> ALL = columns();
    public static final int COUNT = ALL.size();
    /** The columns before the histograms: what averages and totals need. */
    public static final int SCALAR_COUNT = LATENCY_HISTOGRAM;

    private MeasureColumns() {
    }

    private static List<Column> columns() {
        List<Column> c = new ArrayList<>();
        c.add(sum("calls", "1", r -> 1));
        c.add(sum("success", caseWhen(OK, "1"), r -> r.status() == CallStatus.SUCCESS ? 1 : 0));
        c.add(sum("failed", caseWhen("status = 'failed'", "1"), r -> r.status() == CallStatus.FAILED ? 1 : 0));
        c.add(sum("cancelled", caseWhen("status = 'cancelled'", "1"), r -> r.status() == CallStatus.CANCELLED ? 1 : 0));
        c.add(sum("input_tokens", "input_tokens", r -> usage(r).inputTokens()));
        c.add(sum("output_tokens", "output_tokens", r -> usage(r).outputTokens()));
        c.add(sum("cached_tokens", "cached_tokens", r -> usage(r).cachedTokens()));
        c.add(sum("cache_write_tokens", "cache_write_tokens", r -> usage(r).cacheWriteTokens()));
        c.add(sum("reasoning_tokens", "reasoning_tokens", r -> usage(r).reasoningTokens()));
        c.add(sum("total_tokens", "total_tokens", r -> usage(r).totalTokens()));
        c.add(sum("images", "image_count", r -> usage(r).imageCount()));
        c.add(sum("video_seconds", "video_seconds", r -> usage(r).videoSeconds()));
        // What the original hub calls totalUsage: tokens for text, the image count for images, seconds for video.
        c.add(sum("total_usage", "CASE type WHEN 'image' THEN image_count WHEN 'video' THEN video_seconds "
                + "ELSE total_tokens END", MeasureColumns::totalUsage));
        c.add(sum("credits", "credits", CallRecord::credits));
        c.add(sum("latency_sum", caseWhen(OK, "latency_ms"), r -> ok(r) ? r.latencyMs() : 0));
        c.add(max("latency_max", caseWhen(OK, "latency_ms"), r -> ok(r) ? r.latencyMs() : 0));
        c.add(sum("ttfb_sum", caseWhen(TTFB_OK, "ttfb_ms"), r -> ttfbOk(r) ? r.ttfbMs() : 0));
        c.add(sum("ttfb_count", caseWhen(TTFB_OK, "1"), r -> ttfbOk(r) ? 1 : 0));
        c.add(max("ttfb_max", caseWhen(TTFB_OK, "ttfb_ms"), r -> ttfbOk(r) ? r.ttfbMs() : 0));
        c.add(max("last_call_at", "created_at", CallRecord::createdAt));
        for (int i = 0; i < Histogram.BUCKETS; i++) {
            int bucket = i;
            c.add(sum(String.format("lat_b%02d", i), caseWhen(OK + range("latency_ms", i), "1"),
                    r -> ok(r) && Histogram.bucketOf(r.latencyMs()) == bucket ? 1 : 0));
        }
        for (int i = 0; i < Histogram.BUCKETS; i++) {
            int bucket = i;
            c.add(sum(String.format("ttfb_b%02d", i), caseWhen(TTFB_OK + range("ttfb_ms", i), "1"),
                    r -> ttfbOk(r) && Histogram.bucketOf(r.ttfbMs()) == bucket ? 1 : 0));
        }
        return List.copyOf(c);
    }

    private static Column sum(String name, String rowSql, ToLongFunction<CallRecord> value) {
        return new Column(name, Kind.SUM, rowSql, value);
    }

    private static Column max(String name, String rowSql, ToLongFunction<CallRecord> value) {
        return new Column(name, Kind.MAX, rowSql, value);
    }

    private static String caseWhen(String condition, String value) {
        return "CASE WHEN " + condition + " THEN " + value + " ELSE 0 END";
    }

    /** The SQL bounds of histogram bucket {@code i}; the first has no lower and the last no upper bound. */
    private static String range(String column, int i) {
        String sql = i == 0 ? "" : " AND " + column + " >= " + Histogram.lowerBound(i);
        return i == Histogram.BUCKETS - 1 ? sql : sql + " AND " + column + " < " + Histogram.upperBound(i);
    }

    private static Usage usage(CallRecord r) {
        return r.usage() == null ? Usage.NONE : r.usage();
    }

    private static boolean ok(CallRecord r) {
        return r.status() == CallStatus.SUCCESS;
    }

    private static boolean ttfbOk(CallRecord r) {
        return ok(r) && r.ttfbMs() != null;
    }

    private static long totalUsage(CallRecord r) {
        Usage u = usage(r);
        return switch (r.type()) {
            case IMAGE -> u.imageCount();
            case VIDEO -> u.videoSeconds();
            default -> u.totalTokens();
        };
    }
}
