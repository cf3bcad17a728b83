package io.aigne.hub.web.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigne.hub.auth.Role;
import io.aigne.hub.auth.User;
import io.aigne.hub.billing.ModelRate;
import io.aigne.hub.testing.FakeOpenAiProvider;
import io.aigne.hub.testing.TestHub;
import io.aigne.hub.usage.CallType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The model rates API: an admin creates, changes, deprecates and deletes rates for a provider (by id or name) or a
 * provider type; every change is in the history and in the hub's rate card at once; bad input is a 400 naming the
 * field; members read but cannot change.
 */
class ModelRatesApiTest {
    private static FakeOpenAiProvider fake;
    private static TestHub hub;
    private static String memberKey;
    private static String acmeId;

    @BeforeAll
    static void start() {
        fake = FakeOpenAiProvider.start();
        hub = TestHub.builder()
                .openAiProvider("acme", "openai", fake.baseUrl(), List.of("gpt-4o-mini"), "sk-ok-rates-api")
                .start();
        User mia = hub.hub().users().create("mia", "Mia", null, Role.MEMBER);
        memberKey = hub.hub().keys().issue(mia.id(), "member key", null).secret();
        acmeId = hub.hub().router().provider("acme").orElseThrow().id();
    }

    @AfterAll
    static void stop() {
        hub.close();
        fake.close();
    }

    private static HttpResponse<String> post(String path, String json) {
        return hub.post(path, hub.ownerKey(), json);
    }

