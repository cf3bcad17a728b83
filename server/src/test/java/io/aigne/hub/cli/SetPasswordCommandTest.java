package io.aigne.hub.cli;

import io.aigne.hub.Main;
import io.aigne.hub.auth.Passwords;
import io.aigne.hub.auth.User;
import io.aigne.hub.auth.UserStore;
import io.aigne.hub.config.ConfigLoader;
import io.aigne.hub.config.HubConfig;
import io.aigne.hub.store.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ./hub admin set-password NAME --password-stdin}: the password comes from stdin, never from argv. */
class SetPasswordCommandTest {

    private static int run(String stdin, String... args) {
        InputStream original = System.in;
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        try {
            return new CommandLine(new Main()).execute(args);
        } finally {
            System.setIn(original);
        }
    }

    @Test
    void setsAnArgon2idHashThatTheTypedPasswordMatches(@TempDir Path dir) throws Exception {
        Path cfg = dir.resolve("aigne-hub.yaml");
        Files.writeString(cfg, "dataDir: " + dir.resolve("data") + "\n");
        assertThat(run("", "admin", "create-user", "zoe", "--config", cfg.toString())).isZero();

        assertThat(run("zoe's new password\n", "admin", "set-password", "zoe", "--password-stdin",
                "--config", cfg.toString())).isZero();
        assertThat(run("short\n", "admin", "set-password", "zoe", "--password-stdin",
                "--config", cfg.toString())).as("too short: refused, old password kept").isEqualTo(1);

        String hash = storedHash(cfg, "zoe");
        assertThat(hash).startsWith("$argon2id$");
        assertThat(Passwords.matches("zoe's new password", hash)).isTrue();

        assertThat(run("", "admin", "set-password", "zoe", "--clear", "--config", cfg.toString())).isZero();
        assertThat(storedHash(cfg, "zoe")).isNull();
    }

    private static String storedHash(Path cfg, String name) {
        HubConfig config = ConfigLoader.load(Optional.of(cfg), Map.of());
        try (Database db = Database.open(config.database(), Path.of(config.dataDir()))) {
            UserStore users = new UserStore(db.jdbi());
            User u = users.byName(name).orElseThrow();
            return users.passwordHash(u.id()).orElse(null);
        }
    }
}
