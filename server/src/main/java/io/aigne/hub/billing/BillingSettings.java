package io.aigne.hub.billing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.config.ConfigException;
import io.aigne.hub.config.HubConfig.BillingConfig;
import io.aigne.hub.server.Json;
import org.jdbi.v3.core.Jdbi;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The billing settings: defaults from the configuration file, overridden by what owners set at run time (kept in
 * {@code billing_settings} so every node sees them). Read from memory on the request path; {@link #reload()}
 * picks up another node's change.
 */
public final class BillingSettings {
    /** The settings owners may change at run time, with their JSON names. */
    public static final java.util.List<String> NAMES = java.util.List.of("enabled", "baseCreditPrice",
            "marginPercent", "newUserGrant", "creditExpirationDays", "holdOutputTokens", "unpricedModels",
            "purchaseUrl", "creditPrefix");

    private final Jdbi jdbi;
    private final BillingConfig defaults;
    private volatile BillingPolicy current;

    public BillingSettings(Jdbi jdbi, BillingConfig defaults) {
        this.jdbi = jdbi;
        this.defaults = defaults;
        try {
            policy(merged(Map.of()));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("billing." + e.getMessage());
        }
        reload();
    }

    public BillingPolicy current() {
        return current;
    }

    public void reload() {
        current = policy(merged(stored()));
    }

    /** The settings as JSON, the stored changes applied to the configured defaults. */
    public ObjectNode view() {
        BillingPolicy p = current;
        ObjectNode out = Json.object();
        out.put("enabled", p.enabled());
        out.put("baseCreditPrice", p.baseCreditPrice().toPlainString());
        out.put("marginPercent", p.marginPercent().toPlainString());
        out.put("newUserGrant", p.newUserGrant().toPlainString());
        out.put("creditExpirationDays", p.creditExpirationDays());
        out.put("holdOutputTokens", p.holdOutputTokens());
        out.put("unpricedModels", p.refuseUnpriced() ? "refuse" : "free");
        out.put("purchaseUrl", p.purchaseUrl());
        out.put("creditPrefix", p.creditPrefix());
        return out;
    }

    /**
     * Applies a change (a subset of {@link #NAMES}), validated as a whole before anything is stored; throws
     * {@link IllegalArgumentException} naming the setting that is wrong.
     */
    public void update(ObjectNode change, String actor) {
        Map<String, JsonNode> stored = stored();
        change.fieldNames().forEachRemaining(name -> {
            if (!NAMES.contains(name)) {
                throw new IllegalArgumentException(name + ": unknown setting; the settings are " + NAMES);
            }
        });
        change.properties().forEach(e -> stored.put(e.getKey(), e.getValue()));
        policy(merged(stored));
        long now = System.currentTimeMillis();
        jdbi.useTransaction(h -> change.properties().forEach(e -> {
            h.createUpdate("DELETE FROM billing_settings WHERE name = :n").bind("n", e.getKey()).execute();
            h.createUpdate("INSERT INTO billing_settings (name, value, updated_by, updated_at) VALUES (:n, :v, :a, :t)")
                    .bind("n", e.getKey()).bind("v", e.getValue().toString()).bind("a", actor).bind("t", now)
                    .execute();
        }));
        reload();
    }

    private Map<String, JsonNode> stored() {
        Map<String, JsonNode> stored = new LinkedHashMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT name, value FROM billing_settings")
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
                .forEach(e -> stored.put(e.getKey(), readTree(e.getValue()))));
        return stored;
    }

    private static JsonNode readTree(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("unreadable billing setting: " + e.getMessage(), e);
        }
    }

    private ObjectNode merged(Map<String, JsonNode> stored) {
        ObjectNode all = Json.object();
        all.put("enabled", defaults.enabled());
        all.put("baseCreditPrice", defaults.baseCreditPrice());
        all.put("marginPercent", defaults.marginPercent());
        all.put("newUserGrant", defaults.newUserGrant());
        all.put("creditExpirationDays", defaults.creditExpirationDays());
        all.put("holdOutputTokens", defaults.holdOutputTokens());
        all.put("unpricedModels", defaults.unpricedModels());
        all.put("purchaseUrl", defaults.purchaseUrl());
        all.put("creditPrefix", defaults.creditPrefix());
        stored.forEach(all::set);
        return all;
    }

    private static BillingPolicy policy(ObjectNode s) {
        JsonNode enabled = s.get("enabled");
        if (!enabled.isBoolean()) {
            throw new IllegalArgumentException("enabled: must be true or false");
        }
        BigDecimal base = decimal(s, "baseCreditPrice");
        if (base.signum() <= 0) {
            throw new IllegalArgumentException("baseCreditPrice: must be more than 0 (USD per credit, e.g. \"1\")");
        }
        BigDecimal margin = decimal(s, "marginPercent");
        if (margin.compareTo(BigDecimal.valueOf(-100)) <= 0) {
            throw new IllegalArgumentException("marginPercent: must be more than -100");
        }
        BigDecimal grant = decimal(s, "newUserGrant");
        if (grant.signum() < 0 || grant.stripTrailingZeros().scale() > Credits.SCALE) {
            throw new IllegalArgumentException("newUserGrant: must be 0 or more, with at most 9 decimals");
        }
        int days = whole(s, "creditExpirationDays", 0, 36_500);
        int holdTokens = whole(s, "holdOutputTokens", 0, 10_000_000);
        String unpriced = text(s, "unpricedModels");
        if (!unpriced.equals("refuse") && !unpriced.equals("free")) {
            throw new IllegalArgumentException("unpricedModels: must be \"refuse\" or \"free\"");
        }
        String purchaseUrl = text(s, "purchaseUrl");
        if (!purchaseUrl.isEmpty() && !purchaseUrl.startsWith("https://") && !purchaseUrl.startsWith("http://")) {
            throw new IllegalArgumentException("purchaseUrl: must be an http(s) URL, or empty for the hub's own page");
        }
        String prefix = text(s, "creditPrefix");
        // The AIGNE SDK accepts only these prefixes in a call's usage and fails the call on any other.
        if (!java.util.Set.of("", "$", "€", "¥").contains(prefix)) {
            throw new IllegalArgumentException("creditPrefix: must be \"$\", \"€\", \"¥\" or empty");
        }
        return new BillingPolicy(enabled.asBoolean(), base, margin, Credits.of(grant), days, holdTokens,
                unpriced.equals("refuse"), purchaseUrl, prefix);
    }

    private static BigDecimal decimal(ObjectNode s, String name) {
        JsonNode v = s.get(name);
        try {
            if (v.isTextual() || v.isNumber()) {
                return new BigDecimal(v.asText().trim());
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException(name + ": must be a decimal number written as a string, e.g. \"1.5\"");
    }

    private static int whole(ObjectNode s, String name, int min, int max) {
        JsonNode v = s.get(name);
        if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < min || v.asInt() > max) {
            throw new IllegalArgumentException(name + ": must be a whole number from " + min + " to " + max);
        }
        return v.asInt();
    }

    private static String text(ObjectNode s, String name) {
        JsonNode v = s.get(name);
        if (v == null || v.isNull()) {
            return "";
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException(name + ": must be a string");
        }
        return v.asText().trim();
    }
}
