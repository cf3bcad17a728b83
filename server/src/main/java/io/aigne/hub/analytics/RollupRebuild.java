package io.aigne.hub.analytics;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * Recomputes the rollups of a time range from {@code model_calls}, for repairs ({@code ./hub admin rollups
 * rebuild}). The range is widened to whole UTC days, since a day row sums every hour of its day. Everything
 * happens in one transaction that keeps ledger writers out until it commits (SQLite: the write lock; PostgreSQL:
 * an EXCLUSIVE lock on the rollup table, which still lets readers in), so calls written meanwhile are counted
 * exactly once: either they are in the calls the rebuild reads, or their writer adds them after it.
 */
public final class RollupRebuild {
    /** What a rebuild did: the range it covered (epoch ms, end exclusive), calls read and rollup rows written. */
    public record Result(long fromMillis, long toMillis, long calls, long rows) {
    }

    private RollupRebuild() {
    }

    /** Rebuilds [from, to) widened to whole UTC days; null bounds are open (null and null rebuilds everything). */
    public static Result rebuild(DataSource dataSource, Long fromMillis, Long toMillis) throws SQLException {
        long from = fromMillis == null ? 0 : Period.DAY.floor(fromMillis);
        long to = toMillis == null ? Long.MAX_VALUE : Period.DAY.ceil(toMillis);
        if (from >= to) {
            throw new IllegalArgumentException("the range to rebuild is empty: from must be before to");
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                lockOutWriters(c);
                try (PreparedStatement delete = c.prepareStatement("DELETE FROM " + RollupSql.TABLE
                        + " WHERE bucket >= ? AND bucket < ?")) {
                    delete.setLong(1, from);
                    delete.setLong(2, to);
                    delete.executeUpdate();
                }
                execute(c, RollupSql.insertFullHoursFromCalls("created_at >= ? AND created_at < ?"), from, to);
                for (Period period : Period.values()) {
                    for (Grain grain : Grain.values()) {
                        if (period != Period.HOUR || grain != Grain.FULL) {
                            execute(c, RollupSql.deriveFromFullHours(period, grain, "bucket >= ? AND bucket < ?"),
                                    from, to);
                        }
                    }
                }
                long calls = count(c, "SELECT COALESCE(SUM(calls), 0) FROM " + RollupSql.TABLE
                        + " WHERE period = 'hour' AND grain = 'full' AND bucket >= ? AND bucket < ?", from, to);
                long rows = count(c, "SELECT COUNT(*) FROM " + RollupSql.TABLE + " WHERE bucket >= ? AND bucket < ?",
                        from, to);
                c.commit();
                return new Result(from, to, calls, rows);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private static void lockOutWriters(Connection c) throws SQLException {
        String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        if (product.contains("postgres")) {
            try (Statement st = c.createStatement()) {
                st.execute("LOCK TABLE " + RollupSql.TABLE + " IN EXCLUSIVE MODE");
            }
        }
        // SQLite: the hub opens transactions IMMEDIATE, so the first write below takes the database's write lock
        // and holds it to the commit; the ledger writer waits (and retries) meanwhile.
    }

    private static void execute(Connection c, String sql, long from, long to) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, from);
            ps.setLong(2, to);
            ps.executeUpdate();
        }
    }

    private static long count(Connection c, String sql, long from, long to) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, from);
            ps.setLong(2, to);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
