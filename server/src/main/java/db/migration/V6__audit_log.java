package db.migration;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import java.sql.Statement;
import java.util.List;
import java.util.Locale;

/**
 * The audit log of administrative changes, append-only in the database itself: triggers refuse every UPDATE and
 * DELETE (and, on PostgreSQL, TRUNCATE), so neither a bug in the hub nor a stray SQL statement can rewrite history.
 * A Java migration because the two databases write triggers and auto-numbered columns differently. {@code seq}
 * orders entries exactly as they were written, also within one millisecond; {@code id} is the public id.
 */
public class V6__audit_log extends BaseJavaMigration {
    static final String REFUSED = "audit_log is append-only";

    private static final String COLUMNS = """
                id          TEXT NOT NULL UNIQUE,
                created_at  BIGINT NOT NULL,
                actor_type  TEXT NOT NULL CHECK (actor_type IN ('user', 'system')),
                actor_id    TEXT,
                actor_name  TEXT NOT NULL,
                ip          TEXT,
                action      TEXT NOT NULL,
                target_type TEXT NOT NULL,
                target_id   TEXT,
                before_json TEXT,
                after_json  TEXT
            )""";

    private static final List<String> INDEXES = List.of(
            "CREATE INDEX audit_log_time ON audit_log (created_at)",
            "CREATE INDEX audit_log_target ON audit_log (target_type, target_id, created_at)",
            "CREATE INDEX audit_log_actor ON audit_log (actor_id, created_at)");

    @Override
    public void migrate(Context context) throws Exception {
        String product = context.getConnection().getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        boolean sqlite = product.contains("sqlite");
        try (Statement statement = context.getConnection().createStatement()) {
            statement.execute("CREATE TABLE audit_log (\n    seq " + (sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT"
                    : "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY") + ",\n" + COLUMNS);
            for (String index : INDEXES) {
                statement.execute(index);
            }
            for (String trigger : sqlite ? sqliteTriggers() : postgresTriggers()) {
                statement.execute(trigger);
            }
        }
    }

    private static List<String> sqliteTriggers() {
        return List.of(
                "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN "
                        + "SELECT RAISE(ABORT, '" + REFUSED + ": UPDATE refused'); END",
                "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN "
                        + "SELECT RAISE(ABORT, '" + REFUSED + ": DELETE refused'); END");
    }

    /** Statement-level, so that even an UPDATE or DELETE matching no row is refused. */
    private static List<String> postgresTriggers() {
        return List.of(
                "CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                        + "RAISE EXCEPTION '" + REFUSED + ": % refused', TG_OP; END $$",
                "CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log "
                        + "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change()");
    }
}
