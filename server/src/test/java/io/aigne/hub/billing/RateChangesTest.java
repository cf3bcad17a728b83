package io.aigne.hub.billing;

import io.aigne.hub.audit.Actor;
import io.aigne.hub.audit.AuditLog;
import io.aigne.hub.billing.catalog.CatalogImport;
import io.aigne.hub.billing.catalog.PriceCatalog;
import io.aigne.hub.config.HubConfig.BillingConfig;
import io.aigne.hub.server.Json;
import io.aigne.hub.testing.DatabaseContract;
import io.aigne.hub.testing.DatabaseContract.PostgresVariant;
import io.aigne.hub.testing.DatabaseContract.SqliteVariant;
import io.aigne.hub.usage.CallType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Rate changes in the database, on SQLite and PostgreSQL: imports (create, update, keep what was set by hand, a dry
 * run that writes nothing), bulk margin updates, conflicts, and the history row each change leaves.
 */
class RateChangesTest {

    @SqliteVariant
    class OnSqlite extends Contract {}

    @PostgresVariant
    class OnPostgres extends Contract {}

    abstract static class Contract extends DatabaseContract {
        private static final LocalDate TODAY = LocalDate.of(2026, 11, 22);
        private static final RateBasis BASIS = new RateBasis(BigDecimal.ONE, new BigDecimal("2"));
        private static final CatalogImport.Options ALL = new CatalogImport.Options(Set.of(), Map.of(), TODAY);
        private static final Actor TESTER = Actor.user("user-tester", "tester", "127.0.0.1");
        private static final Actor ADMIN = Actor.user("user-admin", "admin", "127.0.0.1");

        RateStore store;
        RateCard card;
        RateChanges changes;
        BillingSettings settings;

        Contract() {
            super("model_rate_history", "model_rates", "billing_settings");
        }

        @BeforeEach
        final void newStores() {
            store = new RateStore(db.jdbi());
            card = new RateCard(store);
            changes = new RateChanges(store, card, new AuditLog(db.jdbi()));
            settings = new BillingSettings(db.jdbi(), BillingConfig.DEFAULTS);
        }

        private CatalogImport.Plan importCatalog(PriceCatalog catalog, RateBasis basis, boolean write) {
            return changes.batch(existing -> CatalogImport.batch(catalog, existing, basis, ALL), write, TESTER,
                    new RateChanges.Audit<>("rate.import", "catalog", CatalogImport.Plan::summary));
        }

        private static PriceCatalog catalog(String gptXPrices) {
            return PriceCatalog.parse(new ByteArrayInputStream(("""
                    [{"id":"openai","name":"OpenAI","models":[
                      {"id":"gpt-x","name":"GPT X","match":{"or":[{"equals":"gpt-x"},{"equals":"gpt-x-2026-01-01"}]},
                       "prices":%s},
                      {"id":"gpt-y","match":{"equals":"gpt-y"},"prices":{"input_mtok":1,"output_mtok":2}}]},
                     {"id":"anthropic","name":"Anthropic","models":[
                      {"id":"claude-z","match":{"starts_with":"claude-z"},
                       "prices":{"input_mtok":3,"output_mtok":15,"cache_read_mtok":0.3,"cache_write_mtok":3.75}}]}]
                    """).formatted(gptXPrices).getBytes(StandardCharsets.UTF_8)), "test catalogue");
        }

        private long count(String table) {
            return db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM " + table).mapTo(Long.class).one());
        }

        /** The audit log is append-only, so tests count what they add to it. */
        private long audited(String action) {
            return db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM audit_log WHERE action = :a")
                    .bind("a", action).mapTo(Long.class).one());
        }

        private String lastAudit(String action, String column) {
            return db.jdbi().withHandle(h -> h.createQuery("SELECT " + column + " FROM audit_log WHERE action = :a "
                    + "ORDER BY seq DESC").bind("a", action).mapTo(String.class).first());
        }

        private List<String> changeTypes() {
            return db.jdbi().withHandle(h -> h.createQuery(
                    "SELECT change_type FROM model_rate_history ORDER BY change_type").mapTo(String.class).list());
        }

