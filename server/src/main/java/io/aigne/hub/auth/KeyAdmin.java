package io.aigne.hub.auth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.audit.Actor;
import io.aigne.hub.audit.AuditEvent;
import io.aigne.hub.audit.AuditLog;
import io.aigne.hub.server.Json;

/** Issuing and revoking access keys, each with its audit record in the same transaction. */
public final class KeyAdmin {
    private final AccessKeys keys;
    private final AuditLog audit;

    public KeyAdmin(AccessKeys keys, AuditLog audit) {
        this.keys = keys;
        this.audit = audit;
    }

    public IssuedKey issue(String userId, String name, String app, Actor actor) {
        return audit.inTransaction(() -> {
            IssuedKey issued = keys.issue(userId, name, app);
            audit.record(AuditEvent.of(actor, "key.create", "access_key", issued.key().id(), null,
                    snapshot(issued.key())));
            return issued;
        });
    }

    /** Whether the key was active until now; revoking a revoked key changes and records nothing. */
    public boolean revoke(AccessKey key, Actor actor) {
        return audit.inTransaction(() -> {
            if (!keys.revoke(key.id())) {
                return false;
            }
            AccessKey revoked = keys.byId(key.id()).orElseThrow();
            audit.record(AuditEvent.of(actor, "key.revoke", "access_key", key.id(), snapshot(key), snapshot(revoked)));
            return true;
        });
    }

    /** What the audit log shows of a key: never its hash, only the hint every listing shows. */
    static ObjectNode snapshot(AccessKey k) {
        ObjectNode o = Json.object();
        o.put("id", k.id());
        o.put("userId", k.userId());
        o.put("hint", k.hint());
        o.put("name", k.name());
        o.put("app", k.app());
        o.put("revoked", k.revoked());
        if (k.revokedAt() != null) {
            o.put("revokedAt", k.revokedAt());
        }
        return o;
    }
}
