package io.aigne.hub.web.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.audit.Actor;
import io.aigne.hub.audit.AuditEvent;
import io.aigne.hub.audit.AuditLog;
import io.aigne.hub.audit.RequestActors;
import io.aigne.hub.auth.Principal;
import io.aigne.hub.iprules.Cidr;
import io.aigne.hub.iprules.GlobalIpRules;
import io.aigne.hub.iprules.IpAddresses;
import io.aigne.hub.iprules.IpRule;
import io.aigne.hub.iprules.IpRuleStore;
import io.aigne.hub.server.ApiException;
import io.aigne.hub.server.Authenticator;
import io.aigne.hub.server.Exchange;
import io.aigne.hub.server.Json;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The hub-wide IP rules, for owners and admins: {@code /api/admin/ip-rules}. A change that would refuse the
 * admin's own address is itself refused (409) unless repeated with {@code ?force=true}, so nobody locks themselves
 * out by a slip. Changes apply on this node at once, on the others within {@code limits.reloadSeconds}.
 */
public final class IpRulesApi {
    private static final int MAX_NOTE = 500;

    private final Authenticator auth;
    private final RequestActors actors;
    private final AuditLog audit;
    private final IpRuleStore store;
    private final GlobalIpRules active;
    private final long maxBodyBytes;

    public IpRulesApi(Authenticator auth, RequestActors actors, AuditLog audit, IpRuleStore store,
                      GlobalIpRules active, long maxBodyBytes) {
        this.auth = auth;
        this.actors = actors;
        this.audit = audit;
        this.store = store;
        this.active = active;
        this.maxBodyBytes = maxBodyBytes;
    }

    public void register(HttpRules rules) {
        rules.get("/api/admin/ip-rules", this::list)
                .post("/api/admin/ip-rules", this::create)
                .put("/api/admin/ip-rules/{id}", this::update)
                .delete("/api/admin/ip-rules/{id}", this::delete);
    }

    private void list(ServerRequest req, ServerResponse res) {
        auth.requireAdmin(req);
        ArrayNode rules = Json.MAPPER.createArrayNode();
        store.list().forEach(r -> rules.add(view(r)));
        ObjectNode out = Json.object();
        out.set("rules", rules);
        out.put("yourAddress", IpAddresses.format(auth.clientAddress(req)));
        Exchange.json(res, 200, out);
    }

    private void create(ServerRequest req, ServerResponse res) {
        Principal admin = auth.requireAdmin(req);
        ObjectNode body = Exchange.jsonBody(req, maxBodyBytes);
        IpRule.Action action = action(body, null);
        Cidr cidr = cidr(body, null);
        String note = note(body, null);
        refuseDuplicate(action, cidr, null);
        IpRule draft = new IpRule(null, action, cidr, note, admin.userId(), 0, 0);
        List<IpRule> after = new ArrayList<>(store.list());
        after.add(draft);
        refuseLockOut(req, after);
        Actor actor = actors.of(req, admin);
        IpRule created = audit.inTransaction(() -> {
            IpRule made = store.create(action, cidr, note, admin.userId());
            audit.record(AuditEvent.of(actor, "ip_rule.create", "ip_rule", made.id(), null, view(made)));
            return made;
        });
        active.reload();
        Exchange.json(res, 201, view(created));
    }

    private void update(ServerRequest req, ServerResponse res) {
        Actor actor = actors.of(req, auth.requireAdmin(req));
        IpRule current = rule(Fields.path(req, "id"));
        ObjectNode body = Exchange.jsonBody(req, maxBodyBytes);
        IpRule changed = new IpRule(current.id(), action(body, current.action()), cidr(body, current.cidr()),
                note(body, current), current.createdBy(), current.createdAt(), current.updatedAt());
        refuseDuplicate(changed.action(), changed.cidr(), current.id());
        List<IpRule> after = new ArrayList<>(store.list().stream().filter(r -> !r.id().equals(current.id())).toList());
        after.add(changed);
        refuseLockOut(req, after);
        audit.useTransaction(() -> {
            store.update(changed);
            audit.record(AuditEvent.of(actor, "ip_rule.update", "ip_rule", current.id(), view(current),
                    view(rule(current.id()))));
        });
        active.reload();
        Exchange.json(res, 200, view(rule(current.id())));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        Actor actor = actors.of(req, auth.requireAdmin(req));
        IpRule current = rule(Fields.path(req, "id"));
        refuseLockOut(req, store.list().stream().filter(r -> !r.id().equals(current.id())).toList());
        audit.useTransaction(() -> {
            store.delete(current.id());
            audit.record(AuditEvent.of(actor, "ip_rule.delete", "ip_rule", current.id(), view(current), null));
        });
        active.reload();
        Exchange.json(res, 200, Json.object().put("deleted", true).put("id", current.id()));
    }

    private void refuseLockOut(ServerRequest req, List<IpRule> after) {
        InetAddress own = auth.clientAddress(req);
        if (!Fields.forced(req) && !GlobalIpRules.of(after).admits(own)) {
            throw new ApiException(409, "invalid_request_error", "would_lock_out", null, "with this change the "
                    + "hub would refuse your own address " + IpAddresses.format(own) + "; allow it first, or repeat "
                    + "the request with ?force=true");
        }
    }

    private void refuseDuplicate(IpRule.Action action, Cidr cidr, String exceptId) {
        store.find(action, cidr).filter(r -> !r.id().equals(exceptId)).ifPresent(r -> {
            throw new ApiException(409, "invalid_request_error", "already_exists", "cidr", "a rule to "
                    + action.wireName() + " " + cidr + " already exists (id " + r.id() + ")");
        });
    }

    private IpRule rule(String id) {
        return store.byId(id).orElseThrow(() -> ApiException.notFound("not_found", "no IP rule with id " + id));
    }

    private static IpRule.Action action(ObjectNode body, IpRule.Action fallback) {
        String text = Fields.text(body, "action");
        if (text == null) {
            if (fallback == null) {
                throw ApiException.invalid("action", "'action' is required: 'allow' or 'deny'");
            }
            return fallback;
        }
        try {
            return IpRule.Action.parse(text.trim());
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("action", "'action' " + e.getMessage());
        }
    }

    private static Cidr cidr(ObjectNode body, Cidr fallback) {
        String text = Fields.text(body, "cidr");
        if (text == null) {
            if (fallback == null) {
                throw ApiException.invalid("cidr", "'cidr' is required: an address or network, e.g. 203.0.113.0/24 "
                        + "or 2001:db8::/32");
            }
            return fallback;
        }
        try {
            return Cidr.parse(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("cidr", "'cidr': " + e.getMessage());
        }
    }

    private static String note(ObjectNode body, IpRule current) {
        if (current != null && !body.has("note")) {
            return current.note();
        }
        String note = Fields.text(body, "note");
        if (note != null && note.length() > MAX_NOTE) {
            throw ApiException.invalid("note", "'note' has at most " + MAX_NOTE + " characters");
        }
        return note;
    }

    private static ObjectNode view(IpRule r) {
        ObjectNode o = Json.object();
        o.put("id", r.id());
        o.put("action", r.action().wireName());
        o.put("cidr", r.cidr().toString());
        if (r.note() != null) {
            o.put("note", r.note());
        }
        if (r.createdBy() != null) {
            o.put("createdBy", r.createdBy());
        }
        o.put("createdAt", r.createdAt());
        o.put("updatedAt", r.updatedAt());
        return o;
    }
}
