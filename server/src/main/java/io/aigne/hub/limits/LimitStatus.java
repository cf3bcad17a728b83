package io.aigne.hub.limits;

/**
 * A limit that applies to a caller and its current window: {@code used} so far ({@code null} when unknown: a model
 * default, or the counter store did not answer), and the window's first and first-after millisecond.
 */
public record LimitStatus(Limit limit, String subjectId, Long used, long windowStart, long windowEnd) {
}
