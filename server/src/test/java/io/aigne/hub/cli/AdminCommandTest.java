package io.aigne.hub.cli;

import io.aigne.hub.Hub;
import io.aigne.hub.Main;
import io.aigne.hub.auth.AccessKeys;
import io.aigne.hub.config.ConfigLoader;
import io.aigne.hub.config.HubConfig;
import io.aigne.hub.provider.CredentialSecret;
import io.aigne.hub.provider.ProviderStore;
import io.aigne.hub.secret.MasterKeyRing;
import io.aigne.hub.secret.SecretBox;
import io.aigne.hub.store.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The operator's commands, run as the jar runs them, against a real data directory. */
class AdminCommandTest {

    private static String run(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            int code = new CommandLine(new Main()).execute(args);
            assertThat(code).as(out.toString(StandardCharsets.UTF_8)).isZero();
        } finally {
            System.setOut(original);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static Path config(Path dir) throws Exception {
        Path file = dir.resolve("aigne-hub.yaml");
        Files.writeString(file, "dataDir: " + dir.resolve("data") + "\n");
        return file;
    }

    @Test
    void createUserAndKeyThenRevokeIt(@TempDir Path dir) throws Exception {
        String cfg = config(dir).toString();
        assertThat(run("admin", "create-user", "mia", "--role", "admin", "--config", cfg)).contains("created user mia (admin");
        String printed = run("admin", "create-key", "--user", "mia", "--name", "ci", "--config", cfg);
        String key = printed.lines().filter(l -> l.startsWith("blocklet-")).findFirst().orElseThrow();
        assertThat(run("admin", "list-users", "--config", cfg)).contains("mia").contains("admin");

        HubConfig config = ConfigLoader.load(Optional.of(Path.of(cfg)), Map.of());
        try (Database db = Database.open(config.database(), Path.of(config.dataDir()))) {
            AccessKeys keys = new AccessKeys(db.jdbi(), Duration.ofSeconds(1));
            var principal = keys.authenticate(key).orElseThrow();
            assertThat(principal.userName()).isEqualTo("mia");
            String listed = run("admin", "list-keys", "--user", "mia", "--config", cfg);
            assertThat(listed).contains(principal.accessKeyId()).doesNotContain(key);
            run("admin", "revoke-key", principal.accessKeyId(), "--config", cfg);
            assertThat(new AccessKeys(db.jdbi(), Duration.ofSeconds(1)).authenticate(key)).isEmpty();
        }
    }

    @Test
    void rotatingTheMasterKeyReSealsEveryCredential(@TempDir Path dir) throws Exception {
        Path cfg = config(dir);
        HubConfig config = ConfigLoader.load(Optional.of(cfg), Map.of());
        Path dataDir = Path.of(config.dataDir());
        String providerId;
        try (Database db = Database.open(config.database(), dataDir)) {
            ProviderStore store = new ProviderStore(db.jdbi(),
                    new SecretBox(MasterKeyRing.load(config.security(), dataDir), Hub.CREDENTIAL_PURPOSE));
            providerId = store.createProvider("openai", io.aigne.hub.provider.ProviderType.OPENAI, null, null, null,
                    true, java.util.List.of(), "api", null).id();
            store.createCredential(providerId, "main", io.aigne.hub.provider.CredentialKind.API_KEY,
                    CredentialSecret.apiKey("sk-before-rotation-123456"), 100);
        }
        String before = Files.readString(dataDir.resolve(MasterKeyRing.KEY_FILE));

        assertThat(run("admin", "rotate-master-key", "--config", cfg.toString()))
                .contains("re-encrypted 1 credentials under master key version 2");

        String after = Files.readString(dataDir.resolve(MasterKeyRing.KEY_FILE));
        assertThat(after).isNotEqualTo(before).contains("\n2:").doesNotContain("\n1:");
        try (Database db = Database.open(config.database(), dataDir)) {
            ProviderStore store = new ProviderStore(db.jdbi(),
                    new SecretBox(MasterKeyRing.load(config.security(), dataDir), Hub.CREDENTIAL_PURPOSE));
            var credential = store.credentials(providerId).getFirst();
            assertThat(credential.keyVersion()).isEqualTo(2);
            assertThat(store.openSecret(credential.id()).apiKey()).isEqualTo("sk-before-rotation-123456");
        }
    }
}
