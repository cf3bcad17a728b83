package io.aigne.hub.web.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.audit.Actor;
import io.aigne.hub.audit.AuditEvent;
import io.aigne.hub.audit.AuditLog;
import io.aigne.hub.audit.RequestActors;
import io.aigne.hub.auth.Principal;
import io.aigne.hub.auth.User;
import io.aigne.hub.auth.UserStore;
import io.aigne.hub.billing.Billing;
import io.aigne.hub.billing.CreditAccount;
import io.aigne.hub.billing.CreditEntry;
import io.aigne.hub.billing.CreditLedger;
import io.aigne.hub.billing.Credits;
import io.aigne.hub.media.PublicOrigin;
import io.aigne.hub.server.ApiException;
import io.aigne.hub.server.Authenticator;
import io.aigne.hub.server.Exchange;
import io.aigne.hub.server.Json;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.List;

/**
 * The credit APIs: a user's balance, grants, transactions and purchase link (spec §4.2), the quota summary
 * ({@code /api/usage/quota}, §4.4), and for owners and admins, granting credit, refunding a call, reading any
 * account, and the billing settings. Amounts are decimal strings of credits.
 */
public final class CreditsApi {
    private static final List<CreditEntry.Kind> GRANT_KINDS = List.of(CreditEntry.Kind.GRANT,
            CreditEntry.Kind.PROMOTION, CreditEntry.Kind.PURCHASE, CreditEntry.Kind.REFUND);

    private final Authenticator auth;
    private final RequestActors actors;
    private final AuditLog audit;
    private final Billing billing;
    private final UserStore users;
    private final PublicOrigin origin;
    private final long maxBodyBytes;

    public CreditsApi(Authenticator auth, RequestActors actors, AuditLog audit, Billing billing, UserStore users,
                      PublicOrigin origin, long maxBodyBytes) {
        this.auth = auth;
        this.actors = actors;
        this.audit = audit;
        this.billing = billing;
        this.users = users;
        this.origin = origin;
        this.maxBodyBytes = maxBodyBytes;
    }

    public void register(HttpRules rules) {
        rules.get("/api/user/credit/balance", this::balance)
                .get("/api/user/credit/grants", (req, res) -> entries(req, res, GRANT_KINDS))
                .get("/api/user/credit/transactions", (req, res) -> entries(req, res, List.of()))
                .get("/api/user/credit/payment-link", this::paymentLink)
                .get("/api/usage/quota", this::quota)
                .post("/api/admin/credits/grants", this::grant)
                .post("/api/admin/credits/refunds", this::refund)
                .get("/api/admin/credits/accounts/{user}", this::account)
                .get("/api/admin/billing/settings", this::settings)
                .put("/api/admin/billing/settings", this::updateSettings);
    }

    /** {@code balance} is what new calls can still use: the ledger's balance less what calls in flight hold. */
    private void balance(ServerRequest req, ServerResponse res) {
        Principal p = auth.require(req);
        Exchange.json(res, 200, balanceView(billing.ledger().account(p.userId()), p.userId()));
    }

    private ObjectNode balanceView(CreditAccount account, String userId) {
        CreditLedger.Page open = billing.ledger().entries(userId, GRANT_KINDS, null, null, 1, 1);
        ObjectNode out = Json.object();
        out.put("balance", account.available().toPlainString());
        out.put("total", account.balance().toPlainString());
        out.put("grantCount", open.count());
        out.put("pendingCredit", account.held().toPlainString());
        out.set("currency", billing.policy().currencyJson());
        return out;
    }

    private void entries(ServerRequest req, ServerResponse res, List<CreditEntry.Kind> kinds) {
        Principal p = auth.require(req);
        page(req, res, p.userId(), kinds);
    }

