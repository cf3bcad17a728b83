package io.aigne.hub.web.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.billing.ModelRate;
import io.aigne.hub.billing.RateBasis;
import io.aigne.hub.billing.RateCard;
import io.aigne.hub.billing.RateJson;
import io.aigne.hub.gateway.ModelCatalog;
import io.aigne.hub.server.Exchange;
import io.aigne.hub.server.Json;
import io.aigne.hub.usage.CallType;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.math.BigDecimal;
import java.util.function.Supplier;

/**
 * {@code GET /api/pricing}, public: what each model the hub can route costs, in credits and in USD at the base
 * credit price — every model of an enabled provider ({@link ModelCatalog}) that has a rate and is not deprecated.
 * A cache price that is not set is shown as the input price, which is what a cached token then costs.
 */
public final class PricingApi {
    private static final CallType[] TYPES = CallType.values();

    private final ModelCatalog models;
    private final RateCard rates;
    private final Supplier<RateBasis> basis;

    public PricingApi(ModelCatalog models, RateCard rates, Supplier<RateBasis> basis) {
        this.models = models;
        this.rates = rates;
        this.basis = basis;
    }

    public void register(HttpRules rules) {
        rules.get("/api/pricing", this::pricing);
    }

    private void pricing(ServerRequest req, ServerResponse res) {
        RateBasis current = basis.get();
        ObjectNode root = Json.object();
        root.put("currency", "USD");
        root.put("baseCreditPrice", RateBasis.plain(current.baseCreditPrice()));
        ArrayNode list = root.putArray("models");
        for (ModelCatalog.Entry entry : models.entries()) {
            for (CallType type : TYPES) {
                rates.find(entry.provider().name(), entry.provider().type().id(), entry.model(), type)
                        .filter(rate -> !rate.deprecated())
                        .ifPresent(rate -> list.add(model(entry, rate, current)));
            }
        }
        Exchange.json(res, 200, root);
    }

    private static ObjectNode model(ModelCatalog.Entry entry, ModelRate rate, RateBasis basis) {
        ObjectNode o = Json.object();
        o.put("key", entry.id());
        o.put("provider", entry.provider().name());
        o.put("providerDisplayName", entry.provider().displayName() != null ? entry.provider().displayName()
                : entry.provider().name());
        o.put("model", entry.model());
        o.put("type", rate.type().wireName());
        if (rate.displayName() != null) {
            o.put("displayName", rate.displayName());
        }
        o.set("credits", prices(rate, BigDecimal.ONE));
        o.set("usd", prices(rate, basis.baseCreditPrice()));
        return o;
    }

    /** The rate's prices times {@code factor} (1 for credits, the base credit price for USD). */
    private static ObjectNode prices(ModelRate rate, BigDecimal factor) {
        ObjectNode o = Json.object();
        o.put("inputPerMillionTokens", RateJson.perMillion(rate.inputRate().multiply(factor)));
        if (rate.type() == CallType.CHAT) {
            o.put("outputPerMillionTokens", RateJson.perMillion(rate.outputRate().multiply(factor)));
            o.put("cacheReadPerMillionTokens", RateJson.perMillion(
                    (rate.cacheReadRate() != null ? rate.cacheReadRate() : rate.inputRate()).multiply(factor)));
            o.put("cacheWritePerMillionTokens", RateJson.perMillion(
                    (rate.cacheWriteRate() != null ? rate.cacheWriteRate() : rate.inputRate()).multiply(factor)));
        }
        if (rate.type() == CallType.IMAGE) {
            o.put("perImage", RateBasis.plain(rate.imagePrice(null, null).multiply(factor)));
            if (!rate.imageRates().isEmpty()) {
                ObjectNode tiers = o.putObject("perImageBySizeAndQuality");
                rate.imageRates().forEach((tier, price) -> tiers.put(tier, RateBasis.plain(price.multiply(factor))));
            }
        }
        if (rate.type() == CallType.VIDEO) {
            o.put("perVideoSecond", RateBasis.plain((rate.videoSecondRate() != null ? rate.videoSecondRate()
                    : rate.outputRate()).multiply(factor)));
        }
        return o;
    }
}
