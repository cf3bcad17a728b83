package io.aigne.hub.billing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.aigne.hub.config.HubConfig.BillingConfig;
import io.aigne.hub.server.Json;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What turns a provider's price into credits (spec §13.2): the base credit price (USD per credit) and the margin
 * (percent added to the provider's price).
 *
 * <p>Rounding rule: {@code rate = unitCost × (100 + margin) ÷ (100 × baseCreditPrice)}, computed exactly in decimal
 * and rounded once, half up, to {@value #RATE_SCALE} decimal places (credits per token, per image or per second).
 * Twelve places keep three significant digits even for the cheapest catalogue prices (USD 0.0028 per million
 * tokens is 0.0000000028 per token); the cost of a call is then rounded once more, half up to the nanocredit, by
 * {@link Pricing}.
 *
 * <p>The values come from the configuration ({@code billing.baseCreditPrice}, {@code billing.marginPercent}),
 * overridden by the run-time settings in {@code billing_settings} under the same names (JSON strings such as
 * {@code "2.5"}); a bulk margin update stores its margin there.
 */
public record RateBasis(BigDecimal baseCreditPrice, BigDecimal marginPercent) {
    public static final int RATE_SCALE = 12;
    public static final String BASE_CREDIT_PRICE = "baseCreditPrice";
    public static final String MARGIN_PERCENT = "marginPercent";
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    public RateBasis {
        if (baseCreditPrice == null || baseCreditPrice.signum() <= 0) {
            throw new IllegalArgumentException("the base credit price must be a positive number of USD per credit, not "
                    + baseCreditPrice);
        }
        if (marginPercent == null || marginPercent.signum() < 0) {
            throw new IllegalArgumentException("the margin must be a percentage of 0 or more, not " + marginPercent);
        }
    }

    /** The configured values, as decimal strings from the configuration file. */
    public static RateBasis of(BillingConfig config) {
        return new RateBasis(decimal(BASE_CREDIT_PRICE, config.baseCreditPrice()),
                decimal(MARGIN_PERCENT, config.marginPercent()));
    }

    /** The values in force: the configuration, overridden by the run-time settings stored in the database. */
    public static RateBasis current(Jdbi jdbi, BillingConfig config) {
        RateBasis configured = of(config);
        Map<String, String> stored = new HashMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT name, value FROM billing_settings WHERE name IN (:base, :margin)")
                .bind("base", BASE_CREDIT_PRICE).bind("margin", MARGIN_PERCENT)
                .map((rs, ctx) -> Map.entry(rs.getString("name"), rs.getString("value")))
                .forEach(e -> stored.put(e.getKey(), e.getValue())));
        return new RateBasis(
                setting(stored, BASE_CREDIT_PRICE).orElse(configured.baseCreditPrice()),
                setting(stored, MARGIN_PERCENT).orElse(configured.marginPercent()));
    }

    /** Stores a new margin as the run-time setting, so later imports and derivations use it. */
    public static void storeMargin(Handle h, BigDecimal marginPercent, String actor) {
        String value = TextNode.valueOf(plain(marginPercent)).toString();
        long now = System.currentTimeMillis();
        int updated = h.createUpdate("UPDATE billing_settings SET value = :v, updated_by = :by, updated_at = :now "
                        + "WHERE name = :name")
                .bind("v", value).bind("by", actor).bind("now", now).bind("name", MARGIN_PERCENT).execute();
        if (updated == 0) {
            h.createUpdate("INSERT INTO billing_settings (name, value, updated_by, updated_at) "
                            + "VALUES (:name, :v, :by, :now)")
                    .bind("v", value).bind("by", actor).bind("now", now).bind("name", MARGIN_PERCENT).execute();
        }
    }

    public RateBasis withMargin(BigDecimal margin) {
        return new RateBasis(baseCreditPrice, margin);
    }

    /** Credits per unit for a provider price in USD per unit; null stays null (no price of that kind). */
    public BigDecimal credits(BigDecimal unitCostUsd) {
        if (unitCostUsd == null) {
            return null;
        }
        return unitCostUsd.multiply(HUNDRED.add(marginPercent))
                .divide(baseCreditPrice.multiply(HUNDRED), RATE_SCALE, RoundingMode.HALF_UP)
                .stripTrailingZeros();
    }

    /** What an amount of credits costs in USD at the base credit price, exactly. */
    public BigDecimal usd(BigDecimal credits) {
        return credits == null ? null : credits.multiply(baseCreditPrice).stripTrailingZeros();
    }

    /** The rate with every credit price that has a unit cost derived again from it; the others are kept. */
    public ModelRate derive(ModelRate rate) {
        ModelRate.UnitCosts costs = rate.unitCosts();
        if (costs == null) {
            return rate;
        }
        return RateBuilder.from(rate)
                .inputRate(orElse(credits(costs.input()), rate.inputRate()))
                .outputRate(orElse(credits(costs.output()), rate.outputRate()))
                .cacheReadRate(orElse(credits(costs.cacheRead()), rate.cacheReadRate()))
                .cacheWriteRate(orElse(credits(costs.cacheWrite()), rate.cacheWriteRate()))
                .imageRate(orElse(credits(costs.image()), rate.imageRate()))
                .videoSecondRate(orElse(credits(costs.videoSecond()), rate.videoSecondRate()))
                .build();
    }

    /** A decimal as the hub writes it everywhere: plain, without exponent or trailing zeros; "0" for zero. */
    public static String plain(BigDecimal value) {
        if (value == null) {
            return null;
        }
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.signum() == 0 ? "0" : stripped.toPlainString();
    }

    private static Optional<BigDecimal> setting(Map<String, String> stored, String name) {
        String json = stored.get(name);
        if (json == null) {
            return Optional.empty();
        }
        try {
            JsonNode node = Json.MAPPER.readTree(json);
            return Optional.of(decimal("billing setting " + name, node.isNumber() ? node.decimalValue().toPlainString()
                    : node.asText()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("billing setting " + name + " is not JSON: " + json, e);
        }
    }

    private static BigDecimal decimal(String name, String text) {
        try {
            return new BigDecimal(text.trim());
        } catch (NumberFormatException | NullPointerException e) {
            throw new IllegalArgumentException(name + " must be a decimal number such as \"1\", not '" + text + "'");
        }
    }

    private static BigDecimal orElse(BigDecimal value, BigDecimal fallback) {
        return value != null ? value : fallback;
    }
}
