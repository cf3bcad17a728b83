package io.aigne.hub.web.connect;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * Passphrase encryption in the format of CryptoJS {@code AES.encrypt(text, passphrase).toString()}, which is
 * OpenSSL's {@code enc -aes-256-cbc -md md5}: base64 of {@code "Salted__" || 8-byte salt || ciphertext}, where
 * key and IV come from EVP_BytesToKey(MD5, one round) over passphrase and salt, and the text is PKCS#7-padded.
 * MD5 here is what the client decrypts with, not a choice; the strength lies in the passphrase.
 */
final class OpenSslAes {
    private static final byte[] MAGIC = "Salted__".getBytes(StandardCharsets.US_ASCII);
    private static final int KEY_BYTES = 32;
    private static final int IV_BYTES = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private OpenSslAes() {
    }

    static String encrypt(String text, String passphrase) {
        byte[] salt = new byte[8];
        RANDOM.nextBytes(salt);
        return encrypt(text, passphrase, salt);
    }

    static String encrypt(String text, String passphrase, byte[] salt) {
        byte[] keyAndIv = bytesToKey(passphrase.getBytes(StandardCharsets.UTF_8), salt);
        try {
            Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(keyAndIv, 0, KEY_BYTES, "AES"),
                    new IvParameterSpec(keyAndIv, KEY_BYTES, IV_BYTES));
            byte[] sealed = cipher.doFinal(text.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[MAGIC.length + salt.length + sealed.length];
            System.arraycopy(MAGIC, 0, out, 0, MAGIC.length);
            System.arraycopy(salt, 0, out, MAGIC.length, salt.length);
            System.arraycopy(sealed, 0, out, MAGIC.length + salt.length, sealed.length);
            return Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-CBC is part of every JDK", e);
        } finally {
            Arrays.fill(keyAndIv, (byte) 0);
        }
    }

    /** EVP_BytesToKey with MD5 and one iteration: D_i = MD5(D_{i-1} || passphrase || salt) until 48 bytes. */
    private static byte[] bytesToKey(byte[] passphrase, byte[] salt) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            byte[] out = new byte[KEY_BYTES + IV_BYTES];
            byte[] previous = new byte[0];
            int filled = 0;
            while (filled < out.length) {
                md5.update(previous);
                md5.update(passphrase);
                md5.update(salt);
                previous = md5.digest();
                int n = Math.min(previous.length, out.length - filled);
                System.arraycopy(previous, 0, out, filled, n);
                filled += n;
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("MD5 is part of every JDK", e);
        }
    }
}