        @Test
        void aDryRunOfTheBundledCatalogueWritesNothingAndTheImportWritesExactlyWhatItShowed() {
            long importsAudited = audited("rate.import");
            CatalogImport.Plan dry = importCatalog(PriceCatalog.bundled(), BASIS, false);
            long creates = dry.count(CatalogImport.Action.CREATE);
            assertThat(creates).isGreaterThan(900);
            assertThat(count("model_rates")).isZero();
            assertThat(count("model_rate_history")).isZero();
            assertThat(audited("rate.import")).isEqualTo(importsAudited);

            CatalogImport.Plan done = importCatalog(PriceCatalog.bundled(), BASIS, true);
            assertThat(done.count(CatalogImport.Action.CREATE)).isEqualTo(creates);
            assertThat(count("model_rates")).isEqualTo(creates);
            assertThat(count("model_rate_history")).isEqualTo(creates);
            ModelRate mini = card.find("my-openai", "openai", "gpt-4o-mini", CallType.CHAT).orElseThrow();
            assertThat(RateBasis.plain(mini.inputRate())).isEqualTo("0.000000153");
            assertThat(mini.source()).isEqualTo(ModelRate.Source.CATALOG);
            // One audit entry for the whole import, with its counts, by whom.
            assertThat(audited("rate.import")).isEqualTo(importsAudited + 1);
            assertThat(lastAudit("rate.import", "actor_name")).isEqualTo("tester");
            assertThat(lastAudit("rate.import", "after_json")).contains("\"created\":" + creates);

            CatalogImport.Plan again = importCatalog(PriceCatalog.bundled(), BASIS, true);
            assertThat(again.changes()).isEmpty();
            assertThat(again.unchanged()).isEqualTo((int) creates);
            assertThat(count("model_rate_history")).isEqualTo(creates);
            assertThat(audited("rate.import")).isEqualTo(importsAudited + 1);
        }

        @Test
        void anImportCreatesThenUpdatesChangedPricesAndRecordsBothInTheHistory() {
            importCatalog(catalog("{\"input_mtok\":1.25,\"output_mtok\":10}"), BASIS, true);
            ModelRate created = store.find("openai", "gpt-x", CallType.CHAT).orElseThrow();
            assertThat(store.find("openai", "gpt-x-2026-01-01", CallType.CHAT)).isPresent();
            assertThat(RateBasis.plain(created.inputRate())).isEqualTo("0.000001275");
            ModelRate claude = store.find("anthropic", "claude-z", CallType.CHAT).orElseThrow();
            assertThat(RateBasis.plain(claude.cacheWriteRate())).isEqualTo("0.000003825");

            CatalogImport.Plan update = importCatalog(catalog("{\"input_mtok\":2,\"output_mtok\":10}"), BASIS, true);

            assertThat(update.count(CatalogImport.Action.UPDATE)).isEqualTo(2);
            assertThat(update.unchanged()).isEqualTo(2);
            ModelRate updated = store.find("openai", "gpt-x", CallType.CHAT).orElseThrow();
            assertThat(updated.id()).isEqualTo(created.id());
            assertThat(updated.createdAt()).isEqualTo(created.createdAt());
            assertThat(RateBasis.plain(updated.inputRate())).isEqualTo("0.00000204");
            assertThat(RateBasis.plain(updated.unitCosts().input())).isEqualTo("0.000002");
            assertThat(card.find("openai", "openai", "gpt-x", CallType.CHAT).orElseThrow().inputRate())
                    .isEqualByComparingTo("0.00000204");

            List<RateHistory.Entry> history = new RateHistory(db.jdbi()).of(created.id());
            assertThat(history).extracting(RateHistory.Entry::changeType).containsExactly("import", "import");
            RateHistory.Entry latest = history.getFirst();
            assertThat(latest.actor()).isEqualTo("user-tester");
            assertThat(latest.before().path("inputRate").asText()).isEqualTo("0.000001275");
            assertThat(latest.after().path("inputRate").asText()).isEqualTo("0.00000204");
            assertThat(latest.after().path("perMillionTokens").path("input").asText()).isEqualTo("2.04");
            assertThat(history.getLast().before()).isNull();
        }

        @Test
        void aRateSetByHandIsNeverOverwrittenByAnImport() {
            ModelRate manual = store.save(RateBuilder.of("openai", "gpt-x", CallType.CHAT)
                    .inputRate(new BigDecimal("0.000009")).outputRate(new BigDecimal("0.00002")).build());

            CatalogImport.Plan plan = importCatalog(catalog("{\"input_mtok\":1.25,\"output_mtok\":10}"), BASIS, true);

            CatalogImport.Change kept = plan.changes().stream()
                    .filter(c -> c.action() == CatalogImport.Action.KEEP_MANUAL).findFirst().orElseThrow();
            assertThat(kept.after().model()).isEqualTo("gpt-x");
            assertThat(kept.changed()).contains("inputRate", "outputRate", "unitCosts");
            ModelRate after = store.find("openai", "gpt-x", CallType.CHAT).orElseThrow();
            assertThat(after).isEqualTo(manual);
            assertThat(new RateHistory(db.jdbi()).of(manual.id())).isEmpty();
        }

