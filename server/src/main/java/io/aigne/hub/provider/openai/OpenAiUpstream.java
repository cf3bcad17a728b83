package io.aigne.hub.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigne.hub.gateway.upstream.UpstreamClient;
import io.aigne.hub.gateway.upstream.UpstreamException;
import io.aigne.hub.gateway.upstream.UpstreamRequest;
import io.aigne.hub.gateway.upstream.UpstreamResponse;
import io.aigne.hub.provider.CredentialSecret;
import io.aigne.hub.provider.Provider;
import io.aigne.hub.provider.UpstreamError;
import io.aigne.hub.routing.Outcome;
import io.aigne.hub.server.Json;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Speaks the OpenAI REST API to any provider of that wire format (OpenAI, DeepSeek, xAI, OpenRouter, Ollama,
 * LM Studio, Doubao, Poe): builds requests with bearer authentication and reads model lists.
 */
public final class OpenAiUpstream {
    private static final int MAX_ERROR_BYTES = 64 * 1024;

    private final UpstreamClient client;
    private final Duration firstByteTimeout;

    public OpenAiUpstream(UpstreamClient client, Duration firstByteTimeout) {
        this.client = client;
        this.firstByteTimeout = firstByteTimeout;
    }

    public UpstreamRequest post(Provider provider, CredentialSecret secret, String path, byte[] body, boolean stream) {
        Map<String, String> headers = baseHeaders(secret);
        headers.put("Content-Type", "application/json");
        headers.put("Accept", stream ? "text/event-stream" : "application/json");
        return new UpstreamRequest("POST", uri(provider.effectiveBaseUrl(), path), headers, body, firstByteTimeout);
    }

    public UpstreamResponse send(UpstreamRequest request) throws UpstreamException {
        return client.send(request);
    }

    /** The model ids the provider lists at {@code GET /models}. */
    public List<String> listModels(Provider provider, CredentialSecret secret, Duration timeout)
            throws UpstreamException, IOException {
        UpstreamRequest request = new UpstreamRequest("GET", URI.create(provider.effectiveBaseUrl() + "/models"),
                baseHeaders(secret), null, timeout);
        try (UpstreamResponse response = client.send(request)) {
            byte[] body = readBounded(response.body(), 8 * 1024 * 1024);
            if (response.status() / 100 != 2) {
                throw new IOException(provider.name() + " answered " + response.status() + " to GET /models");
            }
            JsonNode data = Json.MAPPER.readTree(body).path("data");
            List<String> ids = new ArrayList<>();
            for (JsonNode model : data) {
                if (model.path("id").isTextual()) {
                    ids.add(model.path("id").asText());
                }
            }
            return ids;
        }
    }

    /** A credential check that costs no tokens: list the models with it. */
    public Outcome probe(Provider provider, CredentialSecret secret) {
        UpstreamRequest request = new UpstreamRequest("GET", URI.create(provider.effectiveBaseUrl() + "/models"),
                baseHeaders(secret), null, Duration.ofSeconds(15));
        try (UpstreamResponse response = client.send(request)) {
            int status = response.status();
            if (status / 100 == 2) {
                return Outcome.SUCCESS;
            }
            String message = errorMessage(readBounded(response.body(), MAX_ERROR_BYTES), status, secret);
            if (status == 401 || status == 403) {
                return new Outcome.Rejected(status, message);
            }
            if (status == 429) {
                return new Outcome.RateLimited(message, null);
            }
            return new Outcome.Failed(status + ": " + message);
        } catch (UpstreamException | IOException e) {
            return new Outcome.Failed(e.getMessage());
        }
    }

    /** The human message of an OpenAI-shaped error body, with secrets removed. */
    public static String errorMessage(byte[] body, int status, CredentialSecret secret) {
        return UpstreamError.parse(body, status, secret).message();
    }

    public static byte[] readBounded(InputStream in, int max) throws IOException {
        byte[] bytes = in.readNBytes(max);
        in.close();
        return bytes;
    }

    /** Parsed once per base URL and path: URI parsing showed in the per-call profile. */
    private final java.util.concurrent.ConcurrentHashMap<String, URI> uris = new java.util.concurrent.ConcurrentHashMap<>();

    private URI uri(String baseUrl, String path) {
        String key = baseUrl + path;
        URI uri = uris.get(key);
        if (uri == null) {
            if (uris.size() > 10_000) {
                uris.clear();
            }
            uri = URI.create(key);
            uris.put(key, uri);
        }
        return uri;
    }

    private static Map<String, String> baseHeaders(CredentialSecret secret) {
        Map<String, String> headers = new HashMap<>();
        if (secret != null && secret.apiKey() != null && !secret.apiKey().isEmpty()) {
            headers.put("Authorization", "Bearer " + secret.apiKey());
        }
        return headers;
    }
}
