package io.aigne.hub.audit;

/** A stored audit event and the id it was stored under. */
public record AuditEntry(String id, AuditEvent event) {
}
