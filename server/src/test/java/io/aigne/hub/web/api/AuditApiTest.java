package io.aigne.hub.web.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigne.hub.testing.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every administrative change made through the API leaves an audit entry naming who made it, from which address,
 * and the target before and after; owners and admins read them back through {@code GET /api/admin/audit}.
 */
class AuditApiTest {
    private static final String SECRET = "sk-audit-first-secret-0123456789";
    private static final String SECRET_2 = "sk-audit-second-secret-9876543210";
    private static TestHub hub;
    private static String ownerId;

    @BeforeAll
    static void start() {
        hub = TestHub.builder().start();
        ownerId = TestHub.json(hub.get("/api/user/me", hub.ownerKey())).path("id").asText();
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void providerAndCredentialChangesAreRecordedWithWhoWhereAndWhat() {
        JsonNode provider = TestHub.json(hub.post("/api/ai-providers", hub.ownerKey(), """
                {"name":"acme","type":"openai","baseUrl":"https://acme.example/v1",
                 "credentials":[{"name":"primary","value":"%s","weight":60}]}""".formatted(SECRET)));
        String providerId = provider.path("id").asText();
        String credentialId = provider.path("credentials").get(0).path("id").asText();
        String credentialPath = "/api/ai-providers/" + providerId + "/credentials/" + credentialId;

        assertThat(hub.put("/api/ai-providers/" + providerId, hub.ownerKey(), "{\"enabled\":false}").statusCode())
                .isEqualTo(200);
        assertThat(hub.put(credentialPath, hub.ownerKey(), "{\"weight\":30}").statusCode()).isEqualTo(200);
        assertThat(hub.put(credentialPath, hub.ownerKey(), "{\"weight\":30}").statusCode()).as("changes nothing")
                .isEqualTo(200);
        assertThat(hub.put(credentialPath, hub.ownerKey(), "{\"enabled\":false}").statusCode()).isEqualTo(200);
        assertThat(hub.put(credentialPath, hub.ownerKey(), "{\"enabled\":true}").statusCode()).isEqualTo(200);
        assertThat(hub.put(credentialPath, hub.ownerKey(), "{\"value\":\"" + SECRET_2 + "\"}").statusCode())
                .isEqualTo(200);
        assertThat(hub.delete("/api/ai-providers/" + providerId, hub.ownerKey()).statusCode()).isEqualTo(200);

        JsonNode providerEntries = audit("targetType=provider&targetId=" + providerId).path("list");
        assertThat(actions(providerEntries)).containsExactly("provider.delete", "provider.update", "provider.create");
        for (JsonNode e : providerEntries) {
            assertThat(e.path("actor").path("type").asText()).isEqualTo("user");
            assertThat(e.path("actor").path("id").asText()).isEqualTo(ownerId);
            assertThat(e.path("actor").path("name").asText()).isEqualTo("owner");
            assertThat(e.path("ip").asText()).isEqualTo("127.0.0.1");
            assertThat(e.path("time").asLong()).isCloseTo(System.currentTimeMillis(),
                    org.assertj.core.data.Offset.offset(60_000L));
        }
        JsonNode created = providerEntries.get(2);
        assertThat(created.path("before").isNull()).isTrue();
        assertThat(created.path("after").path("name").asText()).isEqualTo("acme");
        assertThat(created.path("after").path("baseUrl").asText()).isEqualTo("https://acme.example/v1");
        JsonNode updated = providerEntries.get(1);
        assertThat(updated.path("before").path("enabled").asBoolean()).isTrue();
        assertThat(updated.path("after").path("enabled").asBoolean()).isFalse();
        assertThat(providerEntries.get(0).path("after").isNull()).isTrue();

        JsonNode credentialEntries = audit("targetType=credential&targetId=" + credentialId).path("list");
        assertThat(actions(credentialEntries)).containsExactly("credential.delete", "credential.update",
                "credential.enable", "credential.disable", "credential.update", "credential.create");
        JsonNode create = credentialEntries.get(5).path("after");
        assertThat(create.path("provider").asText()).isEqualTo("acme");
        assertThat(create.path("masked").asText()).isEqualTo("sk-a****************6789");
        assertThat(create.path("weight").asInt()).isEqualTo(60);
        JsonNode weight = credentialEntries.get(4);
        assertThat(weight.path("before").path("weight").asInt()).isEqualTo(60);
        assertThat(weight.path("after").path("weight").asInt()).isEqualTo(30);
        assertThat(credentialEntries.get(3).path("after").path("enabled").asBoolean()).isFalse();
        assertThat(credentialEntries.get(2).path("after").path("enabled").asBoolean()).isTrue();
        JsonNode rotated = credentialEntries.get(1);
        assertThat(rotated.path("before").path("masked").asText()).isEqualTo("sk-a****************6789");
        assertThat(rotated.path("after").path("masked").asText()).isEqualTo("sk-a****************3210");
        assertThat(rotated.path("after").path("secretReplaced").asBoolean()).isTrue();
        assertThat(credentialEntries.get(0).path("before").path("name").asText()).isEqualTo("primary");

        String raw = rawAuditTable();
        assertThat(raw).contains(providerId).doesNotContain(SECRET).doesNotContain(SECRET_2)
                .doesNotContain(SECRET.substring(8, 24)).doesNotContain(SECRET_2.substring(8, 24));
    }

    @Test
    void accessKeysAreRecordedWithoutTheirSecretOrHash() throws Exception {
        JsonNode key = TestHub.json(hub.post("/api/user/access-keys", hub.ownerKey(), "{\"name\":\"ci\",\"app\":\"did:app:ci\"}"));
        String keyId = key.path("id").asText();
        String secret = key.path("secret").asText();
        assertThat(hub.delete("/api/user/access-keys/" + keyId, hub.ownerKey()).statusCode()).isEqualTo(200);

        JsonNode entries = audit("targetType=access_key&targetId=" + keyId).path("list");
        assertThat(actions(entries)).containsExactly("key.revoke", "key.create");
        JsonNode created = entries.get(1).path("after");
        assertThat(created.path("name").asText()).isEqualTo("ci");
        assertThat(created.path("app").asText()).isEqualTo("did:app:ci");
        assertThat(created.path("userId").asText()).isEqualTo(ownerId);
        assertThat(created.path("hint").asText()).isEqualTo(key.path("hint").asText()).endsWith("…");
        assertThat(entries.get(0).path("before").path("revoked").asBoolean()).isFalse();
        assertThat(entries.get(0).path("after").path("revoked").asBoolean()).isTrue();
        assertThat(entries.get(0).path("after").path("revokedAt").asLong()).isPositive();

        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(secret.getBytes(StandardCharsets.UTF_8)));
        assertThat(rawAuditTable()).contains(keyId).doesNotContain(secret).doesNotContain(secret.substring(13))
                .doesNotContain(hash).doesNotContain(hub.ownerKey().substring(13));
    }