    private void page(ServerRequest req, ServerResponse res, String userId, List<CreditEntry.Kind> kinds) {
        int page = Fields.queryInt(req, "page", 1, 1, 1_000_000);
        int pageSize = Fields.queryInt(req, "pageSize", 20, 1, 100);
        CreditLedger.Page found = billing.ledger().entries(userId, kinds, Fields.queryTime(req, "start"),
                Fields.queryTime(req, "end"), page, pageSize);
        ObjectNode out = Json.object();
        out.put("count", found.count());
        ArrayNode list = out.putArray("list");
        found.entries().forEach(e -> list.add(entryView(e)));
        out.putObject("paging").put("page", page).put("pageSize", pageSize);
        Exchange.json(res, 200, out);
    }

    static ObjectNode entryView(CreditEntry e) {
        ObjectNode o = Json.object();
        o.put("id", e.id());
        o.put("kind", e.kind().wireName());
        o.put("amount", e.amount().toPlainString());
        if (e.kind().adds()) {
            o.put("remaining", e.remaining().toPlainString());
        }
        if (e.expiresAt() != null) {
            o.put("expiresAt", e.expiresAt());
        }
        if (e.callId() != null) {
            o.put("callId", e.callId());
        }
        if (e.description() != null) {
            o.put("description", e.description());
        }
        if (e.actor() != null) {
            o.put("actor", e.actor());
        }
        o.put("createdAt", e.createdAt());
        return o;
    }

    private void paymentLink(ServerRequest req, ServerResponse res) {
        auth.require(req);
        Exchange.json(res, 200, Json.MAPPER.getNodeFactory().textNode(billing.purchaseLink(origin.of(req))));
    }

    /** {@code dailyAvgCredits} averages the last 30 days' charges; the days left divide what remains by it. */
    private void quota(ServerRequest req, ServerResponse res) {
        Principal p = auth.require(req);
        CreditAccount account = billing.ledger().account(p.userId());
        long now = System.currentTimeMillis();
        Credits last30 = billing.ledger().spentSince(p.userId(), now - 30L * 86_400_000L);
        Credits granted = billing.ledger().granted(p.userId());
        Credits dailyAverage = Credits.of(last30.toBigDecimal().divide(java.math.BigDecimal.valueOf(30), Credits.SCALE,
                java.math.RoundingMode.HALF_UP));
        ObjectNode out = Json.object();
        out.put("total", granted.toPlainString());
        out.put("remaining", account.available().toPlainString());
        out.put("used", billing.ledger().spentSince(p.userId(), 0).toPlainString());
        out.put("pendingCredit", account.held().toPlainString());
        out.put("dailyAvgCredits", dailyAverage.toPlainString());
        if (dailyAverage.isPositive()) {
            out.put("estimatedDaysRemaining", account.available().nanos() / dailyAverage.nanos());
        } else {
            out.putNull("estimatedDaysRemaining");
        }
        out.set("currency", billing.policy().currencyJson());
        Exchange.json(res, 200, out);
    }

    private void grant(ServerRequest req, ServerResponse res) {
        Principal admin = auth.requireAdmin(req);
        ObjectNode body = Exchange.jsonBody(req, maxBodyBytes);
        User user = user(Fields.text(body, "user"));
        Credits amount = amount(body, "amount");
        String kindName = Fields.text(body, "kind");
        CreditEntry.Kind kind = kindName == null ? CreditEntry.Kind.GRANT : switch (kindName) {
            case "grant" -> CreditEntry.Kind.GRANT;
            case "promotion" -> CreditEntry.Kind.PROMOTION;
            default -> throw ApiException.invalid("kind", "kind: must be \"grant\" or \"promotion\"");
        };
        Integer days = Fields.integer(body, "expiresInDays");
        if (days != null && days <= 0) {
            throw ApiException.invalid("expiresInDays", "expiresInDays: must be 1 or more (leave it out for no expiry)");
        }
        Long expiresAt = days == null ? null : System.currentTimeMillis() + days * 86_400_000L;
        String externalId = Fields.text(body, "idempotencyKey");
        Actor actor = actors.of(req, admin);
        CreditEntry entry = audit.inTransaction(() -> {
            CreditEntry made = billing.ledger().grant(user.id(), kind, amount, expiresAt,
                            externalId == null ? null : "admin:" + externalId, Fields.text(body, "description"),
                            admin.userName())
                    .orElseThrow(() -> new ApiException(409, "invalid_request_error", "already_granted",
                            "idempotencyKey", "a grant with this idempotencyKey was already made"));
            audit.record(AuditEvent.of(actor, "credit.grant", "user", user.id(), null, entryView(made)));
            return made;
        });
        Exchange.json(res, 201, entryView(entry));
    }