    private static void assertInvalid(HttpResponse<String> response, String param, String message) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode error = TestHub.json(response).path("error");
        assertThat(error.path("param").asText()).isEqualTo(param);
        assertThat(error.path("message").asText()).contains(message);
    }

    private static List<String> ids(HttpResponse<String> response) {
        List<String> ids = new ArrayList<>();
        TestHub.json(response).path("list").forEach(r -> ids.add(r.path("id").asText()));
        return ids;
    }

    @Test
    void anAdminCreatesChangesDeprecatesAndDeletesARateWithItsHistory() {
        HttpResponse<String> created = post("/api/ai-providers/acme/model-rates", """
                {"model":"gpt-4o-mini","type":"chat","displayName":"GPT-4o mini",
                 "inputRate":"0.0000002","outputRate":"0.0000008","cacheReadRate":"0.0000001"}""");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode rate = TestHub.json(created);
        String id = rate.path("id").asText();
        assertThat(rate.path("provider").asText()).isEqualTo("acme");
        assertThat(rate.path("scope").asText()).isEqualTo("provider");
        assertThat(rate.path("inputRate").asText()).isEqualTo("0.0000002");
        assertThat(rate.path("outputRate").asText()).isEqualTo("0.0000008");
        assertThat(rate.path("perMillionTokens").path("input").asText()).isEqualTo("0.2");
        assertThat(rate.path("perMillionTokens").path("cacheRead").asText()).isEqualTo("0.1");
        assertThat(rate.path("source").asText()).isEqualTo("manual");
        ModelRate inCard = hub.hub().billing().rates().find("acme", "openai", "gpt-4o-mini", CallType.CHAT).orElseThrow();
        assertThat(inCard.outputRate()).isEqualByComparingTo("0.0000008");

        HttpResponse<String> duplicate = post("/api/ai-providers/" + acmeId + "/model-rates",
                "{\"model\":\"gpt-4o-mini\",\"type\":\"chat\",\"inputRate\":\"1\"}");
        assertThat(duplicate.statusCode()).isEqualTo(409);
        assertThat(TestHub.json(duplicate).path("error").path("code").asText()).isEqualTo("already_exists");
        assertThat(TestHub.json(duplicate).path("error").path("message").asText()).contains(id);

        HttpResponse<String> changed = hub.put("/api/ai-providers/" + acmeId + "/model-rates/" + id, hub.ownerKey(),
                "{\"outputRate\":\"0.0000009\",\"cacheReadRate\":null}");
        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
        assertThat(TestHub.json(changed).path("outputRate").asText()).isEqualTo("0.0000009");
        assertThat(TestHub.json(changed).has("cacheReadRate")).isFalse();
        assertThat(hub.hub().billing().rates().find("acme", "openai", "gpt-4o-mini", CallType.CHAT).orElseThrow()
                .outputRate()).isEqualByComparingTo("0.0000009");

        HttpResponse<String> deprecated = hub.put("/api/ai-providers/acme/model-rates/" + id, hub.ownerKey(),
                "{\"deprecated\":true,\"deprecatedReason\":\"use gpt-4.1-mini\"}");
        assertThat(TestHub.json(deprecated).path("deprecated").asBoolean()).isTrue();
        assertThat(TestHub.json(deprecated).path("deprecatedReason").asText()).isEqualTo("use gpt-4.1-mini");
        assertThat(TestHub.json(deprecated).path("deprecatedAt").asLong()).isPositive();
        assertThat(ids(hub.get("/api/ai-providers/acme/model-rates", memberKey))).doesNotContain(id);
        assertThat(ids(hub.get("/api/ai-providers/acme/model-rates?includeDeprecated=true", memberKey)))
                .contains(id);

        HttpResponse<String> deleted = hub.delete("/api/ai-providers/acme/model-rates/" + id, hub.ownerKey());
        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(hub.hub().billing().rates().find("acme", "openai", "gpt-4o-mini", CallType.CHAT)).isEmpty();
        assertThat(hub.delete("/api/ai-providers/acme/model-rates/" + id, hub.ownerKey()).statusCode())
                .isEqualTo(404);

        JsonNode history = TestHub.json(hub.get("/api/ai-providers/model-rates/" + id + "/history", hub.ownerKey()));
        List<String> types = new ArrayList<>();
        history.path("list").forEach(e -> types.add(e.path("changeType").asText()));
        assertThat(types).containsExactly("delete", "deprecate", "manual_update", "create");
        JsonNode manualUpdate = history.path("list").get(2);
        assertThat(manualUpdate.path("before").path("outputRate").asText()).isEqualTo("0.0000008");
        assertThat(manualUpdate.path("after").path("outputRate").asText()).isEqualTo("0.0000009");
        String ownerId = hub.hub().users().byName("owner").orElseThrow().id();
        assertThat(manualUpdate.path("actor").asText()).isEqualTo(ownerId);

        // The same changes in the audit log, with who made them and from where.
        JsonNode audit = TestHub.json(hub.get("/api/admin/audit?targetType=rate&targetId=" + id, hub.ownerKey()));
        List<String> actions = new ArrayList<>();
        audit.path("list").forEach(e -> actions.add(e.path("action").asText()));
        assertThat(actions).containsExactly("rate.delete", "rate.deprecate", "rate.manual_update", "rate.create");
        JsonNode updateEntry = audit.path("list").get(2);
        assertThat(updateEntry.path("actor").path("name").asText()).isEqualTo("owner");
        assertThat(updateEntry.path("ip").asText()).isEqualTo("127.0.0.1");
        assertThat(updateEntry.path("before").path("outputRate").asText()).isEqualTo("0.0000008");
        assertThat(updateEntry.path("after").path("outputRate").asText()).isEqualTo("0.0000009");
    }

    @Test
    void ratesForATypeAreTheDefaultOfItsProvidersAndAProvidersOwnRateWins() {
        HttpResponse<String> typeDefault = post("/api/ai-providers/openai/model-rates",
                "{\"model\":\"gpt-4.1\",\"inputRate\":\"0.000002\",\"outputRate\":\"0.000008\"}");
        assertThat(typeDefault.statusCode()).as(typeDefault.body()).isEqualTo(201);
        assertThat(TestHub.json(typeDefault).path("scope").asText()).isEqualTo("type");
        HttpResponse<String> own = post("/api/ai-providers/acme/model-rates",
                "{\"model\":\"gpt-4.1\",\"inputRate\":\"0.000001\",\"outputRate\":\"0.000004\"}");
        assertThat(own.statusCode()).isEqualTo(201);
        post("/api/ai-providers/openai/model-rates", "{\"model\":\"o3\",\"inputRate\":\"0.000002\"}");

        JsonNode acme = TestHub.json(hub.get("/api/ai-providers/" + acmeId + "/model-rates", memberKey));
        List<String> seen = new ArrayList<>();
        acme.path("list").forEach(r -> seen.add(r.path("provider").asText() + ":" + r.path("model").asText()));
        assertThat(seen).contains("acme:gpt-4.1", "openai:o3").doesNotContain("openai:gpt-4.1");
        assertThat(hub.hub().billing().rates().find("acme", "openai", "gpt-4.1", CallType.CHAT).orElseThrow().inputRate())
                .isEqualByComparingTo("0.000001");
        assertThat(hub.hub().billing().rates().find("other", "openai", "gpt-4.1", CallType.CHAT).orElseThrow().inputRate())
                .isEqualByComparingTo("0.000002");

        JsonNode search = TestHub.json(hub.get("/api/ai-providers/model-rates?provider=openai&q=GPT-4.1", memberKey));
        assertThat(search.path("count").asInt()).isEqualTo(1);
        assertThat(search.path("list").get(0).path("provider").asText()).isEqualTo("openai");
        JsonNode paged = TestHub.json(hub.get("/api/ai-providers/model-rates?pageSize=1&page=2&type=chat", memberKey));
        assertThat(paged.path("list")).hasSize(1);
        assertThat(paged.path("count").asInt()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void theSameModelIsCreatedOnSeveralProvidersAtOnceOrNotAtAll() {
        HttpResponse<String> batch = post("/api/ai-providers/model-rates", """
                {"providers":["acme","openrouter","deepseek"],"model":"shared-model","type":"chatCompletion",
                 "unitCosts":{"input":"0.000001","output":"0.000002"}}""");
        assertThat(batch.statusCode()).as(batch.body()).isEqualTo(201);
        JsonNode list = TestHub.json(batch).path("list");
        assertThat(list).hasSize(3);
        // Rates given only as the provider's cost are derived at the base credit price (1) and margin (2 %).
        assertThat(list.get(0).path("inputRate").asText()).isEqualTo("0.00000102");
        assertThat(list.get(0).path("outputRate").asText()).isEqualTo("0.00000204");
        assertThat(list.get(0).path("unitCosts").path("input").asText()).isEqualTo("0.000001");

        HttpResponse<String> again = post("/api/ai-providers/model-rates",
                "{\"providers\":[\"xai\",\"acme\"],\"model\":\"shared-model\",\"inputRate\":\"1\"}");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(hub.hub().billing().rates().find("xai", "xai", "shared-model", CallType.CHAT)).isEmpty();
    }

    @Test
    void badInputIsA400NamingTheField() {
        String path = "/api/ai-providers/acme/model-rates";
        assertInvalid(post(path, "{\"model\":\"m1\",\"inputRate\":\"-0.1\"}"), "inputRate", "must not be negative");
        assertInvalid(post(path, "{\"model\":\"m1\",\"outputRate\":\"cheap\"}"), "outputRate", "decimal number");
        assertInvalid(post(path, "{\"model\":\"m1\",\"outputRate\":true}"), "outputRate", "decimal number");
        assertInvalid(post(path, "{\"model\":\"m1\",\"inputRate\":\"0.0000000000001\"}"), "inputRate",
                "13 decimal places; at most 12");
        assertInvalid(post(path, "{\"model\":\"m1\",\"type\":\"audio\"}"), "type", "chat, embedding, image or video");
        assertInvalid(post(path, "{\"inputRate\":\"1\"}"), "model", "'model' is required");
        assertInvalid(post(path, "{\"model\":\"m1\",\"unitCosts\":{\"inputs\":\"1\"}}"), "unitCosts.inputs",
                "not a unit cost");
        assertInvalid(post(path, "{\"model\":\"m1\",\"imageRates\":{\"hd\":\"x\"}}"), "imageRates.hd",
                "decimal number");
        assertInvalid(post("/api/ai-providers/nobody/model-rates", "{\"model\":\"m1\"}"), "providerId",
                "no provider has the id or name 'nobody'");
        assertInvalid(post("/api/ai-providers/model-rates", "{\"providers\":[\"acme\",\"nobody\"],\"model\":\"m1\"}"),
                "providers", "'nobody'");
        assertInvalid(hub.get("/api/ai-providers/model-rates?type=sound", memberKey), "type", "chat, embedding");
        assertInvalid(post("/api/ai-providers/bulk-rate-update", "{\"mode\":\"sync\"}"), "mode", "margin");
        assertInvalid(post("/api/ai-providers/bulk-rate-update", "{\"mode\":\"margin\",\"marginPercent\":\"-100\"}"),
                "marginPercent", "above -100");
        assertInvalid(post("/api/ai-providers/model-rates/import", "{\"providers\":[\"azure\"]}"), "providers",
                "'azure' is not one");

        String id = TestHub.json(post(path, "{\"model\":\"m-valid\",\"inputRate\":1e-7}")).path("id").asText();
        assertThat(TestHub.json(hub.get("/api/ai-providers/model-rates?model=m-valid", memberKey))
                .path("list").get(0).path("inputRate").asText()).isEqualTo("0.0000001");
        assertInvalid(hub.put(path + "/" + id, hub.ownerKey(), "{\"model\":\"other\"}"), "model", "cannot change");
        assertInvalid(hub.put(path + "/" + id, hub.ownerKey(), "{\"deprecated\":\"yes\"}"), "deprecated",
                "true or false");
        assertThat(hub.put("/api/ai-providers/deepseek/model-rates/" + id, hub.ownerKey(), "{}").statusCode())
                .isEqualTo(404);
        // A rate of a provider that no longer exists can still be removed by its key.
        String orphan = TestHub.json(post("/api/ai-providers/model-rates", "{\"providers\":[\"acme\"],"
                + "\"model\":\"m-orphan\"}")).path("list").get(0).path("id").asText();
        hub.hub().database().jdbi().useHandle(h -> h.execute(
                "UPDATE model_rates SET provider = 'gone-provider' WHERE id = ?", orphan));
        assertThat(hub.delete("/api/ai-providers/gone-provider/model-rates/" + orphan, hub.ownerKey())
                .statusCode()).isEqualTo(200);
        assertThat(hub.get("/api/ai-providers/model-rates/nope/history", hub.ownerKey()).statusCode()).isEqualTo(404);
    }

    @Test
    void membersReadRatesButOnlyOwnersAndAdminsChangeThem() {
        assertThat(hub.get("/api/ai-providers/model-rates", memberKey).statusCode()).isEqualTo(200);
        assertThat(hub.get("/api/ai-providers/model-rates", null).statusCode()).isEqualTo(401);
        for (HttpResponse<String> refused : List.of(
                hub.post("/api/ai-providers/acme/model-rates", memberKey, "{\"model\":\"x\"}"),
                hub.post("/api/ai-providers/model-rates", memberKey, "{\"providers\":[\"acme\"],\"model\":\"x\"}"),
                hub.put("/api/ai-providers/acme/model-rates/any", memberKey, "{}"),
                hub.delete("/api/ai-providers/acme/model-rates/any", memberKey),
                hub.post("/api/ai-providers/model-rates/import", memberKey, "{\"dryRun\":true}"),
                hub.post("/api/ai-providers/bulk-rate-update", memberKey, "{\"mode\":\"margin\"}"),
                hub.get("/api/ai-providers/model-rates/any/history", memberKey))) {
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
            assertThat(TestHub.json(refused).path("error").path("message").asText()).contains("owner or admin");
        }
    }
}
