package io.aigne.hub.web.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.billing.ModelRate;
import io.aigne.hub.billing.RateBasis;
import io.aigne.hub.billing.RateBuilder;
import io.aigne.hub.server.ApiException;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Set;

/**
 * The descriptive and price fields of a rate's create or update body, applied over a rate: only the fields the body
 * names change ({@code null} clears an optional one). A price given only as a unit cost (the provider's USD price
 * per token, per image, per second) has its credit rate derived at the current basis, as imports do.
 */
final class RateInput {
    private static final int MAX_TEXT = 200;
    private static final Set<String> COST_FIELDS = Set.of("input", "output", "cacheRead", "cacheWrite", "image",
            "videoSecond");

    private RateInput() {
    }

    static ModelRate apply(ObjectNode body, ModelRate base, RateBasis basis) {
        RateBuilder b = RateBuilder.from(base);
        if (body.has("displayName")) {
            b.displayName(limited(Fields.text(body, "displayName"), "displayName"));
        }
        if (body.has("inputRate")) {
            b.inputRate(orZero(RateFields.rate(body, "inputRate")));
        }
        if (body.has("outputRate")) {
            b.outputRate(orZero(RateFields.rate(body, "outputRate")));
        }
        if (body.has("cacheReadRate")) {
            b.cacheReadRate(RateFields.rate(body, "cacheReadRate"));
        }
        if (body.has("cacheWriteRate")) {
            b.cacheWriteRate(RateFields.rate(body, "cacheWriteRate"));
        }
        if (body.has("imageRate")) {
            b.imageRate(RateFields.rate(body, "imageRate"));
        }
        if (body.has("imageRates")) {
            Map<String, BigDecimal> tiers = RateFields.imageRates(body, "imageRates");
            b.imageRates(tiers == null ? Map.of() : tiers);
        }
        if (body.has("videoSecondRate")) {
            b.videoSecondRate(RateFields.rate(body, "videoSecondRate"));
        }
        ModelRate.UnitCosts costs = body.has("unitCosts") ? unitCosts(body.get("unitCosts")) : base.unitCosts();
        b.unitCosts(costs);
        if (body.has("metadata")) {
            b.metadata(metadata(body.get("metadata")));
        }
        if (body.has("unitCosts") && costs != null) {
            derivedWhereNotGiven(body, b, costs, basis);
        }
        return b.build();
    }

    /** Whether the body changes any price (rates or unit costs). */
    static boolean touchesPrices(ObjectNode body) {
        return body.has("inputRate") || body.has("outputRate") || body.has("cacheReadRate")
                || body.has("cacheWriteRate") || body.has("imageRate") || body.has("imageRates")
                || body.has("videoSecondRate") || body.has("unitCosts");
    }

    private static void derivedWhereNotGiven(ObjectNode body, RateBuilder b, ModelRate.UnitCosts c, RateBasis basis) {
        if (!body.has("inputRate") && c.input() != null) {
            b.inputRate(basis.credits(c.input()));
        }
        if (!body.has("outputRate") && c.output() != null) {
            b.outputRate(basis.credits(c.output()));
        }
        if (!body.has("cacheReadRate") && c.cacheRead() != null) {
            b.cacheReadRate(basis.credits(c.cacheRead()));
        }
        if (!body.has("cacheWriteRate") && c.cacheWrite() != null) {
            b.cacheWriteRate(basis.credits(c.cacheWrite()));
        }
        if (!body.has("imageRate") && c.image() != null) {
            b.imageRate(basis.credits(c.image()));
        }
        if (!body.has("videoSecondRate") && c.videoSecond() != null) {
            b.videoSecondRate(basis.credits(c.videoSecond()));
        }
    }

    private static ModelRate.UnitCosts unitCosts(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            throw ApiException.invalid("unitCosts", "'unitCosts' must be an object of USD prices per unit, such as "
                    + "{\"input\": \"0.00000015\", \"output\": \"0.0000006\"}");
        }
        v.fieldNames().forEachRemaining(name -> {
            if (!COST_FIELDS.contains(name)) {
                throw ApiException.invalid("unitCosts." + name, "'unitCosts." + name + "' is not a unit cost; use "
                        + "input, output, cacheRead, cacheWrite (USD per token), image (per image) or videoSecond");
            }
        });
        return new ModelRate.UnitCosts(cost(v, "input"), cost(v, "output"), cost(v, "cacheRead"),
                cost(v, "cacheWrite"), cost(v, "image"), cost(v, "videoSecond"));
    }

    private static BigDecimal cost(JsonNode costs, String name) {
        return RateFields.decimal(costs.get(name), "unitCosts." + name, RateFields.UNIT_COST_SCALE, "USD");
    }

    private static String metadata(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isObject()) {
            return v.toString();
        }
        throw ApiException.invalid("metadata", "'metadata' must be an object, such as {\"maxTokens\": 128000}");
    }

    static String limited(String text, String field) {
        if (text != null && text.length() > MAX_TEXT) {
            throw ApiException.invalid(field, "'" + field + "' is longer than " + MAX_TEXT + " characters");
        }
        return text;
    }

    private static BigDecimal orZero(BigDecimal v) {
        return v == null ? BigDecimal.ZERO : v;
    }
}
