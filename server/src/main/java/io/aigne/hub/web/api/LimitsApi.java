package io.aigne.hub.web.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.auth.AccessKeys;
import io.aigne.hub.audit.Actor;
import io.aigne.hub.audit.AuditEvent;
import io.aigne.hub.audit.AuditLog;
import io.aigne.hub.audit.RequestActors;
import io.aigne.hub.auth.Principal;
import io.aigne.hub.auth.User;
import io.aigne.hub.auth.UserStore;
import io.aigne.hub.limits.ActiveLimits;
import io.aigne.hub.limits.CallLimiter;
import io.aigne.hub.limits.Limit;
import io.aigne.hub.limits.LimitMetric;
import io.aigne.hub.limits.LimitScope;
import io.aigne.hub.limits.LimitStatus;
import io.aigne.hub.limits.LimitStore;
import io.aigne.hub.limits.LimitSubject;
import io.aigne.hub.server.ApiException;
import io.aigne.hub.server.Authenticator;
import io.aigne.hub.server.Exchange;
import io.aigne.hub.server.Json;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

/**
 * Quotas and rate limits. Owners and admins manage them under {@code /api/admin/limits}; every user sees the ones
 * that apply to them, with the current window's usage, at {@code GET /api/user/limits}. A change applies on this
 * node at once and on the others within {@code limits.reloadSeconds}.
 */
public final class LimitsApi {
    private static final int MAX_SUBJECT = 256;
    private static final int MAX_NOTE = 500;
    private static final int NANOS_SCALE = 9;

    private final Authenticator auth;
    private final RequestActors actors;
    private final AuditLog audit;
    private final LimitStore store;
    private final ActiveLimits active;
    private final CallLimiter limiter;
    private final UserStore users;
    private final AccessKeys keys;
    private final long maxBodyBytes;

    public LimitsApi(Authenticator auth, RequestActors actors, AuditLog audit, LimitStore store, ActiveLimits active,
                     CallLimiter limiter, UserStore users,
                     AccessKeys keys, long maxBodyBytes) {
        this.auth = auth;
        this.actors = actors;
        this.audit = audit;
        this.store = store;
        this.active = active;
        this.limiter = limiter;
        this.users = users;
        this.keys = keys;
        this.maxBodyBytes = maxBodyBytes;
    }

    public void register(HttpRules rules) {
        rules.get("/api/admin/limits", this::list)
                .post("/api/admin/limits", this::create)
                .put("/api/admin/limits/{id}", this::update)
                .delete("/api/admin/limits/{id}", this::delete)
                .get("/api/user/limits", this::mine)
                .put("/api/user/access-keys/{id}/limits/{metric}", this::setOwnKeyLimit)
                .delete("/api/user/access-keys/{id}/limits/{metric}", this::removeOwnKeyLimit);
    }

    /**
     * A user caps one of their own keys (a CI key at 100 credits a day, say). Only a limit the user set can be
     * changed or removed this way: one an administrator put on the key stays as it is, so a user can tighten a key
     * but never loosen what an admin decided.
     */
    private void setOwnKeyLimit(ServerRequest req, ServerResponse res) {
        Principal p = auth.require(req);
        String keyId = ownKey(p, Fields.path(req, "id"));
        LimitMetric metric = metric(Fields.path(req, "metric"));
        long value = value(Exchange.jsonBody(req, maxBodyBytes), metric);
        Optional<Limit> current = store.find(LimitScope.KEY, keyId, metric);
        current.ifPresent(l -> refuseIfAdmins(l, p));
        Actor actor = actors.of(req, p);
        Limit saved = audit.inTransaction(() -> {
            Limit after = current.isPresent()
                    ? store.update(new Limit(current.get().id(), LimitScope.KEY, keyId, metric, value,
                            current.get().note(), current.get().createdBy(), current.get().createdAt(),
                            current.get().updatedAt()))
                    : store.create(LimitScope.KEY, keyId, metric, value, null, p.userId());
            audit.record(AuditEvent.of(actor, current.isPresent() ? "limit.update" : "limit.create", "limit",
                    after.id(), current.map(LimitsApi::view).orElse(null), view(after)));
            return after;
        });
        active.reload();
        Exchange.json(res, current.isPresent() ? 200 : 201, view(saved));
    }

