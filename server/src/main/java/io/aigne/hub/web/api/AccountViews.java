package io.aigne.hub.web.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.auth.AccessKey;
import io.aigne.hub.auth.User;
import io.aigne.hub.server.Json;

/** How users and access keys look in API answers: never a password, hash or key secret. */
final class AccountViews {
    private AccountViews() {
    }

    static ObjectNode user(User u) {
        ObjectNode o = Json.object();
        o.put("id", u.id());
        o.put("did", u.id());
        o.put("name", u.name());
        if (u.displayName() != null) {
            o.put("displayName", u.displayName());
        }
        o.put("fullName", u.displayName() == null ? u.name() : u.displayName());
        if (u.email() != null) {
            o.put("email", u.email());
        }
        o.put("role", u.role().wireName());
        o.put("disabled", u.disabled());
        o.put("createdAt", u.createdAt());
        return o;
    }

    static ObjectNode key(AccessKey k) {
        ObjectNode o = Json.object();
        o.put("id", k.id());
        o.put("userId", k.userId());
        o.put("hint", k.hint());
        if (k.name() != null) {
            o.put("name", k.name());
        }
        if (k.app() != null) {
            o.put("app", k.app());
        }
        o.put("createdAt", k.createdAt());
        if (k.lastUsedAt() != null) {
            o.put("lastUsedAt", k.lastUsedAt());
        }
        if (k.revokedAt() != null) {
            o.put("revokedAt", k.revokedAt());
        }
        o.put("revoked", k.revoked());
        return o;
    }
}
