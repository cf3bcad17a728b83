package io.aigne.hub.analytics;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Answers usage questions from {@code usage_rollups}. For each question it reads the grain with the fewest rows
 * that keeps every dimension asked about, and, where the answer does not depend on hours (totals, rankings, UTC
 * days), whole UTC days from day rows and only the ragged ends from hour rows, so a 90-day question reads about 90
 * rows per group instead of 2,160.
 *
 * <p>Resolution is the hour: a question about [start, end) covers every hour bucket from the one holding
 * {@code start} up to, not including, the first one starting at or after {@code end}.
 */
public final class RollupReader {
    private static final int[] ALL_COLUMNS = IntStream.range(0, MeasureColumns.COUNT).toArray();
    private static final int[] SCALAR_COLUMNS = IntStream.range(0, MeasureColumns.SCALAR_COUNT).toArray();

    private final Jdbi jdbi;

    public RollupReader(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** One answer row: the time bucket (0 without a series), the values of the grouped dimensions, the measures. */
    public record Row(long bucket, List<String> dimensions, Measures measures) {
    }

    /**
     * The measures of the calls matching {@code filter} in [start, end), grouped by {@code groupBy} and bucketed in
     * time by {@code bucketing}; rows without calls are left out. {@code histograms} false leaves the latency and
     * TTFB histograms out (zero), which reads a quarter of the columns.
     */
    public List<Row> read(UsageFilter filter, List<Dimension> groupBy, long start, long end, Bucketing bucketing,
                          boolean histograms) {
        return read(filter, groupBy, null, start, end, bucketing, histograms ? ALL_COLUMNS : SCALAR_COLUMNS);
    }

    /** Like {@link #read(UsageFilter, List, long, long, Bucketing, boolean)}, for these values of one dimension. */
    public List<Row> readOnly(UsageFilter filter, Dimension group, List<String> values, long start, long end,
                              Bucketing bucketing, boolean histograms) {
        return values.isEmpty() ? List.of() : read(filter, List.of(group), values, start, end, bucketing,
                histograms ? ALL_COLUMNS : SCALAR_COLUMNS);
    }

    /**
     * The {@code limit} groups of dimension {@code group} with the largest measure {@code sortColumn} (ties by
     * value), with all their measures, and how many groups there are. Ranking reads two measures of every group;
     * only the winners are read in full, which keeps "top users of the month" cheap when there are thousands.
     */
    public Ranked top(UsageFilter filter, Dimension group, long start, long end, int sortColumn, int limit) {
        int[] ranking = sortColumn == MeasureColumns.CALLS ? new int[] {MeasureColumns.CALLS}
                : new int[] {MeasureColumns.CALLS, sortColumn};
        List<Row> all = read(filter, List.of(group), null, start, end, Bucketing.NONE, ranking);
        List<String> winners = all.stream()
                .sorted(Comparator.comparingLong((Row r) -> r.measures().get(sortColumn)).reversed()
                        .thenComparing(r -> r.dimensions().getFirst()))
                .limit(limit).map(r -> r.dimensions().getFirst()).toList();
        List<Row> top = winners.isEmpty() ? List.of()
                : read(filter, List.of(group), winners, start, end, Bucketing.NONE, ALL_COLUMNS);
        Map<String, Row> byValue = new HashMap<>();
        top.forEach(r -> byValue.put(r.dimensions().getFirst(), r));
        return new Ranked(all.size(), winners.stream().map(byValue::get).toList());
    }

    /** The leading groups of a ranking, in order, and the number of groups ranked. */
    public record Ranked(int groups, List<Row> top) {
    }

    /**
     * @param only when not null, keeps just these values of the single dimension in {@code groupBy}
     * @param columns the measures to read (the others stay zero)
     */
    private List<Row> read(UsageFilter filter, List<Dimension> groupBy, List<String> only, long start, long end,
                           Bucketing bucketing, int[] columns) {
        long hStart = Period.HOUR.floor(start);
        long hEnd = Period.HOUR.ceil(end);
        if (hStart >= hEnd) {
            return List.of();
        }
        Set<Dimension> needed = EnumSet.noneOf(Dimension.class);
        needed.addAll(filter.values().keySet());
        needed.addAll(groupBy);
        Grain grain = Grain.smallestKeeping(needed);
        Map<List<Object>, Row> merged = new LinkedHashMap<>();
        jdbi.useHandle(h -> {
            for (Part part : parts(hStart, hEnd, bucketing)) {
                query(h, part, grain, filter, groupBy, only, bucketing, columns).forEach(row -> {
                    List<Object> key = new ArrayList<>(row.dimensions());
                    key.add(row.bucket());
                    Row existing = merged.get(key);
                    if (existing == null) {
                        merged.put(key, row);
                    } else {
                        existing.measures().merge(row.measures());
                    }
                });
            }
        });
        List<Row> rows = new ArrayList<>(merged.values());
        rows.removeIf(r -> r.measures().isEmpty());
        rows.sort(Comparator.comparingLong(Row::bucket));
        return rows;
    }

    /** The totals of the calls matching {@code filter} in [start, end) at hour resolution. */
    public Measures total(UsageFilter filter, long start, long end, boolean histograms) {
        Measures total = new Measures();
        read(filter, List.of(), start, end, Bucketing.NONE, histograms).forEach(r -> total.merge(r.measures()));
        return total;
    }

    /** A stretch of buckets [from, to) read from rows of one period. */
    private record Part(Period period, long from, long to) {
    }

    private static List<Part> parts(long hStart, long hEnd, Bucketing bucketing) {
        if (!bucketing.dayRowsFit()) {
            return List.of(new Part(Period.HOUR, hStart, hEnd));
        }
        long dStart = Period.DAY.ceil(hStart);
        long dEnd = Period.DAY.floor(hEnd);
        if (dStart >= dEnd) {
            return List.of(new Part(Period.HOUR, hStart, hEnd));
        }
        List<Part> parts = new ArrayList<>();
        if (hStart < dStart) {
            parts.add(new Part(Period.HOUR, hStart, dStart));
        }
        parts.add(new Part(Period.DAY, dStart, dEnd));
        if (dEnd < hEnd) {
            parts.add(new Part(Period.HOUR, dEnd, hEnd));
        }
        return parts;
    }

    private static List<Row> query(Handle h, Part part, Grain grain, UsageFilter filter, List<Dimension> groupBy,
                                   List<String> only, Bucketing bucketing, int[] columns) {
        Map<Dimension, String> fixed = filter.values();
        StringBuilder sql = new StringBuilder("SELECT ").append(bucketing.sqlKey());
        groupBy.forEach(d -> sql.append(", ").append(d.column()));
        for (int c : columns) {
            MeasureColumns.Column column = MeasureColumns.ALL.get(c);
            sql.append(", ").append(column.kind()).append('(').append(column.name()).append(')');
        }
        sql.append(" FROM ").append(RollupSql.TABLE)
                .append(" WHERE period = :period AND grain = :grain AND bucket >= :from AND bucket < :to");
        fixed.keySet().forEach(d -> sql.append(" AND ").append(d.column()).append(" = :").append(d.column()));
        if (only != null) {
            sql.append(" AND ").append(groupBy.getFirst().column()).append(" IN (<only>)");
        }
        int groups = (bucketing.kind() == Bucketing.Kind.NONE ? 0 : 1) + groupBy.size();
        if (groups > 0) {
            sql.append(" GROUP BY ");
            int first = bucketing.kind() == Bucketing.Kind.NONE ? 2 : 1;
            for (int i = 0; i < groups; i++) {
                sql.append(i == 0 ? "" : ", ").append(first + i);
            }
        }
        Query q = h.createQuery(sql.toString())
                .bind("period", part.period().code())
                .bind("grain", grain.code())
                .bind("from", part.from())
                .bind("to", part.to());
        fixed.forEach((d, v) -> q.bind(d.column(), v));
        if (only != null) {
            q.bindList("only", only);
        }
        int firstMeasure = 2 + groupBy.size();
        return q.map((rs, ctx) -> {
            List<String> dims = new ArrayList<>(groupBy.size());
            for (int i = 0; i < groupBy.size(); i++) {
                dims.add(rs.getString(2 + i));
            }
            return new Row(rs.getLong(1), dims, Measures.read(rs, firstMeasure, columns));
        }).list();
    }
}
