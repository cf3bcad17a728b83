package io.aigne.hub.cli;

import io.aigne.hub.Main;
import io.aigne.hub.billing.ModelRate;
import io.aigne.hub.billing.RateBuilder;
import io.aigne.hub.billing.RateStore;
import io.aigne.hub.config.ConfigLoader;
import io.aigne.hub.config.HubConfig;
import io.aigne.hub.store.Database;
import io.aigne.hub.usage.CallType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ./hub admin rates import}: the dry run's table, the import, and what an import leaves alone. */
class RatesCommandTest {

    private static String run(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            int code = new CommandLine(new Main()).execute(args);
            assertThat(code).as(out.toString(StandardCharsets.UTF_8)).isZero();
        } finally {
            System.setOut(original);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static <T> T withDatabase(Path cfg, Function<Database, T> work) {
        HubConfig config = ConfigLoader.load(Optional.of(cfg), Map.of());
        try (Database db = Database.open(config.database(), Path.of(config.dataDir()))) {
            return work.apply(db);
        }
    }

    private static long rates(Path cfg) {
        return withDatabase(cfg, db -> db.jdbi().withHandle(h ->
                h.createQuery("SELECT COUNT(*) FROM model_rates").mapTo(Long.class).one()));
    }

    private static Path config(Path dir) throws Exception {
        Path file = dir.resolve("aigne-hub.yaml");
        Files.writeString(file, "dataDir: " + dir.resolve("data") + "\n");
        return file;
    }

    @Test
    void aDryRunPrintsTheChangesAndWritesNothingThenTheImportAppliesThem(@TempDir Path dir) throws Exception {
        Path cfg = config(dir);
        withDatabase(cfg, db -> new RateStore(db.jdbi()).save(RateBuilder.of("anthropic", "claude-3-haiku",
                CallType.CHAT).inputRate(new BigDecimal("0.000001")).outputRate(new BigDecimal("0.000002")).build()));

        String dry = run("admin", "rates", "import", "--dry-run", "--provider", "openai,anthropic",
                "--config", cfg.toString());

        assertThat(dry).contains("Price catalogue: bundled genai-prices")
                .contains("base credit price 1 USD, margin 2 %")
                .containsPattern("ACTION +PROVIDER +MODEL +TYPE +INPUT/1M +OUTPUT/1M +CACHE READ/1M +CACHE WRITE/1M")
                .containsPattern("create +openai +gpt-4o-mini +chat +0\\.153 +0\\.612 +0\\.0765 +-")
                .containsPattern("create +anthropic +claude-sonnet-4-5 \\* +chat +3\\.06 +15\\.3 +0\\.306 +3\\.825")
                .containsPattern("kept, set by hand +anthropic +claude-3-haiku +chat +1 +2 +- +-")
                .contains("* tiered price: the base tier is imported")
                .contains("Catalogue providers skipped (the hub has no provider type for them): ")
                .contains("azure")
                .contains("Skipped, image generation")
                .contains("Dry run: nothing was written.");
        assertThat(rates(cfg)).isEqualTo(1);
        String summary = dry.lines().filter(l -> l.contains(" to create, ")).findFirst().orElseThrow();
        long creates = Long.parseLong(summary.substring(0, summary.indexOf(' ')));
        assertThat(summary).endsWith("0 to update, 0 unchanged, 1 kept (set by hand), " + summary.substring(
                summary.indexOf("kept (set by hand), ") + "kept (set by hand), ".length()));

        String applied = run("admin", "rates", "import", "--provider", "openai", "--provider", "anthropic",
                "--config", cfg.toString());
        assertThat(applied).contains("Applied: " + creates + " created, 0 updated");
        assertThat(rates(cfg)).isEqualTo(creates + 1);
        ModelRate kept = withDatabase(cfg, db -> new RateStore(db.jdbi())
                .find("anthropic", "claude-3-haiku", CallType.CHAT).orElseThrow());
        assertThat(kept.inputRate()).isEqualByComparingTo("0.000001");

        String again = run("admin", "rates", "import", "--dry-run", "--provider", "openai,anthropic",
                "--config", cfg.toString());
        assertThat(again).contains("0 to create, 0 to update, " + creates + " unchanged, 1 kept (set by hand)");
        long history = withDatabase(cfg, db -> db.jdbi().withHandle(h -> h.createQuery(
                "SELECT COUNT(*) FROM model_rate_history WHERE change_type = 'import' AND actor = 'cli'")
                .mapTo(Long.class).one()));
        assertThat(history).isEqualTo(creates);
        long audited = withDatabase(cfg, db -> db.jdbi().withHandle(h -> h.createQuery(
                "SELECT COUNT(*) FROM audit_log WHERE action = 'rate.import' AND actor_name = 'cli'")
                .mapTo(Long.class).one()));
        assertThat(audited).as("one audit entry for the import that changed something").isEqualTo(1);
    }

    @Test
    void aNewerCatalogueFileUpdatesChangedPrices(@TempDir Path dir) throws Exception {
        Path cfg = config(dir);
        Path v1 = dir.resolve("v1.json");
        Path v2 = dir.resolve("v2.json");
        String catalogue = """
                [{"id":"x-ai","name":"X AI","models":[{"id":"grok-9","match":{"equals":"grok-9"},
                  "prices":{"input_mtok":%s,"output_mtok":15}}]}]""";
        Files.writeString(v1, catalogue.formatted("3"));
        Files.writeString(v2, catalogue.formatted("2.5"));
        run("admin", "rates", "import", "--file", v1.toString(), "--config", cfg.toString());

        String update = run("admin", "rates", "import", "--dry-run", "--file", v2.toString(), "--config",
                cfg.toString());

        assertThat(update).contains("Price catalogue: " + v2)
                .containsPattern("update +xai +grok-9 +chat +3\\.06 → 2\\.55 +15\\.3 +- +-")
                .contains("0 to create, 1 to update, 0 unchanged")
                .contains("Hub provider types without catalogue prices (set their rates by hand): doubao, ideogram, "
                        + "poe, ollama, lmstudio");
    }
}
