package io.aigne.hub.web.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.analytics.MeasureColumns;
import io.aigne.hub.analytics.Measures;
import io.aigne.hub.billing.Credits;
import io.aigne.hub.server.Json;

/**
 * Usage measures as JSON, in the original hub's vocabulary where it has one (calls, successCalls, successRate in
 * percent, avgDuration and avgTtfb in seconds to one decimal, totalCredits, totalUsage) and camelCase hub fields
 * beside it. Credits are decimal strings, exact.
 */
final class StatsView {
    private StatsView() {
    }

    /** One point of a trend, as {@code /api/usage/trends} gives it; {@code timestamp} in unix seconds. */
    static ObjectNode trendPoint(long bucketMillis, Measures m) {
        ObjectNode o = Json.object();
        o.put("timestamp", bucketMillis / 1000);
        o.put("calls", m.calls());
        o.put("successCalls", m.successCalls());
        o.put("successRate", round(m.successRate(), 2));
        o.put("avgDuration", seconds(m.avgLatencyMillis()));
        o.put("avgTtfb", seconds(m.avgTtfbMillis()));
        o.put("totalCredits", credits(m.credits()));
        o.put("totalUsage", m.totalUsage());
        return o;
    }

    /** The per-project figures of the original group trends. */
    static ObjectNode projectPoint(Measures m) {
        ObjectNode o = Json.object();
        o.put("totalUsage", m.totalUsage());
        o.put("totalCredits", credits(m.credits()));
        o.put("totalCalls", m.calls());
        o.put("successCalls", m.successCalls());
        o.put("avgDuration", seconds(m.avgLatencyMillis()));
        o.put("avgTtfb", seconds(m.avgTtfbMillis()));
        return o;
    }

    /** Everything: counts, tokens, units, credits, and latency/TTFB averages and percentiles in milliseconds. */
    static ObjectNode full(Measures m) {
        ObjectNode o = Json.object();
        o.put("calls", m.calls());
        o.put("successCalls", m.successCalls());
        o.put("failedCalls", m.get(MeasureColumns.FAILED));
        o.put("cancelledCalls", m.get(MeasureColumns.CANCELLED));
        o.put("successRate", round(m.successRate(), 2));
        o.put("inputTokens", m.get(MeasureColumns.INPUT_TOKENS));
        o.put("outputTokens", m.get(MeasureColumns.OUTPUT_TOKENS));
        o.put("cachedTokens", m.get(MeasureColumns.CACHED_TOKENS));
        o.put("cacheWriteTokens", m.get(MeasureColumns.CACHE_WRITE_TOKENS));
        o.put("reasoningTokens", m.get(MeasureColumns.REASONING_TOKENS));
        o.put("totalTokens", m.get(MeasureColumns.TOTAL_TOKENS));
        o.put("images", m.get(MeasureColumns.IMAGES));
        o.put("videoSeconds", m.get(MeasureColumns.VIDEO_SECONDS));
        o.put("totalUsage", m.totalUsage());
        o.put("totalCredits", credits(m.credits()));
        o.set("latency", timing(m.avgLatencyMillis(), m.latencyPercentile(50), m.latencyPercentile(95),
                m.calls() == 0 ? null : m.maxLatencyMillis()));
        o.set("ttfb", timing(m.avgTtfbMillis(), m.ttfbPercentile(50), m.ttfbPercentile(95),
                m.get(MeasureColumns.TTFB_COUNT) == 0 ? null : m.maxTtfbMillis()));
        if (m.lastCallAt() > 0) {
            o.put("lastCallTime", m.lastCallAt() / 1000);
        }
        return o;
    }

    private static ObjectNode timing(Double avg, Long p50, Long p95, Long max) {
        ObjectNode t = Json.object();
        if (avg == null) {
            t.putNull("avgMs");
        } else {
            t.put("avgMs", round(avg, 1));
        }
        putNullable(t, "p50Ms", p50);
        putNullable(t, "p95Ms", p95);
        putNullable(t, "maxMs", max);
        return t;
    }

    static void putNullable(ObjectNode o, String field, Long value) {
        if (value == null) {
            o.putNull(field);
        } else {
            o.put(field, value);
        }
    }

    static String credits(long nanos) {
        return new Credits(nanos).toPlainString();
    }

    /** Milliseconds as seconds to one decimal, 0 when there is nothing to average (the original's convention). */
    static double seconds(Double millis) {
        return millis == null ? 0 : round(millis / 1000.0, 1);
    }

    static double round(double value, int decimals) {
        return java.math.BigDecimal.valueOf(value).setScale(decimals, java.math.RoundingMode.HALF_UP).doubleValue();
    }
}
