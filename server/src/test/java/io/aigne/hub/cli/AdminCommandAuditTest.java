package io.aigne.hub.cli;

import io.aigne.hub.Main;
import io.aigne.hub.audit.Actor;
import io.aigne.hub.audit.AuditEntry;
import io.aigne.hub.audit.AuditLog;
import io.aigne.hub.audit.AuditQuery;
import io.aigne.hub.config.ConfigLoader;
import io.aigne.hub.config.HubConfig;
import io.aigne.hub.store.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** What the operator changes with {@code ./hub admin} is audited as the actor {@code cli}, secrets left out. */
class AdminCommandAuditTest {
    private static final String PASSWORD = "the operator's password 7";

    @Test
    void commandLineChangesAreRecordedAsCli(@TempDir Path dir) throws Exception {
        Path cfg = dir.resolve("aigne-hub.yaml");
        Files.writeString(cfg, "dataDir: " + dir.resolve("data") + "\n");
        String config = cfg.toString();

        run("", "admin", "create-user", "mia", "--role", "admin", "--config", config);
        String key = run("", "admin", "create-key", "--user", "mia", "--name", "ci", "--config", config)
                .lines().filter(l -> l.startsWith("blocklet-")).findFirst().orElseThrow();
        run(PASSWORD + "\n", "admin", "set-password", "mia", "--password-stdin", "--config", config);
        HubConfig hubConfig = ConfigLoader.load(Optional.of(cfg), Map.of());
        String keyId;
        try (Database db = Database.open(hubConfig.database(), Path.of(hubConfig.dataDir()))) {
            keyId = new io.aigne.hub.auth.AccessKeys(db.jdbi(), java.time.Duration.ofSeconds(1))
                    .authenticate(key).orElseThrow().accessKeyId();
        }
        run("", "admin", "revoke-key", keyId, "--config", config);
        run("", "admin", "rotate-master-key", "--config", config);

        try (Database db = Database.open(hubConfig.database(), Path.of(hubConfig.dataDir()))) {
            List<AuditEntry> entries = new AuditLog(db.jdbi())
                    .find(new AuditQuery("cli", null, null, null, null, null, 1, 100)).entries();
            assertThat(entries).extracting(e -> e.event().action()).containsExactly("master_key.rotate",
                    "key.revoke", "user.password", "key.create", "user.create");
            assertThat(entries).allSatisfy(e -> assertThat(e.event().actor()).isEqualTo(Actor.CLI));
            assertThat(entries.get(2).event().before().path("hasPassword").asBoolean()).isFalse();
            assertThat(entries.get(2).event().after().path("hasPassword").asBoolean()).isTrue();
            assertThat(entries.get(3).event().after().path("name").asText()).isEqualTo("ci");
            assertThat(entries.get(4).event().after().path("role").asText()).isEqualTo("admin");
            assertThat(entries.get(0).event().after().path("version").asInt()).isEqualTo(2);

            String hash = db.jdbi().withHandle(h -> h.createQuery("SELECT password_hash FROM users WHERE name = 'mia'")
                    .mapTo(String.class).one());
            String raw = db.jdbi().withHandle(h -> h.createQuery("SELECT * FROM audit_log").mapToMap().list())
                    .toString();
            assertThat(raw).doesNotContain(PASSWORD).doesNotContain(hash).doesNotContain(key)
                    .doesNotContain(key.substring(13));
        }
    }

    private static String run(String stdin, String... args) {
        PrintStream originalOut = System.out;
        InputStream originalIn = System.in;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        try {
            int code = new CommandLine(new Main()).execute(args);
            assertThat(code).as(out.toString(StandardCharsets.UTF_8)).isZero();
        } finally {
            System.setOut(originalOut);
            System.setIn(originalIn);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
