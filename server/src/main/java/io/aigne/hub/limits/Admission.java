package io.aigne.hub.limits;

import java.util.List;

/**
 * A call the limiter let through, with the limits that counted it; handed back to
 * {@link CallLimiter#settle} when the call ends, so its tokens and credits are counted against the same limits.
 */
public final class Admission {
    /** A call no limit applies to. */
    public static final Admission NONE = new Admission(List.of());

    private final List<AppliedLimit> limits;

    Admission(List<AppliedLimit> limits) {
        this.limits = List.copyOf(limits);
    }

    public List<AppliedLimit> limits() {
        return limits;
    }

    public boolean isEmpty() {
        return limits.isEmpty();
    }
}
