package io.aigne.hub.web.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.audit.Actor;
import io.aigne.hub.audit.AuditEvent;
import io.aigne.hub.audit.RequestActors;
import io.aigne.hub.auth.Principal;
import io.aigne.hub.billing.BillingSettings;
import io.aigne.hub.billing.BulkMargin;
import io.aigne.hub.billing.ModelRate;
import io.aigne.hub.billing.RateBasis;
import io.aigne.hub.billing.RateChanges;
import io.aigne.hub.billing.RateJson;
import io.aigne.hub.billing.catalog.CatalogImport;
import io.aigne.hub.billing.catalog.PriceCatalog;
import io.aigne.hub.gateway.ModelCatalog;
import io.aigne.hub.provider.ProviderType;
import io.aigne.hub.server.ApiException;
import io.aigne.hub.server.Authenticator;
import io.aigne.hub.server.Exchange;
import io.aigne.hub.server.Json;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Rate changes that touch many rates at once (owners and admins): the import from the bundled price catalogue
 * ({@code POST /api/ai-providers/model-rates/import}, with a dry run that writes nothing) and the bulk margin update
 * ({@code POST /api/ai-providers/bulk-rate-update}).
 */
public final class RateAdminApi {
    private static final BigDecimal MIN_MARGIN = BigDecimal.valueOf(-100);
    private static final BigDecimal MAX_MARGIN = BigDecimal.valueOf(10_000);
    private static final int MARGIN_SCALE = 6;

    private final Authenticator auth;
    private final RequestActors actors;
    private final RateChanges changes;
    private final BillingSettings settings;
    private final ModelCatalog models;
    private final Supplier<RateBasis> basis;
    private final Supplier<PriceCatalog> catalog;
    private final long maxBodyBytes;

