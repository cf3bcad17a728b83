package io.aigne.hub.cli;

import io.aigne.hub.config.ConfigLoader;
import io.aigne.hub.config.HubConfig;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Where the configuration comes from: --config, else $AIGNE_HUB_CONFIG, else ./aigne-hub.yaml if present. */
public final class ConfigOptions {
    public static final String DEFAULT_FILE = "aigne-hub.yaml";

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "YAML configuration file (default: $AIGNE_HUB_CONFIG, else ./aigne-hub.yaml when present)")
    Path file;

    public HubConfig load() {
        Optional<Path> chosen = Optional.ofNullable(file);
        if (chosen.isEmpty()) {
            String fromEnv = System.getenv("AIGNE_HUB_CONFIG");
            if (fromEnv != null && !fromEnv.isBlank()) {
                chosen = Optional.of(Path.of(fromEnv));
            } else if (Files.isRegularFile(Path.of(DEFAULT_FILE))) {
                chosen = Optional.of(Path.of(DEFAULT_FILE));
            }
        }
        return ConfigLoader.load(chosen, System.getenv());
    }
}
