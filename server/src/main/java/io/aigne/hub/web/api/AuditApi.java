package io.aigne.hub.web.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.audit.AuditEntry;
import io.aigne.hub.audit.AuditEvent;
import io.aigne.hub.audit.AuditLog;
import io.aigne.hub.audit.AuditQuery;
import io.aigne.hub.server.ApiException;
import io.aigne.hub.server.Authenticator;
import io.aigne.hub.server.Exchange;
import io.aigne.hub.server.Json;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * {@code GET /api/admin/audit}: the audit log for owners and admins, newest first, filtered by actor, action prefix,
 * target and time, paged like the other list APIs.
 */
public final class AuditApi {
    private static final Pattern ACTION_PREFIX = Pattern.compile("[a-z0-9_.]{1,100}");

    private final Authenticator auth;
    private final AuditLog audit;

    public AuditApi(Authenticator auth, AuditLog audit) {
        this.auth = auth;
        this.audit = audit;
    }

    public void register(HttpRules rules) {
        rules.get("/api/admin/audit", this::list);
    }

    private void list(ServerRequest req, ServerResponse res) {
        auth.requireAdmin(req);
        String action = Fields.query(req, "action");
        if (action != null && !ACTION_PREFIX.matcher(action.toLowerCase(Locale.ROOT)).matches()) {
            throw ApiException.invalid("action", "'action' is an action or its start, such as provider.update or "
                    + "provider. (letters, digits, '_' and '.')");
        }
        Long since = Fields.queryEpochMillis(req, "since");
        Long until = Fields.queryEpochMillis(req, "until");
        if (since != null && until != null && until < since) {
            throw ApiException.invalid("until", "'until' is before 'since'");
        }
        int page = Fields.queryInt(req, "page", 1, 1, 1_000_000);
        int pageSize = Fields.queryInt(req, "pageSize", 20, 1, 100);
        AuditQuery.Page found = audit.find(new AuditQuery(Fields.query(req, "actor"), action,
                Fields.query(req, "targetType"), Fields.query(req, "targetId"), since, until, page, pageSize));
        ObjectNode root = Json.object();
        root.put("count", found.count());
        ArrayNode list = root.putArray("list");
        found.entries().forEach(e -> list.add(view(e)));
        root.putObject("paging").put("page", page).put("pageSize", pageSize);
        Exchange.json(res, 200, root);
    }

    private static ObjectNode view(AuditEntry entry) {
        AuditEvent e = entry.event();
        ObjectNode o = Json.object();
        o.put("id", entry.id());
        o.put("time", e.at());
        ObjectNode actor = o.putObject("actor");
        actor.put("type", e.actor().kind().name().toLowerCase(Locale.ROOT));
        if (e.actor().id() != null) {
            actor.put("id", e.actor().id());
        }
        actor.put("name", e.actor().name());
        if (e.actor().ip() != null) {
            o.put("ip", e.actor().ip());
        } else {
            o.putNull("ip");
        }
        o.put("action", e.action());
        ObjectNode target = o.putObject("target");
        target.put("type", e.targetType());
        if (e.targetId() != null) {
            target.put("id", e.targetId());
        }
        o.set("before", e.before() == null ? o.nullNode() : e.before());
        o.set("after", e.after() == null ? o.nullNode() : e.after());
        return o;
    }
}
