package io.aigne.hub.gateway;

import io.aigne.hub.billing.Billing;
import io.aigne.hub.billing.Credits;
import io.aigne.hub.media.PublicOrigin;
import io.aigne.hub.routing.Route;
import io.aigne.hub.server.ApiException;
import io.aigne.hub.usage.CallRecord;
import io.helidon.webserver.http.ServerRequest;
import io.aigne.hub.usage.UsageLedger;
import io.helidon.webserver.http.ServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
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
    private final Billing billing;
    private final PublicOrigin origin;
    private final AtomicInteger inFlight = new AtomicInteger();

    public CallScope(UsageLedger ledger, Billing billing, PublicOrigin origin) {
        this.ledger = ledger;
        this.billing = billing;
        this.origin = origin;
    }

    public void run(CallTrace trace, ServerRequest req, ServerResponse res, ErrorShape errors, Body body) {
        inFlight.incrementAndGet();
        trace.origin(() -> origin.of(req));
        // A call that succeeded is journaled before its last bytes leave, so its client never holds an answer the
        // ledger could lose if the process died now.
        trace.onSucceeded(() -> ledger.journal(record(trace)));
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
            ledger.record(billing.settle(record(trace)));
            inFlight.decrementAndGet();
        }
    }

    /**
     * Admits a call on its plan: reserves its credit (see {@link Billing#admit}) and returns the routes it may
     * take. Every door calls it through {@link Attempts} before the first route is tried.
     */
    public List<Route> admit(CallTrace trace, List<Route> plan) {
        Billing.Admission admission = billing.admit(trace.id(), trace.principal() == null ? null
                : trace.principal().userId(), trace.type(), trace.requestBody(), plan, trace.origin());
        trace.held(admission.held());
        return admission.plan();
    }

    private CallRecord record(CallTrace trace) {
        Credits cost = billing.cost(trace.route(), trace.type(), trace.usage(), trace.imageSize(),
                trace.imageQuality());
        return trace.toRecord(cost, billing.owesSettlement(cost, trace.held()));
    }

    public Billing billing() {
        return billing;
    }

    /** Model calls running right now (their ledger rows are enqueued when they end). */
    public int inFlight() {
        return inFlight.get();
    }
}
