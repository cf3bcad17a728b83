package io.aigne.hub.cli;

import io.aigne.hub.config.HubConfig;
import io.aigne.hub.store.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "migrate", description = "Create or upgrade the database schema, then exit.")
public final class MigrateCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions configOptions;

    @Override
    public Integer call() {
        HubConfig config = configOptions.load();
        try (Database db = Database.open(config.database(), Path.of(config.dataDir()))) {
            System.out.println("database schema is up to date (" + db.dialect().name().toLowerCase(java.util.Locale.ROOT) + ")");
        }
        return 0;
    }
}
