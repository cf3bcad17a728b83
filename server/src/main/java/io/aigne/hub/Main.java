package io.aigne.hub;

import io.aigne.hub.cli.AdminCommand;
import io.aigne.hub.cli.MigrateCommand;
import io.aigne.hub.cli.ServeCommand;
import io.aigne.hub.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code aigne-hub serve | admin … | migrate}. */
@Command(name = "aigne-hub", mixinStandardHelpOptions = true, version = "AIGNE Hub 0.1.0",
        description = "A self-hosted AI gateway: one access key for every provider.",
        subcommands = {ServeCommand.class, AdminCommand.class, MigrateCommand.class})
public final class Main implements Runnable {
    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof ConfigException || e instanceof IllegalArgumentException) {
                commandLine.getErr().println("error: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        System.exit(cli.execute(args.length == 0 ? new String[]{"serve"} : args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
