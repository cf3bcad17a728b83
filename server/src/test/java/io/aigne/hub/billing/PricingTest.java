package io.aigne.hub.billing;

import io.aigne.hub.usage.CallType;
import io.aigne.hub.usage.Usage;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Prices are exact decimals, rounded once: a charge half up to the nanocredit, a hold up. */
class PricingTest {
    private static ModelRate rate(String in, String out, String cacheRead, String cacheWrite) {
        return new ModelRate(null, "anthropic", "claude", CallType.CHAT, null, new BigDecimal(in), new BigDecimal(out),
                cacheRead == null ? null : new BigDecimal(cacheRead), cacheWrite == null ? null : new BigDecimal(cacheWrite),
                null, null, null, null, ModelRate.Source.MANUAL, false, null, null, null, 0, 0);
    }

    @Test
    void cachedInputIsChargedAtItsOwnRatesAndTheRestAtTheInputRate() {
        // 1,000 input tokens of which 600 read from the cache and 100 written to it, 200 output tokens.
        Usage usage = Usage.tokens(1_000, 200, 600, 100, 0);
        ModelRate claude = rate("0.000003", "0.000015", "0.0000003", "0.00000375");
        // 300 x 0.000003 + 600 x 0.0000003 + 100 x 0.00000375 + 200 x 0.000015
        assertThat(Pricing.cost(claude, usage, null, null)).isEqualTo(Credits.parse("0.004455"));
        ModelRate noCacheRates = rate("0.000003", "0.000015", null, null);
        assertThat(Pricing.cost(noCacheRates, usage, null, null)).isEqualTo(Credits.parse("0.006"));
    }

    @Test
    void aChargeRoundsHalfUpToTheNanocreditAndAHoldRoundsUp() {
        assertThat(Credits.of(new BigDecimal("0.0000000015"))).isEqualTo(new Credits(2));
        assertThat(Credits.of(new BigDecimal("0.0000000014999"))).isEqualTo(new Credits(1));
        assertThat(Credits.covering(new BigDecimal("0.0000000010001"))).isEqualTo(new Credits(2));
        assertThat(Credits.parse("12.5").toPlainString()).isEqualTo("12.5");
        assertThat(Credits.ZERO.toPlainString()).isEqualTo("0");
        assertThatThrownBy(() -> Credits.parse("0.0000000001")).isInstanceOf(NumberFormatException.class);
    }

    @Test
    void imagesArePricedByTierThenByTheirOwnRateThenByTheOutputRate() {
        ModelRate tiers = new ModelRate(null, "openai", "gpt-image-1", CallType.IMAGE, null, new BigDecimal("0.000005"),
                new BigDecimal("0.00004"), null, null, new BigDecimal("0.04"),
                Map.of("1024x1024/high", new BigDecimal("0.167"), "low", new BigDecimal("0.011")), null, null,
                ModelRate.Source.MANUAL, false, null, null, null, 0, 0);
        Usage twoImages = new Usage(10, 544, 0, 0, 0, 554, 2, 0);
        // 2 x 0.167 + 10 x 0.000005 + 544 x 0.00004 (per-token output on top of the per-image price)
        assertThat(Pricing.cost(tiers, twoImages, "1024x1024", "high")).isEqualTo(Credits.parse("0.35581"));
        assertThat(Pricing.cost(tiers, twoImages, "1536x1024", "low")).isEqualTo(Credits.parse("0.04381"));
        assertThat(Pricing.cost(tiers, twoImages, null, null)).isEqualTo(Credits.parse("0.10181"));

        ModelRate legacy = ModelRate.tokens("openai", "dall-e-3", CallType.IMAGE, BigDecimal.ZERO, new BigDecimal("0.08"));
        assertThat(Pricing.cost(legacy, new Usage(0, 0, 0, 0, 0, 0, 3, 0), null, null))
                .as("without an image rate the output rate is the per-image price").isEqualTo(Credits.parse("0.24"));
    }

    @Test
    void videoIsPricedPerSecond() {
        ModelRate sora = ModelRate.tokens("openai", "sora-2", CallType.VIDEO, BigDecimal.ZERO, new BigDecimal("0.1"));
        assertThat(Pricing.cost(sora, Usage.NONE.withVideoSeconds(8), null, null)).isEqualTo(Credits.parse("0.8"));
    }

    @Test
    void theEstimateReadsTheOutputLimitInAnySpellingAndCountsInlineMediaAsImages() {
        String body = "{\"model\":\"x\",\"max_completion_tokens\":300,\"messages\":[{\"role\":\"user\",\"content\":"
                + "[{\"type\":\"text\",\"text\":\"" + "word ".repeat(100) + "\"},{\"type\":\"image_url\","
                + "\"image_url\":{\"url\":\"data:image/png;base64," + "A".repeat(5_000) + "\"}}]}]}";
        CallEstimate estimate = CallEstimate.of(body.getBytes(), 4096);
        assertThat(estimate.outputTokens()).isEqualTo(300);
        assertThat(estimate.inputTokens()).isBetween(125L + CallEstimate.TOKENS_PER_INLINE_MEDIA,
                140L + CallEstimate.TOKENS_PER_INLINE_MEDIA);
        assertThat(CallEstimate.of("{\"input\":{\"modelOptions\":{\"maxTokens\":50}}}".getBytes(), 4096)
                .outputTokens()).isEqualTo(50);
        assertThat(CallEstimate.of("{\"messages\":[]}".getBytes(), 4096).outputTokens()).isEqualTo(4096);
        assertThat(CallEstimate.of("{\"prompt\":\"a cat\",\"n\":3}".getBytes(), 4096).usage(CallType.IMAGE)
                .imageCount()).isEqualTo(3);
    }
}
