package io.aigne.hub.cli;

import io.aigne.hub.Main;
import io.aigne.hub.config.ConfigLoader;
import io.aigne.hub.config.HubConfig;
import io.aigne.hub.store.Database;
import io.aigne.hub.testing.SyntheticCalls;
import io.aigne.hub.usage.UsageLedger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ./hub admin rollups rebuild}, run as the jar runs it, repairs rollups from the calls. */
class RollupsCommandTest {
    /** 2024-03-01T00:00:00Z */
    private static final long DAY0 = 1_709_251_200_000L;
    private static final long DAY = 86_400_000L;

    @Test
    void rebuildRepairsTheGivenDaysOnly(@TempDir Path dir) throws Exception {
        Path cfg = dir.resolve("aigne-hub.yaml");
        Files.writeString(cfg, "dataDir: " + dir.resolve("data") + "\n");
        HubConfig config = ConfigLoader.load(Optional.of(cfg), Map.of());
        try (Database db = Database.open(config.database(), Path.of(config.dataDir()))) {
            Random random = new Random(5);
            SyntheticCalls calls = new SyntheticCalls(random, List.of("u1", "u2"), List.of("app"),
                    List.of("openai"), List.of("gpt-4o"));
            try (UsageLedger ledger = new UsageLedger(db.dataSource(), null, 100, Duration.ofMillis(5))) {
                for (int i = 0; i < 300; i++) {
                    ledger.record(calls.at(DAY0 + (i % 3) * DAY + random.nextLong(DAY)));
                }
            }
            db.jdbi().useHandle(h -> h.execute("UPDATE usage_rollups SET calls = 0"));

            String out = run(0, "admin", "rollups", "rebuild", "--from", "2024-03-02", "--to", "2024-03-02T10:00:00Z",
                    "--config", cfg.toString());

            assertThat(out).contains("rebuilt the rollups of 2024-03-02T00:00:00Z to 2024-03-03T00:00:00Z: 100 calls");
            assertThat(dayCalls(db)).containsExactly(0L, 100L, 0L);
            assertThat(run(0, "admin", "rollups", "rebuild", "--config", cfg.toString())).contains(": 300 calls");
            assertThat(dayCalls(db)).containsExactly(100L, 100L, 100L);
        }
        String refused = run(2, "admin", "rollups", "rebuild", "--from", "yesterday", "--config", cfg.toString());
        assertThat(refused).contains("--from must be a date (2025-01-31)");
    }

    private static List<Long> dayCalls(Database db) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT calls FROM usage_rollups WHERE period = 'day' "
                + "AND grain = 'all' ORDER BY bucket").mapTo(Long.class).list());
    }

    /** Runs the CLI like Main does; returns what it printed on stdout and stderr. */
    private static String run(int expectedCode, String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            CommandLine cli = new CommandLine(new Main());
            cli.setErr(new PrintWriter(err, true));
            cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
                commandLine.getErr().println("error: " + e.getMessage());
                return 2;
            });
            int code = cli.execute(args);
            assertThat(code).as(out + " / " + err).isEqualTo(expectedCode);
        } finally {
            System.setOut(original);
        }
        return out.toString(StandardCharsets.UTF_8) + err;
    }
}