    private void removeOwnKeyLimit(ServerRequest req, ServerResponse res) {
        Principal p = auth.require(req);
        String keyId = ownKey(p, Fields.path(req, "id"));
        LimitMetric metric = metric(Fields.path(req, "metric"));
        Limit limit = store.find(LimitScope.KEY, keyId, metric).orElseThrow(() -> ApiException.notFound("not_found",
                "this key has no " + metric.wireName() + " limit"));
        refuseIfAdmins(limit, p);
        Actor actor = actors.of(req, p);
        audit.useTransaction(() -> {
            store.delete(limit.id());
            audit.record(AuditEvent.of(actor, "limit.delete", "limit", limit.id(), view(limit), null));
        });
        active.reload();
        Exchange.json(res, 200, Json.object().put("deleted", true).put("id", limit.id()));
    }

    private String ownKey(Principal p, String keyId) {
        return keys.byId(keyId).filter(k -> k.userId().equals(p.userId()) && !k.revoked()).map(k -> k.id())
                .orElseThrow(() -> ApiException.notFound("not_found", "you have no access key with id " + keyId));
    }

    private static void refuseIfAdmins(Limit limit, Principal p) {
        if (!p.userId().equals(limit.createdBy())) {
            throw ApiException.forbidden("this " + limit.metric().wireName() + " limit was set by an administrator; "
                    + "ask one to change it");
        }
    }

    private void list(ServerRequest req, ServerResponse res) {
        auth.requireAdmin(req);
        LimitScope scope = Optional.ofNullable(Fields.query(req, "scope")).map(s -> scope(s, "scope")).orElse(null);
        String subject = Fields.query(req, "subject");
        ArrayNode out = Json.MAPPER.createArrayNode();
        store.list().stream()
                .filter(l -> scope == null || l.scope() == scope)
                .filter(l -> subject == null || l.subject().equals(subject))
                .forEach(l -> out.add(view(l)));
        Exchange.json(res, 200, out);
    }

    private void create(ServerRequest req, ServerResponse res) {
        Principal admin = auth.requireAdmin(req);
        ObjectNode body = Exchange.jsonBody(req, maxBodyBytes);
        LimitScope scope = scope(required(body, "scope"), "scope");
        String subject = subject(scope, required(body, "subject"));
        LimitMetric metric = metric(required(body, "metric"));
        long value = value(body, metric);
        String note = note(body);
        refuseDuplicate(scope, subject, metric, null);
        Actor actor = actors.of(req, admin);
        Limit created = audit.inTransaction(() -> {
            Limit made = store.create(scope, subject, metric, value, note, admin.userId());
            audit.record(AuditEvent.of(actor, "limit.create", "limit", made.id(), null, view(made)));
            return made;
        });
        active.reload();
        Exchange.json(res, 201, view(created));
    }

