package io.aigne.hub.billing.catalog;

import io.aigne.hub.billing.ModelRate;
import io.aigne.hub.billing.RateBasis;
import io.aigne.hub.billing.RateBuilder;
import io.aigne.hub.provider.ProviderType;
import io.aigne.hub.usage.CallType;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** What an import decides from the catalogue and the stored rates (no database: the plan alone). */
class CatalogImportTest {
    private static final PriceCatalog CATALOG = PriceCatalog.bundled();
    private static final RateBasis BASIS = new RateBasis(BigDecimal.ONE, new BigDecimal("2"));
    private static final LocalDate TODAY = LocalDate.of(2026, 11, 22);
    private static final CatalogImport.Options ALL = new CatalogImport.Options(Set.of(), Map.of(), TODAY);

    private static Optional<CatalogImport.Change> change(CatalogImport.Plan plan, String provider, String model) {
        return plan.changes().stream()
                .filter(c -> c.after().provider().equals(provider) && c.after().model().equals(model)).findFirst();
    }

    private static String plain(BigDecimal d) {
        return RateBasis.plain(d);
    }

    @Test
    void anEmptyHubGetsRatesKeyedByProviderTypeWithUnitCostsAndDerivedCredits() {
        CatalogImport.Plan plan = CatalogImport.plan(CATALOG, List.of(), BASIS, ALL);

        ModelRate mini = change(plan, "openai", "gpt-4o-mini").orElseThrow().after();
        assertThat(mini.type()).isEqualTo(CallType.CHAT);
        assertThat(mini.source()).isEqualTo(ModelRate.Source.CATALOG);
        assertThat(plain(mini.inputRate())).isEqualTo("0.000000153");
        assertThat(plain(mini.outputRate())).isEqualTo("0.000000612");
        assertThat(plain(mini.cacheReadRate())).isEqualTo("0.0000000765");
        assertThat(mini.cacheWriteRate()).isNull();
        assertThat(plain(mini.unitCosts().input())).isEqualTo("0.00000015");
        assertThat(plain(mini.unitCosts().output())).isEqualTo("0.0000006");
        assertThat(mini.metadata()).contains("\"catalogModel\":\"gpt-4o-mini\"").contains("\"contextWindow\"");

        ModelRate sonnet = change(plan, "anthropic", "claude-sonnet-4-5").orElseThrow().after();
        assertThat(plain(sonnet.inputRate())).isEqualTo("0.00000306");
        assertThat(plain(sonnet.outputRate())).isEqualTo("0.0000153");
        assertThat(plain(sonnet.cacheReadRate())).isEqualTo("0.000000306");
        assertThat(plain(sonnet.cacheWriteRate())).isEqualTo("0.000003825");
        assertThat(change(plan, "anthropic", "claude-sonnet-4-5").orElseThrow().tiered()).isTrue();

        ModelRate flash = change(plan, "google", "gemini-2.5-flash").orElseThrow().after();
        assertThat(plain(flash.inputRate())).isEqualTo("0.000000306");
        assertThat(plain(flash.outputRate())).isEqualTo("0.00000255");

        assertThat(change(plan, "bedrock", "amazon.nova-pro-v1:0")).isPresent();
        assertThat(change(plan, "xai", "grok-3")).isPresent();
        assertThat(plan.changes()).allSatisfy(c -> assertThat(c.action()).isEqualTo(CatalogImport.Action.CREATE));
        assertThat(plan.unchanged()).isZero();
    }

    @Test
    void literalIdsOfAMatchRuleGetRatesAndOnlyOpenRouterKeepsVendorPrefixedIds() {
        CatalogImport.Plan plan = CatalogImport.plan(CATALOG, List.of(), BASIS, ALL);

        ModelRate dated = change(plan, "openai", "gpt-4o-2024-08-06").orElseThrow().after();
        assertThat(plain(dated.inputRate())).isEqualTo("0.00000255");
        assertThat(change(plan, "openai", "gpt-4o-2024-08-06").orElseThrow().catalogModel()).isEqualTo("gpt-4o");
        assertThat(change(plan, "xai", "grok-4.3")).isPresent();
        assertThat(change(plan, "xai", "x-ai/grok-4.3")).isEmpty();
        List<String> openRouter = plan.changes().stream().filter(c -> c.after().provider().equals("openrouter"))
                .map(c -> c.after().model()).toList();
        assertThat(openRouter).hasSizeGreaterThan(500).contains("anthropic/claude-3.5-sonnet")
                .noneMatch(id -> !id.contains("/"));
    }

