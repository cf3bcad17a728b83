package io.aigne.hub.secret;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.ConcurrentHashMap;

/**
 * AES-256-GCM sealing of small secrets: a fresh 96-bit random nonce per seal, a 128-bit tag, and associated data
 * that binds the ciphertext to the row it belongs to (so a ciphertext copied into another row does not open).
 * The stored form is {@code base64(nonce || ciphertext || tag)} next to the master key version.
 */
public final class SecretBox {
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final MasterKeyRing ring;
    private final String purpose;
    private final ConcurrentHashMap<Integer, SecretKey> subkeys = new ConcurrentHashMap<>();

    public SecretBox(MasterKeyRing ring, String purpose) {
        this.ring = ring;
        this.purpose = purpose;
    }

    public record Sealed(int keyVersion, String ciphertext) {
        @Override
        public String toString() {
            return "Sealed[v" + keyVersion + "]";
        }
    }

    public MasterKeyRing ring() {
        return ring;
    }

    public Sealed seal(String plaintext, String associatedData) {
        int version = ring.currentVersion();
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key(version), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            byte[] body = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[NONCE_BYTES + body.length];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            System.arraycopy(body, 0, out, NONCE_BYTES, body.length);
            return new Sealed(version, Base64.getEncoder().encodeToString(out));
        } catch (GeneralSecurityException e) {
            throw new SecretException("sealing failed: " + e.getClass().getSimpleName());
        }
    }

    public String open(Sealed sealed, String associatedData) {
        byte[] all;
        try {
            all = Base64.getDecoder().decode(sealed.ciphertext());
        } catch (IllegalArgumentException e) {
            throw new SecretException("stored ciphertext is not base64");
        }
        if (all.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new SecretException("stored ciphertext is too short");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key(sealed.keyVersion()), new GCMParameterSpec(TAG_BITS, all, 0, NONCE_BYTES));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            byte[] plain = cipher.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new SecretException("stored secret does not authenticate (wrong master key, or the row was tampered with)");
        } catch (GeneralSecurityException e) {
            throw new SecretException("opening failed: " + e.getClass().getSimpleName());
        }
    }

    private SecretKey key(int version) {
        return subkeys.computeIfAbsent(version, v -> ring.subkey(v, purpose));
    }
}
