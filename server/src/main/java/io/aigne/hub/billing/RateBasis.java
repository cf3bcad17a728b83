package io.aigne.hub.billing;

import java.math.BigDecimal;
import java.math.RoundingMode;

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
 * <p>The values are those of the billing settings in force ({@link BillingSettings}: {@code billing.baseCreditPrice}
 * and {@code billing.marginPercent}, overridden at run time); a bulk margin update stores its margin there.
 */
public record RateBasis(BigDecimal baseCreditPrice, BigDecimal marginPercent) {
    public static final int RATE_SCALE = 12;
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
    private static final BigDecimal MINUS_HUNDRED = BigDecimal.valueOf(-100);

    public RateBasis {
        if (baseCreditPrice == null || baseCreditPrice.signum() <= 0) {
            throw new IllegalArgumentException("the base credit price must be a positive number of USD per credit, not "
                    + baseCreditPrice);
        }
        if (marginPercent == null || marginPercent.compareTo(MINUS_HUNDRED) <= 0) {
            throw new IllegalArgumentException("the margin must be a percentage above -100, not " + marginPercent);
        }
    }

    /** The base price and margin of the billing settings in force. */
    public static RateBasis of(BillingPolicy policy) {
        return new RateBasis(policy.baseCreditPrice(), policy.marginPercent());
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

    private static BigDecimal orElse(BigDecimal value, BigDecimal fallback) {
        return value != null ? value : fallback;
    }
}
