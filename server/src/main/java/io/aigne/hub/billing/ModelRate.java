package io.aigne.hub.billing;

import io.aigne.hub.usage.CallType;

import java.math.BigDecimal;
import java.util.Map;

/**
 * What one model costs through one provider, in credits: per token of input, output, cache read and cache write,
 * per image (optionally per image tier such as {@code "1024x1024/hd"}, {@code "hd"} or {@code "1024x1024"}), and per
 * second of video. A null cache rate means cached tokens cost the input rate; a null image or video rate means the
 * output rate applies, as in the original hub. {@code provider} is a provider name, or a provider type for the
 * default of every provider of that type. {@code unitCosts} is the provider's own price in USD the credit rates
 * were derived from (null when set by hand).
 */
public record ModelRate(
        String id,
        String provider,
        String model,
        CallType type,
        String displayName,
        BigDecimal inputRate,
        BigDecimal outputRate,
        BigDecimal cacheReadRate,
        BigDecimal cacheWriteRate,
        BigDecimal imageRate,
        Map<String, BigDecimal> imageRates,
        BigDecimal videoSecondRate,
        UnitCosts unitCosts,
        Source source,
        boolean deprecated,
        String deprecatedReason,
        Long deprecatedAt,
        String metadata,
        long createdAt,
        long updatedAt) {

    public enum Source {
        MANUAL, CATALOG;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Source of(String wire) {
            return valueOf(wire.toUpperCase(java.util.Locale.ROOT));
        }
    }

    /** The provider's price in USD per token (per image, per second of video) that the credit rates come from. */
    public record UnitCosts(BigDecimal input, BigDecimal output, BigDecimal cacheRead, BigDecimal cacheWrite,
                            BigDecimal image, BigDecimal videoSecond) {
    }

    public ModelRate {
        inputRate = inputRate == null ? BigDecimal.ZERO : inputRate;
        outputRate = outputRate == null ? BigDecimal.ZERO : outputRate;
        imageRates = imageRates == null ? Map.of() : Map.copyOf(imageRates);
    }

    /** A rate with only per-token input and output prices, for tests and simple set-ups. */
    public static ModelRate tokens(String provider, String model, CallType type, BigDecimal input, BigDecimal output) {
        long now = System.currentTimeMillis();
        return new ModelRate(null, provider, model, type, null, input, output, null, null, null, null, null, null,
                Source.MANUAL, false, null, null, null, now, now);
    }

    /** The price of one image of the given size and quality (either may be null). */
    public BigDecimal imagePrice(String size, String quality) {
        if (size != null && quality != null) {
            BigDecimal both = imageRates.get(size + "/" + quality);
            if (both != null) {
                return both;
            }
        }
        if (quality != null && imageRates.containsKey(quality)) {
            return imageRates.get(quality);
        }
        if (size != null && imageRates.containsKey(size)) {
            return imageRates.get(size);
        }
        return imageRate != null ? imageRate : outputRate;
    }
}
