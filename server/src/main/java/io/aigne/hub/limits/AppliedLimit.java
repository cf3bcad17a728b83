package io.aigne.hub.limits;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A limit as it applies to one call: the rule, and the subject it counts (the call's own id in that scope). */
public record AppliedLimit(Limit limit, String subjectId, String label) {
    private static final int MAX_SUBJECT_IN_KEY = 200;

    public LimitMetric metric() {
        return limit.metric();
    }

    /**
     * The counter of this subject and metric for the window holding {@code epochMillis}. The subject comes last, so
     * whatever characters it holds the key is unambiguous; app DIDs and model ids come from the caller, so long
     * ones are replaced by their hash to keep keys small.
     */
    String counterKey(long epochMillis) {
        String subject = subjectId.length() <= MAX_SUBJECT_IN_KEY ? subjectId : "sha256:" + sha256(subjectId);
        return limit.metric().code() + ":" + limit.metric().window().start(epochMillis) + ":"
                + limit.scope().wireName() + ":" + subject;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
