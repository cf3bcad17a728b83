package io.aigne.hub.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.aigne.hub.config.ConfigException;
import io.aigne.hub.config.HubConfig.DatabaseConfig;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.jdbi.v3.core.Jdbi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The hub's database: embedded SQLite (WAL) under the data directory by default, PostgreSQL when a JDBC URL is
 * configured. One set of Flyway migrations ({@code db/migration}) serves both; the SQL is a portable subset
 * (epoch-millis BIGINT times, TEXT ids generated in Java, no vendor types).
 */
public final class Database implements AutoCloseable {
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final Dialect dialect;

    public enum Dialect { SQLITE, POSTGRESQL }

    private Database(HikariDataSource dataSource, Dialect dialect) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.jdbi = Jdbi.create(dataSource);
    }

    public static Database open(DatabaseConfig config, Path dataDir) {
        HikariConfig hikari = new HikariConfig();
        Dialect dialect;
        if (config.embedded()) {
            try {
                Files.createDirectories(dataDir);
            } catch (IOException e) {
                throw new ConfigException("cannot create the data directory " + dataDir + ": " + e.getMessage());
            }
            dialect = Dialect.SQLITE;
            hikari.setJdbcUrl("jdbc:sqlite:" + dataDir.resolve("hub.db").toAbsolutePath()
                    + "?journal_mode=WAL&synchronous=NORMAL&busy_timeout=10000&foreign_keys=true"
                    + "&transaction_mode=IMMEDIATE");
            // SQLite serialises writers anyway; a small pool keeps readers concurrent under WAL.
            hikari.setMaximumPoolSize(Math.max(2, Math.min(4, config.poolSize())));
        } else {
            if (!config.url().startsWith("jdbc:postgresql:")) {
                throw new ConfigException("database.url must be a PostgreSQL JDBC URL (jdbc:postgresql://host:5432/db), "
                        + "or empty for the embedded SQLite database");
            }
            dialect = Dialect.POSTGRESQL;
            hikari.setJdbcUrl(config.url());
            if (config.username() != null && !config.username().isBlank()) {
                hikari.setUsername(config.username());
            }
            if (config.password() != null && !config.password().isBlank()) {
                hikari.setPassword(config.password());
            }
            hikari.setMaximumPoolSize(Math.max(2, config.poolSize()));
            // The hub's queries are short and indexed; JIT compiling them (PostgreSQL's default for costly-looking
            // plans, e.g. generic plans of paged queries) costs tens to hundreds of milliseconds and saves nothing.
            hikari.setConnectionInitSql("SET jit = off");
        }
        hikari.setPoolName("hub-db");
        hikari.setConnectionTimeout(15_000);
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(hikari);
        } catch (RuntimeException e) {
            throw new ConfigException("cannot connect to the database " + redact(hikari.getJdbcUrl()) + ": "
                    + rootMessage(e));
        }
        Database db = new Database(ds, dialect);
        try {
            db.migrate();
        } catch (RuntimeException e) {
            ds.close();
            throw new ConfigException("the database schema could not be migrated: " + rootMessage(e));
        }
        return db;
    }

    public MigrateResult migrate() {
        return Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .table("schema_history")
                .load()
                .migrate();
    }

    public javax.sql.DataSource dataSource() {
        return dataSource;
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public Dialect dialect() {
        return dialect;
    }

    @Override
    public void close() {
        dataSource.close();
    }

    private static String redact(String url) {
        return url.replaceAll("password=[^&]*", "password=***");
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
