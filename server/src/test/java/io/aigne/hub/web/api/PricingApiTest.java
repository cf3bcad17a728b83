package io.aigne.hub.web.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigne.hub.testing.FakeOpenAiProvider;
import io.aigne.hub.testing.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * From the price catalogue to what callers see: an admin previews and runs the import, the public price list and
 * the AIGNE model list show the resulting prices, and a bulk margin update changes them — on a hub whose credit is
 * worth one US cent, so every figure shows the base price and the 2 % margin exactly.
 */
class PricingApiTest {
    private static FakeOpenAiProvider fake;
    private static TestHub hub;

    @BeforeAll
    static void start() {
        fake = FakeOpenAiProvider.start();
        hub = TestHub.builder()
                .setting("AIGNE_HUB_BILLING_BASE_CREDIT_PRICE", "0.01")
                .openAiProvider("openai", "openai", fake.baseUrl(), List.of(), "sk-ok-pricing")
                .openAiProvider("acme", "openai", fake.baseUrl(), List.of("gpt-4o-mini-2024-07-18"), "sk-ok-acme")
                .start();
    }

    @AfterAll
    static void stop() {
        hub.close();
        fake.close();
    }

    private static JsonNode find(JsonNode list, String field, String value) {
        for (JsonNode item : list) {
            if (item.path(field).asText().equals(value)) {
                return item;
            }
        }
        throw new AssertionError("no entry with " + field + " = " + value + " in " + list);
    }

    private static List<String> values(JsonNode list, String field) {
        List<String> out = new ArrayList<>();
        list.forEach(item -> out.add(item.path(field).asText()));
        return out;
    }

