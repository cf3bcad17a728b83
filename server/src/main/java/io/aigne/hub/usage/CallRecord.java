package io.aigne.hub.usage;

/**
 * One row of the usage ledger: everything the hub knows about a call once it has ended. {@code credits} is what it
 * cost in nanocredits (see {@code billing.Credits}); {@code heldNanos} the credit reserved for it while it ran;
 * {@code chargePending} says its settlement (charge and release of the hold) is still owed, so writing or
 * replaying the row must settle it (settlement is idempotent per call).
 */
public record CallRecord(
        String id,
        long createdAt,
        String userId,
        String accessKeyId,
        String appDid,
        String requestId,
        String endpoint,
        CallType type,
        boolean streamed,
        String provider,
        String credentialId,
        String modelRequested,
        String modelAnswered,
        CallStatus status,
        Integer httpStatus,
        String error,
        Usage usage,
        int attempts,
        long latencyMs,
        Long ttfbMs,
        String upstreamRequestId,
        long credits,
        long heldNanos,
        boolean chargePending) {

    /** A record of a call that cost nothing and held nothing. */
    public CallRecord(String id, long createdAt, String userId, String accessKeyId, String appDid, String requestId,
                      String endpoint, CallType type, boolean streamed, String provider, String credentialId,
                      String modelRequested, String modelAnswered, CallStatus status, Integer httpStatus, String error,
                      Usage usage, int attempts, long latencyMs, Long ttfbMs, String upstreamRequestId) {
        this(id, createdAt, userId, accessKeyId, appDid, requestId, endpoint, type, streamed, provider, credentialId,
                modelRequested, modelAnswered, status, httpStatus, error, usage, attempts, latencyMs, ttfbMs,
                upstreamRequestId, 0, 0, false);
    }

    /** The same record with its settlement done. */
    public CallRecord settled() {
        return chargePending ? new CallRecord(id, createdAt, userId, accessKeyId, appDid, requestId, endpoint, type,
                streamed, provider, credentialId, modelRequested, modelAnswered, status, httpStatus, error, usage,
                attempts, latencyMs, ttfbMs, upstreamRequestId, credits, heldNanos, false) : this;
    }
}
