package io.aigne.hub.web.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.audit.RequestActors;
import io.aigne.hub.auth.AccessKeys;
import io.aigne.hub.auth.Principal;
import io.aigne.hub.auth.Role;
import io.aigne.hub.auth.User;
import io.aigne.hub.auth.UserAdmin;
import io.aigne.hub.auth.UserAdmin.NewUser;
import io.aigne.hub.auth.UserAdmin.UserChange;
import io.aigne.hub.auth.UserStore;
import io.aigne.hub.server.ApiException;
import io.aigne.hub.server.Authenticator;
import io.aigne.hub.server.Exchange;
import io.aigne.hub.server.Json;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Users and roles, for owners and admins: search, one user with their access keys, create, change. The rules of who
 * may change whom are {@link io.aigne.hub.auth.RoleRules}; every change is audited by {@link UserAdmin}.
 */
public final class UsersApi {
    private final Authenticator auth;
    private final RequestActors actors;
    private final UserStore users;
    private final UserAdmin admin;
    private final AccessKeys keys;
    private final long maxBodyBytes;

    public UsersApi(Authenticator auth, RequestActors actors, UserStore users, UserAdmin admin, AccessKeys keys,
                    long maxBodyBytes) {
        this.auth = auth;
        this.actors = actors;
        this.users = users;
        this.admin = admin;
        this.keys = keys;
        this.maxBodyBytes = maxBodyBytes;
    }

    public void register(HttpRules rules) {
        rules.get("/api/admin/users", this::search)
                .post("/api/admin/users", this::create)
                .get("/api/admin/users/{id}", this::get)
                .patch("/api/admin/users/{id}", this::update)
                // The method earlier versions of this API documented.
                .put("/api/admin/users/{id}", this::update);
    }

    private void search(ServerRequest req, ServerResponse res) {
        auth.requireAdmin(req);
        String role = Fields.query(req, "role");
        int page = Fields.queryInt(req, "page", 1, 1, 1_000_000);
        int pageSize = Fields.queryInt(req, "pageSize", 20, 1, 100);
        UserStore.Page found = users.search(Fields.query(req, "q"), role == null ? null : role(role), page, pageSize);
        ObjectNode root = Json.object();
        root.put("count", found.count());
        ArrayNode list = root.putArray("list");
        found.users().forEach(u -> list.add(AccountViews.user(u)));
        root.putObject("paging").put("page", page).put("pageSize", pageSize);
        Exchange.json(res, 200, root);
    }

    private void get(ServerRequest req, ServerResponse res) {
        auth.requireAdmin(req);
        String id = Fields.path(req, "id");
        User user = users.byId(id).orElseThrow(() -> ApiException.notFound("not_found", "no user with id " + id));
        ObjectNode view = AccountViews.user(user);
        view.put("hasPassword", users.passwordHash(id).isPresent());
        ArrayNode accessKeys = view.putArray("accessKeys");
        keys.listForUser(id).forEach(k -> accessKeys.add(AccountViews.key(k)));
        Exchange.json(res, 200, view);
    }

    private void create(ServerRequest req, ServerResponse res) {
        Principal by = auth.requireAdmin(req);
        ObjectNode body = Exchange.jsonBody(req, maxBodyBytes);
        String role = Fields.text(body, "role");
        User user = admin.create(new NewUser(Fields.text(body, "name"), Fields.text(body, "displayName"),
                Fields.text(body, "email"), role == null ? null : role(role), Fields.text(body, "password")),
                by, actors.of(req, by));
        Exchange.json(res, 201, AccountViews.user(user));
    }

    private void update(ServerRequest req, ServerResponse res) {
        Principal by = auth.requireAdmin(req);
        ObjectNode body = Exchange.jsonBody(req, maxBodyBytes);
        String role = Fields.text(body, "role");
        UserChange change = new UserChange(Fields.text(body, "displayName"), Fields.text(body, "email"),
                role == null ? null : role(role), Fields.bool(body, "disabled"), Fields.text(body, "password"));
        User user = admin.update(Fields.path(req, "id"), change, by, actors.of(req, by));
        Exchange.json(res, 200, AccountViews.user(user));
    }

    private static Role role(String text) {
        try {
            return Role.parse(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("role", e.getMessage());
        }
    }
}
