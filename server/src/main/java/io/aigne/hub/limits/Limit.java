package io.aigne.hub.limits;

/**
 * One limit: at most {@code value} of {@code metric} in each window, for the {@code subject} of {@code scope}, or
 * for each subject of the scope when {@code subject} is {@value #EACH}. The value is in the metric's unit
 * (requests, tokens, nanocredits).
 */
public record Limit(String id, LimitScope scope, String subject, LimitMetric metric, long value, String note,
                    String createdBy, long createdAt, long updatedAt) {
    /** The subject meaning "each one": the default for every user/key/app/model of the scope. */
    public static final String EACH = "*";

    public boolean forEach() {
        return EACH.equals(subject);
    }
}
