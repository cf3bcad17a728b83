package io.aigne.hub.secret;

import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretBoxTest {
    private static final String PURPOSE = "credential";
    private static final String API_KEY = "sk-proj-Zq8cT1vX0nY3bL5mK7aP9sD2fG4hJ6kL";
    private static final String ROW = "credential:cred_01J9Z6Q5W8";

    private static MasterKeyRing ringV1() {
        return MasterKeyRing.of(Map.of(1, MasterKeyRing.newKey()));
    }

    @Test
    void sealThenOpenGivesThePlaintextBack() {
        SecretBox box = new SecretBox(ringV1(), PURPOSE);

        SecretBox.Sealed sealed = box.seal(API_KEY, ROW);

        assertThat(sealed.keyVersion()).isEqualTo(1);
        assertThat(box.open(sealed, ROW)).isEqualTo(API_KEY);
    }

    @Test
    void nonAsciiAndEmptyPlaintextsRoundTrip() {
        SecretBox box = new SecretBox(ringV1(), PURPOSE);

        assertThat(box.open(box.seal("密钥-ключ-🔑", ROW), ROW)).isEqualTo("密钥-ключ-🔑");
        assertThat(box.open(box.seal("", ROW), ROW)).isEmpty();
    }

    @Test
    void theCiphertextNeitherContainsThePlaintextNorRepeats() {
        SecretBox box = new SecretBox(ringV1(), PURPOSE);

        SecretBox.Sealed first = box.seal(API_KEY, ROW);
        SecretBox.Sealed second = box.seal(API_KEY, ROW);

        assertThat(first.ciphertext()).isNotEqualTo(second.ciphertext());
        byte[] a = Base64.getDecoder().decode(first.ciphertext());
        byte[] b = Base64.getDecoder().decode(second.ciphertext());
        assertThat(java.util.Arrays.copyOf(a, 12)).as("nonce").isNotEqualTo(java.util.Arrays.copyOf(b, 12));
        assertThat(new String(a, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain(API_KEY);
        assertThat(first.ciphertext()).doesNotContain(API_KEY);
        assertThat(box.open(first, ROW)).isEqualTo(box.open(second, ROW));
    }

    @Test
    void aCiphertextCopiedToAnotherRowDoesNotOpen() {
        SecretBox box = new SecretBox(ringV1(), PURPOSE);
        SecretBox.Sealed sealed = box.seal(API_KEY, ROW);

        assertThatThrownBy(() -> box.open(sealed, "credential:cred_other"))
                .isInstanceOf(SecretException.class)
                .hasMessageNotContaining(API_KEY);
    }

    @Test
    void aDifferentPurposeDerivesADifferentKey() {
        MasterKeyRing ring = ringV1();
        SecretBox.Sealed sealed = new SecretBox(ring, PURPOSE).seal(API_KEY, ROW);

        assertThatThrownBy(() -> new SecretBox(ring, "other-purpose").open(sealed, ROW))
                .isInstanceOf(SecretException.class);
    }

    @Test
    void aDifferentMasterKeyDoesNotOpen() {
        SecretBox.Sealed sealed = new SecretBox(ringV1(), PURPOSE).seal(API_KEY, ROW);

        assertThatThrownBy(() -> new SecretBox(ringV1(), PURPOSE).open(sealed, ROW))
                .isInstanceOf(SecretException.class)
                .hasMessageContaining("does not authenticate");
    }

    @Test
    void flippingAnyByteOfTheStoredValueIsDetected() {
        SecretBox box = new SecretBox(ringV1(), PURPOSE);
        SecretBox.Sealed sealed = box.seal(API_KEY, ROW);
        byte[] raw = Base64.getDecoder().decode(sealed.ciphertext());

        // nonce, first ciphertext byte, last ciphertext byte before the tag, and the tag's last byte
        for (int index : new int[] {0, 12, raw.length - 17, raw.length - 1}) {
            byte[] tampered = raw.clone();
            tampered[index] ^= 0x01;
            SecretBox.Sealed forged = new SecretBox.Sealed(1, Base64.getEncoder().encodeToString(tampered));

            assertThatThrownBy(() -> box.open(forged, ROW)).as("byte %d", index)
                    .isInstanceOf(SecretException.class);
        }
    }

    @Test
    void storedValuesThatAreNotCiphertextsFailCleanly() {
        SecretBox box = new SecretBox(ringV1(), PURPOSE);

        assertThatThrownBy(() -> box.open(new SecretBox.Sealed(1, "%%% not base64 %%%"), ROW))
                .isInstanceOf(SecretException.class).hasMessageContaining("base64");
        assertThatThrownBy(() -> box.open(new SecretBox.Sealed(1, "AAAA"), ROW))
                .isInstanceOf(SecretException.class).hasMessageContaining("too short");
    }

    @Test
    void valuesSealedUnderAnOldVersionStillOpenAfterARotationAndNewSealsUseTheNewVersion() {
        MasterKeyRing v1 = ringV1();
        SecretBox.Sealed old = new SecretBox(v1, PURPOSE).seal(API_KEY, ROW);

        MasterKeyRing v2 = v1.withNewVersion(MasterKeyRing.newKey());
        SecretBox box = new SecretBox(v2, PURPOSE);

        assertThat(v2.versions()).containsExactly(1, 2);
        assertThat(box.open(old, ROW)).isEqualTo(API_KEY);
        SecretBox.Sealed resealed = box.seal(API_KEY, ROW);
        assertThat(resealed.keyVersion()).isEqualTo(2);
        assertThat(box.open(resealed, ROW)).isEqualTo(API_KEY);
        assertThat(v1.versions()).as("the old ring is unchanged").containsExactly(1);
    }

    @Test
    void afterDroppingOldVersionsAnOldCiphertextFailsNamingTheMissingVersion() {
        MasterKeyRing v1 = ringV1();
        SecretBox.Sealed old = new SecretBox(v1, PURPOSE).seal(API_KEY, ROW);
        MasterKeyRing v2 = v1.withNewVersion(MasterKeyRing.newKey());
        SecretBox.Sealed current = new SecretBox(v2, PURPOSE).seal(API_KEY, ROW);

        MasterKeyRing onlyV2 = v2.withoutOldVersions();
        SecretBox box = new SecretBox(onlyV2, PURPOSE);

        assertThat(onlyV2.versions()).containsExactly(2);
        assertThat(box.open(current, ROW)).isEqualTo(API_KEY);
        assertThatThrownBy(() -> box.open(old, ROW))
                .isInstanceOf(SecretException.class)
                .hasMessageContaining("version 1")
                .hasMessageContaining("security.previousMasterKeys");
    }

    @Test
    void sealedNeverPrintsItsContent() {
        SecretBox.Sealed sealed = new SecretBox(ringV1(), PURPOSE).seal(API_KEY, ROW);

        assertThat(sealed.toString())
                .isEqualTo("Sealed[v1]")
                .doesNotContain(API_KEY)
                .doesNotContain(sealed.ciphertext());
    }
}
