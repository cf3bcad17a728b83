package io.aigne.hub.secret;

/** The only form in which a secret ever leaves the hub: enough to recognise it, never enough to use it. */
public final class Masking {
    private Masking() {
    }

    /** First 4 and last 4 characters around at most 16 stars; short secrets are fully hidden. */
    public static String mask(String secret) {
        if (secret == null || secret.isEmpty()) {
            return "";
        }
        if (secret.length() < 12) {
            return "***";
        }
        int stars = Math.min(16, secret.length() - 8);
        return secret.substring(0, 4) + "*".repeat(stars) + secret.substring(secret.length() - 4);
    }
}