    @Test
    void theFirstStartIsRecordedAsBootstrap() {
        JsonNode entries = audit("actor=bootstrap").path("list");
        assertThat(actions(entries)).containsExactly("key.create", "user.create");
        assertThat(entries.get(1).path("actor").path("type").asText()).isEqualTo("system");
        assertThat(entries.get(1).path("actor").has("id")).isFalse();
        assertThat(entries.get(1).path("ip").isNull()).isTrue();
        assertThat(entries.get(1).path("after").path("role").asText()).isEqualTo("owner");
        assertThat(entries.get(1).path("target").path("id").asText()).isEqualTo(ownerId);
    }

    @Test
    void filtersAndPagesNewestFirst() {
        JsonNode pat = TestHub.json(hub.post("/api/admin/users", hub.ownerKey(), "{\"name\":\"pat\",\"role\":\"admin\"}"));
        String patKey = TestHub.json(hub.post("/api/admin/users/" + pat.path("id").asText() + "/access-keys",
                hub.ownerKey(), "{}")).path("secret").asText();
        long before = System.currentTimeMillis() - 1;
        List<String> keyIds = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            keyIds.add(TestHub.json(hub.post("/api/user/access-keys", patKey, "{\"name\":\"k" + i + "\"}"))
                    .path("id").asText());
        }
        long after = System.currentTimeMillis() + 1;
        List<String> newestFirst = keyIds.reversed();

