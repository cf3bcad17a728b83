package io.aigne.hub.billing.catalog;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.billing.ModelRate;
import io.aigne.hub.billing.RateBasis;
import io.aigne.hub.billing.RateBuilder;
import io.aigne.hub.billing.RateChanges;
import io.aigne.hub.billing.RateDiff;
import io.aigne.hub.billing.RateHistory;
import io.aigne.hub.provider.ProviderType;
import io.aigne.hub.routing.ModelKind;
import io.aigne.hub.server.Json;
import io.aigne.hub.usage.CallType;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the price catalogue into model rates: one rate per catalogue model and call type, keyed by the hub provider
 * TYPE it prices (so it is the default for every provider of that type), with the provider's price as unit costs
 * (USD per token) and credit rates derived from them at the current {@link RateBasis}.
 *
 * <p>Which model ids get a rate: the catalogue model's id, every id its match rule names literally (dated
 * snapshots such as {@code gpt-4o-2024-08-06}), and every model id the hub's providers of that type declare or
 * list that the rule matches (e.g. {@code claude-3-5-sonnet-20241022} by the prefix {@code claude-3-5-sonnet}).
 * OpenRouter ids are {@code vendor/model}, so there ids without a vendor are left out, and for the other types
 * ids with a {@code /} (another provider's spelling). Bedrock's catalogue ids ({@code regional.anthropic.…}) are
 * not real model ids: Bedrock models get their rates through the ids declared on the hub's Bedrock providers.
 *
 * <p>Update rules: a missing rate is created; a catalogue rate whose prices differ is updated (prices and unit costs
 * only: its name, deprecation and id stay); a rate set by hand ({@code source = manual}) is never changed and is
 * reported as kept; nothing is ever deleted. Image and video models are skipped (the catalogue prices image tokens,
 * the hub charges per image or per second), as are models without a text-token price.
 */
public final class CatalogImport {
    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

    /** Which types to import (empty: all), model ids the hub knows per type, and the day prices are taken for. */
    public record Options(Set<ProviderType> types, Map<ProviderType, Set<String>> knownModels, LocalDate today) {
        public Options {
            types = Set.copyOf(types);
            knownModels = Map.copyOf(knownModels);
        }
    }

    public enum Action {
        CREATE, UPDATE, KEEP_MANUAL;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * One rate the import creates, updates or keeps: {@code before} is the stored rate (null for a creation),
     * {@code after} the rate as the catalogue prices it; {@code changed} names the differing prices.
     */
    public record Change(Action action, ModelRate before, ModelRate after, String catalogModel, boolean tiered,
                         List<String> changed) {
    }

    public record SkippedModel(String provider, String model, String reason) {
    }

    public record SkippedProvider(String id, String name, String reason) {
    }

    /** What an import does (or, in a dry run, would do). */
    public record Plan(String catalogSource, RateBasis basis, LocalDate pricesOf, List<Change> changes,
                       int unchanged, List<SkippedModel> skippedModels, List<SkippedProvider> skippedProviders,
                       List<ProviderType> typesWithoutPrices) {
        public long count(Action action) {
            return changes.stream().filter(c -> c.action() == action).count();
        }

        /** What the audit log records of an import: the catalogue, the basis and the counts. */
        public Map<String, Object> summary() {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("catalog", catalogSource);
            s.put("baseCreditPrice", RateBasis.plain(basis.baseCreditPrice()));
            s.put("marginPercent", RateBasis.plain(basis.marginPercent()));
            s.put("created", count(Action.CREATE));
            s.put("updated", count(Action.UPDATE));
            s.put("unchanged", unchanged);
            s.put("keptManual", count(Action.KEEP_MANUAL));
            return s;
        }
    }

    private CatalogImport() {
    }

    /** The import as one batch of rate changes ({@link RateChanges#batch}), decided against {@code existing}. */
    public static RateChanges.Batch<Plan> batch(PriceCatalog catalog, List<ModelRate> existing, RateBasis basis,
                                                 Options options) {
        Plan plan = plan(catalog, existing, basis, options);
        List<RateChanges.Write> writes = new ArrayList<>();
        for (Change c : plan.changes()) {
            if (c.action() != Action.KEEP_MANUAL) {
                writes.add(new RateChanges.Write(RateHistory.Change.IMPORT, c.before(), c.after()));
            }
        }
        return new RateChanges.Batch<>(plan, writes);
    }

    public static Plan plan(PriceCatalog catalog, List<ModelRate> existing, RateBasis basis, Options options) {
        Map<String, ModelRate> stored = new HashMap<>();
        existing.forEach(r -> stored.put(key(r.provider(), r.model(), r.type()), r));
        List<Change> changes = new ArrayList<>();
        List<SkippedModel> skippedModels = new ArrayList<>();
        List<SkippedProvider> skippedProviders = new ArrayList<>();
        int unchanged = 0;
        for (PriceCatalog.Provider provider : catalog.providers()) {
            ProviderType type = CatalogProviders.hubType(provider.id()).orElse(null);
            if (type == null) {
                skippedProviders.add(new SkippedProvider(provider.id(), provider.name(),
                        "the hub has no provider type for it"));
                continue;
            }
            if (!options.types().isEmpty() && !options.types().contains(type)) {
                continue;
            }
            Set<String> reported = new LinkedHashSet<>();
            for (Map.Entry<String, PriceCatalog.Model> target : targets(provider, type,
                    options.knownModels().getOrDefault(type, Set.of())).entrySet()) {
                String modelId = target.getKey();
                PriceCatalog.Model model = target.getValue();
                CallType kind = ModelKind.of(type, modelId);
                CatalogPrice price = model.price(options.today());
                String skip = !price.hasTokenPrice() ? "no per-token price in the catalogue"
                        : kind == CallType.IMAGE ? "image generation: the catalogue prices image tokens, the hub "
                        + "charges per image; set its rate by hand"
                        : kind == CallType.VIDEO ? "video generation: the hub charges per second; set its rate by hand"
                        : null;
                if (skip != null) {
                    if (reported.add(model.id())) {
                        skippedModels.add(new SkippedModel(type.id(), model.id(), skip));
                    }
                    continue;
                }
                ModelRate desired = desired(type, modelId, kind, provider, model, price, basis);
                ModelRate current = stored.get(key(type.id(), modelId, kind));
                if (current == null) {
                    changes.add(new Change(Action.CREATE, null, desired, model.id(), price.tiered(),
                            List.of()));
                } else if (current.source() == ModelRate.Source.MANUAL) {
                    changes.add(new Change(Action.KEEP_MANUAL, current, desired, model.id(), price.tiered(),
                            RateDiff.prices(current, desired)));
                } else {
                    List<String> changed = RateDiff.prices(current, desired);
                    if (changed.isEmpty()) {
                        unchanged++;
                    } else {
                        changes.add(new Change(Action.UPDATE, current, withPrices(current, desired), model.id(),
                                price.tiered(), changed));
                    }
                }
            }
        }
        List<ProviderType> withoutPrices = CatalogProviders.unpricedTypes().stream()
                .filter(t -> options.types().isEmpty() || options.types().contains(t)).toList();
        return new Plan(catalog.source(), basis, options.today(), List.copyOf(changes), unchanged,
                List.copyOf(skippedModels), List.copyOf(skippedProviders), withoutPrices);
    }

    /** Every model id of this provider that gets a rate, with the catalogue model that prices it. */
    private static Map<String, PriceCatalog.Model> targets(PriceCatalog.Provider provider, ProviderType type,
                                                           Set<String> known) {
        Map<String, PriceCatalog.Model> targets = new LinkedHashMap<>();
        for (PriceCatalog.Model model : provider.models()) {
            List<String> ids = new ArrayList<>();
            ids.add(model.id());
            ids.addAll(model.match().literalIds());
            for (String id : ids) {
                if (id.contains("/") == (type == ProviderType.OPENROUTER)) {
                    targets.putIfAbsent(id, model);
                }
            }
        }
        for (String id : known) {
            if (!targets.containsKey(id)) {
                // As the catalogue's own lookup does: the first model whose rule matches.
                provider.models().stream().filter(m -> m.match().matches(id)).findFirst()
                        .ifPresent(m -> targets.put(id, m));
            }
        }
        return targets;
    }

    private static ModelRate desired(ProviderType type, String modelId, CallType kind, PriceCatalog.Provider provider,
                                     PriceCatalog.Model model, CatalogPrice price, RateBasis basis) {
        ModelRate.UnitCosts costs = new ModelRate.UnitCosts(perToken(price.inputMtok()),
                perToken(price.outputMtok()), perToken(price.cacheReadMtok()), perToken(price.cacheWriteMtok()),
                null, null);
        ObjectNode metadata = Json.object();
        metadata.put("catalog", PriceCatalog.NAME);
        metadata.put("catalogProvider", provider.id());
        metadata.put("catalogModel", model.id());
        if (model.contextWindow() != null) {
            metadata.put("contextWindow", model.contextWindow());
        }
        if (price.tiered()) {
            metadata.put("tieredPricing", "base tier imported; long prompts cost more at the provider");
        }
        RateBuilder rate = RateBuilder.of(type.id(), modelId, kind)
                .displayName(model.name())
                .inputRate(BigDecimal.ZERO).outputRate(BigDecimal.ZERO)
                .unitCosts(costs)
                .source(ModelRate.Source.CATALOG)
                .metadata(metadata.toString());
        if (model.deprecated()) {
            rate.deprecated(true, "deprecated by the provider (" + PriceCatalog.NAME + ")", System.currentTimeMillis());
        }
        return basis.derive(rate.build());
    }

    /** A stored catalogue rate with the catalogue's new prices; everything an admin may have set stays. */
    private static ModelRate withPrices(ModelRate current, ModelRate desired) {
        return RateBuilder.from(current)
                .inputRate(desired.inputRate()).outputRate(desired.outputRate())
                .cacheReadRate(desired.cacheReadRate()).cacheWriteRate(desired.cacheWriteRate())
                .unitCosts(desired.unitCosts())
                .metadata(desired.metadata())
                .build();
    }

    private static BigDecimal perToken(BigDecimal perMillion) {
        return perMillion == null ? null : perMillion.divide(MILLION).stripTrailingZeros();
    }

    private static String key(String provider, String model, CallType type) {
        return provider + "\u0000" + model + "\u0000" + type.wireName();
    }
}
