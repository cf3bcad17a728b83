package io.aigne.hub.secret;

import java.util.regex.Pattern;

/**
 * Removes secrets from text that came from a provider (error messages often echo the key they refused) before it
 * reaches a caller, a log line or the ledger: the exact secrets the hub used, and anything shaped like a key.
 */
public final class Redaction {
    private static final Pattern KEY_LIKE = Pattern.compile(
            "(?<![A-Za-z0-9_-])(sk-(?:proj-|ant-|or-v1-)?|xai-|AKIA|ASIA|AIza|blocklet-)[A-Za-z0-9_\\-*]{6,}");

    private Redaction() {
    }

    public static String redact(String text, String... secrets) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        for (String secret : secrets) {
            if (secret != null && secret.length() >= 4) {
                out = out.replace(secret, Masking.mask(secret));
            }
        }
        return KEY_LIKE.matcher(out).replaceAll(m -> m.group(1) + "***");
    }
}
