package io.aigne.hub.limits;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * The fixed windows limits are counted in: the clock minute, and the calendar day and month in UTC. Every node
 * computes the same window from its own clock, so nodes must keep their clocks in sync (NTP).
 */
public enum Window {
    MINUTE,
    DAY,
    MONTH;

    /** The first millisecond of the window that holds {@code epochMillis}. */
    public long start(long epochMillis) {
        return switch (this) {
            case MINUTE -> Math.floorDiv(epochMillis, 60_000L) * 60_000L;
            case DAY -> Math.floorDiv(epochMillis, 86_400_000L) * 86_400_000L;
            case MONTH -> utc(epochMillis).withDayOfMonth(1).toLocalDate().atStartOfDay(ZoneOffset.UTC)
                    .toInstant().toEpochMilli();
        };
    }

    /** The first millisecond after the window that holds {@code epochMillis}. */
    public long end(long epochMillis) {
        return switch (this) {
            case MINUTE -> start(epochMillis) + 60_000L;
            case DAY -> start(epochMillis) + 86_400_000L;
            case MONTH -> utc(start(epochMillis)).plusMonths(1).toInstant().toEpochMilli();
        };
    }

    private static ZonedDateTime utc(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).atZone(ZoneOffset.UTC);
    }
}
