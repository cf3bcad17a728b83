package io.aigne.hub.analytics;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The SQL of {@code usage_rollups}, built from {@link MeasureColumns} so that the writer, the rebuild and the
 * readers name the same columns. Everything here runs unchanged on SQLite and PostgreSQL: {@code ON CONFLICT … DO
 * UPDATE} with {@code excluded}, integer division for bucket starts, CASE for "keep the larger".
 */
final class RollupSql {
    static final String TABLE = "usage_rollups";
    static final String KEY_COLUMNS = "period, grain, bucket, user_id, app_did, provider, model, type";

    private RollupSql() {
    }

    static String measureColumns() {
        return MeasureColumns.ALL.stream().map(MeasureColumns.Column::name).collect(Collectors.joining(", "));
    }

    /** Adds a row's measures to the stored row with the same key, or inserts it. */
    static String upsert() {
        String placeholders = String.join(", ", java.util.Collections.nCopies(8 + MeasureColumns.COUNT, "?"));
        String updates = MeasureColumns.ALL.stream().map(c -> c.kind() == MeasureColumns.Kind.SUM
                        ? c.name() + " = " + TABLE + "." + c.name() + " + excluded." + c.name()
                        : c.name() + " = CASE WHEN excluded." + c.name() + " > " + TABLE + "." + c.name()
                        + " THEN excluded." + c.name() + " ELSE " + TABLE + "." + c.name() + " END")
                .collect(Collectors.joining(", "));
        return "INSERT INTO " + TABLE + " (" + KEY_COLUMNS + ", " + measureColumns() + ") VALUES (" + placeholders
                + ") ON CONFLICT (" + KEY_COLUMNS + ") DO UPDATE SET " + updates;
    }

    /**
     * Builds the hour rows of the full grain straight from the calls; {@code where} (may be empty) restricts the
     * calls, e.g. {@code created_at >= ? AND created_at < ?}.
     */
    static String insertFullHoursFromCalls(String where) {
        String bucket = bucketOf("created_at", Period.HOUR);
        List<String> dims = new ArrayList<>();
        for (Dimension d : Dimension.values()) {
            dims.add("COALESCE(" + d.callColumn() + ", '')");
        }
        String measures = MeasureColumns.ALL.stream().map(MeasureColumns.Column::aggregateOverCalls)
                .collect(Collectors.joining(", "));
        return "INSERT INTO " + TABLE + " (" + KEY_COLUMNS + ", " + measureColumns() + ") SELECT '"
                + Period.HOUR.code() + "', '" + Grain.FULL.code() + "', " + bucket + ", " + String.join(", ", dims)
                + ", " + measures + " FROM model_calls" + (where.isEmpty() ? "" : " WHERE " + where)
                + " GROUP BY " + bucket + ", " + String.join(", ", dims);
    }

    /**
     * Builds the rows of {@code period}/{@code grain} from the hour rows of the full grain; {@code where} (may be
     * empty) restricts those hour rows, e.g. {@code bucket >= ? AND bucket < ?}.
     */
    static String deriveFromFullHours(Period period, Grain grain, String where) {
        String bucket = period == Period.HOUR ? "bucket" : bucketOf("bucket", period);
        List<String> kept = new ArrayList<>();
        List<String> selected = new ArrayList<>();
        for (Dimension d : Dimension.values()) {
            if (grain.keeps(d)) {
                kept.add(d.column());
                selected.add(d.column());
            } else {
                selected.add("''");
            }
        }
        String measures = MeasureColumns.ALL.stream().map(c -> c.kind() + "(" + c.name() + ")")
                .collect(Collectors.joining(", "));
        return "INSERT INTO " + TABLE + " (" + KEY_COLUMNS + ", " + measureColumns() + ") SELECT '" + period.code()
                + "', '" + grain.code() + "', " + bucket + ", " + String.join(", ", selected) + ", " + measures
                + " FROM " + TABLE + " WHERE period = '" + Period.HOUR.code() + "' AND grain = '" + Grain.FULL.code()
                + "'" + (where.isEmpty() ? "" : " AND " + where) + " GROUP BY "
                + String.join(", ", concat(bucket, kept));
    }

    /** The start of the bucket holding {@code column} (epoch ms, never negative), in portable integer SQL. */
    static String bucketOf(String column, Period period) {
        return "(" + column + " / " + period.millis() + ") * " + period.millis();
    }

    private static List<String> concat(String first, List<String> rest) {
        List<String> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all;
    }
}
