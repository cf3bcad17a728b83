package io.aigne.hub.billing;

import io.aigne.hub.usage.Usage;

import java.math.BigDecimal;

/**
 * The credits a call costs at a rate. Input tokens are counted as the providers report them (cache reads and
 * writes are part of the input), so the uncached rest is charged at the input rate and each cached part at its
 * own rate. The sum is exact; only the result is rounded, half up to the nanocredit.
 */
public final class Pricing {
    private Pricing() {
    }

    /** What a call with this usage costs; {@code imageSize}/{@code imageQuality} pick an image tier (may be null). */
    public static Credits cost(ModelRate rate, Usage usage, String imageSize, String imageQuality) {
        return Credits.of(exactCost(rate, usage, imageSize, imageQuality));
    }

    public static BigDecimal exactCost(ModelRate rate, Usage usage, String imageSize, String imageQuality) {
        long cacheRead = Math.max(0, usage.cachedTokens());
        long cacheWrite = Math.max(0, usage.cacheWriteTokens());
        long uncached = Math.max(0, usage.inputTokens() - cacheRead - cacheWrite);
        BigDecimal total = rate.inputRate().multiply(BigDecimal.valueOf(uncached))
                .add(orElse(rate.cacheReadRate(), rate.inputRate()).multiply(BigDecimal.valueOf(cacheRead)))
                .add(orElse(rate.cacheWriteRate(), rate.inputRate()).multiply(BigDecimal.valueOf(cacheWrite)));
        // Without a rate of their own, images and video seconds are priced at the output rate (the original
        // hub's convention), which then stands for them instead of for output tokens.
        boolean outputRateIsPerImage = usage.imageCount() > 0 && rate.imageRate() == null && rate.imageRates().isEmpty();
        boolean outputRateIsPerSecond = usage.videoSeconds() > 0 && rate.videoSecondRate() == null;
        if (!outputRateIsPerImage && !outputRateIsPerSecond) {
            total = total.add(rate.outputRate().multiply(BigDecimal.valueOf(Math.max(0, usage.outputTokens()))));
        }
        if (usage.imageCount() > 0) {
            total = total.add(rate.imagePrice(imageSize, imageQuality).multiply(BigDecimal.valueOf(usage.imageCount())));
        }
        if (usage.videoSeconds() > 0) {
            total = total.add(orElse(rate.videoSecondRate(), rate.outputRate())
                    .multiply(BigDecimal.valueOf(usage.videoSeconds())));
        }
        return total;
    }

    private static BigDecimal orElse(BigDecimal value, BigDecimal fallback) {
        return value != null ? value : fallback;
    }
}
