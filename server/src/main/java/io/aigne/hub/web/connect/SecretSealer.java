package io.aigne.hub.web.connect;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/**
 * Seals a new access key for the connecting CLI the way {@code @aigne/cli} unseals it
 * ({@code dist/utils/aigne-hub/crypto.js}): the passphrase is the hex of PBKDF2-HMAC-SHA512(password = challenge,
 * salt = accessKeyId, 256 iterations, 32 bytes), and the secret is encrypted with CryptoJS's passphrase AES.
 */
final class SecretSealer {
    private static final int ITERATIONS = 256;
    private static final int KEY_BITS = 256;

    private SecretSealer() {
    }

    static String seal(String secret, String accessKeyId, String challenge) {
        return OpenSslAes.encrypt(secret, passphrase(accessKeyId, challenge));
    }

    static String passphrase(String accessKeyId, String challenge) {
        try {
            PBEKeySpec spec = new PBEKeySpec(challenge.toCharArray(), accessKeyId.getBytes(StandardCharsets.UTF_8),
                    ITERATIONS, KEY_BITS);
            byte[] key = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512").generateSecret(spec).getEncoded();
            spec.clearPassword();
            return HexFormat.of().formatHex(key);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA512 is part of every JDK", e);
        }
    }
}