        @Test
        void aBulkMarginUpdateDerivesEveryRateWithUnitCostsAgainAndStoresTheMargin() {
            importCatalog(catalog("{\"input_mtok\":1.25,\"output_mtok\":10}"), BASIS, true);
            ModelRate handSet = store.save(RateBuilder.of("openai", "custom", CallType.CHAT)
                    .inputRate(new BigDecimal("0.000001")).outputRate(new BigDecimal("0.000002")).build());
            RateBasis tenPercent = BASIS.withMargin(BigDecimal.TEN);

            long bulkAudited = audited("rate.bulk_margin");
            BulkMargin.Result result = changes.batch(rates -> BulkMargin.plan(rates, tenPercent), true, ADMIN,
                    new RateChanges.Audit<>("rate.bulk_margin", "margin", r -> Map.of("updated", r.changes().size())),
                    h -> {
                        settings.update(Json.object().put("marginPercent", "10"), "admin");
                        return true;
                    });

            assertThat(result.changes()).hasSize(4);
            assertThat(result.withoutUnitCosts()).isEqualTo(1);
            ModelRate gptX = store.find("openai", "gpt-x", CallType.CHAT).orElseThrow();
            assertThat(RateBasis.plain(gptX.inputRate())).isEqualTo("0.000001375");
            assertThat(RateBasis.plain(gptX.outputRate())).isEqualTo("0.000011");
            assertThat(gptX.source()).isEqualTo(ModelRate.Source.CATALOG);
            assertThat(store.find(handSet.id()).orElseThrow()).isEqualTo(handSet);
            assertThat(changeTypes()).filteredOn("bulk_margin"::equals).hasSize(4);
            assertThat(audited("rate.bulk_margin")).isEqualTo(bulkAudited + 1);
            assertThat(lastAudit("rate.bulk_margin", "after_json")).isEqualTo("{\"updated\":4}");
            // Another node reading the stored settings sees the margin the update used.
            RateBasis stored = RateBasis.of(new BillingSettings(db.jdbi(), BillingConfig.DEFAULTS).current());
            assertThat(stored.marginPercent()).isEqualByComparingTo("10");

            // The stored margin is what the next import uses: nothing left to change.
            CatalogImport.Plan next = importCatalog(catalog("{\"input_mtok\":1.25,\"output_mtok\":10}"),
                    stored, false);
            assertThat(next.changes()).isEmpty();
        }

        @Test
        void creatingAnExistingRateIsAConflictAndADeletionKeepsItsHistory() {
            ModelRate rate = RateBuilder.of("acme", "gpt-4o-mini", CallType.CHAT)
                    .inputRate(new BigDecimal("0.0000002")).outputRate(new BigDecimal("0.0000008")).build();
            ModelRate created = changes.create(List.of(rate), ADMIN).getFirst();
            assertThat(card.find("acme", "openai", "gpt-4o-mini", CallType.CHAT)).contains(created);

            assertThatThrownBy(() -> changes.create(List.of(rate), ADMIN))
                    .isInstanceOf(RateChanges.Conflict.class).hasMessageContaining("exists already");
            Actor other = Actor.user("user-admin-2", "admin2", null);
            assertThat(changes.delete(created.id(), other)).contains(created);
            assertThat(changes.delete(created.id(), other)).isEmpty();

            assertThat(card.find("acme", "openai", "gpt-4o-mini", CallType.CHAT)).isEmpty();
            List<RateHistory.Entry> history = new RateHistory(db.jdbi()).of(created.id());
            assertThat(history).extracting(RateHistory.Entry::changeType).containsExactly("delete", "create");
            assertThat(history.getFirst().actor()).isEqualTo("user-admin-2");
            assertThat(lastAudit("rate.delete", "target_id")).isEqualTo(created.id());
            assertThat(lastAudit("rate.delete", "before_json")).contains("\"outputRate\":\"0.0000008\"");
            assertThat(lastAudit("rate.create", "actor_id")).isEqualTo("user-admin");
            assertThat(history.getFirst().after()).isNull();
            assertThat(history.getFirst().before().path("outputRate").asText()).isEqualTo("0.0000008");
        }

        @Test
        void theStoredBaseCreditPriceOverridesTheConfiguredOne() {
            settings.update(Json.object().put("baseCreditPrice", "0.01"), "admin");
            RateBasis basis = RateBasis.of(settings.current());
            assertThat(basis.baseCreditPrice()).isEqualByComparingTo("0.01");
            assertThat(basis.marginPercent()).isEqualByComparingTo("2");

            importCatalog(catalog("{\"input_mtok\":1.25,\"output_mtok\":10}"), basis, true);
            assertThat(RateBasis.plain(store.find("openai", "gpt-x", CallType.CHAT).orElseThrow().inputRate()))
                    .isEqualTo("0.0001275");
        }
    }
}
