package io.aigne.hub.web.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigne.hub.auth.Role;
import io.aigne.hub.auth.User;
import io.aigne.hub.testing.FakeOpenAiProvider;
import io.aigne.hub.testing.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The conversation API (each user's own, validated, size-limited) and the guest playground setting. */
class PlaygroundApiTest {
    private static FakeOpenAiProvider fake;
    private static TestHub hub;
    private static String alice;
    private static String bob;

    @BeforeAll
    static void start() {
        fake = FakeOpenAiProvider.start();
        hub = TestHub.builder().openAiProvider("openai", null, fake.baseUrl(), List.of(), "sk-ok-playground").start();
        alice = keyOf(hub.hub().users().create("alice", null, null, Role.MEMBER));
        bob = keyOf(hub.hub().users().create("bob", null, null, Role.MEMBER));
    }

    @AfterAll
    static void stop() {
        hub.close();
        fake.close();
    }

    private static String keyOf(User user) {
        return hub.hub().keys().issue(user.id(), "test", null).secret();
    }

    @Test
    void aConversationIsSavedListedChangedAndDeletedByItsOwnerOnly() {
        HttpResponse<String> created = hub.post("/api/playground/conversations", alice, """
                {"model":"openai/gpt-4o-mini","systemPrompt":"Be brief.","messages":[
                  {"role":"user","content":"  What is\\n a haiku?  "},
                  {"role":"assistant","content":"A short poem.","stats":{"inputTokens":11,"credits":"0.01"},
                   "extra":"dropped"}]}""");
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode c = TestHub.json(created);
        String id = c.path("id").asText();
        assertThat(c.path("title").asText()).as("the first user message").isEqualTo("What is a haiku?");
        assertThat(c.path("messages").get(1).path("stats").path("credits").asText()).isEqualTo("0.01");
        assertThat(c.path("messages").get(1).has("extra")).isFalse();

        JsonNode list = TestHub.json(hub.get("/api/playground/conversations", alice)).path("conversations");
        assertThat(list).hasSize(1);
        assertThat(list.get(0).path("title").asText()).isEqualTo("What is a haiku?");
        assertThat(list.get(0).has("messages")).isFalse();

        assertThat(hub.get("/api/playground/conversations/" + id, bob).statusCode()).isEqualTo(404);
        assertThat(hub.put("/api/playground/conversations/" + id, bob, "{\"title\":\"mine now\"}").statusCode())
                .isEqualTo(404);
        assertThat(hub.delete("/api/playground/conversations/" + id, bob).statusCode()).isEqualTo(404);
        assertThat(TestHub.json(hub.get("/api/playground/conversations", bob)).path("conversations")).isEmpty();

        JsonNode renamed = TestHub.json(hub.put("/api/playground/conversations/" + id, alice,
                "{\"title\":\"Haiku\"}"));
        assertThat(renamed.path("title").asText()).isEqualTo("Haiku");
        assertThat(renamed.path("systemPrompt").asText()).as("unchanged").isEqualTo("Be brief.");
        assertThat(renamed.path("messages")).hasSize(2);

        assertThat(hub.delete("/api/playground/conversations/" + id, alice).statusCode()).isEqualTo(200);
        assertThat(hub.get("/api/playground/conversations/" + id, alice).statusCode()).isEqualTo(404);
    }

    @Test
    void badInputIsRefusedNamingTheField() {
        assertRefused("{\"messages\":{}}", "messages");
        assertRefused("{\"messages\":[{\"role\":\"system\",\"content\":\"x\"}]}", "messages[0].role");
        assertRefused("{\"messages\":[{\"role\":\"user\",\"content\":5}]}", "messages[0].content");
        assertRefused("{\"messages\":[{\"role\":\"user\",\"content\":\"x\",\"stats\":3}]}", "messages[0].stats");
        assertRefused("{\"title\":\"" + "t".repeat(201) + "\"}", "title");
        assertRefused("{\"title\":7}", "title");
        assertRefused("{\"systemPrompt\":\"" + "s".repeat(20_001) + "\"}", "systemPrompt");

        String huge = "{\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(1_100_000) + "\"}]}";
        assertThat(hub.post("/api/playground/conversations", alice, huge).statusCode()).isEqualTo(413);
    }

    private static void assertRefused(String body, String field) {
        HttpResponse<String> response = hub.post("/api/playground/conversations", alice, body);
        assertThat(response.statusCode()).as(body).isEqualTo(400);
        assertThat(TestHub.json(response).path("error").path("param").asText()).as(body).isEqualTo(field);
    }

    @Test
    void guestAccessIsAnAuditedAdminSetting() {
        String member = alice;
        assertThat(hub.get("/api/admin/playground/settings", member).statusCode()).isEqualTo(403);
        assertThat(hub.put("/api/admin/playground/settings", member, "{\"guestAccess\":true}").statusCode())
                .isEqualTo(403);
        assertThat(TestHub.json(hub.get("/api/admin/playground/settings", hub.ownerKey())).path("guestAccess")
                .asBoolean()).as("off by default").isFalse();

        HttpResponse<String> bad = hub.put("/api/admin/playground/settings", hub.ownerKey(), "{\"guestAccess\":\"yes\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("guestAccess");
        assertThat(hub.put("/api/admin/playground/settings", hub.ownerKey(), "{\"colour\":\"red\"}").statusCode())
                .isEqualTo(400);

        HttpResponse<String> on = hub.put("/api/admin/playground/settings", hub.ownerKey(), "{\"guestAccess\":true}");
        assertThat(on.statusCode()).isEqualTo(200);
        assertThat(TestHub.json(hub.get("/api/admin/playground/settings", hub.ownerKey())).path("guestAccess")
                .asBoolean()).isTrue();
        JsonNode audit = TestHub.json(hub.get("/api/admin/audit?action=playground.settings.update", hub.ownerKey()));
        assertThat(audit.toString()).contains("playground.settings.update").contains("guestAccess");

        hub.put("/api/admin/playground/settings", hub.ownerKey(), "{\"guestAccess\":false}");
    }

    @Test
    void theGuestSettingGuardsThePlaygroundNotAGuestsAccessKeys() {
        String guest = keyOf(hub.hub().users().create("gail", null, null, Role.GUEST));
        JsonNode access = TestHub.json(hub.get("/api/playground/access", guest));
        assertThat(access.path("allowed").asBoolean()).isFalse();
        assertThat(access.path("message").asText()).contains("not open to guests");
        assertThat(TestHub.json(hub.get("/api/playground/access", alice)).path("allowed").asBoolean()).isTrue();

        HttpResponse<String> chat = hub.post("/api/v2/chat", guest, "{\"input\":{\"messages\":[{\"role\":"
                + "\"user\",\"content\":\"hi\"}],\"modelOptions\":{\"model\":\"openai/gpt-4o-mini\"}}}");
        assertThat(chat.statusCode()).as("an access key is not the playground").isEqualTo(200);
    }
}
