package io.aigne.hub.web.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.auth.AccessKey;
import io.aigne.hub.auth.AccessKeys;
import io.aigne.hub.auth.IssuedKey;
import io.aigne.hub.auth.Principal;
import io.aigne.hub.auth.Role;
import io.aigne.hub.auth.User;
import io.aigne.hub.auth.UserStore;
import io.aigne.hub.iprules.Cidr;
import io.aigne.hub.iprules.IpAddresses;
import io.aigne.hub.iprules.IpRules;
import io.aigne.hub.server.ApiException;
import io.aigne.hub.server.Authenticator;
import io.aigne.hub.server.Exchange;
import io.aigne.hub.server.Json;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.net.InetAddress;
import java.util.List;

/**
 * Access keys and users. Every user manages their own keys under {@code /api/user/access-keys}; owners and
 * admins manage users and their keys under {@code /api/admin/users}. A new key's secret is in the creation answer
 * and nowhere else, ever. A key may carry its own IP rules ({@code ipAllow}, {@code ipDeny}: networks), set when it
 * is created or with {@code PUT}.
 */
public final class AccessKeysApi {
    private final Authenticator auth;
    private final AccessKeys keys;
    private final UserStore users;
    private final long maxBodyBytes;

    public AccessKeysApi(Authenticator auth, AccessKeys keys, UserStore users, long maxBodyBytes) {
        this.auth = auth;
        this.keys = keys;
        this.users = users;
        this.maxBodyBytes = maxBodyBytes;
    }

    public void register(HttpRules rules) {
        rules.get("/api/user/me", this::me)
                .get("/api/user/access-keys", (req, res) -> listKeys(res, auth.require(req).userId()))
                .post("/api/user/access-keys", (req, res) -> createKey(req, res, auth.require(req).userId()))
                .delete("/api/user/access-keys/{id}", this::revokeOwn)
                .put("/api/user/access-keys/{id}", this::updateOwn)
                .put("/api/admin/access-keys/{id}", this::updateAny)
                .get("/api/admin/users", this::listUsers)
                .post("/api/admin/users", this::createUser)
                .put("/api/admin/users/{id}", this::updateUser)
                .get("/api/admin/users/{id}/access-keys", (req, res) -> {
                    auth.requireAdmin(req);
                    listKeys(res, user(Fields.path(req, "id")).id());
                })
                .post("/api/admin/users/{id}/access-keys", (req, res) -> {
                    auth.requireAdmin(req);
                    createKey(req, res, user(Fields.path(req, "id")).id());
                })
                .delete("/api/admin/access-keys/{id}", this::revokeAny);
    }

    private void me(ServerRequest req, ServerResponse res) {
        Principal p = auth.require(req);
        Exchange.json(res, 200, userView(user(p.userId())).put("accessKeyId", p.accessKeyId()));
    }

