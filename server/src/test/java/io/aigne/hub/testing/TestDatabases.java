package io.aigne.hub.testing;

import io.aigne.hub.config.HubConfig.DatabaseConfig;
import io.aigne.hub.store.Database;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * The databases the hub supports, opened the way {@link Database#open} opens them in production, for tests that
 * need real storage.
 *
 * <ul>
 *   <li>{@link #sqlite(Path)}: the embedded default, a fresh file under the given directory.</li>
 *   <li>{@link #postgres()}: PostgreSQL at {@value #PG_URL_ENV} (default {@value #DEFAULT_PG_URL}), in a fresh
 *       schema of its own so that test classes never see each other's rows. Close the returned
 *       {@link PgDatabase} (in {@code @AfterAll}) to drop the schema again.</li>
 * </ul>
 *
 * <p>PostgreSQL tests start with {@link #assumePostgres()}: when no server answers they are skipped with the
 * reason, unless {@value #REQUIRE_PG_ENV}{@code =1} (as in CI), in which case they fail.
 */
public final class TestDatabases {
    public static final String PG_URL_ENV = "AIGNE_HUB_TEST_PG_URL";
    public static final String REQUIRE_PG_ENV = "AIGNE_HUB_TEST_REQUIRE_PG";
    public static final String DEFAULT_PG_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    private static final int PROBE_TIMEOUT_SECONDS = 2;
    private static final Pattern SCHEMA_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final AtomicBoolean SKIP_ANNOUNCED = new AtomicBoolean();

    private TestDatabases() {
    }

    /** A freshly migrated embedded SQLite database in {@code dir} (which may not exist yet). */
    public static Database sqlite(Path dir) {
        return Database.open(new DatabaseConfig("", "", "", 4), dir);
    }

    /** The PostgreSQL URL the tests use, whether or not a server answers there. */
    public static String configuredPostgresUrl() {
        String url = System.getenv(PG_URL_ENV);
        return url == null || url.isBlank() ? DEFAULT_PG_URL : url.trim();
    }

    /** The PostgreSQL URL when a server answers there within about two seconds; probed once per JVM. */
    public static Optional<String> postgresUrl() {
        Probe probe = Probe.RESULT;
        return probe.failure() == null ? Optional.of(probe.url()) : Optional.empty();
    }

    /**
     * Skips the calling test (class) with a visible reason when PostgreSQL is not reachable, or fails it when
     * {@value #REQUIRE_PG_ENV}{@code =1}.
     */
    public static void assumePostgres() {
        Probe probe = Probe.RESULT;
        if (probe.failure() == null) {
            return;
        }
        String url = redact(probe.url());
        if ("1".equals(System.getenv(REQUIRE_PG_ENV))) {
            Assertions.fail(REQUIRE_PG_ENV + "=1 but PostgreSQL is not reachable at " + url + ": " + probe.failure());
        }
        String reason = "PostgreSQL not reachable at " + url + " (" + probe.failure() + "); skipping the "
                + "PostgreSQL storage tests — set " + PG_URL_ENV + " or start PostgreSQL";
        if (SKIP_ANNOUNCED.compareAndSet(false, true)) {
            // Build tools count skipped tests but rarely print why; say it once on the console.
            System.err.println("[TestDatabases] " + reason);
        }
        Assumptions.abort(reason);
    }

    /**
     * A freshly migrated PostgreSQL database in a new schema {@code hub_test_<random hex>}; closing it closes the
     * pool and drops the schema. Skips (or fails, see {@link #assumePostgres()}) when PostgreSQL is not reachable.
     */
    public static PgDatabase postgres() {
        assumePostgres();
        String url = Probe.RESULT.url();
        String schema = "hub_test_" + HexFormat.of().formatHex(randomBytes(8));
        execute(url, "CREATE SCHEMA " + checkedSchema(schema));
        try {
            Database db = Database.open(new DatabaseConfig(withParameter(url, "currentSchema", schema), "", "", 4),
                    Path.of("unused-by-postgresql"));
            return new PgDatabase(db, url, schema);
        } catch (RuntimeException e) {
            dropSchema(url, schema);
            throw e;
        }
    }

    /** Drops a schema made by {@link #postgres()} with everything in it. */
    public static void dropSchema(String url, String schema) {
        execute(url, "DROP SCHEMA IF EXISTS " + checkedSchema(schema) + " CASCADE");
    }

    /** A PostgreSQL test database and the schema it lives in; {@link #close()} drops the schema. */
    public record PgDatabase(Database db, String url, String schema) implements AutoCloseable {
        /** The JDBC URL that opens this schema, for a hub under test to be configured with. */
        public String schemaUrl() {
            return withParameter(url, "currentSchema", schema);
        }

        @Override
        public void close() {
            try {
                db.close();
            } finally {
                dropSchema(url, schema);
            }
        }
    }

    /** {@code url} with one more query parameter, whether or not it already has some. */
    static String withParameter(String url, String name, String value) {
        return url + (url.contains("?") ? "&" : "?") + name + "=" + value;
    }

    /** Schema names go into DDL unquoted, so only plain lower-case identifiers are accepted. */
    private static String checkedSchema(String schema) {
        if (schema == null || !SCHEMA_NAME.matcher(schema).matches()) {
            throw new IllegalArgumentException("not a plain schema name: " + schema);
        }
        return schema;
    }

    private static void execute(String url, String sql) {
        try (Connection c = connect(url); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("'" + sql + "' failed on " + redact(url) + ": " + e.getMessage(), e);
        }
    }

    private static Connection connect(String url) throws SQLException {
        Properties props = new Properties();
        // Per connection, so that the probe does not change DriverManager's global login timeout.
        props.setProperty("loginTimeout", Integer.toString(PROBE_TIMEOUT_SECONDS));
        props.setProperty("connectTimeout", Integer.toString(PROBE_TIMEOUT_SECONDS));
        return DriverManager.getConnection(url, props);
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static String redact(String url) {
        return url.replaceAll("password=[^&]*", "password=***");
    }

    /** Whether PostgreSQL answered, found out once (lazily, on first use) so unreachable servers cost 2 s once. */
    private record Probe(String url, String failure) {
        static final Probe RESULT = run(configuredPostgresUrl());

        private static Probe run(String url) {
            if (!url.startsWith("jdbc:postgresql:")) {
                return new Probe(url, PG_URL_ENV + " is not a jdbc:postgresql: URL");
            }
            try (Connection c = connect(url)) {
                return c.isValid(PROBE_TIMEOUT_SECONDS) ? new Probe(url, null)
                        : new Probe(url, "the connection did not become valid");
            } catch (SQLException e) {
                return new Probe(url, e.getMessage());
            }
        }
    }
}
