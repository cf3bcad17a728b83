package io.aigne.hub.gateway;

import io.aigne.hub.auth.Principal;
import io.aigne.hub.limits.Admission;
import io.aigne.hub.routing.Route;
import io.aigne.hub.store.Ids;
import io.aigne.hub.usage.CallRecord;
import io.aigne.hub.usage.CallStatus;
import io.aigne.hub.usage.CallType;
import io.aigne.hub.usage.Usage;

/**
 * Everything learnt about one call while it runs, turned into its ledger row when it ends, however it ends.
 */
public final class CallTrace {
    private final String id = Ids.next();
    private final long createdAt = System.currentTimeMillis();
    private final long startNanos = System.nanoTime();
    private final Principal principal;
    private final String appDid;
    private final String requestId;
    private final String endpoint;
    private final CallType type;

    private boolean streamed;
    private String modelRequested;
    private String modelAnswered;
    private Route route;
    private int attempts;
    private CallStatus status = CallStatus.FAILED;
    private Integer httpStatus;
    private String error;
    private Usage usage = Usage.NONE;
    private Long ttfbMs;
    private String upstreamRequestId;
    private Admission admission;

    public CallTrace(Principal principal, String appDid, String requestId, String endpoint, CallType type) {
        this.principal = principal;
        this.appDid = appDid;
        this.requestId = requestId;
        this.endpoint = endpoint;
        this.type = type;
    }

    public String id() {
        return id;
    }

    public long startNanos() {
        return startNanos;
    }

    public Principal principal() {
        return principal;
    }

    public String appDid() {
        return appDid;
    }

    /** The model id as the caller wrote it, once the request has been read. */
    public String modelRequested() {
        return modelRequested;
    }

    /** What the limiter said when the call was admitted; null before admission (see {@link CallScope#admit}). */
    public Admission admission() {
        return admission;
    }

    void admitted(Admission admission) {
        this.admission = admission;
    }

    public void requested(String model, boolean stream) {
        this.modelRequested = model;
        this.streamed = stream;
    }

    public void attempt(Route route) {
        this.route = route;
        this.attempts++;
    }

    public void firstByteAt(long nanos) {
        if (ttfbMs == null && nanos > 0) {
            ttfbMs = Math.max(0, (nanos - startNanos) / 1_000_000);
        }
    }

    public void answered(String model, String upstreamRequestId) {
        if (model != null) {
            this.modelAnswered = model;
        }
        if (upstreamRequestId != null) {
            this.upstreamRequestId = upstreamRequestId;
        }
    }

    public void usage(Usage usage) {
        if (usage != null) {
            this.usage = usage;
        }
    }

    public void succeeded(int httpStatus) {
        this.status = CallStatus.SUCCESS;
        this.httpStatus = httpStatus;
        this.error = null;
    }

    public void failed(int httpStatus, String error) {
        this.status = CallStatus.FAILED;
        this.httpStatus = httpStatus;
        this.error = error;
    }

    public void cancelled(String why) {
        this.status = CallStatus.CANCELLED;
        this.error = why;
    }

    public CallRecord toRecord() {
        long latency = (System.nanoTime() - startNanos) / 1_000_000;
        return new CallRecord(id, createdAt, principal == null ? null : principal.userId(),
                principal == null ? null : principal.accessKeyId(), appDid, requestId, endpoint, type, streamed,
                route == null ? null : route.provider().name(), route == null ? null : route.credentialId(),
                modelRequested, modelAnswered, status, httpStatus, error, usage, Math.max(1, attempts), latency,
                ttfbMs, upstreamRequestId);
    }
}
