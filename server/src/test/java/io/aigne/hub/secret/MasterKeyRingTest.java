package io.aigne.hub.secret;

import io.aigne.hub.config.ConfigException;
import io.aigne.hub.config.HubConfig.SecurityConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MasterKeyRingTest {
    private static final String ROW = "credential:cred_1";

    @TempDir
    Path dataDir;

    private static SecurityConfig configured(String masterKey, String... previous) {
        return new SecurityConfig(masterKey, List.of(previous), 60);
    }

    private static String base64(byte[] key) {
        return Base64.getEncoder().encodeToString(key);
    }

    @Test
    void withoutAConfiguredKeyTheFirstLoadCreatesAnOwnerOnlyKeyFile() throws IOException {
        Path nested = dataDir.resolve("hub-data");

        MasterKeyRing ring = MasterKeyRing.load(configured(""), nested);

        Path keyFile = nested.resolve(MasterKeyRing.KEY_FILE);
        assertThat(keyFile).isRegularFile();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        assertThat(ring.fileManaged()).isTrue();
        assertThat(ring.currentVersion()).isEqualTo(1);
        assertThat(Files.readString(keyFile)).contains("1:");
        assertThat(nested.resolve(MasterKeyRing.KEY_FILE + ".tmp")).doesNotExist();
    }

    @Test
    void aSecondLoadReadsTheSameKey() {
        MasterKeyRing first = MasterKeyRing.load(configured(""), dataDir);
        MasterKeyRing second = MasterKeyRing.load(configured(""), dataDir);

        SecretBox.Sealed sealed = new SecretBox(first, "credential").seal("sk-live-secret", ROW);

        assertThat(new SecretBox(second, "credential").open(sealed, ROW)).isEqualTo("sk-live-secret");
        assertThat(second.versions()).containsExactly(1);
    }

    @Test
    void aBlankConfiguredKeyAlsoMeansTheKeyFile() {
        MasterKeyRing ring = MasterKeyRing.load(configured("   "), dataDir);

        assertThat(ring.fileManaged()).isTrue();
        assertThat(dataDir.resolve(MasterKeyRing.KEY_FILE)).exists();
    }

    @Test
    void aRotationOfAFileManagedRingIsPersistedWithOwnerOnlyPermissions() throws IOException {
        MasterKeyRing v1 = MasterKeyRing.load(configured(""), dataDir);
        SecretBox.Sealed old = new SecretBox(v1, "credential").seal("sk-old", ROW);

        v1.withNewVersion(MasterKeyRing.newKey());
        MasterKeyRing reloaded = MasterKeyRing.load(configured(""), dataDir);

        assertThat(reloaded.versions()).containsExactly(1, 2);
        assertThat(reloaded.currentVersion()).isEqualTo(2);
        assertThat(new SecretBox(reloaded, "credential").open(old, ROW)).isEqualTo("sk-old");
        Path keyFile = dataDir.resolve(MasterKeyRing.KEY_FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
    }

    @Test
    void aRingLoadedBeforeARotationPicksUpTheNewVersionFromTheFile() {
        MasterKeyRing before = MasterKeyRing.load(configured(""), dataDir);
        MasterKeyRing rotated = before.withNewVersion(MasterKeyRing.newKey());
        SecretBox.Sealed sealedV2 = new SecretBox(rotated, "credential").seal("sk-new", ROW);

        assertThat(new SecretBox(before, "credential").open(sealedV2, ROW)).isEqualTo("sk-new");
    }

    @Test
    void aConfiguredKeyWithAVersionPrefixSetsTheCurrentVersion() {
        MasterKeyRing ring = MasterKeyRing.load(configured("3:" + base64(MasterKeyRing.newKey())), dataDir);

        assertThat(ring.currentVersion()).isEqualTo(3);
        assertThat(ring.versions()).containsExactly(3);
        assertThat(ring.fileManaged()).isFalse();
        assertThat(dataDir.resolve(MasterKeyRing.KEY_FILE)).doesNotExist();
        assertThat(new SecretBox(ring, "credential").seal("x", ROW).keyVersion()).isEqualTo(3);
    }

    @Test
    void aConfiguredKeyWithoutPrefixIsVersionOne() {
        MasterKeyRing ring = MasterKeyRing.load(configured(base64(MasterKeyRing.newKey())), dataDir);

        assertThat(ring.currentVersion()).isEqualTo(1);
    }

    @Test
    void previousKeysKeepOldCiphertextsReadable() {
        byte[] oldKey = MasterKeyRing.newKey();
        MasterKeyRing oldRing = MasterKeyRing.load(configured("1:" + base64(oldKey)), dataDir);
        SecretBox.Sealed old = new SecretBox(oldRing, "credential").seal("sk-old", ROW);

        MasterKeyRing ring = MasterKeyRing.load(
                configured("2:" + base64(MasterKeyRing.newKey()), MasterKeyRing.format(1, oldKey)), dataDir);

        assertThat(ring.versions()).containsExactly(1, 2);
        assertThat(ring.currentVersion()).isEqualTo(2);
        assertThat(new SecretBox(ring, "credential").open(old, ROW)).isEqualTo("sk-old");
    }

    @Test
    void theConfiguredKeyMustBeTheNewest() {
        String newest = "2:" + base64(MasterKeyRing.newKey());
        String older = "1:" + base64(MasterKeyRing.newKey());

        assertThatThrownBy(() -> MasterKeyRing.load(configured(older, newest), dataDir))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("highest version");
    }

    @Test
    void aKeyOfTheWrongLengthIsRejectedWithTheGenerateCommand() {
        String sixteenBytes = base64(new byte[16]);

        assertThatThrownBy(() -> MasterKeyRing.load(configured(sixteenBytes), dataDir))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("security.masterKey")
                .hasMessageContaining("32 bytes")
                .hasMessageContaining("openssl rand -base64 32");
    }

    @Test
    void aKeyThatIsNotBase64IsRejectedWithTheGenerateCommand() {
        assertThatThrownBy(() -> MasterKeyRing.load(configured("2:this is not base64!"), dataDir))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("security.masterKey")
                .hasMessageContaining("openssl rand -base64 32");
    }

    @Test
    void aBadPreviousKeyNamesItsSetting() {
        assertThatThrownBy(() -> MasterKeyRing.load(
                configured("2:" + base64(MasterKeyRing.newKey()), "1:short"), dataDir))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("security.previousMasterKeys")
                .hasMessageContaining("openssl rand -base64 32");
    }

    @Test
    void versionsMustBePositiveNumbers() {
        String key = base64(MasterKeyRing.newKey());

        assertThatThrownBy(() -> MasterKeyRing.load(configured("0:" + key), dataDir))
                .isInstanceOf(ConfigException.class).hasMessageContaining("start at 1");
        assertThatThrownBy(() -> MasterKeyRing.load(configured("v2:" + key), dataDir))
                .isInstanceOf(ConfigException.class).hasMessageContaining("must be a number");
    }

    @Test
    void formatWritesVersionColonBase64ThatLoadReadsBack() {
        byte[] key = MasterKeyRing.newKey();

        String text = MasterKeyRing.format(5, key);

        assertThat(text).isEqualTo("5:" + base64(key));
        assertThat(MasterKeyRing.load(configured(text), dataDir).currentVersion()).isEqualTo(5);
    }

    @Test
    void newKeysAreThirtyTwoRandomBytes() {
        assertThat(MasterKeyRing.newKey()).hasSize(32).isNotEqualTo(MasterKeyRing.newKey());
    }

    @Test
    void anEmptyRingIsRefused() {
        assertThatThrownBy(() -> MasterKeyRing.of(java.util.Map.of()))
                .isInstanceOf(ConfigException.class);
    }
}
