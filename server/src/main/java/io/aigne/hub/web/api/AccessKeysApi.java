package io.aigne.hub.web.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.audit.RequestActors;
import io.aigne.hub.auth.AccessKey;
import io.aigne.hub.auth.AccessKeys;
import io.aigne.hub.auth.IssuedKey;
import io.aigne.hub.auth.KeyAdmin;
import io.aigne.hub.auth.Principal;
import io.aigne.hub.auth.RoleRules;
import io.aigne.hub.auth.User;
import io.aigne.hub.auth.UserStore;
import io.aigne.hub.server.ApiException;
import io.aigne.hub.server.Authenticator;
import io.aigne.hub.server.Exchange;
import io.aigne.hub.server.Json;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Access keys. Every user manages their own keys under {@code /api/user/access-keys}; owners and admins manage
 * other users' keys under {@code /api/admin/...} (an admin not those of owners and admins, see {@link RoleRules}).
 * A new key's secret is in the creation answer and nowhere else, ever. Creations and revocations are audited.
 */
public final class AccessKeysApi {
    private final Authenticator auth;
    private final RequestActors actors;
    private final AccessKeys keys;
    private final KeyAdmin keyAdmin;
    private final UserStore users;
    private final long maxBodyBytes;

    public AccessKeysApi(Authenticator auth, RequestActors actors, AccessKeys keys, KeyAdmin keyAdmin,
                         UserStore users, long maxBodyBytes) {
        this.auth = auth;
        this.actors = actors;
        this.keys = keys;
        this.keyAdmin = keyAdmin;
        this.users = users;
        this.maxBodyBytes = maxBodyBytes;
    }

    public void register(HttpRules rules) {
        rules.get("/api/user/me", this::me)
                .get("/api/user/access-keys", (req, res) -> listKeys(res, auth.require(req).userId()))
                .post("/api/user/access-keys", (req, res) -> {
                    Principal p = auth.require(req);
                    createKey(req, res, p, p.userId());
                })
                .delete("/api/user/access-keys/{id}", this::revokeOwn)
                .get("/api/admin/users/{id}/access-keys", (req, res) -> {
                    Principal admin = auth.requireAdmin(req);
                    listKeys(res, managedUser(admin, Fields.path(req, "id")).id());
                })
                .post("/api/admin/users/{id}/access-keys", (req, res) -> {
                    Principal admin = auth.requireAdmin(req);
                    createKey(req, res, admin, managedUser(admin, Fields.path(req, "id")).id());
                })
                .delete("/api/admin/access-keys/{id}", this::revokeAny);
    }

    private void me(ServerRequest req, ServerResponse res) {
        Principal p = auth.require(req);
        Exchange.json(res, 200, AccountViews.user(user(p.userId())).put("accessKeyId", p.accessKeyId()));
    }

    private void listKeys(ServerResponse res, String userId) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        keys.listForUser(userId).forEach(k -> out.add(AccountViews.key(k)));
        Exchange.json(res, 200, out);
    }

    private void createKey(ServerRequest req, ServerResponse res, Principal by, String userId) {
        ObjectNode body = req.content().hasEntity() ? Exchange.jsonBody(req, maxBodyBytes) : Json.object();
        String name = Fields.text(body, "name");
        String app = Fields.text(body, "app");
        if (name != null && name.length() > 100) {
            throw ApiException.invalid("name", "a key name has at most 100 characters");
        }
        IssuedKey issued = keyAdmin.issue(userId, name, app, actors.of(req, by));
        ObjectNode view = AccountViews.key(issued.key());
        view.put("secret", issued.secret());
        Exchange.json(res, 201, view);
    }

    private void revokeOwn(ServerRequest req, ServerResponse res) {
        Principal p = auth.require(req);
        AccessKey key = keys.byId(Fields.path(req, "id")).filter(k -> k.userId().equals(p.userId()))
                .orElseThrow(() -> ApiException.notFound("not_found", "you have no access key with id " + Fields.path(req, "id")));
        keyAdmin.revoke(key, actors.of(req, p));
        Exchange.json(res, 200, Json.object().put("revoked", true).put("id", key.id()));
    }

    private void revokeAny(ServerRequest req, ServerResponse res) {
        Principal admin = auth.requireAdmin(req);
        AccessKey key = keys.byId(Fields.path(req, "id"))
                .orElseThrow(() -> ApiException.notFound("not_found", "no access key with id " + Fields.path(req, "id")));
        managedUser(admin, key.userId());
        keyAdmin.revoke(key, actors.of(req, admin));
        Exchange.json(res, 200, Json.object().put("revoked", true).put("id", key.id()));
    }

    /** A user whose keys {@code admin} may manage. */
    private User managedUser(Principal admin, String id) {
        User u = user(id);
        RoleRules.checkManageKeys(admin, u);
        return u;
    }

    private User user(String id) {
        return users.byId(id).orElseThrow(() -> ApiException.notFound("not_found", "no user with id " + id));
    }
}
