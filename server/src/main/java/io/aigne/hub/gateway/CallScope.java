package io.aigne.hub.gateway;

import io.aigne.hub.limits.CallLimiter;
import io.aigne.hub.limits.LimitSubject;
import io.aigne.hub.server.ApiException;
import io.aigne.hub.usage.CallRecord;
import io.aigne.hub.usage.UsageLedger;
import io.helidon.webserver.http.ServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The life of one model call at any front door: counted while it runs (graceful shutdown waits for it), its
 * failure told in the door's own error shape unless the answer has begun, a failure inside the hub logged and
 * answered as a 500 that names the call, and its ledger row enqueued however it ended.
 */
public final class CallScope {
    private static final Logger LOG = LoggerFactory.getLogger(CallScope.class);

    /** The door's work for one call; throws {@link ApiException} for anything the caller should hear. */
    @FunctionalInterface
    public interface Body {
        void run();
    }

    /** How a door writes an error in its protocol. */
    @FunctionalInterface
    public interface ErrorShape {
        void send(ServerResponse res, ApiException e);
    }

    private final UsageLedger ledger;
    private final CallLimiter limiter;
    private final AtomicInteger inFlight = new AtomicInteger();

    public CallScope(UsageLedger ledger, CallLimiter limiter) {
        this.ledger = ledger;
        this.limiter = limiter;
    }

    /**
     * Admits the call under the hub's rate limits and quotas, once, before its first attempt; throws the 429 (or
     * 503) to answer instead. Its usage is counted against the same limits when the call ends.
     */
    public void admit(CallTrace trace) {
        if (trace.admission() == null) {
            trace.admitted(limiter.admit(LimitSubject.of(trace.principal(), trace.appDid(), trace.modelRequested())));
        }
    }

    public void run(CallTrace trace, ServerResponse res, ErrorShape errors, Body body) {
        inFlight.incrementAndGet();
        try {
            body.run();
        } catch (ApiException e) {
            trace.failed(e.status(), e.getMessage());
            if (!res.isSent()) {
                errors.send(res, e);
            }
        } catch (RuntimeException e) {
            LOG.error("call {} failed inside the hub", trace.id(), e);
            trace.failed(500, "internal error: " + e.getClass().getSimpleName());
            if (!res.isSent()) {
                errors.send(res, new ApiException(500, "server_error", "internal_error", null,
                        "the hub failed while handling this call (call id " + trace.id() + "); the failure is logged"));
            }
        } finally {
            CallRecord record = trace.toRecord();
            ledger.record(record);
            // Credits are passed by billing once it prices calls; until then only tokens are counted.
            limiter.settle(trace.admission(), record.usage().totalTokens(), 0);
            inFlight.decrementAndGet();
        }
    }

    /** Model calls running right now (their ledger rows are enqueued when they end). */
    public int inFlight() {
        return inFlight.get();
    }
}