        JsonNode all = audit("actor=pat");
        assertThat(all.path("count").asLong()).isEqualTo(5);
        assertThat(targets(all.path("list"))).containsExactlyElementsOf(newestFirst);
        assertThat(audit("actor=" + pat.path("id").asText()).path("count").asLong()).as("by user id").isEqualTo(5);

        JsonNode page2 = audit("actor=pat&page=2&pageSize=2");
        assertThat(page2.path("count").asLong()).isEqualTo(5);
        assertThat(targets(page2.path("list"))).containsExactlyElementsOf(newestFirst.subList(2, 4));
        assertThat(page2.path("paging").path("page").asInt()).isEqualTo(2);
        assertThat(page2.path("paging").path("pageSize").asInt()).isEqualTo(2);
        assertThat(targets(audit("actor=pat&page=3&pageSize=2").path("list"))).containsExactly(keyIds.getFirst());

        assertThat(audit("actor=pat&action=key.").path("count").asLong()).isEqualTo(5);
        assertThat(audit("actor=pat&action=key.revoke").path("count").asLong()).isZero();
        assertThat(audit("actor=pat&action=provider.").path("count").asLong()).isZero();
        assertThat(audit("actor=pat&since=" + before + "&until=" + after).path("count").asLong()).isEqualTo(5);
        assertThat(audit("actor=pat&since=" + iso(before) + "&until=" + iso(after)).path("count").asLong())
                .isEqualTo(5);
        assertThat(audit("actor=pat&until=" + iso(before)).path("count").asLong()).isZero();
        assertThat(audit("actor=pat&since=" + after).path("count").asLong()).isZero();
        assertThat(audit("actor=pat&since=2000-01-01").path("count").asLong()).isEqualTo(5);

        JsonNode byOwner = audit("actor=owner&action=user.create&targetId=" + pat.path("id").asText());
        assertThat(byOwner.path("count").asLong()).isEqualTo(1);
        assertThat(byOwner.path("list").get(0).path("after").path("role").asText()).isEqualTo("admin");
        assertThat(audit("actor=pat").path("list").get(0).path("actor").path("name").asText()).isEqualTo("pat");
    }

    @Test
    void onlyOwnersAndAdminsMayReadIt() {
        JsonNode member = TestHub.json(hub.post("/api/admin/users", hub.ownerKey(), "{\"name\":\"max\"}"));
        String memberKey = TestHub.json(hub.post("/api/admin/users/" + member.path("id").asText() + "/access-keys",
                hub.ownerKey(), "{}")).path("secret").asText();

        HttpResponse<String> forbidden = hub.get("/api/admin/audit", memberKey);
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(TestHub.json(forbidden).path("error").path("message").asText()).contains("owner or admin");
        assertThat(hub.get("/api/admin/audit", null).statusCode()).isEqualTo(401);
    }

    @Test
    void badFiltersAreA400NamingTheParameter() {
        Map<String, String> cases = Map.of(
                "since=yesterday", "since",
                "until=2025-13-01", "until",
                "since=2025-02-01&until=2025-01-01", "until",
                "pageSize=101", "pageSize",
                "page=0", "page",
                "action=" + URLEncoder.encode("provider%", StandardCharsets.UTF_8), "action");
        cases.forEach((query, param) -> {
            HttpResponse<String> response = hub.get("/api/admin/audit?" + query, hub.ownerKey());
            assertThat(response.statusCode()).as(query).isEqualTo(400);
            JsonNode error = TestHub.json(response).path("error");
            assertThat(error.path("param").asText()).as(query).isEqualTo(param);
            assertThat(error.path("message").asText()).as(query).contains(param);
        });
    }

    private static JsonNode audit(String query) {
        String paged = query.contains("pageSize=") ? query : "pageSize=100&" + query;
        HttpResponse<String> response = hub.get("/api/admin/audit?" + paged, hub.ownerKey());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestHub.json(response);
    }

    private static List<String> actions(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(e -> out.add(e.path("action").asText()));
        return out;
    }

    private static List<String> targets(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(e -> out.add(e.path("target").path("id").asText()));
        return out;
    }

    private static String iso(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }

    private static String rawAuditTable() {
        return hub.hub().database().jdbi().withHandle(h -> h.createQuery("SELECT * FROM audit_log").mapToMap().list())
                .toString();
    }
}
