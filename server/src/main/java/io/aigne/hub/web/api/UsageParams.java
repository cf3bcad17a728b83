package io.aigne.hub.web.api;

import io.aigne.hub.analytics.Bucketing;
import io.aigne.hub.analytics.Period;
import io.aigne.hub.auth.Principal;
import io.aigne.hub.server.ApiException;
import io.helidon.webserver.http.ServerRequest;

import java.time.Clock;
import java.util.Set;

/**
 * The query parameters the usage APIs share, read the way the original hub's clients send them: times as unix
 * seconds or milliseconds, {@code timeRange} in days, {@code timezoneOffset} in minutes as JavaScript's
 * {@code Date.getTimezoneOffset()} gives it, {@code allUsers} for owners and admins.
 */
final class UsageParams {
    static final long DAY = Period.DAY.millis();
    /** Hourly series stop here: 744 points is as many as a chart can show. */
    static final long MAX_HOURLY_RANGE = 31 * DAY;
    static final long MAX_RANGE = 3_660 * DAY;
    private static final Set<String> GRANULARITIES = Set.of("hour", "day");

    private UsageParams() {
    }

    /** A time range [start, end) in epoch ms. */
    record Range(long start, long end) {
        long length() {
            return end - start;
        }
    }

    /**
     * {@code startTime}/{@code endTime}; without a start, the {@code timeRange} days (default {@code defaultDays})
     * before the end; the end defaults to now.
     */
    static Range range(ServerRequest req, Clock clock, int defaultDays) {
        Long end = Fields.queryTime(req, "endTime");
        long to = end == null ? clock.millis() : end;
        Long start = Fields.queryTime(req, "startTime");
        long from = start != null ? start : to - Fields.queryInt(req, "timeRange", defaultDays, 1, 3_660) * DAY;
        if (from >= to) {
            throw ApiException.invalid("startTime", "'startTime' must be before 'endTime'");
        }
        if (to - from > MAX_RANGE) {
            throw ApiException.invalid("startTime", "the range from 'startTime' to 'endTime' may span at most 3660 days");
        }
        return new Range(from, to);
    }

    /** Both times are required: a 400 naming the missing one. */
    static Range requiredRange(ServerRequest req, Clock clock) {
        for (String name : new String[] {"startTime", "endTime"}) {
            if (Fields.query(req, name) == null) {
                throw ApiException.invalid(name, "'" + name + "' is required (unix seconds or milliseconds)");
            }
        }
        return range(req, clock, 30);
    }

    static int timezoneOffset(ServerRequest req) {
        return Fields.queryInt(req, "timezoneOffset", 0, -1_440, 1_440);
    }

    /**
     * {@code granularity} (or {@code interval}, its name in the hub's own API) {@code hour} or {@code day}; by
     * default hours for a range of a day or less, as in the original hub.
     */
    static Bucketing bucketing(ServerRequest req, Range range) {
        String name = Fields.query(req, "granularity") != null ? "granularity" : "interval";
        String value = Fields.query(req, name);
        if (value != null && !GRANULARITIES.contains(value)) {
            throw ApiException.invalid(name, "'" + name + "' must be hour or day");
        }
        boolean hourly = value == null ? range.length() <= DAY : value.equals("hour");
        if (hourly && range.length() > MAX_HOURLY_RANGE) {
            throw ApiException.invalid(name, "hourly series cover at most 31 days; ask for " + name + "=day");
        }
        return hourly ? Bucketing.HOUR : Bucketing.day(timezoneOffset(req));
    }

    static String granularity(Bucketing b) {
        return b.kind() == Bucketing.Kind.HOUR ? "hour" : "day";
    }

    static boolean allUsers(ServerRequest req) {
        String v = Fields.query(req, "allUsers");
        if (v == null) {
            v = Fields.query(req, "allUser");
        }
        return "true".equalsIgnoreCase(v) || "1".equals(v);
    }

    /**
     * Whose usage a request is about: the caller's own, or with {@code allUsers=true} (owners and admins only,
     * 403 otherwise) everyone's, or one user's given as {@code userId}. Null means every user.
     */
    static String userScope(ServerRequest req, Principal p) {
        if (!allUsers(req)) {
            return p.userId();
        }
        requireAdmin(p);
        return Fields.query(req, "userId");
    }

    static void requireAdmin(Principal p) {
        if (!p.role().canAdminister()) {
            throw ApiException.forbidden("allUsers=true needs the owner or admin role; your role is "
                    + p.role().wireName());
        }
    }

    static int limit(ServerRequest req, int fallback, int max) {
        return Fields.queryInt(req, "limit", fallback, 1, max);
    }
}
