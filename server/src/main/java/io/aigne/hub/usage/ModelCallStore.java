package io.aigne.hub.usage;

import io.aigne.hub.analytics.Bucketing;
import io.aigne.hub.analytics.MeasureColumns;
import io.aigne.hub.analytics.Measures;
import io.aigne.hub.analytics.Period;
import io.aigne.hub.analytics.RollupReader;
import io.aigne.hub.analytics.UsageFilter;
import io.aigne.hub.usage.ModelCallQuery.Cursor;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads the ledger of model calls with filters and paging, newest first, staying fast on tens of millions of rows:
 *
 * <ul>
 *   <li>Counts come from the rollups when the filters are ones they keep (user, app, provider, model, type,
 *       status, time): whole hours from {@code usage_rollups}, the ragged minutes at either end counted from the
 *       calls, so the count is exact without scanning.</li>
 *   <li>A search term that is a call id or request id finds those calls anywhere (indexed). Any other term, and
 *       {@code minLatencyMillis}, are matched among the newest {@value #SCAN_WINDOW} or so calls that pass the other
 *       filters (from the hour where the rollups reach that count), and their matches are counted up to
 *       {@value #COUNT_CAP}; {@link Page#countExact()} is false when
 *       older calls were left unsearched (narrow the time range to reach them) or the count stopped.</li>
 *   <li>Offset paging goes {@value #MAX_OFFSET} rows deep; beyond that, keyset paging with a {@link Cursor}.</li>
 * </ul>
 */
public final class ModelCallStore {
    /** Rows an offset may skip; deeper pages would cost a scan of every row before them. */
    public static final int MAX_OFFSET = 10_000;
    /** Calls (newest first, after the cheap filters) that a text search or a latency filter looks through. */
    public static final int SCAN_WINDOW = 50_000;
    /** Matches a text search or latency filter counts before it stops counting. */
    public static final int COUNT_CAP = 1_000;
    private static final long FAR_FUTURE = Period.DAY.floor(Long.MAX_VALUE / 4);
    private static final String ID_MATCH = "(id = :searchExact OR request_id = :searchExact)";

    private final Jdbi jdbi;
    private final RollupReader rollups;
    private final int scanWindow;
    private final int countCap;

    public ModelCallStore(Jdbi jdbi) {
        this(jdbi, SCAN_WINDOW, COUNT_CAP);
    }

    /** With other limits than {@link #SCAN_WINDOW} and {@link #COUNT_CAP}, for tests. */
    ModelCallStore(Jdbi jdbi, int scanWindow, int countCap) {
        this.jdbi = jdbi;
        this.rollups = new RollupReader(jdbi);
        this.scanWindow = scanWindow;
        this.countCap = countCap;
    }

    /**
     * One page: how many calls match in all ({@code countExact} false when a search left older calls unsearched or
     * stopped counting at {@value #COUNT_CAP}, see the class comment), the rows, and the cursor of the next page
     * (null on the last one).
     */
    public record Page(long count, boolean countExact, List<CallRecord> rows, Cursor next) {
    }

    public Page find(ModelCallQuery q) {
        long offset = q.after() == null ? (long) (q.page() - 1) * q.pageSize() : 0;
        if (offset > MAX_OFFSET) {
            throw new IllegalArgumentException("page " + q.page() + " is deeper than " + MAX_OFFSET + " rows");
        }
        return jdbi.withHandle(h -> {
            Plan plan = plan(h, q);
            boolean exact = !plan.truncated();
            long count;
            if (plan.countFromRollups()) {
                count = rollupCount(h, q);
            } else {
                count = countRows(h, plan.where(), countCap + 1);
                if (count > countCap) {
                    count = countCap;
                    exact = false;
                }
            }
            List<CallRecord> rows = count == 0 ? List.of() : rows(h, plan.where(), q.after(), offset, q.pageSize() + 1);
            Cursor next = null;
            if (rows.size() > q.pageSize()) {
                rows = rows.subList(0, q.pageSize());
                next = Cursor.of(rows.getLast());
            }
            return new Page(count, exact, rows, next);
        });
    }

    /** Every call matching {@code q} (its paging ignored), newest first, read {@code batch} rows at a time. */
    public void forEach(ModelCallQuery q, int batch, Consumer<CallRecord> sink) {
        Plan plan = jdbi.withHandle(h -> plan(h, q));
        Cursor after = null;
        while (true) {
            Cursor position = after;
            List<CallRecord> rows = jdbi.withHandle(h -> rows(h, plan.where(), position, 0, batch));
            rows.forEach(sink);
            if (rows.size() < batch) {
                return;
            }
            after = Cursor.of(rows.getLast());
        }
    }

    /** How a query is answered: its full condition, where its count comes from, whether a window cut it short. */
    private record Plan(Where where, boolean countFromRollups, boolean truncated) {
    }

    private Plan plan(Handle h, ModelCallQuery q) {
        Where base = cheap(q, q.fromMillis(), q.toMillis());
        if (q.search() == null && q.minLatencyMillis() == null) {
            return new Plan(base, true, false);
        }
        Where where = base.copy();
        boolean truncated = false;
        if (q.search() != null && countRows(h, base.copy().add(ID_MATCH, "searchExact", q.search())) > 0) {
            where.add(ID_MATCH, "searchExact", q.search());
        } else {
            Window window = window(q);
            if (window.start() != null) {
                where.add("created_at >= :windowStart", "windowStart", window.start());
                truncated = window.truncated();
            }
            if (q.search() != null) {
                // The term is matched literally: '%' and '_' in it are escaped, not wildcards.
                String literal = q.search().toLowerCase(Locale.ROOT)
                        .replace("!", "!!").replace("%", "!%").replace("_", "!_");
                where.add("(LOWER(model_requested) LIKE :search ESCAPE '!' OR LOWER(model_answered) LIKE :search "
                        + "ESCAPE '!' OR LOWER(COALESCE(error, '')) LIKE :search ESCAPE '!')", "search",
                        "%" + literal + "%");
            }
        }
        where.add("latency_ms >= :minLatency", "minLatency", q.minLatencyMillis());
        return new Plan(where, false, truncated);
    }

    /** The filters an index or a short scan answers. */
    private static Where cheap(ModelCallQuery q, Long from, Long to) {
        return new Where()
                .add("user_id = :userId", "userId", q.userId())
                .add("created_at >= :from", "from", from)
                .add("created_at < :to", "to", to)
                .add("status = :status", "status", q.status())
                .add("model_requested = :model", "model", q.model())
                .add("type = :type", "type", q.type())
                .add("provider = :provider", "provider", q.provider())
                .add("app_did = :appDid", "appDid", q.appDid());
    }

    /** Where a search window starts (null: it holds every candidate) and whether older candidates were left out. */
    private record Window(Long start, boolean truncated) {
    }

    /**
     * The hour from which on about {@code scanWindow} calls pass the cheap filters, found from the rollups (no
     * scan, whatever the filters): whole days first, then the hours of the day where the count is reached.
     */
    private Window window(ModelCallQuery q) {
        long from = q.fromMillis() == null ? 0 : q.fromMillis();
        long to = q.toMillis() == null ? FAR_FUTURE : q.toMillis();
        UsageFilter filter = filter(q);
        int column = statusColumn(q);
        List<RollupReader.Row> days = rollups.read(filter, List.of(), from, to, Bucketing.day(0), false);
        long total = days.stream().mapToLong(r -> r.measures().get(column)).sum();
        if (total <= scanWindow) {
            return new Window(null, false);
        }
        long newer = 0;
        for (RollupReader.Row day : days.reversed()) {
            long inDay = day.measures().get(column);
            if (newer + inDay >= scanWindow) {
                List<RollupReader.Row> hours = rollups.read(filter, List.of(), Math.max(from, day.bucket()),
                        Math.min(to, day.bucket() + Period.DAY.millis()), Bucketing.HOUR, false);
                for (RollupReader.Row hour : hours.reversed()) {
                    newer += hour.measures().get(column);
                    if (newer >= scanWindow) {
                        return new Window(hour.bucket(), newer < total);
                    }
                }
                return new Window(day.bucket(), newer < total);
            }
            newer += inDay;
        }
        return new Window(null, false);
    }

    /** Whole hours from the rollups, the minutes before the first and after the last from the calls. */
    private long rollupCount(Handle h, ModelCallQuery q) {
        Long from = q.fromMillis();
        Long to = q.toMillis();
        if (from != null && to != null && Period.HOUR.ceil(from) >= Period.HOUR.floor(to)) {
            return countRows(h, cheap(q, from, to));
        }
        long hoursFrom = from == null ? 0 : Period.HOUR.ceil(from);
        long hoursTo = to == null ? FAR_FUTURE : Period.HOUR.floor(to);
        Measures whole = rollups.total(filter(q), hoursFrom, hoursTo, false);
        long count = whole.get(statusColumn(q));
        if (from != null && from < hoursFrom) {
            count += countRows(h, cheap(q, from, hoursFrom));
        }
        if (to != null && hoursTo < to) {
            count += countRows(h, cheap(q, hoursTo, to));
        }
        return count;
    }

    private static UsageFilter filter(ModelCallQuery q) {
        return new UsageFilter(q.userId(), q.appDid(), q.provider(), q.model(), q.type());
    }

    /** The rollup measure that counts the calls of the query's status. */
    private static int statusColumn(ModelCallQuery q) {
        return switch (q.status() == null ? "" : q.status()) {
            case "success" -> MeasureColumns.SUCCESS;
            case "failed" -> MeasureColumns.FAILED;
            case "cancelled" -> MeasureColumns.CANCELLED;
            default -> MeasureColumns.CALLS;
        };
    }

    private static long countRows(Handle h, Where where) {
        Query count = h.createQuery("SELECT COUNT(*) FROM model_calls" + where.clause());
        where.bind(count);
        return count.mapTo(Long.class).one();
    }

    /** Counts matching rows up to {@code limit}: a frequent match stops early instead of reading every row. */
    private static long countRows(Handle h, Where where, int limit) {
        Query count = h.createQuery("SELECT COUNT(*) FROM (SELECT 1 FROM model_calls" + where.clause()
                + " LIMIT " + limit + ") matched");
        where.bind(count);
        return count.mapTo(Long.class).one();
    }

    private static List<CallRecord> rows(Handle h, Where where, Cursor after, long offset, int limit) {
        Where w = where.copy();
        if (after != null) {
            w.add("(created_at < :afterTime OR (created_at = :afterTime AND id < :afterId))", "afterTime",
                    after.createdAt());
            w.args.put("afterId", after.id());
        }
        Query rows = h.createQuery("SELECT * FROM model_calls" + w.clause()
                + " ORDER BY created_at DESC, id DESC LIMIT :limit OFFSET :offset");
        w.bind(rows);
        rows.bind("limit", limit).bind("offset", offset);
        return rows.map((rs, ctx) -> map(rs)).list();
    }

    /** A conjunction of SQL terms and the arguments they name. */
    private static final class Where {
        private final List<String> terms = new ArrayList<>();
        private final Map<String, Object> args = new LinkedHashMap<>();

        /** Adds the term when {@code value} is not null. */
        Where add(String sql, String name, Object value) {
            if (value != null) {
                terms.add(sql);
                args.put(name, value);
            }
            return this;
        }

        Where copy() {
            Where w = new Where();
            w.terms.addAll(terms);
            w.args.putAll(args);
            return w;
        }

        String clause() {
            return terms.isEmpty() ? "" : " WHERE " + String.join(" AND ", terms);
        }

        void bind(Query q) {
            args.forEach(q::bind);
        }
    }

    static CallRecord map(ResultSet rs) throws SQLException {
        long ttfb = rs.getLong("ttfb_ms");
        Long ttfbValue = rs.wasNull() ? null : ttfb;
        int http = rs.getInt("http_status");
        Integer httpValue = rs.wasNull() ? null : http;
        Usage usage = new Usage(rs.getLong("input_tokens"), rs.getLong("output_tokens"), rs.getLong("cached_tokens"),
                rs.getLong("cache_write_tokens"), rs.getLong("reasoning_tokens"), rs.getLong("total_tokens"), rs.getInt("image_count"),
                rs.getInt("video_seconds"));
        return new CallRecord(rs.getString("id"), rs.getLong("created_at"), rs.getString("user_id"),
                rs.getString("access_key_id"), rs.getString("app_did"), rs.getString("request_id"),
                rs.getString("endpoint"), CallType.valueOf(rs.getString("type").toUpperCase(java.util.Locale.ROOT)),
                rs.getInt("streamed") != 0, rs.getString("provider"), rs.getString("credential_id"),
                rs.getString("model_requested"), rs.getString("model_answered"),
                CallStatus.valueOf(rs.getString("status").toUpperCase(java.util.Locale.ROOT)), httpValue,
                rs.getString("error"), usage, rs.getInt("attempts"), rs.getLong("latency_ms"), ttfbValue,
                rs.getString("upstream_request_id"), rs.getLong("credits"), 0, false);
    }
}
