package io.aigne.hub;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigne.hub.testing.FakeOpenAiProvider;
import io.aigne.hub.testing.TestHub;
import io.aigne.hub.testing.TestDatabases;
import io.aigne.hub.usage.CallStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** Starting, restarting and stopping a hub as an operator does. */
class HubLifecycleTest {
    private static FakeOpenAiProvider fake;

    @BeforeAll
    static void startFake() {
        fake = FakeOpenAiProvider.start();
    }

    @AfterAll
    static void stopFake() {
        fake.close();
    }

    @Test
    void shutdownLetsARunningStreamFinishAndFlushesItsLedgerRow(@TempDir Path dir) throws Exception {
        TestHub hub = TestHub.builder().dataDir(dir)
                .openAiProvider("openai", null, fake.baseUrl(), List.of("gpt-4o-mini"), "sk-slow").start();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + hub.ownerKey())
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"openai/gpt-4o-mini\",\"stream\":true,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build();
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        InputStream body = response.body();
        assertThat(new String(body.readNBytes(6), StandardCharsets.UTF_8)).isEqualTo("data: ");

        // SIGTERM arrives mid-stream: the hub stops accepting but lets this stream run to its end.
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(hub::close);
        String rest = new String(body.readAllBytes(), StandardCharsets.UTF_8);
        stopping.get();
        assertThat(rest).endsWith("data: [DONE]\n\n");

        try (var db = TestDatabases.sqlite(dir)) {
            var rows = db.jdbi().withHandle(h -> h.createQuery("SELECT status, output_tokens FROM model_calls")
                    .mapToMap().list());
            assertThat(rows).hasSize(1);
            assertThat(rows.getFirst().get("status")).isEqualTo(CallStatus.SUCCESS.wireName());
            assertThat(((Number) rows.getFirst().get("output_tokens")).longValue()).isPositive();
        }
    }

    @Test
    void aRestartKeepsKeysAndCredentialsAndFollowsTheConfiguration(@TempDir Path dir) {
        String ownerKey;
        try (TestHub first = TestHub.builder().dataDir(dir)
                .openAiProvider("alpha", "openai", fake.baseUrl(), List.of("gpt-4o-mini"), "sk-ok-alpha").start()) {
            ownerKey = first.ownerKey();
            assertThat(ownerKey).startsWith("blocklet-").doesNotContain(".");
            assertThat(first.post("/api/ai-providers", ownerKey, "{\"name\":\"manual\",\"type\":\"openai\",\"baseUrl\":\""
                    + fake.baseUrl() + "\",\"credentials\":[{\"value\":\"sk-ok-manual\"}]}").statusCode()).isEqualTo(201);
        }
        try (TestHub second = TestHub.builder().dataDir(dir)
                .openAiProvider("beta", "openai", fake.baseUrl(), List.of("gpt-4o-mini"), "sk-ok-beta").start()) {
            assertThat(second.ownerKey()).as("no new owner key on a restart").isNull();
            JsonNode providers = TestHub.json(second.get("/api/ai-providers", ownerKey));
            assertThat(providers).extracting(p -> p.path("name").asText()).containsExactlyInAnyOrder("beta", "manual");
            // The credential sealed by the first run opens in the second, with the key file it left behind.
            fake.clearRequests();
            assertThat(second.post("/v1/chat/completions", ownerKey,
                    "{\"model\":\"manual/gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").statusCode())
                    .isEqualTo(200);
            assertThat(fake.lastRequest().bearer()).isEqualTo("sk-ok-manual");
        }
    }

    @Test
    void theHubRunsOnPostgres() {
        TestDatabases.assumePostgres();
        try (TestDatabases.PgDatabase pg = TestDatabases.postgres()) {
            pg.db().close();
            try (TestHub hub = TestHub.builder().postgres(pg.schemaUrl())
                    .openAiProvider("openai", null, fake.baseUrl(), List.of("gpt-4o-mini"), "sk-ok-pg").start()) {
                assertThat(hub.hub().database().dialect().name()).isEqualTo("POSTGRESQL");
                for (String stream : List.of("false", "true")) {
                    assertThat(hub.post("/v1/chat/completions", hub.ownerKey(), "{\"model\":\"openai/gpt-4o-mini\","
                            + "\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").statusCode())
                            .isEqualTo(200);
                }
                assertThat(hub.calls()).hasSize(2).allSatisfy(c -> {
                    assertThat(c.status()).isEqualTo(CallStatus.SUCCESS);
                    assertThat(c.usage().inputTokens()).isEqualTo(11);
                });
                JsonNode page = TestHub.json(hub.get("/api/user/model-calls?status=success", hub.ownerKey()));
                assertThat(page.path("count").asInt()).isEqualTo(2);
            }
        }
    }
}