    public RateAdminApi(Authenticator auth, RequestActors actors, RateChanges changes, BillingSettings settings,
                        ModelCatalog models, Supplier<RateBasis> basis, Supplier<PriceCatalog> catalog,
                        long maxBodyBytes) {
        this.auth = auth;
        this.actors = actors;
        this.changes = changes;
        this.settings = settings;
        this.models = models;
        this.basis = basis;
        this.catalog = catalog;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** Register before {@link ModelRatesApi}: {@code model-rates/import} is not a provider's rates. */
    public void register(HttpRules rules) {
        rules.post("/api/ai-providers/model-rates/import", this::importCatalog)
                .post("/api/ai-providers/bulk-rate-update", this::bulkUpdate);
    }

    /** {@code {dryRun?: bool, providers?: [type...]}} → the change list. */
    private void importCatalog(ServerRequest req, ServerResponse res) {
        Principal admin = auth.requireAdmin(req);
        ObjectNode body = req.headers().contentLength().orElse(-1) == 0 ? Json.object()
                : Exchange.jsonBody(req, maxBodyBytes);
        boolean dryRun = Boolean.TRUE.equals(Fields.bool(body, "dryRun"));
        Set<ProviderType> types = types(Fields.strings(body, "providers"));
        CatalogImport.Options options = new CatalogImport.Options(types, knownModels(),
                LocalDate.now(ZoneOffset.UTC));
        PriceCatalog prices = catalog.get();
        RateBasis current = basis.get();
        CatalogImport.Plan plan = changes.batch(existing -> CatalogImport.batch(prices, existing, current, options),
                !dryRun, actors.of(req, admin), new RateChanges.Audit<>("rate.import", "catalog",
                        CatalogImport.Plan::summary));
        Exchange.json(res, 200, ImportPlanJson.of(plan, dryRun));
    }

    /**
     * {@code {mode: "margin", marginPercent?: "5", dryRun?: bool}}: every rate with unit costs derived again at that
     * margin; a dry run answers the same change list and writes nothing (neither rates nor the margin setting).
     */
    private void bulkUpdate(ServerRequest req, ServerResponse res) {
        Principal admin = auth.requireAdmin(req);
        ObjectNode body = Exchange.jsonBody(req, maxBodyBytes);
        String mode = Fields.text(body, "mode");
        if (!"margin".equals(mode)) {
            throw ApiException.invalid("mode", "'mode' must be \"margin\" (derive every rate with unit costs again at "
                    + "the margin); to take new prices from the price catalogue use POST "
                    + "/api/ai-providers/model-rates/import");
        }
        BigDecimal margin = margin(body);
        boolean dryRun = Boolean.TRUE.equals(Fields.bool(body, "dryRun"));
        Actor actor = actors.of(req, admin);
        RateBasis target = margin == null ? basis.get() : basis.get().withMargin(margin);
        BulkMargin.Result result;
        try {
            result = changes.batch(rates -> BulkMargin.plan(rates, target), !dryRun, actor,
                    new RateChanges.Audit<>("rate.bulk_margin", "margin", RateAdminApi::summary),
                    h -> margin != null && storeMargin(margin, actor));
        } finally {
            // A failed transaction leaves the stored settings as they were; so must the copy in memory be.
            settings.reload();
        }
        ObjectNode root = Json.object();
        root.put("mode", "margin");
        root.put("dryRun", dryRun);
        root.put("baseCreditPrice", RateBasis.plain(target.baseCreditPrice()));
        root.put("marginPercent", RateBasis.plain(target.marginPercent()));
        root.put("updated", result.changes().size());
        root.put("unchanged", result.unchanged());
        root.put("withoutUnitCosts", result.withoutUnitCosts());
        ArrayNode list = root.putArray("changes");
        for (BulkMargin.Change c : result.changes()) {
            ObjectNode o = list.addObject();
            o.put("id", c.before().id());
            o.put("provider", c.before().provider());
            o.put("model", c.before().model());
            o.put("type", c.before().type().wireName());
            o.set("before", prices(c.before()));
            o.set("after", prices(c.after()));
            ArrayNode changed = o.putArray("changed");
            c.changed().forEach(changed::add);
        }
        Exchange.json(res, 200, root);
    }

    /** The new margin as the billing setting, in the bulk update's transaction and audited as a setting change. */
    private boolean storeMargin(BigDecimal margin, Actor actor) {
        ObjectNode before = settings.view();
        settings.update(Json.object().put("marginPercent", RateBasis.plain(margin)), actor.name());
        changes.audit(AuditEvent.of(actor, "setting.update", "setting", "billing", before, settings.view()));
        return true;
    }

    /** {@code marginPercent}: a decimal above -100 (a negative margin sells below the provider's price). */
    private static BigDecimal margin(ObjectNode body) {
        JsonNode v = body.get("marginPercent");
        if (v == null || v.isNull()) {
            return null;
        }
        BigDecimal margin;
        try {
            margin = new BigDecimal(v.isTextual() || v.isNumber() ? v.asText().trim() : "not a number");
        } catch (NumberFormatException e) {
            throw ApiException.invalid("marginPercent", "'marginPercent' must be a decimal number of percent, "
                    + "written as a string such as \"5\"");
        }
        if (margin.compareTo(MIN_MARGIN) <= 0 || margin.compareTo(MAX_MARGIN) > 0) {
            throw ApiException.invalid("marginPercent", "'marginPercent' must be above " + MIN_MARGIN
                    + " and at most " + MAX_MARGIN);
        }
        if (margin.stripTrailingZeros().scale() > MARGIN_SCALE) {
            throw ApiException.invalid("marginPercent", "'marginPercent' has more than " + MARGIN_SCALE
                    + " decimal places");
        }
        return margin.stripTrailingZeros();
    }

    private static ObjectNode summary(BulkMargin.Result result) {
        ObjectNode o = Json.object();
        o.put("baseCreditPrice", RateBasis.plain(result.basis().baseCreditPrice()));
        o.put("marginPercent", RateBasis.plain(result.basis().marginPercent()));
        o.put("updated", result.changes().size());
        o.put("unchanged", result.unchanged());
        o.put("withoutUnitCosts", result.withoutUnitCosts());
        return o;
    }

    private static Set<ProviderType> types(List<String> names) {
        Set<ProviderType> types = new LinkedHashSet<>();
        if (names != null) {
            for (String name : names) {
                types.add(ProviderType.byId(name).orElseThrow(() -> ApiException.invalid("providers",
                        "'providers' lists provider types such as openai or anthropic; '" + name + "' is not one")));
            }
        }
        return types;
    }

    /** The model ids the hub's providers declare or list, by type, so dated ids get a rate of their own. */
    private Map<ProviderType, Set<String>> knownModels() {
        Map<ProviderType, Set<String>> known = new HashMap<>();
        for (ModelCatalog.Entry e : models.entries()) {
            known.computeIfAbsent(e.provider().type(), t -> new HashSet<>()).add(e.model());
        }
        return known;
    }

    private static ObjectNode prices(ModelRate rate) {
        ObjectNode o = Json.object();
        RateJson.prices(o, rate);
        return o;
    }
}
