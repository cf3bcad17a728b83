package db.migration;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Video calls in the ledger: {@code 'video'} joins the allowed {@code model_calls.type} values and
 * {@code video_seconds} records what video is billed by. A Java migration because the two databases need different
 * statements: PostgreSQL swaps the CHECK constraint, while SQLite cannot alter one and the table must be rebuilt.
 * The rebuild starts from the table's current definition rather than a copy of it written here, so columns that
 * other migrations added are kept.
 */
public class V4__video_calls extends BaseJavaMigration {
    static final String OLD_CHECK = "CHECK (type IN ('chat', 'embedding', 'image'))";
    static final String NEW_CHECK = "CHECK (type IN ('chat', 'embedding', 'image', 'video'))";

    @Override
    public void migrate(Context context) throws Exception {
        Connection connection = context.getConnection();
        String product = connection.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT);
        try (Statement statement = connection.createStatement()) {
            if (product.contains("sqlite")) {
                rebuildOnSqlite(statement);
            } else {
                statement.execute("ALTER TABLE model_calls DROP CONSTRAINT IF EXISTS model_calls_type_check");
                statement.execute("ALTER TABLE model_calls ADD CONSTRAINT model_calls_type_check " + NEW_CHECK);
            }
            statement.execute("ALTER TABLE model_calls ADD COLUMN video_seconds INTEGER NOT NULL DEFAULT 0");
        }
    }

    /** The documented SQLite procedure: create the new table, copy the rows, drop the old, rename, re-index. */
    private static void rebuildOnSqlite(Statement statement) throws SQLException {
        String table = single(statement, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'model_calls'");
        if (table == null || !table.contains(OLD_CHECK)) {
            throw new SQLException("model_calls does not have the expected type constraint; its definition is: "
                    + table);
        }
        List<String> indexes = new ArrayList<>();
        try (ResultSet rs = statement.executeQuery("SELECT sql FROM sqlite_master WHERE type = 'index'"
                + " AND tbl_name = 'model_calls' AND sql IS NOT NULL")) {
            while (rs.next()) {
                indexes.add(rs.getString(1));
            }
        }
        String created = table.replace(OLD_CHECK, NEW_CHECK)
                .replaceFirst("(?i)CREATE TABLE\\s+\"?model_calls\"?", "CREATE TABLE model_calls_v4");
        statement.execute(created);
        statement.execute("INSERT INTO model_calls_v4 SELECT * FROM model_calls");
        statement.execute("DROP TABLE model_calls");
        statement.execute("ALTER TABLE model_calls_v4 RENAME TO model_calls");
        for (String index : indexes) {
            statement.execute(index);
        }
    }

    private static String single(Statement statement, String sql) throws SQLException {
        try (ResultSet rs = statement.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