    private void refund(ServerRequest req, ServerResponse res) {
        Principal admin = auth.requireAdmin(req);
        ObjectNode body = Exchange.jsonBody(req, maxBodyBytes);
        String callId = Fields.text(body, "callId");
        if (callId == null || callId.isBlank()) {
            throw ApiException.invalid("callId", "callId: the id of the charged call to refund is required");
        }
        String reason = Fields.text(body, "reason");
        Actor actor = actors.of(req, admin);
        CreditEntry entry = audit.inTransaction(() -> {
            CreditEntry made = billing.ledger().refund(callId, reason == null ? "refund" : reason, admin.userName())
                    .orElseThrow(() -> new ApiException(409, "invalid_request_error", "not_refundable", "callId",
                            "call '" + callId + "' was not charged, or was refunded already"));
            audit.record(AuditEvent.of(actor, "credit.refund", "user", made.userId(), null, entryView(made)));
            return made;
        });
        Exchange.json(res, 201, entryView(entry));
    }

    private void account(ServerRequest req, ServerResponse res) {
        auth.requireAdmin(req);
        User user = user(Fields.path(req, "user"));
        ObjectNode out = balanceView(billing.ledger().account(user.id()), user.id());
        out.put("userId", user.id());
        out.put("userName", user.name());
        out.put("ledgerSum", billing.ledger().ledgerSum(user.id()).toPlainString());
        Exchange.json(res, 200, out);
    }

    private void settings(ServerRequest req, ServerResponse res) {
        auth.requireAdmin(req);
        Exchange.json(res, 200, billing.settings().view());
    }

    private void updateSettings(ServerRequest req, ServerResponse res) {
        Principal p = auth.requireAdmin(req);
        ObjectNode body = Exchange.jsonBody(req, maxBodyBytes);
        Actor actor = actors.of(req, p);
        try {
            audit.useTransaction(() -> {
                ObjectNode before = billing.settings().view();
                billing.settings().update(body, p.userName());
                audit.record(AuditEvent.of(actor, "setting.update", "setting", "billing", before,
                        billing.settings().view()));
            });
        } catch (IllegalArgumentException e) {
            String field = e.getMessage().contains(":") ? e.getMessage().substring(0, e.getMessage().indexOf(':')) : null;
            throw ApiException.invalid(field, e.getMessage());
        } finally {
            // What the transaction left in the database, committed or rolled back, is what this node uses.
            billing.settings().reload();
        }
        Exchange.json(res, 200, billing.settings().view());
    }

    private User user(String idOrName) {
        if (idOrName == null || idOrName.isBlank()) {
            throw ApiException.invalid("user", "user: the user's id or name is required");
        }
        return users.byId(idOrName).or(() -> users.byName(idOrName)).orElseThrow(() ->
                ApiException.notFound("user_not_found", "no user '" + idOrName + "'"));
    }

    private static Credits amount(ObjectNode body, String field) {
        String text = body.hasNonNull(field) && (body.get(field).isTextual() || body.get(field).isNumber())
                ? body.get(field).asText() : null;
        if (text == null) {
            throw ApiException.invalid(field, field + ": the amount of credits is required, as a decimal string such as \"10\"");
        }
        try {
            Credits amount = Credits.parse(text);
            if (!amount.isPositive()) {
                throw ApiException.invalid(field, field + ": must be more than 0");
            }
            return amount;
        } catch (NumberFormatException | ArithmeticException e) {
            throw ApiException.invalid(field, field + ": must be a decimal number with at most 9 decimals, e.g. \"12.5\"");
        }
    }
}
