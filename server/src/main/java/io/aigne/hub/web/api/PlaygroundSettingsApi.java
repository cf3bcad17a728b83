package io.aigne.hub.web.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.audit.Actor;
import io.aigne.hub.audit.AuditEvent;
import io.aigne.hub.audit.AuditLog;
import io.aigne.hub.audit.RequestActors;
import io.aigne.hub.playground.PlaygroundAccess;
import io.aigne.hub.server.ApiException;
import io.aigne.hub.server.Authenticator;
import io.aigne.hub.server.Exchange;
import io.aigne.hub.server.Json;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * The playground's hub-wide settings, for owners and admins: {@code GET/PUT /api/admin/playground/settings}
 * {@code {"guestAccess": true|false}} (whether users with the guest role may use the playground; off by default).
 * Changes are audited.
 */
public final class PlaygroundSettingsApi {
    private final Authenticator auth;
    private final RequestActors actors;
    private final AuditLog audit;
    private final PlaygroundAccess access;
    private final long maxBodyBytes;

    public PlaygroundSettingsApi(Authenticator auth, RequestActors actors, AuditLog audit, PlaygroundAccess access,
                                 long maxBodyBytes) {
        this.auth = auth;
        this.actors = actors;
        this.audit = audit;
        this.access = access;
        this.maxBodyBytes = Math.min(maxBodyBytes, 16 * 1024);
    }

    public void register(HttpRules rules) {
        rules.get("/api/admin/playground/settings", this::get)
                .put("/api/admin/playground/settings", this::put);
    }

    private void get(ServerRequest req, ServerResponse res) {
        auth.requireAdmin(req);
        Exchange.json(res, 200, view(access.guestAccess()));
    }

    private void put(ServerRequest req, ServerResponse res) {
        Actor actor = actors.of(req, auth.requireAdmin(req));
        ObjectNode body = Exchange.jsonBody(req, maxBodyBytes);
        body.fieldNames().forEachRemaining(name -> {
            if (!name.equals("guestAccess")) {
                throw ApiException.invalid(name, "unknown setting '" + name + "'; the playground has guestAccess");
            }
        });
        Boolean guestAccess = Fields.bool(body, "guestAccess");
        if (guestAccess == null) {
            throw ApiException.invalid("guestAccess", "'guestAccess' is required: true or false");
        }
        boolean before = access.guestAccess();
        audit.useTransaction(() -> {
            access.setGuestAccess(guestAccess);
            audit.record(AuditEvent.of(actor, "playground.settings.update", "hub_settings", "playground",
                    view(before), view(guestAccess)));
        });
        Exchange.json(res, 200, view(guestAccess));
    }

    private static ObjectNode view(boolean guestAccess) {
        return Json.object().put("guestAccess", guestAccess);
    }
}
