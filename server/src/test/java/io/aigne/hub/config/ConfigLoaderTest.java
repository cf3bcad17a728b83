package io.aigne.hub.config;

import io.aigne.hub.config.HubConfig.CredentialDeclaration;
import io.aigne.hub.config.HubConfig.ProviderDeclaration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    private Path file(String yaml) throws IOException {
        Path path = dir.resolve("aigne-hub.yaml");
        Files.writeString(path, yaml);
        return path;
    }

    private static HubConfig load(Path file, Map<String, String> env) {
        return ConfigLoader.load(Optional.of(file), env);
    }

    @Test
    void withoutAFileTheBuiltInDefaultsApply() {
        HubConfig config = ConfigLoader.load(Optional.empty(), Map.of());

        assertThat(config.server().port()).isEqualTo(8080);
        assertThat(config.server().host()).isEqualTo("127.0.0.1");
        assertThat(config.server().maxBodyBytes()).isEqualTo(20L * 1024 * 1024);
        assertThat(config.database().embedded()).isTrue();
        assertThat(config.dataDir()).isEqualTo("./data");
        assertThat(config.security().masterKey()).isEmpty();
        assertThat(config.security().previousMasterKeys()).isEmpty();
        assertThat(config.routing().maxAttempts()).isEqualTo(4);
        assertThat(config.routing().retestInitialSeconds()).isEqualTo(5);
        assertThat(config.providers()).isEmpty();
    }

    @Test
    void unrelatedEnvironmentVariablesAreIgnored() {
        HubConfig config = ConfigLoader.load(Optional.empty(), Map.of("PATH", "/usr/bin", "HOME", "/root",
                "AIGNE_HUB_UNKNOWN_THING", "x"));

        assertThat(config.server().port()).isEqualTo(8080);
    }

    @Test
    void fileOverridesNestedSettingsAndKeepsTheOtherDefaults() throws IOException {
        Path path = file("""
                server:
                  port: 9000
                database:
                  url: jdbc:postgresql://db.internal:5432/hub
                  username: hub
                routing:
                  maxAttempts: 2
                """);

        HubConfig config = load(path, Map.of());

        assertThat(config.server().port()).isEqualTo(9000);
        assertThat(config.server().host()).isEqualTo("127.0.0.1");
        assertThat(config.server().maxBodyBytes()).isEqualTo(20971520L);
        assertThat(config.server().shutdownGraceSeconds()).isEqualTo(30);
        assertThat(config.database().url()).isEqualTo("jdbc:postgresql://db.internal:5432/hub");
        assertThat(config.database().embedded()).isFalse();
        assertThat(config.database().username()).isEqualTo("hub");
        assertThat(config.database().poolSize()).isEqualTo(8);
        assertThat(config.routing().maxAttempts()).isEqualTo(2);
        assertThat(config.routing().rateLimitCooldownSeconds()).isEqualTo(60);
        assertThat(config.upstream().connectTimeoutMillis()).isEqualTo(10000);
        assertThat(config.ledger().batchSize()).isEqualTo(500);
    }

    @Test
    void anEmptyFileMeansTheDefaults() throws IOException {
        HubConfig config = load(file(""), Map.of());

        assertThat(config.server().port()).isEqualTo(8080);
        assertThat(config.database().embedded()).isTrue();
    }

    @Test
    void referencesResolveFromTheGivenEnvironmentIncludingInsideProviderCredentials() throws IOException {
        Path path = file("""
                server:
                  port: ${HUB_PORT}
                  publicUrl: https://${HUB_DOMAIN:-hub.example.com}/
                database:
                  url: ${DATABASE_URL:-}
                  password: ${DB_PASSWORD:-changeme}
                providers:
                  - name: openai
                    type: openai
                    models: [gpt-4o-mini, "${EXTRA_MODEL:-gpt-4o}"]
                    credentials:
                      - name: primary
                        apiKey: ${OPENAI_API_KEY}
                        weight: 3
                      - name: backup
                        apiKey: "${OPENAI_BACKUP_KEY:-sk-fallback-key}"
                  - name: openrouter
                    type: openrouter
                    credentials:
                      - apiKey: prefix-${OR_KEY}-suffix
                """);
        Map<String, String> env = Map.of(
                "HUB_PORT", "9191",
                "DB_PASSWORD", "s3cret",
                "OPENAI_API_KEY", "sk-proj-live-1234567890",
                "OR_KEY", "sk-or-v1-abc");

        HubConfig config = load(path, env);

        assertThat(config.server().port()).isEqualTo(9191);
        assertThat(config.server().publicUrl()).isEqualTo("https://hub.example.com/");
        assertThat(config.database().embedded()).isTrue();
        assertThat(config.database().password()).isEqualTo("s3cret");
        assertThat(config.providers()).hasSize(2);
        ProviderDeclaration openai = config.providers().get(0);
        assertThat(openai.name()).isEqualTo("openai");
        assertThat(openai.models()).containsExactly("gpt-4o-mini", "gpt-4o");
        assertThat(openai.credentials()).extracting(CredentialDeclaration::apiKey)
                .containsExactly("sk-proj-live-1234567890", "sk-fallback-key");
        assertThat(openai.credentials().get(0).weight()).isEqualTo(3);
        assertThat(openai.credentials().get(1).weight()).isNull();
        assertThat(config.providers().get(1).credentials().get(0).apiKey()).isEqualTo("prefix-sk-or-v1-abc-suffix");
    }

    @Test
    void aSetVariableWinsOverTheFallback() throws IOException {
        Path path = file("""
                server:
                  host: ${HUB_HOST:-127.0.0.1}
                """);

        assertThat(load(path, Map.of("HUB_HOST", "0.0.0.0")).server().host()).isEqualTo("0.0.0.0");
        assertThat(load(path, Map.of()).server().host()).isEqualTo("127.0.0.1");
    }

    @Test
    void aReplacementValueIsTakenLiterallyNotAsAPattern() throws IOException {
        Path path = file("""
                database:
                  password: ${DB_PASSWORD}
                """);

        assertThat(load(path, Map.of("DB_PASSWORD", "a$1b\\c${X}")).database().password()).isEqualTo("a$1b\\c${X}");
    }

    @Test
    void aMissingVariableWithoutFallbackNamesTheSettingAndTheVariable() throws IOException {
        Path path = file("""
                providers:
                  - name: openai
                    type: openai
                    credentials:
                      - name: primary
                        apiKey: ${OPENAI_API_KEY}
                """);

        assertThatThrownBy(() -> load(path, Map.of("OTHER", "x")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("providers[0].credentials[0].apiKey")
                .hasMessageContaining("OPENAI_API_KEY");
    }

    @Test
    void aMissingVariableInANestedScalarNamesTheDottedPath() throws IOException {
        Path path = file("""
                database:
                  password: ${DB_PASSWORD}
                """);

        assertThatThrownBy(() -> load(path, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("database.password")
                .hasMessageContaining("DB_PASSWORD");
    }

    @Test
    void environmentOverridesWinOverTheFile() throws IOException {
        Path path = file("""
                server:
                  port: 9000
                  maxBodyBytes: 1024
                database:
                  url: jdbc:postgresql://from-file/hub
                security:
                  previousMasterKeys: [old]
                """);
        Map<String, String> env = Map.of(
                "AIGNE_HUB_SERVER_PORT", "9090",
                "AIGNE_HUB_SERVER_MAX_BODY_BYTES", "4096",
                "AIGNE_HUB_DATABASE_URL", "jdbc:postgresql://from-env/hub",
                "AIGNE_HUB_SECURITY_PREVIOUS_MASTER_KEYS", "a, b,");

        HubConfig config = load(path, env);

        assertThat(config.server().port()).isEqualTo(9090);
        assertThat(config.server().maxBodyBytes()).isEqualTo(4096L);
        assertThat(config.database().url()).isEqualTo("jdbc:postgresql://from-env/hub");
        assertThat(config.security().previousMasterKeys()).containsExactly("a", "b");
        assertThat(config.server().host()).isEqualTo("127.0.0.1");
    }

    @Test
    void environmentOverridesApplyWithoutAFile() {
        HubConfig config = ConfigLoader.load(Optional.empty(), Map.of(
                "AIGNE_HUB_SERVER_PORT", "9090",
                "AIGNE_HUB_DATA_DIR", "/var/lib/aigne-hub",
                "AIGNE_HUB_ROUTING_MAX_ATTEMPTS", "1"));

        assertThat(config.server().port()).isEqualTo(9090);
        assertThat(config.dataDir()).isEqualTo("/var/lib/aigne-hub");
        assertThat(config.routing().maxAttempts()).isEqualTo(1);
    }

    @Test
    void anEnvironmentOverrideThatIsNotANumberFails() {
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("AIGNE_HUB_SERVER_PORT", "eighty")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("eighty");
    }

    @ParameterizedTest
    @CsvSource({
            "server.maxBodyBytes, AIGNE_HUB_SERVER_MAX_BODY_BYTES",
            "server.port, AIGNE_HUB_SERVER_PORT",
            "dataDir, AIGNE_HUB_DATA_DIR",
            "database.url, AIGNE_HUB_DATABASE_URL",
            "security.previousMasterKeys, AIGNE_HUB_SECURITY_PREVIOUS_MASTER_KEYS",
            "upstream.drainAfterDisconnectMillis, AIGNE_HUB_UPSTREAM_DRAIN_AFTER_DISCONNECT_MILLIS",
    })
    void envNameIsThePrefixPlusThePathInUpperSnakeCase(String path, String expected) {
        assertThat(ConfigLoader.envName(path)).isEqualTo(expected);
    }

    @Test
    void aMistypedSettingFailsNamingIt() throws IOException {
        Path path = file("""
                server:
                  prot: 9000
                """);

        assertThatThrownBy(() -> load(path, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("server.prot")
                .hasMessageContaining(path.toString())
                .hasMessageContaining("port");
    }

    @Test
    void aMistypedSettingInAProviderNamesItsIndexedPath() throws IOException {
        Path path = file("""
                providers:
                  - name: openai
                    type: openai
                    api_key: sk-wrong-place
                """);

        assertThatThrownBy(() -> load(path, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("providers[0].api_key");
    }

    @Test
    void aMissingFileFailsWithAClearMessage() {
        Path missing = dir.resolve("nope.yaml");

        assertThatThrownBy(() -> load(missing, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(missing.toAbsolutePath().toString())
                .hasMessageContaining("does not exist");
    }

    @Test
    void aDirectoryIsNotAConfigurationFile() {
        assertThatThrownBy(() -> load(dir, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void aTopLevelListIsRejected() throws IOException {
        Path path = file("""
                - server
                - database
                """);

        assertThatThrownBy(() -> load(path, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("top level must be a mapping");
    }

    @Test
    void aTopLevelScalarIsRejected() throws IOException {
        Path path = file("just a string\n");

        assertThatThrownBy(() -> load(path, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("top level must be a mapping");
    }

    @Test
    void brokenYamlIsReportedAsSuch() throws IOException {
        Path path = file("""
                server:
                  port: [9000
                """);

        assertThatThrownBy(() -> load(path, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("not valid YAML");
    }

    @Test
    void credentialDeclarationsDoNotPrintTheirSecrets() throws IOException {
        Path path = file("""
                providers:
                  - name: openai
                    type: openai
                    credentials:
                      - name: primary
                        apiKey: sk-proj-verysecret123456
                """);

        List<CredentialDeclaration> credentials = load(path, Map.of()).providers().get(0).credentials();

        assertThat(credentials.get(0).toString()).doesNotContain("verysecret").contains("primary");
    }
}
