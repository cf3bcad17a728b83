package io.aigne.hub.iprules;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigne.hub.testing.FakeOpenAiProvider;
import io.aigne.hub.testing.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * IP rules through a running hub behind a trusted proxy (the test client on 127.0.0.1, which says who the client is
 * in {@code X-Forwarded-For}): hub-wide rules managed by admins, per-key rules set on the key, refusals in each
 * door's error shape naming the address.
 */
class IpRulesEndToEndTest {
    private static final String MODEL = "openai/gpt-4o-mini";
    private static final String CHAT = "{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":"
            + "\"Hello\"}]}";
    private static final String MESSAGES = "{\"model\":\"" + MODEL + "\",\"max_tokens\":20,\"messages\":[{\"role\":"
            + "\"user\",\"content\":\"Hello\"}]}";
    private static FakeOpenAiProvider fake;
    private static TestHub hub;

    @BeforeAll
    static void start() {
        fake = FakeOpenAiProvider.start();
        hub = TestHub.builder()
                .setting("AIGNE_HUB_SERVER_TRUSTED_PROXIES", "127.0.0.1,::1")
                .openAiProvider("openai", null, fake.baseUrl(), List.of(), "sk-ok-ip").start();
    }

    @AfterAll
    static void stop() {
        hub.close();
        fake.close();
    }

    @AfterEach
    void clean() {
        for (JsonNode rule : TestHub.json(get("/api/admin/ip-rules", hub.ownerKey(), "198.51.100.1")).path("rules")) {
            send(hub.request("/api/admin/ip-rules/" + rule.path("id").asText() + "?force=true", hub.ownerKey())
                    .header("X-Forwarded-For", "198.51.100.1").DELETE());
        }
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        return hub.send(request);
    }

    private static HttpResponse<String> get(String path, String key, String from) {
        HttpRequest.Builder r = hub.request(path, key).GET();
        return send(from == null ? r : r.header("X-Forwarded-For", from));
    }