    private void listKeys(ServerResponse res, String userId) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        keys.listForUser(userId).forEach(k -> out.add(keyView(k)));
        Exchange.json(res, 200, out);
    }

    private void createKey(ServerRequest req, ServerResponse res, String userId) {
        ObjectNode body = req.content().hasEntity() ? Exchange.jsonBody(req, maxBodyBytes) : Json.object();
        String name = Fields.text(body, "name");
        String app = Fields.text(body, "app");
        if (name != null && name.length() > 100) {
            throw ApiException.invalid("name", "a key name has at most 100 characters");
        }
        IpRules ipRules = new IpRules(Fields.networks(body, "ipAllow"), Fields.networks(body, "ipDeny"));
        IssuedKey issued = keys.issue(userId, name, app, ipRules);
        ObjectNode view = keyView(issued.key());
        view.put("secret", issued.secret());
        Exchange.json(res, 201, view);
    }

    private void revokeOwn(ServerRequest req, ServerResponse res) {
        Principal p = auth.require(req);
        AccessKey key = keys.byId(Fields.path(req, "id")).filter(k -> k.userId().equals(p.userId()))
                .orElseThrow(() -> ApiException.notFound("not_found", "you have no access key with id " + Fields.path(req, "id")));
        keys.revoke(key.id());
        Exchange.json(res, 200, Json.object().put("revoked", true).put("id", key.id()));
    }

    private void updateOwn(ServerRequest req, ServerResponse res) {
        Principal p = auth.require(req);
        AccessKey key = keys.byId(Fields.path(req, "id")).filter(k -> k.userId().equals(p.userId()))
                .orElseThrow(() -> ApiException.notFound("not_found", "you have no access key with id " + Fields.path(req, "id")));
        updateKey(req, res, p, key);
    }

    private void updateAny(ServerRequest req, ServerResponse res) {
        Principal admin = auth.requireAdmin(req);
        AccessKey key = keys.byId(Fields.path(req, "id"))
                .orElseThrow(() -> ApiException.notFound("not_found", "no access key with id " + Fields.path(req, "id")));
        updateKey(req, res, admin, key);
    }

    /**
     * Renames a key and replaces its allow and/or deny list (a list not sent stays as it was; an empty one clears
     * it). Changing the rules of the key making the request so that they refuse its own address is refused (409)
     * unless confirmed with {@code ?force=true}.
     */
    private void updateKey(ServerRequest req, ServerResponse res, Principal caller, AccessKey key) {
        ObjectNode body = Exchange.jsonBody(req, maxBodyBytes);
        String name = Fields.text(body, "name");
        if (name != null && name.length() > 100) {
            throw ApiException.invalid("name", "a key name has at most 100 characters");
        }
        List<Cidr> allow = Fields.networks(body, "ipAllow");
        List<Cidr> deny = Fields.networks(body, "ipDeny");
        IpRules rules = allow == null && deny == null ? null : new IpRules(
                allow != null ? allow : key.ipRules().allow(), deny != null ? deny : key.ipRules().deny());
        if (rules != null && key.id().equals(caller.accessKeyId()) && !Fields.forced(req)) {
            InetAddress own = auth.clientAddress(req);
            if (!rules.admits(own)) {
                throw new ApiException(409, "invalid_request_error", "would_lock_out", "ipAllow", "these rules "
                        + "would refuse the key you are using from your own address " + IpAddresses.format(own)
                        + "; include it, or repeat the request with ?force=true");
            }
        }
        keys.update(key.id(), name, rules);
        Exchange.json(res, 200, keyView(keys.byId(key.id()).orElseThrow()));
    }

    private void revokeAny(ServerRequest req, ServerResponse res) {
        auth.requireAdmin(req);
        AccessKey key = keys.byId(Fields.path(req, "id"))
                .orElseThrow(() -> ApiException.notFound("not_found", "no access key with id " + Fields.path(req, "id")));
        keys.revoke(key.id());
        Exchange.json(res, 200, Json.object().put("revoked", true).put("id", key.id()));
    }

    private void listUsers(ServerRequest req, ServerResponse res) {
        auth.requireAdmin(req);
        ArrayNode out = Json.MAPPER.createArrayNode();
        users.list().forEach(u -> out.add(userView(u)));
        Exchange.json(res, 200, out);
    }

    private void createUser(ServerRequest req, ServerResponse res) {
        Principal admin = auth.requireAdmin(req);
        ObjectNode body = Exchange.jsonBody(req, maxBodyBytes);
        String name = Fields.text(body, "name");
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._@-]{0,99}")) {
            throw ApiException.invalid("name", "'name' is required: 1-100 letters, digits, '.', '_', '@' or '-'");
        }
        Role role = role(body, Role.MEMBER);
        checkMayGrant(admin, role);
        if (users.byName(name).isPresent()) {
            throw new ApiException(409, "conflict", "already_exists", "name", "a user named '" + name + "' already exists");
        }
        User user = users.create(name, Fields.text(body, "displayName"), Fields.text(body, "email"), role);
        Exchange.json(res, 201, userView(user));
    }

    private void updateUser(ServerRequest req, ServerResponse res) {
        Principal admin = auth.requireAdmin(req);
        ObjectNode body = Exchange.jsonBody(req, maxBodyBytes);
        User target = user(Fields.path(req, "id"));
        Role role = body.has("role") ? role(body, null) : null;
        Boolean disabled = Fields.bool(body, "disabled");
        if (target.role() == Role.OWNER && admin.role() != Role.OWNER) {
            throw ApiException.forbidden("only the owner may change the owner");
        }
        if (role != null) {
            checkMayGrant(admin, role);
        }
        if (target.id().equals(admin.userId()) && (Boolean.TRUE.equals(disabled) || (role != null && role != target.role()))) {
            throw ApiException.forbidden("you cannot disable yourself or change your own role");
        }
        users.update(target.id(), role, disabled, Fields.text(body, "displayName"), Fields.text(body, "email"));
        keys.forgetCached();
        Exchange.json(res, 200, userView(user(target.id())));
    }

    private static void checkMayGrant(Principal admin, Role role) {
        if ((role == Role.OWNER || role == Role.ADMIN) && admin.role() != Role.OWNER) {
            throw ApiException.forbidden("only the owner may make owners or admins");
        }
    }

    private static Role role(ObjectNode body, Role fallback) {
        String text = Fields.text(body, "role");
        if (text == null) {
            return fallback;
        }
        try {
            return Role.parse(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("role", e.getMessage());
        }
    }

    private User user(String id) {
        return users.byId(id).orElseThrow(() -> ApiException.notFound("not_found", "no user with id " + id));
    }

    private static ObjectNode userView(User u) {
        ObjectNode o = Json.object();
        o.put("id", u.id());
        o.put("did", u.id());
        o.put("name", u.name());
        o.put("fullName", u.displayName() == null ? u.name() : u.displayName());
        if (u.email() != null) {
            o.put("email", u.email());
        }
        o.put("role", u.role().wireName());
        o.put("disabled", u.disabled());
        o.put("createdAt", u.createdAt());
        return o;
    }

    private static ObjectNode keyView(AccessKey k) {
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
        o.set("ipAllow", Json.MAPPER.valueToTree(k.ipRules().allowTexts()));
        o.set("ipDeny", Json.MAPPER.valueToTree(k.ipRules().denyTexts()));
        return o;
    }
}
