package io.aigne.hub.billing;

import io.aigne.hub.usage.CallType;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Rate derivation (spec §13.2): unitCost × (1 + margin/100) ÷ baseCreditPrice, exact, rounded once half up. */
class RateBasisTest {
    private static RateBasis basis(String base, String margin) {
        return new RateBasis(new BigDecimal(base), new BigDecimal(margin));
    }

    private static String credits(RateBasis basis, String usd) {
        return RateBasis.plain(basis.credits(new BigDecimal(usd)));
    }

    @Test
    void derivesExactDecimalStrings() {
        RateBasis defaults = basis("1", "2");
        // gpt-4o-mini: USD 0.15 and 0.60 per million tokens.
        assertThat(credits(defaults, "0.00000015")).isEqualTo("0.000000153");
        assertThat(credits(defaults, "0.0000006")).isEqualTo("0.000000612");
        // claude sonnet: 3 / 15 / cache read 0.30 / cache write 3.75 per million.
        assertThat(credits(defaults, "0.000003")).isEqualTo("0.00000306");
        assertThat(credits(defaults, "0.00000375")).isEqualTo("0.000003825");
        // A credit worth a tenth of a cent, 20 % margin: 0.15 per million → 0.18 credits per thousand tokens.
        assertThat(credits(basis("0.001", "20"), "0.00000015")).isEqualTo("0.00018");
    }

    @Test
    void roundsHalfUpToTwelveDecimalsOnce() {
        RateBasis defaults = basis("1", "2");
        // DeepSeek v4 pro cache reads: 0.003625 per million × 1.02 = 0.0000000036975 per token.
        assertThat(credits(defaults, "0.000000003625")).isEqualTo("0.000000003698");
        // Exactly half at the 13th place goes up; just below goes down.
        assertThat(credits(basis("1", "0"), "0.0000000000005")).isEqualTo("0.000000000001");
        assertThat(credits(basis("1", "0"), "0.00000000000049")).isEqualTo("0");
        // A base price that does not divide evenly: one rounding of the exact quotient.
        assertThat(credits(basis("3", "0"), "0.000001")).isEqualTo("0.000000333333");
        assertThat(credits(basis("3", "0"), "0.000002")).isEqualTo("0.000000666667");
        assertThat(basis("3", "0").credits(new BigDecimal("0.000002")).scale()).isLessThanOrEqualTo(12);
    }

    @Test
    void deriveRecomputesOnlyPricesWithUnitCostsAndUsdIsExact() {
        ModelRate rate = RateBuilder.of("openai", "gpt-4o-mini", CallType.CHAT)
                .inputRate(new BigDecimal("9")).outputRate(new BigDecimal("9")).cacheWriteRate(new BigDecimal("7"))
                .unitCosts(new ModelRate.UnitCosts(new BigDecimal("0.00000015"), new BigDecimal("0.0000006"),
                        new BigDecimal("0.000000075"), null, null, null))
                .build();
        ModelRate derived = basis("1", "2").derive(rate);

        assertThat(RateBasis.plain(derived.inputRate())).isEqualTo("0.000000153");
        assertThat(RateBasis.plain(derived.outputRate())).isEqualTo("0.000000612");
        assertThat(RateBasis.plain(derived.cacheReadRate())).isEqualTo("0.0000000765");
        assertThat(RateBasis.plain(derived.cacheWriteRate())).isEqualTo("7");
        assertThat(RateBasis.plain(basis("0.01", "2").usd(new BigDecimal("15.3")))).isEqualTo("0.153");
        assertThat(RateJson.perMillion(derived.inputRate())).isEqualTo("0.153");
    }

    @Test
    void aBasisNeedsAPositivePriceAndAMarginAboveMinusHundred() {
        assertThatThrownBy(() -> basis("0", "2")).hasMessageContaining("base credit price");
        assertThatThrownBy(() -> basis("1", "-100")).hasMessageContaining("margin");
        // A negative margin sells below the provider's price, as the billing settings allow.
        assertThat(credits(basis("1", "-50"), "0.000002")).isEqualTo("0.000001");
    }
}