    @Test
    void importedCatalogueRatesArePublishedAndABulkMarginUpdateChangesThem() {
        HttpResponse<String> preview = hub.post("/api/ai-providers/model-rates/import", hub.ownerKey(),
                "{\"dryRun\":true,\"providers\":[\"openai\"]}");
        assertThat(preview.statusCode()).as(preview.body()).isEqualTo(200);
        JsonNode dry = TestHub.json(preview);
        assertThat(dry.path("dryRun").asBoolean()).isTrue();
        assertThat(dry.path("baseCreditPrice").asText()).isEqualTo("0.01");
        assertThat(dry.path("marginPercent").asText()).isEqualTo("2");
        int creates = dry.path("summary").path("create").asInt();
        assertThat(creates).isGreaterThan(100);
        JsonNode mini = find(dry.path("changes"), "model", "gpt-4o-mini");
        assertThat(mini.path("action").asText()).isEqualTo("create");
        assertThat(mini.path("provider").asText()).isEqualTo("openai");
        assertThat(mini.path("after").path("inputRate").asText()).isEqualTo("0.0000153");
        assertThat(mini.path("after").path("unitCosts").path("input").asText()).isEqualTo("0.00000015");
        assertThat(values(dry.path("skippedProviders"), "catalogProvider")).contains("azure", "groq");
        assertThat(values(dry.path("skippedModels"), "model")).contains("gpt-image-1.5");
        assertThat(TestHub.json(hub.get("/api/ai-providers/model-rates", hub.ownerKey())).path("count").asInt())
                .isZero();
        assertThat(hub.hub().billing().rates().all()).isEmpty();

        JsonNode done = TestHub.json(hub.post("/api/ai-providers/model-rates/import", hub.ownerKey(),
                "{\"providers\":[\"openai\"]}"));
        assertThat(done.path("dryRun").asBoolean()).isFalse();
        assertThat(done.path("summary").path("create").asInt()).isEqualTo(creates);
        assertThat(TestHub.json(hub.get("/api/ai-providers/model-rates?provider=openai", hub.ownerKey()))
                .path("count").asInt()).isEqualTo(creates);

        JsonNode pricing = TestHub.json(hub.get("/api/pricing", null));
        assertThat(pricing.path("currency").asText()).isEqualTo("USD");
        assertThat(pricing.path("baseCreditPrice").asText()).isEqualTo("0.01");
        JsonNode priced = find(pricing.path("models"), "key", "openai/gpt-4o-mini");
        assertThat(priced.path("type").asText()).isEqualTo("chat");
        assertThat(priced.path("credits").path("inputPerMillionTokens").asText()).isEqualTo("15.3");
        assertThat(priced.path("credits").path("outputPerMillionTokens").asText()).isEqualTo("61.2");
        assertThat(priced.path("credits").path("cacheReadPerMillionTokens").asText()).isEqualTo("7.65");
        assertThat(priced.path("credits").path("cacheWritePerMillionTokens").asText()).isEqualTo("15.3");
        assertThat(priced.path("usd").path("inputPerMillionTokens").asText()).isEqualTo("0.153");
        assertThat(priced.path("usd").path("outputPerMillionTokens").asText()).isEqualTo("0.612");
        // acme declares a dated id the catalogue names in gpt-4o-mini's match rule.
        assertThat(find(pricing.path("models"), "key", "acme/gpt-4o-mini-2024-07-18")
                .path("credits").path("inputPerMillionTokens").asText()).isEqualTo("15.3");
        JsonNode embedding = find(pricing.path("models"), "key", "openai/text-embedding-3-small");
        assertThat(embedding.path("type").asText()).isEqualTo("embedding");
        assertThat(embedding.path("credits").path("inputPerMillionTokens").asText()).isEqualTo("2.04");
        assertThat(embedding.path("credits").has("outputPerMillionTokens")).isFalse();
        assertThat(values(pricing.path("models"), "key")).doesNotContain("openai/gpt-image-1");

        JsonNode models = TestHub.json(hub.get("/api/ai/models", null));
        JsonNode listed = find(models, "key", "openai/gpt-4o-mini");
        assertThat(listed.path("input_credits_per_token").asText()).isEqualTo("0.0000153");
        assertThat(listed.path("output_credits_per_token").asText()).isEqualTo("0.0000612");
        JsonNode image = find(models, "key", "openai/gpt-image-1");
        assertThat(image.path("input_credits_per_token").isTextual()).isTrue();
        assertThat(image.path("input_credits_per_token").asText()).isEqualTo("0");
        assertThat(image.path("output_credits_per_token").asText()).isEqualTo("0");

        String gpt4oId = find(TestHub.json(hub.get("/api/ai-providers/openai/model-rates", hub.ownerKey()))
                .path("list"), "model", "gpt-4o").path("id").asText();
        assertThat(hub.put("/api/ai-providers/openai/model-rates/" + gpt4oId, hub.ownerKey(),
                "{\"deprecated\":true}").statusCode()).isEqualTo(200);
        assertThat(values(TestHub.json(hub.get("/api/pricing", null)).path("models"), "key"))
                .contains("openai/gpt-4o-mini").doesNotContain("openai/gpt-4o");

        // A dry run answers the same change list and writes neither the rates nor the margin setting.
        JsonNode planned = TestHub.json(hub.post("/api/ai-providers/bulk-rate-update", hub.ownerKey(),
                "{\"mode\":\"margin\",\"marginPercent\":\"10\",\"dryRun\":true}"));
        assertThat(planned.path("dryRun").asBoolean()).isTrue();
        assertThat(planned.path("updated").asInt()).isEqualTo(creates);
        assertThat(find(planned.path("changes"), "model", "gpt-4o-mini").path("after").path("inputRate").asText())
                .isEqualTo("0.0000165");
        assertThat(find(TestHub.json(hub.get("/api/pricing", null)).path("models"), "key", "openai/gpt-4o-mini")
                .path("credits").path("inputPerMillionTokens").asText()).isEqualTo("15.3");
        assertThat(TestHub.json(hub.get("/api/admin/billing/settings", hub.ownerKey())).path("marginPercent").asText())
                .isEqualTo("2");

        HttpResponse<String> bulk = hub.post("/api/ai-providers/bulk-rate-update", hub.ownerKey(),
                "{\"mode\":\"margin\",\"marginPercent\":\"10\"}");
        assertThat(bulk.statusCode()).as(bulk.body()).isEqualTo(200);
        JsonNode result = TestHub.json(bulk);
        assertThat(result.path("marginPercent").asText()).isEqualTo("10");
        assertThat(result.path("updated").asInt()).isEqualTo(creates);
        JsonNode miniChange = find(result.path("changes"), "model", "gpt-4o-mini");
        assertThat(miniChange.path("before").path("inputRate").asText()).isEqualTo("0.0000153");
        assertThat(miniChange.path("after").path("inputRate").asText()).isEqualTo("0.0000165");
        assertThat(find(TestHub.json(hub.get("/api/pricing", null)).path("models"), "key", "openai/gpt-4o-mini")
                .path("credits").path("inputPerMillionTokens").asText()).isEqualTo("16.5");
        assertThat(find(TestHub.json(hub.get("/api/ai/models", null)), "key", "openai/gpt-4o-mini")
                .path("input_credits_per_token").asText()).isEqualTo("0.0000165");
        JsonNode history = TestHub.json(hub.get("/api/ai-providers/model-rates/" + miniChange.path("id").asText()
                + "/history", hub.ownerKey()));
        assertThat(values(history.path("list"), "changeType")).containsExactly("bulk_margin", "import");

        JsonNode audit = TestHub.json(hub.get("/api/admin/audit?action=rate.", hub.ownerKey()));
        assertThat(values(audit.path("list"), "action")).containsSubsequence("rate.bulk_margin",
                "rate.deprecate", "rate.import");
        JsonNode imported = find(audit.path("list"), "action", "rate.import");
        assertThat(imported.path("after").path("created").asInt()).isEqualTo(creates);
        assertThat(imported.path("after").path("marginPercent").asText()).isEqualTo("2");
        assertThat(find(audit.path("list"), "action", "rate.bulk_margin").path("after").path("updated").asInt())
                .isEqualTo(creates);
        JsonNode setting = find(TestHub.json(hub.get("/api/admin/audit?action=setting.update", hub.ownerKey()))
                .path("list"), "action", "setting.update");
        assertThat(setting.path("before").path("marginPercent").asText()).isEqualTo("2");
        assertThat(setting.path("after").path("marginPercent").asText()).isEqualTo("10");
        assertThat(TestHub.json(hub.get("/api/admin/billing/settings", hub.ownerKey())).path("marginPercent")
                .asText()).isEqualTo("10");

        // The margin is stored: importing again finds nothing to change.
        JsonNode again = TestHub.json(hub.post("/api/ai-providers/model-rates/import", hub.ownerKey(),
                "{\"dryRun\":true,\"providers\":[\"openai\"]}"));
        assertThat(again.path("marginPercent").asText()).isEqualTo("10");
        assertThat(again.path("summary").path("update").asInt()).isZero();
        assertThat(again.path("summary").path("unchanged").asInt()).isEqualTo(creates);
    }
}