    @Test
    void modelsTheHubKnowsAreMatchedByTheCatalogueRules() {
        CatalogImport.Options options = new CatalogImport.Options(Set.of(ProviderType.ANTHROPIC),
                Map.of(ProviderType.ANTHROPIC, Set.of("claude-3-5-sonnet-20241022", "not-a-claude")), TODAY);
        CatalogImport.Plan plan = CatalogImport.plan(CATALOG, List.of(), BASIS, options);

        CatalogImport.Change dated = change(plan, "anthropic", "claude-3-5-sonnet-20241022").orElseThrow();
        assertThat(dated.catalogModel()).isEqualTo("claude-3-5-sonnet");
        assertThat(plain(dated.after().cacheWriteRate())).isEqualTo("0.000003825");
        assertThat(change(plan, "anthropic", "not-a-claude")).isEmpty();
        assertThat(plan.changes()).allSatisfy(c -> assertThat(c.after().provider()).isEqualTo("anthropic"));
    }

    @Test
    void bedrockModelsArePricedThroughTheIdsItsProvidersDeclare() {
        String declared = "us.anthropic.claude-3-5-sonnet-20241022-v2:0";
        CatalogImport.Plan plan = CatalogImport.plan(CATALOG, List.of(), BASIS, new CatalogImport.Options(
                Set.of(ProviderType.BEDROCK), Map.of(ProviderType.BEDROCK, Set.of(declared)), TODAY));

        CatalogImport.Change sonnet = change(plan, "bedrock", declared).orElseThrow();
        assertThat(sonnet.catalogModel()).isEqualTo("regional.anthropic.claude-3-5-sonnet-20241022-v2:0");
        assertThat(plain(sonnet.after().inputRate())).isEqualTo("0.00000306");
    }

    @Test
    void embeddingsAreTypedAndImageModelsAreSkippedWithTheReason() {
        CatalogImport.Plan plan = CatalogImport.plan(CATALOG, List.of(), BASIS,
                new CatalogImport.Options(Set.of(ProviderType.OPENAI), Map.of(), TODAY));

        ModelRate embedding = change(plan, "openai", "text-embedding-3-small").orElseThrow().after();
        assertThat(embedding.type()).isEqualTo(CallType.EMBEDDING);
        assertThat(plain(embedding.inputRate())).isEqualTo("0.0000000204");
        assertThat(plain(embedding.outputRate())).isEqualTo("0");
        assertThat(change(plan, "openai", "gpt-image-1.5")).isEmpty();
        assertThat(plan.skippedModels()).anySatisfy(s -> {
            assertThat(s.model()).isEqualTo("gpt-image-1.5");
            assertThat(s.reason()).contains("per image");
        });
        assertThat(plan.skippedModels()).anySatisfy(s -> {
            assertThat(s.model()).isEqualTo("moderation");
            assertThat(s.reason()).contains("no per-token price");
        });
        assertThat(plan.skippedProviders()).anySatisfy(s -> {
            assertThat(s.id()).isEqualTo("azure");
            assertThat(s.reason()).contains("no provider type");
        });
        assertThat(plan.typesWithoutPrices()).isEmpty();
        assertThat(CatalogImport.plan(CATALOG, List.of(), BASIS, ALL).typesWithoutPrices())
                .contains(ProviderType.DOUBAO, ProviderType.POE);
    }

