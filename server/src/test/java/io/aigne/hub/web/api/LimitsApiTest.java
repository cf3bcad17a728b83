package io.aigne.hub.web.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigne.hub.testing.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /api/admin/limits}: who may use it, what it accepts, and what it refuses with a 400 naming the field. */
class LimitsApiTest {
    private static TestHub hub;
    private static String memberKey;
    private static String memberId;

    @BeforeAll
    static void start() {
        hub = TestHub.builder().start();
        JsonNode member = TestHub.json(hub.post("/api/admin/users", hub.ownerKey(), "{\"name\":\"mia\"}"));
        memberId = member.path("id").asText();
        memberKey = TestHub.json(hub.post("/api/admin/users/" + memberId + "/access-keys", hub.ownerKey(), "{}"))
                .path("secret").asText();
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @BeforeEach
    void clean() {
        for (JsonNode limit : TestHub.json(hub.get("/api/admin/limits", hub.ownerKey()))) {
            hub.delete("/api/admin/limits/" + limit.path("id").asText(), hub.ownerKey());
        }
    }

    private static HttpResponse<String> create(String json) {
        return hub.post("/api/admin/limits", hub.ownerKey(), json);
    }

    private static void assertInvalid(HttpResponse<String> response, String param, String messagePart) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode error = TestHub.json(response).path("error");
        assertThat(error.path("param").asText()).isEqualTo(param);
        assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.path("message").asText()).contains(messagePart);
    }

    @Test
    void membersMayNotManageLimits() {
        for (HttpResponse<String> r : java.util.List.of(hub.get("/api/admin/limits", memberKey),
                hub.post("/api/admin/limits", memberKey, "{\"scope\":\"user\",\"subject\":\"*\","
                        + "\"metric\":\"requests_per_minute\",\"limit\":1}"),
                hub.put("/api/admin/limits/x", memberKey, "{\"limit\":1}"),
                hub.delete("/api/admin/limits/x", memberKey))) {
            assertThat(r.statusCode()).isEqualTo(403);
            assertThat(TestHub.json(r).path("error").path("message").asText()).contains("owner or admin role");
        }
        assertThat(hub.get("/api/admin/limits", null).statusCode()).isEqualTo(401);
    }

    @ParameterizedTest(name = "{0} → 400 on {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "{\"subject\":\"*\",\"metric\":\"requests_per_minute\",\"limit\":1}|scope|'scope' is required",
            "{\"scope\":\"team\",\"subject\":\"*\",\"metric\":\"requests_per_minute\",\"limit\":1}|scope|user, key, app, model",
            "{\"scope\":7,\"subject\":\"*\",\"metric\":\"requests_per_minute\",\"limit\":1}|scope|must be a string",
            "{\"scope\":\"user\",\"metric\":\"requests_per_minute\",\"limit\":1}|subject|'subject' is required",
            "{\"scope\":\"user\",\"subject\":\"nobody\",\"metric\":\"requests_per_minute\",\"limit\":1}|subject|no user with id or name 'nobody'",
            "{\"scope\":\"key\",\"subject\":\"k-none\",\"metric\":\"requests_per_minute\",\"limit\":1}|subject|no access key with id 'k-none'",
            "{\"scope\":\"user\",\"subject\":\"*\",\"metric\":\"rpm\",\"limit\":1}|metric|requests_per_minute, tokens_per_minute",
            "{\"scope\":\"user\",\"subject\":\"*\",\"limit\":1}|metric|'metric' is required",
            "{\"scope\":\"user\",\"subject\":\"*\",\"metric\":\"requests_per_minute\"}|limit|'limit' is required: the most requests allowed per minute",
            "{\"scope\":\"user\",\"subject\":\"*\",\"metric\":\"requests_per_minute\",\"limit\":-1}|limit|0 or more",
            "{\"scope\":\"user\",\"subject\":\"*\",\"metric\":\"tokens_per_minute\",\"limit\":1.5}|limit|whole number of tokens",
            "{\"scope\":\"user\",\"subject\":\"*\",\"metric\":\"tokens_per_minute\",\"limit\":\"10\"}|limit|whole number of tokens",
            "{\"scope\":\"user\",\"subject\":\"*\",\"metric\":\"credits_per_day\",\"limit\":\"ten\"}|limit|a number of credits",
            "{\"scope\":\"user\",\"subject\":\"*\",\"metric\":\"credits_per_day\",\"limit\":-2}|limit|a number of credits, 0 or more",
            "{\"scope\":\"user\",\"subject\":\"*\",\"metric\":\"credits_per_day\",\"limit\":\"0.0000000001\"}|limit|more than 9 decimals",
            "{\"scope\":\"user\",\"subject\":\"*\",\"metric\":\"credits_per_month\",\"limit\":1e30}|limit|too large",
            "{\"scope\":\"app\",\"subject\":\"*\",\"metric\":\"requests_per_minute\",\"limit\":1,\"note\":5}|note|must be a string",
    })
    void badInputIsA400NamingTheField(String body, String param, String messagePart) {
        assertInvalid(create(body), param, messagePart);
    }

    @Test
    void aLongSubjectIsRefused() {
        assertInvalid(create("{\"scope\":\"app\",\"subject\":\"" + "x".repeat(257) + "\",\"metric\":"
                + "\"requests_per_minute\",\"limit\":1}"), "subject", "1 to 256 characters");
    }

    @Test
    void createListUpdateDelete() {
        HttpResponse<String> created = create("{\"scope\":\"user\",\"subject\":\"mia\",\"metric\":\"credits_per_day\","
                + "\"limit\":\"2.5\",\"note\":\"trial\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode limit = TestHub.json(created);
        String id = limit.path("id").asText();
        // A user given by name is stored by id; credits are exact decimal strings.
        assertThat(limit.path("subject").asText()).isEqualTo(memberId);
        assertThat(limit.path("limit").asText()).isEqualTo("2.5");
        assertThat(limit.path("unit").asText()).isEqualTo("credits");
        assertThat(limit.path("note").asText()).isEqualTo("trial");

        HttpResponse<String> duplicate = create("{\"scope\":\"user\",\"subject\":\"" + memberId + "\",\"metric\":"
                + "\"credits_per_day\",\"limit\":3}");
        assertThat(duplicate.statusCode()).isEqualTo(409);
        assertThat(TestHub.json(duplicate).path("error").path("message").asText()).contains(id);

        assertThat(create("{\"scope\":\"model\",\"subject\":\"openai/gpt-4o\",\"metric\":\"tokens_per_minute\","
                + "\"limit\":100000}").statusCode()).isEqualTo(201);
        assertThat(TestHub.json(hub.get("/api/admin/limits", hub.ownerKey()))).hasSize(2);
        JsonNode models = TestHub.json(hub.get("/api/admin/limits?scope=model", hub.ownerKey()));
        assertThat(models).singleElement().satisfies(l -> {
            assertThat(l.path("limit").asLong()).isEqualTo(100_000);
            assertThat(l.path("unit").asText()).isEqualTo("tokens");
        });
        assertInvalid(hub.get("/api/admin/limits?scope=team", hub.ownerKey()), "scope", "user, key, app, model");

        HttpResponse<String> updated = hub.put("/api/admin/limits/" + id, hub.ownerKey(), "{\"limit\":0.000000001}");
        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
        assertThat(TestHub.json(updated).path("limit").asText()).isEqualTo("0.000000001");
        assertThat(TestHub.json(updated).path("note").asText()).isEqualTo("trial");

        assertInvalid(hub.put("/api/admin/limits/" + id, hub.ownerKey(), "{\"metric\":\"requests_per_minute\"}"),
                "limit", "required when the metric changes");
        HttpResponse<String> changedMetric = hub.put("/api/admin/limits/" + id, hub.ownerKey(),
                "{\"metric\":\"requests_per_minute\",\"limit\":60}");
        assertThat(TestHub.json(changedMetric).path("limit").asLong()).isEqualTo(60);

        assertThat(hub.put("/api/admin/limits/nope", hub.ownerKey(), "{\"limit\":1}").statusCode()).isEqualTo(404);
        assertThat(hub.delete("/api/admin/limits/" + id, hub.ownerKey()).statusCode()).isEqualTo(200);
        assertThat(hub.delete("/api/admin/limits/" + id, hub.ownerKey()).statusCode()).isEqualTo(404);

        JsonNode audited = TestHub.json(hub.get("/api/admin/audit?targetType=limit&targetId=" + id, hub.ownerKey()));
        assertThat(audited.path("list")).extracting(e -> e.path("action").asText())
                .containsExactly("limit.delete", "limit.update", "limit.update", "limit.create");
        JsonNode lastUpdate = audited.path("list").get(1);
        assertThat(lastUpdate.path("before").path("limit").asText()).isEqualTo("0.000000001");
        assertThat(lastUpdate.path("after").path("limit").asLong()).isEqualTo(60);
    }

    @Test
    void usersSeeTheLimitsThatApplyToThem() {
        create("{\"scope\":\"user\",\"subject\":\"*\",\"metric\":\"requests_per_minute\",\"limit\":100}");
        create("{\"scope\":\"user\",\"subject\":\"" + memberId + "\",\"metric\":\"requests_per_minute\",\"limit\":5,"
                + "\"note\":\"slow down mia\"}");
        create("{\"scope\":\"app\",\"subject\":\"did:app:a\",\"metric\":\"credits_per_month\",\"limit\":\"12.25\"}");
        create("{\"scope\":\"model\",\"subject\":\"*\",\"metric\":\"tokens_per_minute\",\"limit\":1000}");

        JsonNode mine = TestHub.json(hub.send(hub.request("/api/user/limits", memberKey)
                .header("x-aigne-hub-client-did", "did:app:a").GET())).path("limits");
        assertThat(mine).extracting(l -> l.path("scope").asText() + ":" + l.path("metric").asText() + "="
                        + l.path("limit").asText() + " used " + l.path("used").asText("-"))
                .containsExactlyInAnyOrder("user:requests_per_minute=5 used 0",
                        "app:credits_per_month=12.25 used 0",
                        "model:tokens_per_minute=1000 used -");
        assertThat(mine).allSatisfy(l -> assertThat(l.has("note") || l.has("createdBy")).isFalse());

        JsonNode owners = TestHub.json(hub.get("/api/user/limits", hub.ownerKey())).path("limits");
        assertThat(owners).extracting(l -> l.path("scope").asText() + "=" + l.path("limit").asText())
                .containsExactlyInAnyOrder("user=100", "model=1000");
    }

    @Test
    void aUserReadsTheLimitsOfOneOfTheirOwnKeys() {
        JsonNode key = TestHub.json(hub.post("/api/admin/users/" + memberId + "/access-keys", hub.ownerKey(),
                "{\"name\":\"ci\"}"));
        String keyId = key.path("id").asText();
        create("{\"scope\":\"key\",\"subject\":\"" + keyId + "\",\"metric\":\"requests_per_minute\",\"limit\":7}");

        JsonNode forKey = TestHub.json(hub.get("/api/user/limits?key=" + keyId, memberKey)).path("limits");
        JsonNode withoutKey = TestHub.json(hub.get("/api/user/limits", hub.ownerKey())).path("limits");
        HttpResponse<String> othersKey = hub.get("/api/user/limits?key=" + keyId, hub.ownerKey());

        assertThat(forKey).extracting(l -> l.path("scope").asText() + "=" + l.path("limit").asText())
                .contains("key=7");
        assertThat(withoutKey).extracting(l -> l.path("scope").asText()).doesNotContain("key");
        assertThat(othersKey.statusCode()).isEqualTo(404);
    }

    @Test
    void aUserCapsTheirOwnKeyButCannotLoosenAnAdminsLimit() {
        String keyId = TestHub.json(hub.post("/api/admin/users/" + memberId + "/access-keys", hub.ownerKey(),
                "{\"name\":\"ci-capped\"}")).path("id").asText();
        String own = "/api/user/access-keys/" + keyId + "/limits/";

        HttpResponse<String> created = hub.put(own + "credits_per_day", memberKey, "{\"limit\":\"2.5\"}");
        HttpResponse<String> changed = hub.put(own + "credits_per_day", memberKey, "{\"limit\":3}");
        HttpResponse<String> byOthers = hub.put(own + "credits_per_day", hub.ownerKey(), "{\"limit\":9}");
        HttpResponse<String> badValue = hub.put(own + "requests_per_minute", memberKey, "{\"limit\":-1}");
        create("{\"scope\":\"key\",\"subject\":\"" + keyId + "\",\"metric\":\"requests_per_minute\",\"limit\":7}");
        HttpResponse<String> loosen = hub.put(own + "requests_per_minute", memberKey, "{\"limit\":700}");
        HttpResponse<String> removeAdmins = hub.delete(own + "requests_per_minute", memberKey);

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(TestHub.json(changed).path("limit").asText()).isEqualTo("3");
        assertThat(byOthers.statusCode()).isEqualTo(404);
        assertThat(badValue.statusCode()).isEqualTo(400);
        assertThat(badValue.body()).contains("limit");
        assertThat(loosen.statusCode()).isEqualTo(403);
        assertThat(loosen.body()).contains("set by an administrator");
        assertThat(removeAdmins.statusCode()).isEqualTo(403);
        JsonNode forKey = TestHub.json(hub.get("/api/user/limits?key=" + keyId, memberKey)).path("limits");
        assertThat(forKey).extracting(l -> l.path("metric").asText() + "=" + l.path("limit").asText())
                .contains("credits_per_day=3", "requests_per_minute=7");
        assertThat(hub.delete(own + "credits_per_day", memberKey).statusCode()).isEqualTo(200);
        assertThat(TestHub.json(hub.get("/api/user/limits?key=" + keyId, memberKey)).path("limits"))
                .extracting(l -> l.path("metric").asText()).doesNotContain("credits_per_day");
        assertThat(TestHub.json(hub.get("/api/admin/audit?action=limit.", hub.ownerKey())).toString())
                .contains("limit.create").contains("limit.delete");
    }
}
