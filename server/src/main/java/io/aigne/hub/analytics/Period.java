package io.aigne.hub.analytics;

/** The length of a rollup bucket. Buckets start at whole UTC hours and days, as epoch milliseconds. */
public enum Period {
    HOUR("hour", 3_600_000L),
    DAY("day", 86_400_000L);

    private final String code;
    private final long millis;

    Period(String code, long millis) {
        this.code = code;
        this.millis = millis;
    }

    public String code() {
        return code;
    }

    public long millis() {
        return millis;
    }

    /** The start of the bucket holding {@code epochMillis}. */
    public long floor(long epochMillis) {
        return Math.floorDiv(epochMillis, millis) * millis;
    }

    /** The first bucket start at or after {@code epochMillis}. */
    public long ceil(long epochMillis) {
        long f = floor(epochMillis);
        return f == epochMillis ? f : f + millis;
    }
}
