package io.aigne.hub.billing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.provider.ProviderType;
import io.aigne.hub.server.Json;

import java.math.BigDecimal;
import java.util.Map;

/**
 * A rate as JSON, for the APIs and the rate history: every amount a decimal string (credits per token, per image,
 * per second of video; unit costs in USD), plus per-million-token figures for people. {@code scope} says whether
 * the rate is the default for a provider type or a single provider's own.
 */
public final class RateJson {
    private static final int MILLION_PLACES = 6;

    private RateJson() {
    }

    public static ObjectNode of(ModelRate r) {
        ObjectNode o = Json.object();
        o.put("id", r.id());
        o.put("provider", r.provider());
        o.put("scope", scope(r.provider()));
        o.put("model", r.model());
        o.put("type", r.type().wireName());
        if (r.displayName() != null) {
            o.put("displayName", r.displayName());
        }
        prices(o, r);
        o.put("source", r.source().wireName());
        o.put("deprecated", r.deprecated());
        if (r.deprecatedReason() != null) {
            o.put("deprecatedReason", r.deprecatedReason());
        }
        if (r.deprecatedAt() != null) {
            o.put("deprecatedAt", r.deprecatedAt());
        }
        if (r.metadata() != null) {
            o.set("metadata", metadata(r.metadata()));
        }
        o.put("createdAt", r.createdAt());
        o.put("updatedAt", r.updatedAt());
        return o;
    }

    /** The price fields alone: rates, per-million figures and unit costs. */
    public static void prices(ObjectNode o, ModelRate r) {
        o.put("inputRate", RateBasis.plain(r.inputRate()));
        o.put("outputRate", RateBasis.plain(r.outputRate()));
        putIf(o, "cacheReadRate", r.cacheReadRate());
        putIf(o, "cacheWriteRate", r.cacheWriteRate());
        putIf(o, "imageRate", r.imageRate());
        if (!r.imageRates().isEmpty()) {
            ObjectNode tiers = o.putObject("imageRates");
            r.imageRates().forEach((k, v) -> tiers.put(k, RateBasis.plain(v)));
        }
        putIf(o, "videoSecondRate", r.videoSecondRate());
        ObjectNode perMillion = o.putObject("perMillionTokens");
        perMillion.put("input", perMillion(r.inputRate()));
        perMillion.put("output", perMillion(r.outputRate()));
        putIf(perMillion, "cacheRead", perMillionOrNull(r.cacheReadRate()));
        putIf(perMillion, "cacheWrite", perMillionOrNull(r.cacheWriteRate()));
        ModelRate.UnitCosts c = r.unitCosts();
        if (c != null) {
            ObjectNode costs = o.putObject("unitCosts");
            putIf(costs, "input", c.input());
            putIf(costs, "output", c.output());
            putIf(costs, "cacheRead", c.cacheRead());
            putIf(costs, "cacheWrite", c.cacheWrite());
            putIf(costs, "image", c.image());
            putIf(costs, "videoSecond", c.videoSecond());
        }
    }

    /** {@code type} when the rate is keyed by a provider type (the default of its providers), else {@code provider}. */
    public static String scope(String provider) {
        return ProviderType.byId(provider).filter(t -> t.id().equals(provider)).isPresent() ? "type" : "provider";
    }

    /** Credits per token as credits per million tokens, exactly. */
    public static String perMillion(BigDecimal perToken) {
        return RateBasis.plain(perToken == null ? BigDecimal.ZERO : perToken.movePointRight(MILLION_PLACES));
    }

    private static BigDecimal perMillionOrNull(BigDecimal perToken) {
        return perToken == null ? null : perToken.movePointRight(MILLION_PLACES);
    }

    private static void putIf(ObjectNode o, String field, BigDecimal value) {
        if (value != null) {
            o.put(field, RateBasis.plain(value));
        }
    }

    private static JsonNode metadata(String text) {
        try {
            JsonNode node = Json.MAPPER.readTree(text);
            return node != null && node.isObject() ? node : Json.MAPPER.getNodeFactory().textNode(text);
        } catch (JsonProcessingException e) {
            return Json.MAPPER.getNodeFactory().textNode(text);
        }
    }

    /** The JSON text of a rate, as the history keeps it. */
    static String text(ModelRate rate) {
        return rate == null ? null : of(rate).toString();
    }

    /** Image tiers compared by value, so "0.04" and "0.040" are the same price. */
    static boolean sameTiers(Map<String, BigDecimal> a, Map<String, BigDecimal> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        return a.entrySet().stream().allMatch(e -> e.getValue().compareTo(b.get(e.getKey())) == 0);
    }
}
