package io.aigne.hub.web.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.billing.ModelRate;
import io.aigne.hub.billing.RateBasis;
import io.aigne.hub.billing.RateJson;
import io.aigne.hub.billing.catalog.CatalogImport;
import io.aigne.hub.server.Json;

/** An import's change list as JSON: what the console shows as a preview (dry run) or as the result. */
final class ImportPlanJson {
    private ImportPlanJson() {
    }

    static ObjectNode of(CatalogImport.Plan plan, boolean dryRun) {
        ObjectNode root = Json.object();
        root.put("dryRun", dryRun);
        root.put("catalog", plan.catalogSource());
        root.put("pricesOf", plan.pricesOf().toString());
        root.put("baseCreditPrice", RateBasis.plain(plan.basis().baseCreditPrice()));
        root.put("marginPercent", RateBasis.plain(plan.basis().marginPercent()));
        ObjectNode summary = root.putObject("summary");
        summary.put("create", plan.count(CatalogImport.Action.CREATE));
        summary.put("update", plan.count(CatalogImport.Action.UPDATE));
        summary.put("unchanged", plan.unchanged());
        summary.put("keptManual", plan.count(CatalogImport.Action.KEEP_MANUAL));
        summary.put("skippedModels", plan.skippedModels().size());
        ArrayNode changes = root.putArray("changes");
        for (CatalogImport.Change c : plan.changes()) {
            ObjectNode o = changes.addObject();
            o.put("action", c.action().wireName());
            o.put("provider", c.after().provider());
            o.put("model", c.after().model());
            o.put("type", c.after().type().wireName());
            o.put("catalogModel", c.catalogModel());
            if (c.tiered()) {
                o.put("tiered", true);
            }
            if (c.before() != null) {
                o.put("id", c.before().id());
                o.set("before", prices(c.before()));
            }
            // For a rate kept as set by hand, "after" is what the catalogue would have set.
            o.set("after", prices(c.after()));
            if (!c.changed().isEmpty()) {
                ArrayNode changed = o.putArray("changed");
                c.changed().forEach(changed::add);
            }
        }
        ArrayNode skippedModels = root.putArray("skippedModels");
        plan.skippedModels().forEach(s -> skippedModels.addObject().put("provider", s.provider())
                .put("model", s.model()).put("reason", s.reason()));
        ArrayNode skippedProviders = root.putArray("skippedProviders");
        plan.skippedProviders().forEach(s -> skippedProviders.addObject().put("catalogProvider", s.id())
                .put("name", s.name()).put("reason", s.reason()));
        ArrayNode unpriced = root.putArray("typesWithoutCatalogPrices");
        plan.typesWithoutPrices().forEach(t -> unpriced.add(t.id()));
        return root;
    }

    private static ObjectNode prices(ModelRate rate) {
        ObjectNode o = Json.object();
        RateJson.prices(o, rate);
        o.put("source", rate.source().wireName());
        return o;
    }
}
