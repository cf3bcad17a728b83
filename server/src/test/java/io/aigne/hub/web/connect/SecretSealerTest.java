package io.aigne.hub.web.connect;

import io.aigne.hub.testing.NodeScripts;
import org.junit.jupiter.api.Test;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sealed secret of an approved connect session opens with what the CLI does: once with an independent Java
 * implementation of the format (PBKDF2 and EVP_BytesToKey written out here, not the hub's code), once with
 * {@code @aigne/cli}'s own decrypt function in node.
 */
class SecretSealerTest {
    private static final String SECRET = "blocklet-AbCdEf0123456789_-xyzXYZ-secret";
    private static final String KEY_ID = "01J0CONNECTKEYID";
    private static final String CHALLENGE = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    @Test
    void passphraseIsHexOfPbkdf2Sha512WithTheChallengeAsPasswordAndTheKeyIdAsSalt() throws Exception {
        String passphrase = SecretSealer.passphrase(KEY_ID, CHALLENGE);

        assertThat(passphrase).hasSize(64).matches("[0-9a-f]+");
        assertThat(passphrase).isEqualTo(HexFormat.of().formatHex(
                pbkdf2Sha512(CHALLENGE.getBytes(StandardCharsets.UTF_8), KEY_ID.getBytes(StandardCharsets.UTF_8), 256, 32)));
    }

    @Test
    void sealedSecretIsOpenSslSaltedFormatThatDecryptsBackToTheSecret() throws Exception {
        String sealed = SecretSealer.seal(SECRET, KEY_ID, CHALLENGE);

        byte[] raw = Base64.getDecoder().decode(sealed);
        assertThat(new String(raw, 0, 8, StandardCharsets.US_ASCII)).isEqualTo("Salted__");
        assertThat((raw.length - 16) % 16).isZero();
        assertThat(sealed).startsWith("U2FsdGVkX1");
        assertThat(openSslDecrypt(sealed, SecretSealer.passphrase(KEY_ID, CHALLENGE))).isEqualTo(SECRET);
    }

    @Test
    void everySealUsesAFreshSalt() {
        assertThat(SecretSealer.seal(SECRET, KEY_ID, CHALLENGE)).isNotEqualTo(SecretSealer.seal(SECRET, KEY_ID, CHALLENGE));
    }

    @Test
    void theCliOwnDecryptFunctionOpensTheSealedSecret() {
        NodeScripts node = NodeScripts.require();
        String sealed = SecretSealer.seal(SECRET, KEY_ID, CHALLENGE);

        NodeScripts.Result run = node.run("scripts/cli-unseal.mjs",
                Map.of("SEALED", sealed, "ACCESS_KEY_ID", KEY_ID, "CHALLENGE", CHALLENGE), Duration.ofSeconds(60));

        assertThat(run.result().path("secret").asText()).as(run.describe("unsealed")).isEqualTo(SECRET);
    }

    /** OpenSSL {@code enc -d -aes-256-cbc -md md5}: EVP_BytesToKey(MD5, 1 round) over passphrase and salt. */
    static String openSslDecrypt(String base64, String passphrase) throws Exception {
        byte[] raw = Base64.getDecoder().decode(base64);
        byte[] salt = Arrays.copyOfRange(raw, 8, 16);
        byte[] pass = passphrase.getBytes(StandardCharsets.UTF_8);
        byte[] material = new byte[0];
        byte[] block = new byte[0];
        while (material.length < 48) {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            md5.update(block);
            md5.update(pass);
            md5.update(salt);
            block = md5.digest();
            byte[] grown = Arrays.copyOf(material, material.length + block.length);
            System.arraycopy(block, 0, grown, material.length, block.length);
            material = grown;
        }
        Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(material, 0, 32, "AES"),
                new IvParameterSpec(material, 32, 16));
        return new String(cipher.doFinal(raw, 16, raw.length - 16), StandardCharsets.UTF_8);
    }

    /** RFC 8018 PBKDF2 with HMAC-SHA512, written out. */
    private static byte[] pbkdf2Sha512(byte[] password, byte[] salt, int iterations, int length) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA512");
        mac.init(new SecretKeySpec(password, "HmacSHA512"));
        byte[] out = new byte[length];
        int blocks = (length + 63) / 64;
        for (int i = 1; i <= blocks; i++) {
            mac.update(salt);
            mac.update(new byte[]{(byte) (i >>> 24), (byte) (i >>> 16), (byte) (i >>> 8), (byte) i});
            byte[] u = mac.doFinal();
            byte[] t = u.clone();
            for (int j = 1; j < iterations; j++) {
                u = mac.doFinal(u);
                for (int k = 0; k < t.length; k++) {
                    t[k] ^= u[k];
                }
            }
            System.arraycopy(t, 0, out, (i - 1) * 64, Math.min(64, length - (i - 1) * 64));
        }
        return out;
    }
}
