package io.aigne.hub.cli;

import io.aigne.hub.analytics.RollupRebuild;
import io.aigne.hub.store.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** {@code admin rollups rebuild}: recompute the usage rollups from the recorded calls. */
@Command(name = "rollups", description = "Maintain the usage rollups that analytics are served from.",
        subcommands = {RollupsCommand.Rebuild.class})
public final class RollupsCommand implements Runnable {
    @Override
    public void run() {
        System.err.println("choose a subcommand: rebuild");
    }

    @Command(name = "rebuild", description = "Recompute the rollups of a range of UTC days from model_calls "
            + "(everything without --from/--to). Safe while hubs run: their ledger writes wait for it.")
    static final class Rebuild extends AdminCommand.WithDatabase {
        @Option(names = "--from", paramLabel = "TIME",
                description = "first day: 2025-01-31, an ISO instant (2025-01-31T10:00:00Z) or epoch milliseconds")
        String from;
        @Option(names = "--to", paramLabel = "TIME", description = "end (exclusive, widened to the end of its day)")
        String to;

        @Override
        int run(Database db) {
            long started = System.nanoTime();
            try {
                RollupRebuild.Result r = RollupRebuild.rebuild(db.dataSource(), parse("--from", from),
                        parse("--to", to));
                System.out.printf("rebuilt the rollups of %s to %s: %d calls, %d rollup rows, in %.1f s%n",
                        describe(r.fromMillis()), describe(r.toMillis()), r.calls(), r.rows(),
                        (System.nanoTime() - started) / 1e9);
                return 0;
            } catch (SQLException e) {
                System.err.println("error: the rebuild failed and was rolled back: " + e.getMessage());
                return 1;
            }
        }

        static Long parse(String option, String text) {
            if (text == null || text.isBlank()) {
                return null;
            }
            String t = text.trim();
            try {
                if (t.chars().allMatch(Character::isDigit)) {
                    return Long.parseLong(t);
                }
                if (t.length() == 10) {
                    return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
                }
                return Instant.parse(t).toEpochMilli();
            } catch (DateTimeParseException | NumberFormatException e) {
                throw new IllegalArgumentException(option + " must be a date (2025-01-31), an ISO instant "
                        + "(2025-01-31T10:00:00Z) or epoch milliseconds, not '" + text + "'");
            }
        }

        private static String describe(long millis) {
            return millis == Long.MAX_VALUE ? "the end" : millis == 0 ? "the beginning"
                    : Instant.ofEpochMilli(millis).toString();
        }
    }
}