    /** Changes any of scope, subject, metric, limit and note; the others stay as they were. */
    private void update(ServerRequest req, ServerResponse res) {
        Actor actor = actors.of(req, auth.requireAdmin(req));
        Limit current = limit(Fields.path(req, "id"));
        ObjectNode body = Exchange.jsonBody(req, maxBodyBytes);
        String scopeText = Fields.text(body, "scope");
        LimitScope scope = scopeText == null ? current.scope() : scope(scopeText, "scope");
        String subjectText = Fields.text(body, "subject");
        String subject = subjectText == null && scope == current.scope() ? current.subject()
                : subject(scope, subjectText == null ? current.subject() : subjectText);
        String metricText = Fields.text(body, "metric");
        LimitMetric metric = metricText == null ? current.metric() : metric(metricText);
        boolean unitChanged = metric.unit() != current.metric().unit();
        if (unitChanged && !body.has("limit")) {
            throw ApiException.invalid("limit", "'limit' is required when the metric changes to one counted in "
                    + metric.unit().wireName());
        }
        long value = body.has("limit") ? value(body, metric) : current.value();
        String note = body.has("note") ? note(body) : current.note();
        refuseDuplicate(scope, subject, metric, current.id());
        Limit updated = audit.inTransaction(() -> {
            Limit changed = store.update(new Limit(current.id(), scope, subject, metric, value, note,
                    current.createdBy(), current.createdAt(), current.updatedAt()));
            audit.record(AuditEvent.of(actor, "limit.update", "limit", current.id(), view(current), view(changed)));
            return changed;
        });
        active.reload();
        Exchange.json(res, 200, view(updated));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        Actor actor = actors.of(req, auth.requireAdmin(req));
        Limit limit = limit(Fields.path(req, "id"));
        audit.useTransaction(() -> {
            store.delete(limit.id());
            audit.record(AuditEvent.of(actor, "limit.delete", "limit", limit.id(), view(limit), null));
        });
        active.reload();
        Exchange.json(res, 200, Json.object().put("deleted", true).put("id", limit.id()));
    }

    /**
     * The limits on the caller's calls; with {@code ?key=<id>} (one of the caller's own keys), those on calls made
     * with that key, so a browser session, which has no key of its own, can show each key's limits.
     */
    private void mine(ServerRequest req, ServerResponse res) {
        Principal p = auth.require(req);
        String keyId = Fields.query(req, "key");
        LimitSubject subject = keyId == null ? LimitSubject.of(p, Exchange.appDid(req, p), null)
                : keys.byId(keyId).filter(k -> k.userId().equals(p.userId()))
                        .map(k -> new LimitSubject(p.userId(), p.userName(), k.id(), k.name(), k.app(), null))
                        .orElseThrow(() -> ApiException.notFound("not_found", "you have no access key with id " + keyId));
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (LimitStatus status : limiter.status(subject)) {
            ObjectNode o = view(status.limit());
            // Notes and authors are the admins' own bookkeeping; the caller only learns which limits are their own.
            o.remove(List.of("note", "createdBy"));
            o.put("setByYou", p.userId().equals(status.limit().createdBy()));
            o.put("appliesTo", status.subjectId());
            LimitMetric metric = status.limit().metric();
            if (status.used() != null) {
                putAmount(o, "used", metric, status.used());
                putAmount(o, "remaining", metric, Math.max(0, status.limit().value() - status.used()));
            }
            o.put("windowStart", status.windowStart());
            o.put("windowEnd", status.windowEnd());
            out.add(o);
        }
        Exchange.json(res, 200, Json.object().set("limits", out));
    }

    private void refuseDuplicate(LimitScope scope, String subject, LimitMetric metric, String exceptId) {
        store.find(scope, subject, metric).filter(l -> !l.id().equals(exceptId)).ifPresent(l -> {
            throw new ApiException(409, "invalid_request_error", "already_exists", "subject",
                    "a " + metric.wireName() + " limit for " + scope.wireName() + " '" + subject
                            + "' already exists (id " + l.id() + "); change it with PUT /api/admin/limits/" + l.id());
        });
    }

    private Limit limit(String id) {
        return store.byId(id).orElseThrow(() -> ApiException.notFound("not_found", "no limit with id " + id));
    }

    private static String required(ObjectNode body, String field) {
        String v = Fields.text(body, field);
        if (v == null || v.isBlank()) {
            throw ApiException.invalid(field, "'" + field + "' is required");
        }
        return v.trim();
    }