    @Test
    void changedCatalogueRatesAreUpdatedHandSetOnesKeptAndTheRestCountedUnchanged() {
        CatalogImport.Options openAi = new CatalogImport.Options(Set.of(ProviderType.OPENAI), Map.of(), TODAY);
        List<ModelRate> first = CatalogImport.plan(CATALOG, List.of(), BASIS, openAi).changes().stream()
                .map(c -> RateBuilder.from(c.after()).build()).toList();
        ModelRate stale = first.stream().filter(r -> r.model().equals("gpt-4o")).findFirst().orElseThrow();
        ModelRate staleStored = RateBuilder.from(stale).inputRate(new BigDecimal("0.000005"))
                .deprecated(true, "hidden by an admin", 1L).build();
        ModelRate manual = RateBuilder.of("openai", "gpt-4o-mini", CallType.CHAT)
                .inputRate(new BigDecimal("0.000001")).outputRate(new BigDecimal("0.000002")).build();
        List<ModelRate> stored = new java.util.ArrayList<>(first.stream()
                .filter(r -> !r.model().equals("gpt-4o") && !r.model().equals("gpt-4o-mini")).toList());
        stored.add(staleStored);
        stored.add(manual);

        CatalogImport.Plan plan = CatalogImport.plan(CATALOG, stored, BASIS, openAi);

        CatalogImport.Change update = change(plan, "openai", "gpt-4o").orElseThrow();
        assertThat(update.action()).isEqualTo(CatalogImport.Action.UPDATE);
        assertThat(update.changed()).containsExactly("inputRate");
        assertThat(plain(update.before().inputRate())).isEqualTo("0.000005");
        assertThat(plain(update.after().inputRate())).isEqualTo("0.00000255");
        // What an admin set besides prices stays.
        assertThat(update.after().deprecated()).isTrue();
        assertThat(update.after().deprecatedReason()).isEqualTo("hidden by an admin");

        CatalogImport.Change kept = change(plan, "openai", "gpt-4o-mini").orElseThrow();
        assertThat(kept.action()).isEqualTo(CatalogImport.Action.KEEP_MANUAL);
        assertThat(kept.before()).isSameAs(manual);
        assertThat(plan.count(CatalogImport.Action.CREATE)).isZero();
        assertThat(plan.count(CatalogImport.Action.UPDATE)).isEqualTo(1);
        assertThat(plan.unchanged()).isEqualTo(first.size() - 2);
    }

    @Test
    void aNewMarginUpdatesEveryCatalogueRate() {
        CatalogImport.Options deepseek = new CatalogImport.Options(Set.of(ProviderType.DEEPSEEK), Map.of(), TODAY);
        List<ModelRate> stored = CatalogImport.plan(CATALOG, List.of(), BASIS, deepseek).changes().stream()
                .map(CatalogImport.Change::after).toList();

        CatalogImport.Plan plan = CatalogImport.plan(CATALOG, stored, BASIS.withMargin(BigDecimal.TEN), deepseek);

        assertThat(plan.count(CatalogImport.Action.UPDATE)).isEqualTo(stored.size());
        ModelRate chat = change(plan, "deepseek", "deepseek-chat").orElseThrow().after();
        assertThat(plain(chat.inputRate())).isEqualTo("0.000000297");
        assertThat(plain(chat.outputRate())).isEqualTo("0.00000121");
    }

    @Test
    void aSmallCatalogueFileIsImportedAsWritten() {
        PriceCatalog file = PriceCatalog.parse(new ByteArrayInputStream("""
                [{"id":"openai","name":"OpenAI","models":[
                  {"id":"gpt-x","name":"GPT X","deprecated":true,"match":{"equals":"gpt-x"},
                   "prices":{"input_mtok":1.25,"output_mtok":10,"cache_read_mtok":0.125}}]},
                 {"id":"groq","name":"Groq","models":[]}]""".getBytes(StandardCharsets.UTF_8)), "test.json");
        CatalogImport.Plan plan = CatalogImport.plan(file, List.of(), BASIS, ALL);

        assertThat(plan.catalogSource()).isEqualTo("test.json");
        assertThat(plan.changes()).hasSize(1);
        ModelRate x = plan.changes().getFirst().after();
        assertThat(x.displayName()).isEqualTo("GPT X");
        assertThat(x.deprecated()).isTrue();
        assertThat(x.deprecatedReason()).contains("deprecated by the provider");
        assertThat(plain(x.cacheReadRate())).isEqualTo("0.0000001275");
        assertThat(plan.skippedProviders()).extracting(CatalogImport.SkippedProvider::id).containsExactly("groq");
    }
}
