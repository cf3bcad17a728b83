package io.aigne.hub.cli;

import io.aigne.hub.billing.ModelRate;
import io.aigne.hub.billing.RateBasis;
import io.aigne.hub.billing.RateJson;
import io.aigne.hub.billing.catalog.CatalogImport;
import io.aigne.hub.provider.ProviderType;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * An import's changes as a table for the terminal: one row per rate created, updated ({@code old → new} in the
 * columns that change) or kept because it was set by hand; prices in credits per million tokens.
 */
final class ImportPlanTable {
    private static final String[] HEADER = {"ACTION", "PROVIDER", "MODEL", "TYPE", "INPUT/1M", "OUTPUT/1M",
            "CACHE READ/1M", "CACHE WRITE/1M"};
    private static final List<Function<ModelRate, BigDecimal>> PRICES = List.of(ModelRate::inputRate,
            ModelRate::outputRate, ModelRate::cacheReadRate, ModelRate::cacheWriteRate);

    private final PrintStream out;

    ImportPlanTable(PrintStream out) {
        this.out = out;
    }

    void print(CatalogImport.Plan plan, boolean dryRun) {
        out.printf("Price catalogue: %s (prices in force on %s)%n", plan.catalogSource(), plan.pricesOf());
        out.printf("Rates derived at base credit price %s USD, margin %s %% (rounded half up to %d decimals)%n%n",
                RateBasis.plain(plan.basis().baseCreditPrice()), RateBasis.plain(plan.basis().marginPercent()),
                RateBasis.RATE_SCALE);
        List<String[]> rows = new ArrayList<>();
        for (CatalogImport.Change c : plan.changes()) {
            rows.add(row(c));
        }
        if (rows.isEmpty()) {
            out.println("No rate to create or update.");
        } else {
            table(rows);
        }
        out.println();
        out.printf("%d to create, %d to update, %d unchanged, %d kept (set by hand), %d catalogue models skipped%n",
                plan.count(CatalogImport.Action.CREATE), plan.count(CatalogImport.Action.UPDATE), plan.unchanged(),
                plan.count(CatalogImport.Action.KEEP_MANUAL), plan.skippedModels().size());
        if (plan.changes().stream().anyMatch(CatalogImport.Change::tiered)) {
            out.println("* tiered price: the base tier is imported (long prompts cost more at the provider)");
        }
        skipped(plan);
        out.println();
        if (dryRun) {
            out.println("Dry run: nothing was written. Run again without --dry-run to apply these changes.");
        } else {
            out.printf("Applied: %d created, %d updated, each recorded in the rate history.%n",
                    plan.count(CatalogImport.Action.CREATE), plan.count(CatalogImport.Action.UPDATE));
        }
    }

    private static String[] row(CatalogImport.Change c) {
        ModelRate after = c.after();
        String[] row = new String[HEADER.length];
        row[0] = switch (c.action()) {
            case CREATE -> "create";
            case UPDATE -> "update";
            case KEEP_MANUAL -> "kept, set by hand";
        };
        row[1] = after.provider();
        row[2] = after.model() + (c.tiered() ? " *" : "");
        row[3] = after.type().wireName();
        for (int i = 0; i < PRICES.size(); i++) {
            String now = perMillion(PRICES.get(i).apply(after));
            if (c.action() == CatalogImport.Action.CREATE) {
                row[4 + i] = now;
            } else {
                String was = perMillion(PRICES.get(i).apply(c.before()));
                // A rate kept as set by hand shows what it stays at; an update shows the change.
                row[4 + i] = c.action() == CatalogImport.Action.KEEP_MANUAL ? was
                        : was.equals(now) ? now : was + " → " + now;
            }
        }
        return row;
    }

    private void table(List<String[]> rows) {
        int[] widths = new int[HEADER.length];
        for (int i = 0; i < HEADER.length; i++) {
            widths[i] = HEADER[i].length();
        }
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        line(HEADER, widths);
        rows.forEach(r -> line(r, widths));
    }

    private void line(String[] cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            line.append(String.format("%-" + widths[i] + "s", cells[i]));
            if (i < cells.length - 1) {
                line.append("  ");
            }
        }
        out.println(line.toString().stripTrailing());
    }

    private void skipped(CatalogImport.Plan plan) {
        if (!plan.skippedProviders().isEmpty()) {
            out.println("Catalogue providers skipped (the hub has no provider type for them): "
                    + String.join(", ", plan.skippedProviders().stream().map(CatalogImport.SkippedProvider::id)
                    .toList()));
        }
        if (!plan.typesWithoutPrices().isEmpty()) {
            out.println("Hub provider types without catalogue prices (set their rates by hand): "
                    + String.join(", ", plan.typesWithoutPrices().stream().map(ProviderType::id).toList()));
        }
        Map<String, List<String>> byReason = new LinkedHashMap<>();
        plan.skippedModels().forEach(s -> byReason.computeIfAbsent(s.reason(), r -> new ArrayList<>())
                .add(s.provider() + "/" + s.model()));
        byReason.forEach((reason, models) -> out.println("Skipped, " + reason + ": " + String.join(", ", models)));
    }

    private static String perMillion(BigDecimal perToken) {
        return perToken == null ? "-" : RateJson.perMillion(perToken);
    }
}
