package io.aigne.hub.billing.catalog;

import io.aigne.hub.provider.ProviderType;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The bundled genai-prices catalogue as the hub reads it: exact prices, tiers, dated and time-of-day prices. */
class PriceCatalogTest {
    private static final PriceCatalog CATALOG = PriceCatalog.bundled();
    private static final LocalDate TODAY = LocalDate.of(2026, 11, 22);

    private static PriceCatalog.Model model(String provider, String id) {
        return CATALOG.provider(provider).orElseThrow().models().stream().filter(m -> m.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + provider + "/" + id + " in the catalogue"));
    }

    private static void assertPrice(CatalogPrice p, String input, String output, String cacheRead, String cacheWrite) {
        assertThat(p.inputMtok()).isEqualByComparingTo(input);
        assertThat(p.outputMtok()).isEqualByComparingTo(output);
        if (cacheRead == null) {
            assertThat(p.cacheReadMtok()).isNull();
        } else {
            assertThat(p.cacheReadMtok()).isEqualByComparingTo(cacheRead);
        }
        if (cacheWrite == null) {
            assertThat(p.cacheWriteMtok()).isNull();
        } else {
            assertThat(p.cacheWriteMtok()).isEqualByComparingTo(cacheWrite);
        }
    }

    @Test
    void readsOpenAiGpt4oMiniExactly() {
        PriceCatalog.Model mini = model("openai", "gpt-4o-mini");
        CatalogPrice price = mini.price(TODAY);

        assertPrice(price, "0.15", "0.6", "0.075", null);
        // Read as decimals from the file's text, not through a double.
        assertThat(price.cacheReadMtok().toPlainString()).isEqualTo("0.075");
        assertThat(price.tiered()).isFalse();
        assertThat(mini.match().matches("gpt-4o-mini-2024-07-18")).isTrue();
        assertThat(mini.match().matches("gpt-4o")).isFalse();
        assertThat(mini.match().literalIds()).contains("gpt-4o-mini", "gpt-4o-mini-2024-07-18");
    }

    @Test
    void anthropicSonnetHasCachePricesAndItsBaseTierIsTaken() {
        CatalogPrice sonnet45 = model("anthropic", "claude-sonnet-4-5").price(TODAY);
        assertPrice(sonnet45, "3", "15", "0.3", "3.75");
        assertThat(sonnet45.tiered()).isTrue();

        CatalogPrice sonnet35 = model("anthropic", "claude-3-5-sonnet").price(TODAY);
        assertPrice(sonnet35, "3", "15", "0.3", "3.75");
        assertThat(sonnet35.tiered()).isFalse();
        // Dated snapshot ids are matched by the rule's prefix.
        assertThat(model("anthropic", "claude-3-5-sonnet").match().matches("claude-3-5-sonnet-20241022")).isTrue();
    }

    @Test
    void googleGeminiFlashTextPricesAndIgnoredAudioPrices() {
        CatalogPrice flash = model("google", "gemini-2.5-flash").price(TODAY);
        assertPrice(flash, "0.3", "2.5", "0.03", null);
        assertThat(flash.ignored()).containsExactlyInAnyOrder("input_audio_mtok", "cache_audio_read_mtok");

        CatalogPrice old = model("google", "gemini-1.5-flash").price(TODAY);
        assertPrice(old, "0.075", "0.3", "0.01875", null);
        assertThat(old.tiered()).isTrue();
    }

    @Test
    void aDatedPriceAppliesFromItsStartDate() {
        PriceCatalog.Model sonnet5 = model("anthropic", "claude-sonnet-5");
        assertPrice(sonnet5.price(LocalDate.of(2026, 8, 31)), "2", "10", "0.2", "2.5");
        assertPrice(sonnet5.price(LocalDate.of(2026, 9, 1)), "3", "15", "0.3", "3.75");

        assertPrice(model("openai", "o3").price(TODAY), "2", "8", "0.5", null);
        assertPrice(model("openai", "o3").price(LocalDate.of(2025, 6, 9)), "10", "40", "0.5", null);
    }

    @Test
    void aTimeOfDayPriceTakesTheDearestSoTheHubNeverChargesLessThanTheProvider() {
        // DeepSeek: the standard price from 00:30 to 16:30 UTC, half price otherwise.
        assertPrice(model("deepseek", "deepseek-chat").price(TODAY), "0.27", "1.1", "0.07", null);
    }

    @Test
    void matchClausesCoverRegexAndSuffixesWithoutRegardToCase() {
        ModelMatch grok = model("x-ai", "grok-4.3").match();
        assertThat(grok.matches("grok-4.3-20260101")).isTrue();
        assertThat(grok.matches("grok-4.30")).isFalse();
        ModelMatch flash = model("google", "gemini-2.0-flash").match();
        assertThat(flash.matches("models/Gemini-2.0-Flash")).isTrue();
        assertThat(new ModelMatch.And(java.util.List.of(new ModelMatch.StartsWith("a"), new ModelMatch.EndsWith("z")))
                .matches("abcz")).isTrue();
    }

    @Test
    void catalogueProvidersMapToHubTypes() {
        assertThat(CatalogProviders.hubType("aws")).contains(ProviderType.BEDROCK);
        assertThat(CatalogProviders.hubType("x-ai")).contains(ProviderType.XAI);
        assertThat(CatalogProviders.hubType("openrouter")).contains(ProviderType.OPENROUTER);
        assertThat(CatalogProviders.hubType("azure")).isEmpty();
        assertThat(CatalogProviders.hubType("groq")).isEmpty();
        assertThat(CatalogProviders.catalogueId(ProviderType.GOOGLE)).contains("google");
        assertThat(CatalogProviders.unpricedTypes()).containsExactly(ProviderType.DOUBAO, ProviderType.IDEOGRAM,
                ProviderType.POE, ProviderType.OLLAMA, ProviderType.LMSTUDIO);
        for (ProviderType type : ProviderType.values()) {
            CatalogProviders.catalogueId(type).ifPresent(id -> assertThat(CATALOG.provider(id)).as(id).isPresent());
        }
    }

    @Test
    void everyModelOfTheBundledCatalogueResolvesToAPrice() {
        int models = 0;
        for (PriceCatalog.Provider p : CATALOG.providers()) {
            for (PriceCatalog.Model m : p.models()) {
                CatalogPrice price = m.price(TODAY);
                assertThat(price).as(p.id() + "/" + m.id()).isNotNull();
                if (price.inputMtok() != null) {
                    assertThat(price.inputMtok().signum()).isNotNegative();
                }
                models++;
            }
        }
        assertThat(models).isGreaterThan(1000);
    }

    @Test
    void aFileThatIsNotTheCatalogueIsRefusedWithTheReason() {
        assertThatThrownBy(() -> parse("{\"not\":\"an array\"}"))
                .isInstanceOf(CatalogException.class).hasMessageContaining("array of providers");
        assertThatThrownBy(() -> parse("""
                [{"id":"p","models":[{"id":"m","match":{"glob":"m*"},"prices":{}}]}]"""))
                .hasMessageContaining("provider p").hasMessageContaining("unknown match clause 'glob'");
        assertThatThrownBy(() -> parse("""
                [{"id":"p","models":[{"id":"m","match":{"equals":"m"},"prices":{"input_mtok":"cheap"}}]}]""")
                .providers().getFirst().models().getFirst().price(TODAY))
                .hasMessageContaining("model m").hasMessageContaining("input_mtok");
    }

    @Test
    void pricesWithManyDecimalsStayExact() {
        PriceCatalog catalog = parse("""
                [{"id":"p","models":[{"id":"m","match":{"equals":"m"},
                  "prices":{"input_mtok":0.123456789012345678,"output_mtok":{"base":1.1,"tiers":[{"start":1,"price":2}]}}}]}]""");
        CatalogPrice price = catalog.providers().getFirst().models().getFirst().price(TODAY);
        assertThat(price.inputMtok()).isEqualTo(new BigDecimal("0.123456789012345678"));
        assertThat(price.outputMtok()).isEqualByComparingTo("1.1");
    }

    private static PriceCatalog parse(String json) {
        return PriceCatalog.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "test");
    }
}