    private static HttpResponse<String> post(String path, String key, String from, String json) {
        HttpRequest.Builder r = hub.request(path, key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        return send(from == null ? r : r.header("X-Forwarded-For", from));
    }

    private static HttpResponse<String> messages(String key, String from) {
        return send(hub.request("/v1/messages", null).header("x-api-key", key)
                .header("anthropic-version", "2023-06-01").header("Content-Type", "application/json")
                .header("X-Forwarded-For", from).POST(HttpRequest.BodyPublishers.ofString(MESSAGES)));
    }

    private static String rule(String action, String cidr, String query) {
        HttpResponse<String> created = post("/api/admin/ip-rules" + query, hub.ownerKey(), null,
                "{\"action\":\"" + action + "\",\"cidr\":\"" + cidr + "\",\"note\":\"test\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return TestHub.json(created).path("id").asText();
    }

    @Test
    void aDeniedNetworkIsRefusedAtEveryDoorWithItsAddressNamed() {
        String denied = rule("deny", "203.0.113.0/24", "");
        rule("deny", "2001:db8::/32", "");
        JsonNode audited = TestHub.json(hub.get("/api/admin/audit?targetType=ip_rule&targetId=" + denied,
                hub.ownerKey()));
        assertThat(audited.path("list")).singleElement().satisfies(e -> {
            assertThat(e.path("action").asText()).isEqualTo("ip_rule.create");
            assertThat(e.path("after").toString()).contains("203.0.113.0/24");
        });

        HttpResponse<String> openAi = post("/v1/chat/completions", hub.ownerKey(), "203.0.113.9", CHAT);
        assertThat(openAi.statusCode()).isEqualTo(403);
        JsonNode error = TestHub.json(openAi).path("error");
        assertThat(error.path("message").asText())
                .isEqualTo("requests from 203.0.113.9 are not allowed by this hub's IP rules");
        assertThat(error.path("code").asText()).isEqualTo("ip_not_allowed");
        assertThat(error.path("type").asText()).isEqualTo("permission_error");
        assertThat(openAi.body()).doesNotContain("203.0.113.0/24");

        HttpResponse<String> anthropic = messages(hub.ownerKey(), "2001:db8:0:0:0:0:0:5");
        assertThat(anthropic.statusCode()).isEqualTo(403);
        assertThat(TestHub.json(anthropic).path("type").asText()).isEqualTo("error");
        assertThat(TestHub.json(anthropic).path("error").path("type").asText()).isEqualTo("permission_error");
        assertThat(TestHub.json(anthropic).path("error").path("message").asText())
                .isEqualTo("requests from 2001:db8::5 are not allowed by this hub's IP rules");

        HttpResponse<String> aigne = post("/api/v2/chat", hub.ownerKey(), "203.0.113.200",
                "{\"input\":{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"modelOptions\":{\"model\":\""
                        + MODEL + "\"}}}");
        assertThat(aigne.statusCode()).isEqualTo(403);
        assertThat(TestHub.json(aigne).path("error").path("message").asText()).contains("203.0.113.200");

        assertThat(get("/api/user/me", hub.ownerKey(), "203.0.113.9").statusCode()).isEqualTo(403);
        assertThat(get("/healthz", null, "203.0.113.9").statusCode()).isEqualTo(200);
        assertThat(post("/v1/chat/completions", hub.ownerKey(), "198.51.100.7", CHAT).statusCode()).isEqualTo(200);
        // The client's own (forged) first entry does not help: the proxy's entry decides.
        assertThat(post("/v1/chat/completions", hub.ownerKey(), "198.51.100.7, 203.0.113.9", CHAT).statusCode())
                .isEqualTo(403);
    }

    @Test
    void anAllowListAdmitsOnlyItsNetworksAndAnAdminCannotLockThemselvesOutByAccident() {
        HttpResponse<String> lockOut = post("/api/admin/ip-rules", hub.ownerKey(), null,
                "{\"action\":\"allow\",\"cidr\":\"198.51.100.0/24\"}");
        assertThat(lockOut.statusCode()).isEqualTo(409);
        assertThat(TestHub.json(lockOut).path("error").path("message").asText())
                .contains("would refuse your own address 127.0.0.1", "?force=true");

        String allow = rule("allow", "198.51.100.0/24", "?force=true");
        assertThat(get("/api/user/me", hub.ownerKey(), null).statusCode()).isEqualTo(403);
        assertThat(get("/api/user/me", hub.ownerKey(), "198.51.100.20").statusCode()).isEqualTo(200);

        JsonNode listed = TestHub.json(get("/api/admin/ip-rules", hub.ownerKey(), "198.51.100.20"));
        assertThat(listed.path("yourAddress").asText()).isEqualTo("198.51.100.20");
        assertThat(listed.path("rules")).singleElement().satisfies(r -> {
            assertThat(r.path("id").asText()).isEqualTo(allow);
            assertThat(r.path("action").asText()).isEqualTo("allow");
            assertThat(r.path("cidr").asText()).isEqualTo("198.51.100.0/24");
            assertThat(r.path("note").asText()).isEqualTo("test");
        });

        HttpResponse<String> widened = send(hub.request("/api/admin/ip-rules/" + allow, hub.ownerKey())
                .header("X-Forwarded-For", "198.51.100.20").header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"cidr\":\"127.0.0.0/8\"}")));
        assertThat(widened.statusCode()).isEqualTo(409); // 198.51.100.20 itself would be locked out
        HttpResponse<String> deleted = send(hub.request("/api/admin/ip-rules/" + allow, hub.ownerKey())
                .header("X-Forwarded-For", "198.51.100.20").DELETE());
        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(get("/api/user/me", hub.ownerKey(), null).statusCode()).isEqualTo(200);
    }

    @Test
    void ruleInputIsValidatedNamingTheField() {
        HttpResponse<String> hostBits = post("/api/admin/ip-rules", hub.ownerKey(), null,
                "{\"action\":\"deny\",\"cidr\":\"10.0.0.1/8\"}");
        assertThat(hostBits.statusCode()).isEqualTo(400);
        assertThat(TestHub.json(hostBits).path("error").path("param").asText()).isEqualTo("cidr");
        assertThat(TestHub.json(hostBits).path("error").path("message").asText()).contains("did you mean 10.0.0.0/8?");

        HttpResponse<String> action = post("/api/admin/ip-rules", hub.ownerKey(), null,
                "{\"action\":\"block\",\"cidr\":\"10.0.0.0/8\"}");
        assertThat(TestHub.json(action).path("error").path("param").asText()).isEqualTo("action");
        assertThat(TestHub.json(action).path("error").path("message").asText()).contains("'allow' or 'deny'");

        HttpResponse<String> missing = post("/api/admin/ip-rules", hub.ownerKey(), null, "{\"action\":\"deny\"}");
        assertThat(TestHub.json(missing).path("error").path("param").asText()).isEqualTo("cidr");

        rule("deny", "10.9.0.0/16", "");
        HttpResponse<String> duplicate = post("/api/admin/ip-rules", hub.ownerKey(), null,
                "{\"action\":\"deny\",\"cidr\":\"10.9.0.0/16\"}");
        assertThat(duplicate.statusCode()).isEqualTo(409);

        JsonNode member = TestHub.json(hub.post("/api/admin/users", hub.ownerKey(), "{\"name\":\"ipmember\"}"));
        String memberKey = TestHub.json(hub.post("/api/admin/users/" + member.path("id").asText() + "/access-keys",
                hub.ownerKey(), "{}")).path("secret").asText();
        assertThat(get("/api/admin/ip-rules", memberKey, null).statusCode()).isEqualTo(403);
        assertThat(post("/api/admin/ip-rules", memberKey, null, "{\"action\":\"deny\",\"cidr\":\"10.0.0.0/8\"}")
                .statusCode()).isEqualTo(403);
    }

