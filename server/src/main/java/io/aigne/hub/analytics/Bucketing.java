package io.aigne.hub.analytics;

/**
 * How rollup rows are grouped in time for a series: not at all, by UTC hour, or by the day of a client's time zone.
 * The zone is a fixed offset in the convention of JavaScript's {@code Date.getTimezoneOffset()} (minutes to add to
 * local time to get UTC: -480 for UTC+8), as the original hub's clients send it. Rollups are hourly, so a zone
 * whose offset is not a whole number of hours (UTC+5:30) gets days that start on the hour before its midnight.
 */
public record Bucketing(Kind kind, long offsetMillis) {
    public enum Kind { NONE, HOUR, DAY }

    public static final Bucketing NONE = new Bucketing(Kind.NONE, 0);
    public static final Bucketing HOUR = new Bucketing(Kind.HOUR, 0);

    public static Bucketing day(int timezoneOffsetMinutes) {
        return new Bucketing(Kind.DAY, timezoneOffsetMinutes * 60_000L);
    }

    /** The length of one bucket (0 for {@link Kind#NONE}). */
    public long size() {
        return switch (kind) {
            case NONE -> 0;
            case HOUR -> Period.HOUR.millis();
            case DAY -> Period.DAY.millis();
        };
    }

    /** The bucket (its start, epoch ms) that the rollup bucket starting at {@code rollupBucket} falls in. */
    public long keyOf(long rollupBucket) {
        return switch (kind) {
            case NONE -> 0;
            case HOUR -> Period.HOUR.floor(rollupBucket);
            case DAY -> Math.floorDiv(rollupBucket - offsetMillis, Period.DAY.millis()) * Period.DAY.millis()
                    + offsetMillis;
        };
    }

    /** {@link #keyOf} in SQL over the {@code bucket} column (values are positive, so division floors). */
    String sqlKey() {
        return switch (kind) {
            case NONE -> "0";
            case HOUR -> "bucket";
            case DAY -> "((bucket - (" + offsetMillis + ")) / " + Period.DAY.millis() + ") * " + Period.DAY.millis()
                    + " + (" + offsetMillis + ")";
        };
    }

    /**
     * Every bucket a series over [start, end) has, empty ones included, at the reader's hour resolution; empty
     * for {@link Kind#NONE}.
     */
    public java.util.List<Long> keys(long start, long end) {
        java.util.List<Long> keys = new java.util.ArrayList<>();
        long hStart = Period.HOUR.floor(start);
        long hEnd = Period.HOUR.ceil(end);
        if (kind == Kind.NONE || hStart >= hEnd) {
            return keys;
        }
        for (long k = keyOf(hStart); k <= keyOf(hEnd - 1); k += size()) {
            keys.add(k);
        }
        return keys;
    }

    /** Whether UTC day rows can stand in for their 24 hours: no series, or days of a zone at UTC+0 (or ±24 h). */
    boolean dayRowsFit() {
        return kind == Kind.NONE || (kind == Kind.DAY && offsetMillis % Period.DAY.millis() == 0);
    }
}
