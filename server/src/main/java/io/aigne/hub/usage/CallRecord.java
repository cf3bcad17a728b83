package io.aigne.hub.usage;

/** One row of the usage ledger: everything the hub knows about a call once it has ended. */
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
        String upstreamRequestId) {
}
