package io.aigne.hub.gateway;

import io.aigne.hub.auth.Principal;
import io.aigne.hub.billing.Credits;
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
    private byte[] requestBody;
    private String imageSize;
    private String imageQuality;
    private Credits held = Credits.ZERO;
    private java.util.function.Supplier<String> origin = () -> "";
    private Runnable onSucceeded = () -> { };

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

    /** The request as the caller sent it: what the credit hold is estimated from. */
    public void requestBody(byte[] body) {
        this.requestBody = body;
    }

    public byte[] requestBody() {
        return requestBody;
    }

    /** The image size and quality asked for, which may pick a per-tier image price. */
    public void imageOptions(String size, String quality) {
        this.imageSize = size;
        this.imageQuality = quality;
    }

    public String imageSize() {
        return imageSize;
    }

    public String imageQuality() {
        return imageQuality;
    }

    /** Credit reserved for this call before it started; released or charged when it ends. */
    public void held(Credits amount) {
        this.held = amount;
    }

    public Credits held() {
        return held;
    }

    /** The hub's public origin as the caller reached it, for links in answers (the purchase page). */
    public void origin(java.util.function.Supplier<String> origin) {
        this.origin = origin;
    }

    public String origin() {
        return origin.get();
    }

    /** Runs when the call is known to have succeeded, before its last bytes go out (the ledger's durable copy). */
    public void onSucceeded(Runnable hook) {
        this.onSucceeded = hook;
    }

    public Principal principal() {
        return principal;
    }

    public CallType type() {
        return type;
    }

    public Route route() {
        return route;
    }

    public Usage usage() {
        return usage;
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
        onSucceeded.run();
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
        return toRecord(Credits.ZERO, false);
    }

    /** The ledger row: what the call cost, and whether its charge (and the release of its hold) is still owed. */
    public CallRecord toRecord(Credits cost, boolean chargePending) {
        long latency = (System.nanoTime() - startNanos) / 1_000_000;
        return new CallRecord(id, createdAt, principal == null ? null : principal.userId(),
                principal == null ? null : principal.accessKeyId(), appDid, requestId, endpoint, type, streamed,
                route == null ? null : route.provider().name(), route == null ? null : route.credentialId(),
                modelRequested, modelAnswered, status, httpStatus, error, usage, Math.max(1, attempts), latency,
                ttfbMs, upstreamRequestId, cost.nanos(), held.nanos(), chargePending);
    }
}
