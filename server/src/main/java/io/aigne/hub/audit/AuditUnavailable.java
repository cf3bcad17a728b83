package io.aigne.hub.audit;

import io.aigne.hub.server.ApiException;

/**
 * The audit log could not be written. Inside {@link AuditLog#inTransaction} the change is rolled back with it, so
 * that nothing changes unrecorded; the caller sees a 503 and the hub's log has the details.
 */
public final class AuditUnavailable extends ApiException {
    AuditUnavailable(String message) {
        super(503, "server_error", "audit_log_unavailable", null, message);
    }
}
