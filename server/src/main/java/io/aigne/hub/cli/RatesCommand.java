package io.aigne.hub.cli;

import io.aigne.hub.audit.Actor;
import io.aigne.hub.audit.AuditLog;
import io.aigne.hub.billing.BillingSettings;
import io.aigne.hub.billing.RateBasis;
import io.aigne.hub.billing.RateChanges;
import io.aigne.hub.billing.RateStore;
import io.aigne.hub.billing.catalog.CatalogImport;
import io.aigne.hub.billing.catalog.PriceCatalog;
import io.aigne.hub.config.HubConfig;
import io.aigne.hub.provider.Provider;
import io.aigne.hub.provider.ProviderStore;
import io.aigne.hub.provider.ProviderType;
import io.aigne.hub.store.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code admin rates …}: the model rates, straight against the database. */
@Command(name = "rates", description = "Model rates: import them from the price catalogue.",
        subcommands = {RatesCommand.Import.class})
public final class RatesCommand implements Runnable {
    @Override
    public void run() {
        System.err.println("choose a subcommand: import");
    }

    @Command(name = "import", description = "Create and update model rates from the price catalogue (genai-prices, "
            + "bundled): rates for every provider of a type, derived at the configured base credit price and margin. "
            + "Rates set by hand are never changed, and nothing is deleted.")
    static final class Import extends AdminCommand.WithDatabase {
        @Option(names = "--dry-run", description = "show what would change and write nothing")
        boolean dryRun;
        @Option(names = "--file", paramLabel = "data.json", description = "a genai-prices data.json to import "
                + "instead of the bundled copy")
        Path file;
        @Option(names = "--provider", paramLabel = "TYPE", split = ",", description = "only these provider types "
                + "(openai, anthropic, google, bedrock, deepseek, xai, openrouter); repeat or separate with commas")
        List<String> providers;

        @Override
        int run(Database db) {
            PriceCatalog catalog = file == null ? PriceCatalog.bundled() : PriceCatalog.read(file);
            CatalogImport.Options options = new CatalogImport.Options(types(), knownModels(db, config),
                    LocalDate.now(ZoneOffset.UTC));
            RateBasis basis = RateBasis.of(new BillingSettings(db.jdbi(), config.billing()).current());
            RateChanges changes = new RateChanges(new RateStore(db.jdbi()), null, new AuditLog(db.jdbi()));
            CatalogImport.Plan plan = changes.batch(existing -> CatalogImport.batch(catalog, existing, basis, options),
                    !dryRun, Actor.CLI, new RateChanges.Audit<>("rate.import", "catalog", CatalogImport.Plan::summary));
            new ImportPlanTable(System.out).print(plan, dryRun);
            return 0;
        }

        private Set<ProviderType> types() {
            Set<ProviderType> types = new LinkedHashSet<>();
            if (providers != null) {
                for (String name : providers) {
                    types.add(ProviderType.byId(name.trim()).orElseThrow(() -> new IllegalArgumentException(
                            "--provider takes a provider type such as openai or anthropic; '" + name + "' is not one")));
                }
            }
            return types;
        }

        /**
         * The model ids the hub's providers declare (in the database, or in the configuration file for a hub that has
         * not started since), so dated ids get rates. Without a running hub, models a provider only lists at its
         * API are not known here; the import API sees those too.
         */
        private static Map<ProviderType, Set<String>> knownModels(Database db, HubConfig config) {
            Map<ProviderType, Set<String>> known = new HashMap<>();
            // Listing providers reads no secret, so no master key is needed here.
            for (Provider p : new ProviderStore(db.jdbi(), null).providers()) {
                known.computeIfAbsent(p.type(), t -> new HashSet<>()).addAll(p.models());
            }
            for (HubConfig.ProviderDeclaration d : config.providers()) {
                ProviderType.byId(d.type() != null ? d.type() : d.name()).ifPresent(t -> {
                    if (d.models() != null) {
                        known.computeIfAbsent(t, k -> new HashSet<>()).addAll(d.models());
                    }
                });
            }
            return known;
        }
    }
}
