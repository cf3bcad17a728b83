package io.aigne.hub.testing;

import io.aigne.hub.store.Database;
import io.aigne.hub.testing.TestDatabases.PgDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A storage contract written once and run on every database the hub supports. A test class states its contract
 * as an abstract subclass and runs it once per database through one-line nested classes:
 *
 * <pre>{@code
 * class LedgerTest {
 *     @SqliteVariant class Sqlite extends Contract {}
 *     @PostgresVariant class Postgres extends Contract {}
 *
 *     abstract static class Contract extends DatabaseContract {
 *         Contract() {
 *             super("credit_entries", "users"); // emptied in this order before every test
 *         }
 *
 *         @Test void ...() { ... db.jdbi() ... }
 *     }
 * }
 * }</pre>
 *
 * <p>Each variant is its own test class in the build's reports, so the counts per database stay visible. Its
 * database is migrated fresh once for the class ({@link TestDatabases#sqlite} in a temporary directory, or
 * {@link TestDatabases#postgres} in a schema of its own that is dropped afterwards) and every test starts from the
 * given tables emptied. When PostgreSQL does not answer, every PostgreSQL test is skipped with the reason (or
 * fails when {@value TestDatabases#REQUIRE_PG_ENV}{@code =1}), see {@link TestDatabases#assumePostgres()}.
 *
 * <p>Subclasses add their own {@code @BeforeAll}/{@code @BeforeEach} methods, which JUnit runs after these (and
 * their {@code @AfterAll} before the database is closed).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class DatabaseContract {

    /** The databases a contract runs on. */
    private enum Variant {
        SQLITE,
        POSTGRES;

        static Variant of(Class<?> testClass) {
            boolean sqlite = testClass.isAnnotationPresent(SqliteVariant.class);
            boolean postgres = testClass.isAnnotationPresent(PostgresVariant.class);
            if (sqlite == postgres) {
                throw new IllegalStateException(testClass.getName() + " needs exactly one of @"
                        + SqliteVariant.class.getSimpleName() + " or @" + PostgresVariant.class.getSimpleName());
            }
            return sqlite ? SQLITE : POSTGRES;
        }
    }

    /** Marks a nested class that runs its contract on SQLite. */
    @Target(ElementType.TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    @Documented
    @Nested
    @DisplayName("SQLite")
    public @interface SqliteVariant {
    }

    /** Marks a nested class that runs its contract on PostgreSQL. */
    @Target(ElementType.TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    @Documented
    @Nested
    @DisplayName("PostgreSQL")
    public @interface PostgresVariant {
    }

    private final Variant variant = Variant.of(getClass());
    private final List<String> tablesToEmpty;
    private PgDatabase pg;
    private final List<AutoCloseable> others = new ArrayList<>();

    /**
     * The database of this variant, open from {@code @BeforeAll} on; still null there when PostgreSQL is not
     * available (each test is then skipped before it starts).
     */
    protected Database db;

    /** @param tablesToEmpty the tables deleted from, in this order, in one transaction before every test */
    protected DatabaseContract(String... tablesToEmpty) {
        this.tablesToEmpty = List.of(tablesToEmpty);
    }

    @BeforeAll
    protected final void openDatabase(@TempDir Path tempDir) {
        switch (variant) {
            case SQLITE -> db = TestDatabases.sqlite(tempDir);
            case POSTGRES -> {
                // Without a server every test skips (or fails, when required) in emptyTables(): a skip of the
                // whole class from here would not show up in the build's test counts, nor would its reason.
                if (TestDatabases.postgresUrl().isPresent()) {
                    pg = TestDatabases.postgres();
                    db = pg.db();
                }
            }
        }
    }

    /** Whether this variant runs on PostgreSQL. */
    protected final boolean postgres() {
        return variant == Variant.POSTGRES;
    }

    /** Another freshly migrated database of this variant, closed (and dropped) after the class. */
    protected Database fresh(Path dir) {
        if (variant == Variant.SQLITE) {
            Database other = TestDatabases.sqlite(dir);
            others.add(other);
            return other;
        }
        PgDatabase other = TestDatabases.postgres();
        others.add(other);
        return other.db();
    }

    @AfterAll
    protected final void closeDatabase() throws Exception {
        for (AutoCloseable other : others) {
            other.close();
        }
        if (pg != null) {
            pg.close();
        } else if (db != null) {
            db.close();
        }
    }

    @BeforeEach
    protected final void emptyTables() {
        if (variant == Variant.POSTGRES) {
            TestDatabases.assumePostgres();
        }
        if (!tablesToEmpty.isEmpty()) {
            db.jdbi().useTransaction(h -> {
                for (String table : tablesToEmpty) {
                    h.execute("DELETE FROM " + table);
                }
            });
        }
    }
}
