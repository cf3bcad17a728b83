package io.aigne.hub.web.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.audit.RequestActors;
import io.aigne.hub.auth.Principal;
import io.aigne.hub.billing.ModelRate;
import io.aigne.hub.billing.RateBasis;
import io.aigne.hub.billing.RateBuilder;
import io.aigne.hub.billing.RateChanges;
import io.aigne.hub.billing.RateDiff;
import io.aigne.hub.billing.RateHistory;
import io.aigne.hub.billing.RateJson;
import io.aigne.hub.routing.Router;
import io.aigne.hub.server.ApiException;
import io.aigne.hub.server.Authenticator;
import io.aigne.hub.server.Exchange;
import io.aigne.hub.server.Json;
import io.aigne.hub.usage.CallType;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The model rates API (spec §4.3): rates keyed by a provider name or a provider type, so {@code :providerId} takes a
 * provider's id or name, or a type (whose rates are the default of every provider of that type). Anyone signed in
 * reads rates; owners and admins change them. Amounts are decimal strings (see {@link RateJson}).
 */
public final class ModelRatesApi {
    private static final Comparator<ModelRate> ORDER = Comparator.comparing(ModelRate::provider)
            .thenComparing(ModelRate::model).thenComparing(r -> r.type().wireName());

    private final Authenticator auth;
    private final RequestActors actors;
    private final RateChanges changes;
    private final RateHistory history;
    private final Router router;
    private final Supplier<RateBasis> basis;
    private final long maxBodyBytes;

