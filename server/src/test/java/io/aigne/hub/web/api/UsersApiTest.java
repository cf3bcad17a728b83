package io.aigne.hub.web.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigne.hub.auth.Passwords;
import io.aigne.hub.testing.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Owners and admins manage users and roles through {@code /api/admin/users}: search, inspect with their keys,
 * create (with an optional Argon2id-hashed password) and change, under the role rules; every change is audited
 * with before and after, and a disabled user's keys stop working at once.
 */
class UsersApiTest {
    private static TestHub hub;
    private static String ownerId;
    private static String adminKey;
    private static String adminId;

    @BeforeAll
    static void start() {
        hub = TestHub.builder().start();
        ownerId = TestHub.json(hub.get("/api/user/me", hub.ownerKey())).path("id").asText();
        JsonNode admin = created(hub.post("/api/admin/users", hub.ownerKey(),
                "{\"name\":\"ada\",\"displayName\":\"Ada Admin\",\"role\":\"admin\"}"));
        adminId = admin.path("id").asText();
        adminKey = keyFor(adminId, hub.ownerKey());
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void createsAUserWithAPasswordThatIsStoredOnlyAsAnArgon2idHash() {
        String password = "a long enough password 42";
        HttpResponse<String> response = hub.post("/api/admin/users", adminKey, """
                {"name":"carol","displayName":"Carol C.","email":"carol@example.com","role":"member","password":"%s"}"""
                .formatted(password));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode carol = TestHub.json(response);
        assertThat(carol.path("name").asText()).isEqualTo("carol");
        assertThat(carol.path("displayName").asText()).isEqualTo("Carol C.");
        assertThat(carol.path("email").asText()).isEqualTo("carol@example.com");
        assertThat(carol.path("role").asText()).isEqualTo("member");
        assertThat(carol.path("disabled").asBoolean()).isFalse();
        assertThat(response.body()).doesNotContain(password).doesNotContain("argon2");

        String hash = hub.hub().users().passwordHash(carol.path("id").asText()).orElseThrow();
        assertThat(hash).startsWith("$argon2id$");
        assertThat(Passwords.matches(password, hash)).isTrue();
        JsonNode detail = TestHub.json(hub.get("/api/admin/users/" + carol.path("id").asText(), adminKey));
        assertThat(detail.path("hasPassword").asBoolean()).isTrue();
        assertThat(detail.toString()).doesNotContain("argon2");

        JsonNode entry = onlyEntry("action=user.create&targetId=" + carol.path("id").asText());
        assertThat(entry.path("actor").path("id").asText()).isEqualTo(adminId);
        assertThat(entry.path("ip").asText()).isEqualTo("127.0.0.1");
        assertThat(entry.path("before").isNull()).isTrue();
        assertThat(entry.path("after").path("email").asText()).isEqualTo("carol@example.com");
        assertThat(entry.path("after").path("hasPassword").asBoolean()).isTrue();
        assertThat(rawAuditTable()).doesNotContain(password).doesNotContain(hash)
                .doesNotContain(hash.substring(hash.lastIndexOf('$') + 1));
    }

    @Test
    void searchesByNameDisplayNameOrEmailAndRoleWithPaging() {
        for (String name : List.of("srch-one", "srch-two", "srch-three")) {
            created(hub.post("/api/admin/users", hub.ownerKey(), "{\"name\":\"" + name + "\",\"email\":\"" + name
                    + "@search.example\",\"role\":\"guest\"}"));
        }
        created(hub.post("/api/admin/users", hub.ownerKey(),
                "{\"name\":\"zed\",\"displayName\":\"Srch Display 100%\",\"role\":\"member\"}"));

        assertThat(names(search("q=SRCH"))).containsExactly("srch-one", "srch-two", "srch-three", "zed");
        assertThat(names(search("q=search.example"))).containsExactly("srch-one", "srch-two", "srch-three");
        assertThat(names(search("q=display"))).containsExactly("zed");
        assertThat(names(search("q=100%25"))).as("'%' is matched literally").containsExactly("zed");
        assertThat(names(search("q=srch&role=member"))).containsExactly("zed");
        assertThat(names(search("q=srch&role=guest&page=2&pageSize=2"))).containsExactly("srch-three");
        JsonNode page = search("q=srch&role=guest&page=2&pageSize=2");
        assertThat(page.path("count").asLong()).isEqualTo(3);
        assertThat(page.path("paging").path("page").asInt()).isEqualTo(2);
        assertThat(names(search("role=owner"))).containsExactly("owner");

        assertThat(param(hub.get("/api/admin/users?role=king", adminKey))).isEqualTo("role");
        assertThat(param(hub.get("/api/admin/users?pageSize=101", adminKey))).isEqualTo("pageSize");
    }

    @Test
    void oneUserComesWithTheirAccessKeysButNeverASecretOrHash() {
        JsonNode dora = created(hub.post("/api/admin/users", hub.ownerKey(), "{\"name\":\"dora\"}"));
        String id = dora.path("id").asText();
        JsonNode issued = TestHub.json(hub.post("/api/admin/users/" + id + "/access-keys", adminKey,
                "{\"name\":\"laptop\",\"app\":\"did:app:x\"}"));
        String secret = issued.path("secret").asText();
        assertThat(hub.get("/api/user/me", secret).statusCode()).isEqualTo(200);
        hub.hub().keys().flushLastUsed();
        String revokedId = TestHub.json(hub.post("/api/admin/users/" + id + "/access-keys", adminKey, "{}"))
                .path("id").asText();
        assertThat(hub.delete("/api/admin/access-keys/" + revokedId, adminKey).statusCode()).isEqualTo(200);

        HttpResponse<String> response = hub.get("/api/admin/users/" + id, adminKey);
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode detail = TestHub.json(response);
        assertThat(detail.path("name").asText()).isEqualTo("dora");
        assertThat(detail.path("hasPassword").asBoolean()).isFalse();
        JsonNode keys = detail.path("accessKeys");
        assertThat(keys).hasSize(2);
        JsonNode laptop = keys.get(0);
        assertThat(laptop.path("id").asText()).isEqualTo(issued.path("id").asText());
        assertThat(laptop.path("hint").asText()).isEqualTo(issued.path("hint").asText());
        assertThat(laptop.path("name").asText()).isEqualTo("laptop");
        assertThat(laptop.path("app").asText()).isEqualTo("did:app:x");
        assertThat(laptop.path("createdAt").asLong()).isPositive();
        assertThat(laptop.path("lastUsedAt").asLong()).isPositive();
        assertThat(laptop.path("revoked").asBoolean()).isFalse();
        assertThat(keys.get(1).path("revoked").asBoolean()).isTrue();
        assertThat(keys.get(1).path("revokedAt").asLong()).isPositive();
        assertThat(response.body()).doesNotContain(secret).doesNotContain(secret.substring(13))
                .doesNotContainIgnoringCase("hash").doesNotContain("secret");

        assertThat(hub.get("/api/admin/users/nope", adminKey).statusCode()).isEqualTo(404);
    }

    @Test
    void disablingAUserStopsTheirKeysAtOnceAndEnablingRestoresThem() {
        JsonNode eve = created(hub.post("/api/admin/users", adminKey, "{\"name\":\"eve\"}"));
        String id = eve.path("id").asText();
        String key = keyFor(id, adminKey);
        assertThat(hub.get("/api/user/me", key).statusCode()).as("verified and now cached").isEqualTo(200);

        HttpResponse<String> disabled = hub.patch("/api/admin/users/" + id, adminKey, "{\"disabled\":true}");
        assertThat(disabled.statusCode()).isEqualTo(200);
        assertThat(TestHub.json(disabled).path("disabled").asBoolean()).isTrue();
        HttpResponse<String> refused = hub.get("/api/user/me", key);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(TestHub.json(refused).path("error").path("message").asText()).contains("disabled");

        assertThat(hub.patch("/api/admin/users/" + id, adminKey, "{\"disabled\":false}").statusCode()).isEqualTo(200);
        assertThat(hub.get("/api/user/me", key).statusCode()).isEqualTo(200);

        JsonNode entries = entries("targetType=user&targetId=" + id);
        assertThat(actions(entries)).containsExactly("user.enable", "user.disable", "user.create");
        assertThat(entries.get(1).path("before").path("disabled").asBoolean()).isFalse();
        assertThat(entries.get(1).path("after").path("disabled").asBoolean()).isTrue();
        assertThat(entries.get(0).path("after").path("disabled").asBoolean()).isFalse();
        assertThat(entries.get(0).path("actor").path("name").asText()).isEqualTo("ada");
    }

    @Test
    void aNewRoleAppliesToTheNextRequestAndEachKindOfChangeIsItsOwnEntry() {
        JsonNode finn = created(hub.post("/api/admin/users", hub.ownerKey(), "{\"name\":\"finn\",\"email\":\"f@x.io\"}"));
        String id = finn.path("id").asText();
        String key = keyFor(id, hub.ownerKey());
        assertThat(hub.get("/api/admin/users", key).statusCode()).isEqualTo(403);

        HttpResponse<String> promoted = hub.patch("/api/admin/users/" + id, hub.ownerKey(),
                "{\"role\":\"admin\",\"displayName\":\"Finn\",\"email\":\"\",\"password\":\"finn's password\"}");
        assertThat(promoted.statusCode()).as(promoted.body()).isEqualTo(200);
        JsonNode view = TestHub.json(promoted);
        assertThat(view.path("role").asText()).isEqualTo("admin");
        assertThat(view.path("displayName").asText()).isEqualTo("Finn");
        assertThat(view.has("email")).as("an empty email removes it").isFalse();
        assertThat(hub.get("/api/admin/users", key).statusCode()).isEqualTo(200);

        JsonNode entries = entries("targetType=user&targetId=" + id);
        assertThat(actions(entries)).containsExactly("user.password", "user.role", "user.update", "user.create");
        JsonNode password = entries.get(0);
        assertThat(password.path("before").path("hasPassword").asBoolean()).isFalse();
        assertThat(password.path("after").path("hasPassword").asBoolean()).isTrue();
        JsonNode role = entries.get(1);
        assertThat(role.path("before").path("role").asText()).isEqualTo("member");
        assertThat(role.path("after").path("role").asText()).isEqualTo("admin");
        JsonNode profile = entries.get(2);
        assertThat(profile.path("before").path("email").asText()).isEqualTo("f@x.io");
        assertThat(profile.path("after").path("email").isNull()).isTrue();
        assertThat(profile.path("after").path("displayName").asText()).isEqualTo("Finn");
        assertThat(rawAuditTable()).doesNotContain("finn's password");
        assertThat(hub.put("/api/admin/users/" + id, hub.ownerKey(), "{\"displayName\":\"Finn F.\"}").statusCode())
                .as("PUT is kept as before").isEqualTo(200);
    }

    @Test
    void roleRules() {
        JsonNode gus = created(hub.post("/api/admin/users", hub.ownerKey(), "{\"name\":\"gus\"}"));
        String gusPath = "/api/admin/users/" + gus.path("id").asText();
        JsonNode other = created(hub.post("/api/admin/users", hub.ownerKey(), "{\"name\":\"hal\",\"role\":\"admin\"}"));
        long entriesBefore = auditCount();

        assertForbidden(hub.post("/api/admin/users", adminKey, "{\"name\":\"ivy\",\"role\":\"admin\"}"), "only an owner");
        assertForbidden(hub.post("/api/admin/users", adminKey, "{\"name\":\"ivy\",\"role\":\"owner\"}"), "only an owner");
        assertForbidden(hub.patch(gusPath, adminKey, "{\"role\":\"admin\"}"), "only an owner");
        assertForbidden(hub.patch(gusPath, adminKey, "{\"role\":\"owner\"}"), "only an owner");
        assertForbidden(hub.patch("/api/admin/users/" + ownerId, adminKey, "{\"displayName\":\"Pwned\"}"), "owner");
        assertForbidden(hub.patch("/api/admin/users/" + ownerId, adminKey, "{\"disabled\":true}"), "owner");
        assertForbidden(hub.patch("/api/admin/users/" + other.path("id").asText(), adminKey, "{\"disabled\":true}"),
                "'hal' is admin");
        assertForbidden(hub.patch("/api/admin/users/" + other.path("id").asText(), adminKey, "{\"role\":\"member\"}"),
                "only an owner");
        assertForbidden(hub.patch("/api/admin/users/" + adminId, adminKey, "{\"role\":\"owner\"}"), "your own role");
        assertForbidden(hub.patch("/api/admin/users/" + adminId, adminKey, "{\"disabled\":true}"), "yourself");
        assertForbidden(hub.patch("/api/admin/users/" + ownerId, hub.ownerKey(), "{\"role\":\"admin\"}"), "your own role");
        assertForbidden(hub.patch("/api/admin/users/" + ownerId, hub.ownerKey(), "{\"disabled\":true}"), "yourself");
        assertForbidden(hub.post("/api/admin/users/" + ownerId + "/access-keys", adminKey, "{}"), "access keys");
        assertForbidden(hub.get("/api/admin/users/" + ownerId + "/access-keys", adminKey), "access keys");
        assertThat(auditCount()).as("nothing refused was changed or recorded").isEqualTo(entriesBefore);

        // What an admin may do: manage members and guests, and their own profile.
        assertThat(hub.patch(gusPath, adminKey, "{\"role\":\"guest\",\"displayName\":\"Gus\"}").statusCode()).isEqualTo(200);
        assertThat(hub.patch("/api/admin/users/" + adminId, adminKey, "{\"displayName\":\"Ada A.\"}").statusCode())
                .isEqualTo(200);
        // What only an owner may do.
        assertThat(hub.patch(gusPath, hub.ownerKey(), "{\"role\":\"admin\"}").statusCode()).isEqualTo(200);
        assertThat(hub.patch("/api/admin/users/" + other.path("id").asText(), hub.ownerKey(), "{\"disabled\":true}")
                .statusCode()).isEqualTo(200);

        JsonNode member = created(hub.post("/api/admin/users", hub.ownerKey(), "{\"name\":\"jo\"}"));
        String memberKey = keyFor(member.path("id").asText(), hub.ownerKey());
        assertThat(hub.get("/api/admin/users", memberKey).statusCode()).isEqualTo(403);
        assertThat(hub.post("/api/admin/users", memberKey, "{\"name\":\"kim\"}").statusCode()).isEqualTo(403);
        assertThat(hub.patch(gusPath, memberKey, "{\"displayName\":\"x\"}").statusCode()).isEqualTo(403);
    }

    @Test
    void badInputIsA400NamingTheField() {
        assertThat(param(hub.post("/api/admin/users", adminKey, "{\"name\":\"bad name!\"}"))).isEqualTo("name");
        assertThat(param(hub.post("/api/admin/users", adminKey, "{}"))).isEqualTo("name");
        assertThat(param(hub.post("/api/admin/users", adminKey, "{\"name\":\"lia\",\"email\":\"not-an-email\"}")))
                .isEqualTo("email");
        assertThat(param(hub.post("/api/admin/users", adminKey, "{\"name\":\"lia\",\"password\":\"short\"}")))
                .isEqualTo("password");
        assertThat(param(hub.post("/api/admin/users", adminKey, "{\"name\":\"lia\",\"role\":\"king\"}")))
                .isEqualTo("role");
        assertThat(param(hub.post("/api/admin/users", adminKey,
                "{\"name\":\"lia\",\"displayName\":\"" + "x".repeat(101) + "\"}"))).isEqualTo("displayName");
        assertThat(param(hub.patch("/api/admin/users/" + adminId, adminKey, "{\"disabled\":\"yes\"}")))
                .isEqualTo("disabled");
        HttpResponse<String> duplicate = hub.post("/api/admin/users", adminKey, "{\"name\":\"ada\"}");
        assertThat(duplicate.statusCode()).isEqualTo(409);
        assertThat(TestHub.json(duplicate).path("error").path("param").asText()).isEqualTo("name");
        assertThat(hub.patch("/api/admin/users/nope", adminKey, "{\"displayName\":\"x\"}").statusCode()).isEqualTo(404);
        assertThat(hub.hub().users().byName("lia")).isEmpty();
    }

    private static void assertForbidden(HttpResponse<String> response, String messagePart) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
        assertThat(TestHub.json(response).path("error").path("message").asText()).contains(messagePart);
    }

