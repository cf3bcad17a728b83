package io.aigne.hub.auth;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;

/**
 * Hashes and checks user passwords with Argon2id (m=19 MiB, t=2, p=1: OWASP's baseline), stored as a PHC string
 * ({@code $argon2id$v=19$m=19456,t=2,p=1$salt$hash}) so that stronger parameters can be introduced later while
 * old hashes stay verifiable with the parameters they carry.
 */
public final class Passwords {
    public static final int MIN_LENGTH = 8;
    private static final Argon2Function ARGON2ID = Argon2Function.getInstance(19456, 2, 1, 32, Argon2.ID);
    private static final int SALT_BYTES = 16;
    /** Checked against when the user is unknown, so that the answer takes as long as for a known user. */
    private static final String DUMMY = hash("not a real password, only for timing");

    private Passwords() {
    }

    public static String hash(CharSequence password) {
        return Password.hash(password).addRandomSalt(SALT_BYTES).with(ARGON2ID).getResult();
    }

    /** Whether {@code password} matches {@code storedHash}; a null or malformed hash never matches. */
    public static boolean matches(CharSequence password, String storedHash) {
        if (password == null || storedHash == null || !storedHash.startsWith("$argon2")) {
            Password.check(password == null ? "" : password, DUMMY).with(ARGON2ID);
            return false;
        }
        try {
            return Password.check(password, storedHash).with(Argon2Function.getInstanceFromHash(storedHash));
        } catch (RuntimeException malformed) {
            return false;
        }
    }

    /** Why {@code password} is not acceptable as a new password, or null when it is. */
    public static String weakness(CharSequence password) {
        if (password == null || password.length() < MIN_LENGTH) {
            return "a password needs at least " + MIN_LENGTH + " characters";
        }
        if (password.length() > 1024) {
            return "a password may have at most 1024 characters";
        }
        return null;
    }
}