    @Test
    void aKeysOwnRulesApplyOnceTheKeyIsKnown() {
        HttpResponse<String> bad = post("/api/user/access-keys", hub.ownerKey(), null,
                "{\"name\":\"office\",\"ipAllow\":[\"198.51.100.0/24\",\"office-router\"]}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(TestHub.json(bad).path("error").path("param").asText()).isEqualTo("ipAllow[1]");
        assertThat(TestHub.json(bad).path("error").path("message").asText()).contains("office-router");

        JsonNode created = TestHub.json(post("/api/user/access-keys", hub.ownerKey(), null,
                "{\"name\":\"office\",\"ipAllow\":[\"198.51.100.0/24\",\"2001:db8:1::/48\"],\"ipDeny\":"
                        + "[\"198.51.100.66\"]}"));
        String keyId = created.path("id").asText();
        String office = created.path("secret").asText();
        assertThat(created.path("ipAllow")).extracting(JsonNode::asText)
                .containsExactly("198.51.100.0/24", "2001:db8:1::/48");
        assertThat(created.path("ipDeny")).extracting(JsonNode::asText).containsExactly("198.51.100.66/32");

        HttpResponse<String> fromHere = post("/v1/chat/completions", office, null, CHAT);
        assertThat(fromHere.statusCode()).isEqualTo(403);
        assertThat(TestHub.json(fromHere).path("error").path("message").asText())
                .isEqualTo("this access key may not be used from 127.0.0.1 (the key's IP rules do not admit it)");
        assertThat(post("/v1/chat/completions", office, "198.51.100.7", CHAT).statusCode()).isEqualTo(200);
        assertThat(post("/v1/chat/completions", office, "198.51.100.66", CHAT).statusCode()).isEqualTo(403);
        HttpResponse<String> anthropic = messages(office, "2001:db8:2::1");
        assertThat(anthropic.statusCode()).isEqualTo(403);
        assertThat(TestHub.json(anthropic).path("error").path("message").asText()).contains("2001:db8:2::1");
        assertThat(messages(office, "2001:db8:1::1").statusCode()).isEqualTo(200);

        // The key cannot be used to lock itself out by mistake; the owner's other key may change it.
        HttpResponse<String> self = send(hub.request("/api/user/access-keys/" + keyId, office)
                .header("X-Forwarded-For", "198.51.100.7").header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"ipDeny\":[\"198.51.100.0/25\"]}")));
        assertThat(self.statusCode()).isEqualTo(409);
        HttpResponse<String> cleared = hub.put("/api/admin/access-keys/" + keyId, hub.ownerKey(),
                "{\"ipAllow\":[],\"name\":\"anywhere\"}");
        assertThat(cleared.statusCode()).as(cleared.body()).isEqualTo(200);
        assertThat(TestHub.json(cleared).path("ipAllow")).isEmpty();
        assertThat(TestHub.json(cleared).path("ipDeny")).extracting(JsonNode::asText).containsExactly("198.51.100.66/32");
        assertThat(TestHub.json(cleared).path("name").asText()).isEqualTo("anywhere");
        assertThat(post("/v1/chat/completions", office, null, CHAT).statusCode()).isEqualTo(200);

        HttpResponse<String> badUpdate = hub.put("/api/user/access-keys/" + keyId, hub.ownerKey(),
                "{\"ipDeny\":\"10.0.0.0/8\"}");
        assertThat(TestHub.json(badUpdate).path("error").path("param").asText()).isEqualTo("ipDeny");
    }
}