    public ModelRatesApi(Authenticator auth, RequestActors actors, RateChanges changes, RateHistory history,
                         Router router, Supplier<RateBasis> basis, long maxBodyBytes) {
        this.auth = auth;
        this.actors = actors;
        this.changes = changes;
        this.history = history;
        this.router = router;
        this.basis = basis;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** Register before the provider API, whose {@code /api/ai-providers/{id}} would take "model-rates" for an id. */
    public void register(HttpRules rules) {
        rules.get("/api/ai-providers/model-rates", this::list)
                .post("/api/ai-providers/model-rates", this::createOnSeveral)
                .get("/api/ai-providers/model-rates/{rateId}/history", this::history)
                .get("/api/ai-providers/{providerId}/model-rates", this::listOfProvider)
                .post("/api/ai-providers/{providerId}/model-rates", this::create)
                .put("/api/ai-providers/{providerId}/model-rates/{rateId}", this::update)
                .delete("/api/ai-providers/{providerId}/model-rates/{rateId}", this::delete);
    }

    /** {@code ?page&pageSize&provider|providerId&model&q&type&includeDeprecated}. */
    private void list(ServerRequest req, ServerResponse res) {
        auth.require(req);
        String provider = Fields.query(req, "provider") != null ? Fields.query(req, "provider")
                : Fields.query(req, "providerId");
        String field = Fields.query(req, "provider") != null ? "provider" : "providerId";
        List<ModelRate> all = changes.store().all();
        List<ModelRate> rates = provider == null ? all : RateOwner.resolve(router, provider, field).applicable(all);
        String model = Fields.query(req, "model");
        String q = Fields.query(req, "q");
        String typeText = Fields.query(req, "type");
        CallType type = typeText == null ? null : RateFields.type(typeText, "type");
        boolean withDeprecated = "true".equalsIgnoreCase(Fields.query(req, "includeDeprecated"));
        int page = Fields.queryInt(req, "page", 1, 1, 1_000_000);
        int pageSize = Fields.queryInt(req, "pageSize", 50, 1, 1000);
        List<ModelRate> matching = rates.stream()
                .filter(r -> withDeprecated || !r.deprecated())
                .filter(r -> model == null || r.model().equalsIgnoreCase(model))
                .filter(r -> type == null || r.type() == type)
                .filter(r -> q == null || mentions(r, q.toLowerCase(Locale.ROOT)))
                .sorted(ORDER).toList();
        ObjectNode root = Json.object();
        root.put("count", matching.size());
        ArrayNode list = root.putArray("list");
        matching.stream().skip((long) (page - 1) * pageSize).limit(pageSize).forEach(r -> list.add(RateJson.of(r)));
        root.putObject("paging").put("page", page).put("pageSize", pageSize);
        Exchange.json(res, 200, root);
    }

    /** The rates that apply to one provider (its own, then its type's defaults), or a type's defaults. */
    private void listOfProvider(ServerRequest req, ServerResponse res) {
        auth.require(req);
        RateOwner owner = RateOwner.resolve(router, Fields.path(req, "providerId"), "providerId");
        boolean withDeprecated = "true".equalsIgnoreCase(Fields.query(req, "includeDeprecated"));
        List<ModelRate> rates = owner.applicable(changes.store().all()).stream()
                .filter(r -> withDeprecated || !r.deprecated()).sorted(ORDER).toList();
        ObjectNode root = Json.object();
        root.put("provider", owner.key());
        root.put("count", rates.size());
        ArrayNode list = root.putArray("list");
        rates.forEach(r -> list.add(RateJson.of(r)));
        Exchange.json(res, 200, root);
    }

    private void create(ServerRequest req, ServerResponse res) {
        Principal admin = auth.requireAdmin(req);
        ObjectNode body = Exchange.jsonBody(req, maxBodyBytes);
        RateOwner owner = RateOwner.resolve(router, Fields.path(req, "providerId"), "providerId");
        ModelRate created = conflictChecked(() -> changes.create(List.of(newRate(owner, body)), actors.of(req, admin)))
                .getFirst();
        Exchange.json(res, 201, RateJson.of(created));
    }

    /** The same model and prices on several providers at once: {@code {providers: [...], model, type, ...}}. */
    private void createOnSeveral(ServerRequest req, ServerResponse res) {
        Principal admin = auth.requireAdmin(req);
        ObjectNode body = Exchange.jsonBody(req, maxBodyBytes);
        List<String> providers = Fields.strings(body, "providers");
        if (providers == null || providers.isEmpty()) {
            throw ApiException.invalid("providers", "'providers' must list at least one provider id, name or type");
        }
        Map<String, ModelRate> rates = new LinkedHashMap<>();
        for (String p : providers) {
            RateOwner owner = RateOwner.resolve(router, p, "providers");
            rates.putIfAbsent(owner.key(), newRate(owner, body));
        }
        List<ModelRate> created = conflictChecked(() -> changes.create(List.copyOf(rates.values()),
                actors.of(req, admin)));
        ObjectNode root = Json.object();
        root.put("count", created.size());
        ArrayNode list = root.putArray("list");
        created.forEach(r -> list.add(RateJson.of(r)));
        Exchange.json(res, 201, root);
    }

    private void update(ServerRequest req, ServerResponse res) {
        Principal admin = auth.requireAdmin(req);
        ObjectNode body = Exchange.jsonBody(req, maxBodyBytes);
        ModelRate before = rateOf(req);
        String model = Fields.text(body, "model");
        if (model != null && !model.equals(before.model())) {
            throw ApiException.invalid("model", "a rate's model cannot change; create a rate for '" + model
                    + "' and delete this one");
        }
        String type = Fields.text(body, "type");
        if (type != null && RateFields.type(type, "type") != before.type()) {
            throw ApiException.invalid("type", "a rate's type cannot change; create a rate of type " + type
                    + " and delete this one");
        }
        ModelRate after = RateInput.apply(body, before, basis.get());
        boolean pricesChanged = !RateDiff.prices(before, after).isEmpty();
        if (pricesChanged) {
            // Prices set by hand are the operator's: later catalogue imports leave them alone.
            after = RateBuilder.from(after).source(ModelRate.Source.MANUAL).build();
        }
        after = deprecation(body, before, after);
        RateHistory.Change change = pricesChanged ? RateHistory.Change.MANUAL_UPDATE
                : after.deprecated() != before.deprecated()
                || !Objects.equals(after.deprecatedReason(), before.deprecatedReason())
                ? RateHistory.Change.DEPRECATE : RateHistory.Change.UPDATE;
        if (!pricesChanged && change == RateHistory.Change.UPDATE
                && Objects.equals(after.displayName(), before.displayName())
                && Objects.equals(after.metadata(), before.metadata())) {
            Exchange.json(res, 200, RateJson.of(before));
            return;
        }
        ModelRate saved = changes.update(after, change, actors.of(req, admin)).orElseThrow(() -> gone(before.id()));
        Exchange.json(res, 200, RateJson.of(saved));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        Principal admin = auth.requireAdmin(req);
        ModelRate rate = rateOf(req);
        changes.delete(rate.id(), actors.of(req, admin)).orElseThrow(() -> gone(rate.id()));
        Exchange.json(res, 200, Json.object().put("deleted", true).put("id", rate.id()));
    }

    private void history(ServerRequest req, ServerResponse res) {
        auth.requireAdmin(req);
        String rateId = Fields.path(req, "rateId");
        List<RateHistory.Entry> entries = history.of(rateId);
        if (entries.isEmpty() && changes.store().find(rateId).isEmpty()) {
            throw gone(rateId);
        }
        ObjectNode root = Json.object();
        root.put("rateId", rateId);
        root.put("count", entries.size());
        ArrayNode list = root.putArray("list");
        for (RateHistory.Entry e : entries) {
            ObjectNode o = list.addObject();
            o.put("id", e.id());
            o.put("changeType", e.changeType());
            o.put("provider", e.provider());
            o.put("model", e.model());
            o.put("type", e.type());
            o.set("before", e.before());
            o.set("after", e.after());
            o.put("actor", e.actor());
            o.put("createdAt", e.createdAt());
        }
        Exchange.json(res, 200, root);
    }

    /** A new hand-set rate from a create body: {@code model} (required), {@code type} (default chat) and prices. */
    private ModelRate newRate(RateOwner owner, ObjectNode body) {
        String model = RateInput.limited(Fields.text(body, "model"), "model");
        if (model == null || model.isBlank()) {
            throw ApiException.invalid("model", "'model' is required: the provider's model id, e.g. gpt-4o-mini");
        }
        String typeText = Fields.text(body, "type");
        CallType type = typeText == null ? CallType.CHAT : RateFields.type(typeText, "type");
        ModelRate base = RateBuilder.of(owner.key(), model.trim(), type).source(ModelRate.Source.MANUAL).build();
        ModelRate rate = RateInput.apply(body, base, basis.get());
        return deprecation(body, base, rate);
    }

    /** Applies {@code deprecated}/{@code deprecatedReason}; deprecating stamps the time, undeprecating clears both. */
    private static ModelRate deprecation(ObjectNode body, ModelRate before, ModelRate rate) {
        Boolean deprecated = Fields.bool(body, "deprecated");
        String reason = RateInput.limited(Fields.text(body, "deprecatedReason"), "deprecatedReason");
        if (deprecated == null && reason == null) {
            return rate;
        }
        boolean now = deprecated != null ? deprecated : before.deprecated();
        if (!now) {
            return RateBuilder.from(rate).deprecated(false, null, null).build();
        }
        Long at = before.deprecated() ? before.deprecatedAt() : Long.valueOf(System.currentTimeMillis());
        return RateBuilder.from(rate).deprecated(true, reason != null ? reason : before.deprecatedReason(), at)
                .build();
    }

    /**
     * The path's rate, which must apply to the path's provider (its own rate, or its type's default). A rate's own
     * key is always accepted, so the rates of a provider that was deleted can still be changed or removed.
     */
    private ModelRate rateOf(ServerRequest req) {
        String providerId = Fields.path(req, "providerId");
        String rateId = Fields.path(req, "rateId");
        ModelRate rate = changes.store().find(rateId).orElseThrow(() -> gone(rateId));
        if (rate.provider().equals(providerId)) {
            return rate;
        }
        RateOwner owner = RateOwner.resolve(router, providerId, "providerId");
        if (!rate.provider().equals(owner.key()) && !rate.provider().equals(owner.type().id())) {
            throw ApiException.notFound("rate_not_found", "rate " + rateId + " is not a rate of " + owner.key()
                    + " (it belongs to " + rate.provider() + ")");
        }
        return rate;
    }

    private static ApiException gone(String rateId) {
        return ApiException.notFound("rate_not_found", "no model rate with id " + rateId
                + " (GET /api/ai-providers/model-rates lists them)");
    }

    private static <T> T conflictChecked(Supplier<T> change) {
        try {
            return change.get();
        } catch (RateChanges.Conflict e) {
            throw new ApiException(409, "conflict", "already_exists", "model", e.getMessage());
        }
    }

    private static boolean mentions(ModelRate r, String q) {
        return r.model().toLowerCase(Locale.ROOT).contains(q) || r.provider().toLowerCase(Locale.ROOT).contains(q)
                || (r.displayName() != null && r.displayName().toLowerCase(Locale.ROOT).contains(q));
    }
}