    private static JsonNode created(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return TestHub.json(response);
    }

    private static String keyFor(String userId, String byKey) {
        HttpResponse<String> response = hub.post("/api/admin/users/" + userId + "/access-keys", byKey, "{}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return TestHub.json(response).path("secret").asText();
    }

    private static JsonNode search(String query) {
        HttpResponse<String> response = hub.get("/api/admin/users?" + query, adminKey);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestHub.json(response);
    }

    private static List<String> names(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.path("list").forEach(u -> out.add(u.path("name").asText()));
        return out;
    }

    private static String param(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        return TestHub.json(response).path("error").path("param").asText();
    }

    private static JsonNode entries(String query) {
        HttpResponse<String> response = hub.get("/api/admin/audit?pageSize=100&" + query, hub.ownerKey());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestHub.json(response).path("list");
    }

    private static long auditCount() {
        return TestHub.json(hub.get("/api/admin/audit?pageSize=1", hub.ownerKey())).path("count").asLong();
    }

    private static JsonNode onlyEntry(String query) {
        JsonNode list = entries(query);
        assertThat(list).hasSize(1);
        return list.get(0);
    }

    private static List<String> actions(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(e -> out.add(e.path("action").asText()));
        return out;
    }

    private static String rawAuditTable() {
        return hub.hub().database().jdbi().withHandle(h -> h.createQuery("SELECT * FROM audit_log").mapToMap().list())
                .toString();
    }
}
