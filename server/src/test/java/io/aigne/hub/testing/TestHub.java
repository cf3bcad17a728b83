package io.aigne.hub.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigne.hub.Hub;
import io.aigne.hub.config.ConfigLoader;
import io.aigne.hub.config.HubConfig;
import io.aigne.hub.config.HubConfig.CredentialDeclaration;
import io.aigne.hub.config.HubConfig.ProviderDeclaration;
import io.aigne.hub.server.Json;
import io.aigne.hub.usage.CallRecord;
import io.aigne.hub.usage.ModelCallQuery;
import io.aigne.hub.usage.ModelCallStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real hub on a random loopback port with its own data directory, configured like an operator would
 * (providers declared in config, credentials given inline), plus a small HTTP client for its APIs.
 */
public final class TestHub implements AutoCloseable {
    private final Hub hub;
    private final Path dataDir;
    private final String ownerKey;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final boolean ownsDataDir;

    private TestHub(Hub hub, Path dataDir, boolean ownsDataDir) {
        this.hub = hub;
        this.dataDir = dataDir;
        this.ownsDataDir = ownsDataDir;
        this.ownerKey = hub.initialOwnerKey().map(k -> k.secret()).orElse(null);
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private final Map<String, String> env = new HashMap<>();
        private final List<ProviderDeclaration> providers = new ArrayList<>();
        private Path dataDir;

        private Builder() {
            env.put("AIGNE_HUB_SERVER_PORT", "0");
            env.put("AIGNE_HUB_SERVER_SHUTDOWN_GRACE_SECONDS", "5");
            env.put("AIGNE_HUB_LEDGER_FLUSH_INTERVAL_MILLIS", "20");
            env.put("AIGNE_HUB_ROUTING_RETEST_INITIAL_SECONDS", "1");
            env.put("AIGNE_HUB_UPSTREAM_STREAM_IDLE_TIMEOUT_MILLIS", "5000");
            env.put("AIGNE_HUB_UPSTREAM_DRAIN_AFTER_DISCONNECT_MILLIS", "3000");
            // the fakes serve media from loopback
            env.put("AIGNE_HUB_UPSTREAM_MEDIA_ALLOW_PRIVATE_ADDRESSES", "true");
        }

        /** Any setting, by its environment variable name (see ConfigLoader.envName). */
        public Builder setting(String envName, String value) {
            env.put(envName, value);
            return this;
        }

        /** An OpenAI-wire provider with one credential per key, named k0, k1… with weight 100. */
        public Builder openAiProvider(String name, String type, String baseUrl, List<String> models, String... keys) {
            List<CredentialDeclaration> credentials = new ArrayList<>();
            for (int i = 0; i < keys.length; i++) {
                credentials.add(new CredentialDeclaration("k" + i, keys[i], null, null, null, 100));
            }
            providers.add(new ProviderDeclaration(name, type, null, baseUrl, null, true, models, credentials));
            return this;
        }

        /** A provider of any type; {@code keys} are API keys, or "ACCESS_KEY_ID:SECRET" pairs for Bedrock. */
        public Builder provider(String name, String type, String baseUrl, String region, List<String> models,
                                String... keys) {
            List<CredentialDeclaration> credentials = new ArrayList<>();
            for (int i = 0; i < keys.length; i++) {
                int colon = "bedrock".equals(type) ? keys[i].indexOf(':') : -1;
                credentials.add(colon < 0 ? new CredentialDeclaration("k" + i, keys[i], null, null, null, 100)
                        : new CredentialDeclaration("k" + i, null, keys[i].substring(0, colon),
                                keys[i].substring(colon + 1), null, 100));
            }
            providers.add(new ProviderDeclaration(name, type, null, baseUrl, region, true, models, credentials));
            return this;
        }

        /** Reuse a data directory (to restart a hub on the same database and key file). */
        public Builder dataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }

        public Builder postgres(String jdbcUrl) {
            env.put("AIGNE_HUB_DATABASE_URL", jdbcUrl);
            return this;
        }

        public TestHub start() {
            try {
                Path dir = dataDir != null ? dataDir : Files.createTempDirectory("aigne-hub-test");
                env.put("AIGNE_HUB_DATA_DIR", dir.toString());
                HubConfig base = ConfigLoader.load(java.util.Optional.empty(), env);
                HubConfig config = base.withProviders(providers);
                return new TestHub(Hub.start(config), dir, dataDir == null);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public Hub hub() {
        return hub;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + hub.port();
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The owner key printed at first start; null when this hub reused a data directory. */
    public String ownerKey() {
        return ownerKey;
    }

    public HttpResponse<String> get(String path, String key) {
        return send(request(path, key).GET());
    }

    public HttpResponse<String> post(String path, String key, String json) {
        return send(request(path, key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public HttpResponse<String> put(String path, String key, String json) {
        return send(request(path, key).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    public HttpResponse<String> patch(String path, String key, String json) {
        return send(request(path, key).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json)));
    }

    public HttpResponse<String> delete(String path, String key) {
        return send(request(path, key).DELETE());
    }

    public HttpResponse<String> send(HttpRequest.Builder builder) {
        try {
            return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpRequest.Builder request(String path, String key) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(30));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return b;
    }

    public static JsonNode json(HttpResponse<String> response) {
        try {
            return Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON (" + response.statusCode() + "): " + response.body(), e);
        }
    }

    /** Every call recorded so far, newest first, after the ledger has written what was enqueued. */
    public List<CallRecord> calls() {
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (hub.inFlightCalls() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            if (!hub.ledger().awaitFlushed(Duration.ofSeconds(10))) {
                throw new AssertionError("the usage ledger did not flush within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new ModelCallStore(hub.database().jdbi())
                .find(new ModelCallQuery(null, null, null, null, null, null, null, null, null, 1, 100)).rows();
    }

    public CallRecord lastCall() {
        List<CallRecord> calls = calls();
        if (calls.isEmpty()) {
            throw new AssertionError("no call was recorded");
        }
        return calls.getFirst();
    }

    @Override
    public void close() {
        hub.close();
        if (!ownsDataDir) {
            return;
        }
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind is harmless
        }
    }
}
