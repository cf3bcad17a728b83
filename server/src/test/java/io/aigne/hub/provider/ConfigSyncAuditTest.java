package io.aigne.hub.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigne.hub.audit.Actor;
import io.aigne.hub.audit.AuditEntry;
import io.aigne.hub.audit.AuditQuery;
import io.aigne.hub.testing.TestHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Providers declared in the configuration are synchronised at every start, audited as the actor {@code config}:
 * what a start creates, changes or removes is recorded, and a start that changes nothing records nothing.
 */
class ConfigSyncAuditTest {
    private static final String KEY_1 = "sk-config-first-key-0123456789";
    private static final String KEY_2 = "sk-config-second-key-9876543210";

    @Test
    void eachStartRecordsWhatItChangedAndOnlyThat(@TempDir Path dir) {
        try (TestHub hub = start(dir, KEY_1)) {
            List<AuditEntry> entries = byConfig(hub);
            assertThat(entries).extracting(e -> e.event().action())
                    .containsExactly("credential.create", "provider.create");
            AuditEntry provider = entries.get(1);
            assertThat(provider.event().actor()).isEqualTo(Actor.CONFIG);
            assertThat(provider.event().after().path("name").asText()).isEqualTo("cfg");
            assertThat(provider.event().after().path("source").asText()).isEqualTo("config");
            assertThat(entries.get(0).event().after().path("masked").asText()).isEqualTo("sk-c****************6789");
        }

        try (TestHub hub = start(dir, KEY_1)) {
            assertThat(byConfig(hub)).as("the same configuration again changes nothing").hasSize(2);
        }

        try (TestHub hub = start(dir, KEY_2)) {
            List<AuditEntry> entries = byConfig(hub);
            assertThat(entries).hasSize(3);
            AuditEntry rotated = entries.getFirst();
            assertThat(rotated.event().action()).isEqualTo("credential.update");
            assertThat(rotated.event().before().path("masked").asText()).isEqualTo("sk-c****************6789");
            assertThat(rotated.event().after().path("masked").asText()).isEqualTo("sk-c****************3210");
            assertThat(rotated.event().after().path("secretReplaced").asBoolean()).isTrue();

            // An admin turns the declared credential off; the next start turns it back on, and says so.
            JsonNode provider = TestHub.json(hub.get("/api/ai-providers?name=cfg", ownerKey(hub))).get(0);
            String credentialId = provider.path("credentials").get(0).path("id").asText();
            hub.hub().providerService().updateCredential(provider.path("id").asText(), credentialId,
                    new ProviderService.CredentialSpec(null, null, null, null, null, null, null, false),
                    Actor.CLI);
        }

        try (TestHub hub = start(dir, KEY_2)) {
            List<AuditEntry> entries = byConfig(hub);
            assertThat(entries).hasSize(4);
            assertThat(entries.getFirst().event().action()).isEqualTo("credential.enable");
            assertThat(entries.getFirst().event().before().path("enabled").asBoolean()).isFalse();
            assertThat(entries.getFirst().event().after().path("enabled").asBoolean()).isTrue();
        }

        try (TestHub hub = TestHub.builder().dataDir(dir).start()) {
            List<AuditEntry> entries = byConfig(hub);
            assertThat(entries).extracting(e -> e.event().action()).startsWith("provider.delete", "credential.delete")
                    .hasSize(6);
            assertThat(entries.getFirst().event().before().path("name").asText()).isEqualTo("cfg");
            String raw = hub.hub().database().jdbi().withHandle(h -> h.createQuery("SELECT * FROM audit_log")
                    .mapToMap().list()).toString();
            assertThat(raw).doesNotContain(KEY_1).doesNotContain(KEY_2).doesNotContain(KEY_1.substring(10, 26))
                    .doesNotContain(KEY_2.substring(10, 26));
        }
    }

    private static TestHub start(Path dir, String key) {
        return TestHub.builder().dataDir(dir)
                .openAiProvider("cfg", "openai", "https://cfg.example/v1", List.of("gpt-4o-mini"), key)
                .start();
    }

    private static List<AuditEntry> byConfig(TestHub hub) {
        return hub.hub().audit().find(new AuditQuery("config", null, null, null, null, null, 1, 100)).entries();
    }

    private static String ownerKey(TestHub hub) {
        var owner = hub.hub().users().owner().orElseThrow();
        return hub.hub().keys().issue(owner.id(), "test", null).secret();
    }
}
