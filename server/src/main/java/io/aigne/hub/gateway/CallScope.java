package io.aigne.hub.gateway;

import io.aigne.hub.server.ApiException;
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
    private final AtomicInteger inFlight = new AtomicInteger();

    public CallScope(UsageLedger ledger) {
        this.ledger = ledger;
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
            ledger.record(trace.toRecord());
            inFlight.decrementAndGet();
        }
    }

    /** Model calls running right now (their ledger rows are enqueued when they end). */
    public int inFlight() {
        return inFlight.get();
    }
}