    private static LimitScope scope(String text, String field) {
        try {
            return LimitScope.parse(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(field, "'" + field + "' " + e.getMessage());
        }
    }

    private static LimitMetric metric(String text) {
        try {
            return LimitMetric.parse(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("metric", "'metric' " + e.getMessage());
        }
    }

    /**
     * The subject as stored: '*', a user's id (a user name is accepted and turned into the id), an access key's id,
     * or for apps and models the DID or model id as callers send it.
     */
    private String subject(LimitScope scope, String text) {
        String subject = text.trim();
        if (subject.isEmpty() || subject.length() > MAX_SUBJECT) {
            throw ApiException.invalid("subject", "'subject' must be '*' (each " + scope.label() + ") or an id of 1 to "
                    + MAX_SUBJECT + " characters");
        }
        if (subject.equals(Limit.EACH)) {
            return subject;
        }
        return switch (scope) {
            case USER -> users.byId(subject).or(() -> users.byName(subject)).map(User::id).orElseThrow(() ->
                    ApiException.invalid("subject", "no user with id or name '" + subject + "'"));
            case KEY -> keys.byId(subject).map(k -> k.id()).orElseThrow(() ->
                    ApiException.invalid("subject", "no access key with id '" + subject + "' (GET "
                            + "/api/admin/users/{id}/access-keys lists a user's keys)"));
            case APP, MODEL -> subject;
        };
    }

    /** Requests and tokens as a whole number; credits as a decimal number or string with up to 9 decimals. */
    private static long value(ObjectNode body, LimitMetric metric) {
        JsonNode v = body.get("limit");
        if (v == null || v.isNull()) {
            throw ApiException.invalid("limit", "'limit' is required: the most " + metric.unit().wireName()
                    + " allowed " + metric.label().substring(metric.unit().wireName().length()).trim());
        }
        if (metric.unit() != LimitMetric.Unit.CREDITS) {
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
                throw ApiException.invalid("limit", "'limit' must be a whole number of " + metric.unit().wireName()
                        + ", 0 or more");
            }
            return v.asLong();
        }
        BigDecimal credits;
        try {
            credits = v.isNumber() ? v.decimalValue() : v.isTextual() ? new BigDecimal(v.asText().trim()) : null;
        } catch (NumberFormatException e) {
            credits = null;
        }
        if (credits == null || credits.signum() < 0) {
            throw ApiException.invalid("limit", "'limit' must be a number of credits, 0 or more, e.g. 25 or \"2.5\"");
        }
        if (credits.stripTrailingZeros().scale() > NANOS_SCALE) {
            throw ApiException.invalid("limit", "'limit' has more than 9 decimals; credits are counted in "
                    + "billionths (nanocredits)");
        }
        try {
            return credits.movePointRight(NANOS_SCALE).longValueExact();
        } catch (ArithmeticException e) {
            throw ApiException.invalid("limit", "'limit' is too large");
        }
    }

    private static String note(ObjectNode body) {
        String note = Fields.text(body, "note");
        if (note != null && note.length() > MAX_NOTE) {
            throw ApiException.invalid("note", "'note' has at most " + MAX_NOTE + " characters");
        }
        return note;
    }

    private static ObjectNode view(Limit l) {
        ObjectNode o = Json.object();
        o.put("id", l.id());
        o.put("scope", l.scope().wireName());
        o.put("subject", l.subject());
        o.put("metric", l.metric().wireName());
        o.put("unit", l.metric().unit().wireName());
        putAmount(o, "limit", l.metric(), l.value());
        if (l.note() != null) {
            o.put("note", l.note());
        }
        if (l.createdBy() != null) {
            o.put("createdBy", l.createdBy());
        }
        o.put("createdAt", l.createdAt());
        o.put("updatedAt", l.updatedAt());
        return o;
    }

    /** Counts as numbers; credits as exact decimal strings ("2.5"), like every credit amount the hub shows. */
    private static void putAmount(ObjectNode o, String field, LimitMetric metric, long value) {
        if (metric.unit() == LimitMetric.Unit.CREDITS) {
            o.put(field, metric.format(value));
        } else {
            o.put(field, value);
        }
    }
}
