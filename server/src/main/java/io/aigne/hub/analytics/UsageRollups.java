package io.aigne.hub.analytics;

import io.aigne.hub.usage.CallRecord;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Keeps {@code usage_rollups} up to date as the ledger writes calls: called inside the ledger's transaction with
 * the batch it just inserted, it adds each call to one row per {@link Period} and {@link Grain}, so the rollups
 * commit (or roll back) with the calls themselves and can never disagree with them.
 *
 * <p>The batch is first combined in memory (a batch of calls from one hour touches far fewer rows than it has
 * calls), then written with one UPSERT per row, in key order so that concurrent writers (several hub nodes on one
 * PostgreSQL) lock rows in the same order and cannot deadlock.
 */
public final class UsageRollups {
    private static final String UPSERT = RollupSql.upsert();

    private UsageRollups() {
    }

    /**
     * Adds the calls of {@code rows} that were inserted to the rollups. {@code updateCounts} are the results of the
     * batch that inserted them ({@link Statement#executeBatch()}), one per row: a row whose insert changed nothing
     * (0: already present, e.g. a replay under {@code ON CONFLICT DO NOTHING}) is not counted again.
     * {@link Statement#SUCCESS_NO_INFO} counts as inserted, so a writer using ON CONFLICT must not let its driver
     * rewrite batches (PostgreSQL's {@code reWriteBatchedInserts}).
     */
    public static void record(Connection connection, List<CallRecord> rows, int[] updateCounts) throws SQLException {
        if (updateCounts.length != rows.size()) {
            throw new IllegalArgumentException(rows.size() + " rows but " + updateCounts.length + " update counts");
        }
        Map<RollupKey, Measures> combined = new TreeMap<>();
        for (int i = 0; i < rows.size(); i++) {
            if (updateCounts[i] > 0 || updateCounts[i] == Statement.SUCCESS_NO_INFO) {
                addTo(combined, rows.get(i));
            }
        }
        write(connection, combined);
    }

    /** Adds every call of {@code rows} to the rollups (for writers that know each row is new). */
    public static void record(Connection connection, List<CallRecord> rows) throws SQLException {
        Map<RollupKey, Measures> combined = new TreeMap<>();
        rows.forEach(r -> addTo(combined, r));
        write(connection, combined);
    }

    static void addTo(Map<RollupKey, Measures> combined, CallRecord r) {
        Measures one = Measures.of(r);
        for (Period period : Period.values()) {
            for (Grain grain : Grain.values()) {
                combined.computeIfAbsent(RollupKey.of(period, grain, r), k -> new Measures()).merge(one);
            }
        }
    }

    private static void write(Connection connection, Map<RollupKey, Measures> combined) throws SQLException {
        if (combined.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = connection.prepareStatement(UPSERT)) {
            for (Map.Entry<RollupKey, Measures> e : combined.entrySet()) {
                RollupKey k = e.getKey();
                int i = 1;
                ps.setString(i++, k.period().code());
                ps.setString(i++, k.grain().code());
                ps.setLong(i++, k.bucket());
                ps.setString(i++, k.userId());
                ps.setString(i++, k.appDid());
                ps.setString(i++, k.provider());
                ps.setString(i++, k.model());
                ps.setString(i++, k.type());
                for (int c = 0; c < MeasureColumns.COUNT; c++) {
                    ps.setLong(i++, e.getValue().get(c));
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
