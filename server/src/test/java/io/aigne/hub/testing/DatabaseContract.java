package io.aigne.hub.testing;

import io.aigne.hub.store.Database;
import io.aigne.hub.testing.TestDatabases.PgDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Base of tests that run the same checks on SQLite and on PostgreSQL: a test class declares two {@code @Nested}
 * subclasses of its abstract contract, one answering {@link #postgres()} false, one true. Each variant migrates a
 * fresh database once per class; PostgreSQL tests skip with the reason when no server answers (or fail with
 * {@code AIGNE_HUB_TEST_REQUIRE_PG=1}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class DatabaseContract {
    protected Database db;
    private PgDatabase pg;
    private final List<AutoCloseable> extra = new ArrayList<>();

    /** Which database this variant runs on. */
    protected abstract boolean postgres();

    /** Another freshly migrated database of this variant, closed (and dropped) after the class. */
    protected Database fresh(Path dir) {
        if (!postgres()) {
            Database other = TestDatabases.sqlite(dir);
            extra.add(other);
            return other;
        }
        PgDatabase other = TestDatabases.postgres();
        extra.add(other);
        return other.db();
    }

    @BeforeAll
    final void openDatabase(@TempDir Path dir) {
        if (!postgres()) {
            db = TestDatabases.sqlite(dir);
        } else if (TestDatabases.postgresUrl().isPresent()) {
            pg = TestDatabases.postgres();
            db = pg.db();
        }
    }

    @BeforeEach
    final void assumeAvailable() {
        if (postgres()) {
            TestDatabases.assumePostgres();
        }
    }

    @AfterAll
    final void closeDatabase() throws Exception {
        for (AutoCloseable c : extra) {
            c.close();
        }
        if (pg != null) {
            pg.close();
        } else if (db != null) {
            db.close();
        }
    }
}
