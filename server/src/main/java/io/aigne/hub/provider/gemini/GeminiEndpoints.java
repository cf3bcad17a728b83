package io.aigne.hub.provider.gemini;

import io.aigne.hub.gateway.upstream.UpstreamRequest;
import io.aigne.hub.provider.CredentialSecret;
import io.aigne.hub.provider.Provider;
import io.aigne.hub.provider.ProviderHttp;
import io.aigne.hub.server.ApiException;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Addresses and headers of the Generative Language API ({@code v1beta}): the key travels in
 * {@code x-goog-api-key} (never in the query string, where it would end up in access logs), and model ids are
 * accepted with or without their {@code models/} prefix.
 */
final class GeminiEndpoints {
    static final String VERSION = "/v1beta";

    /** Model ids and tuned-model names as the API spells them; anything else could leave the model's path. */
    private static final Pattern MODEL_ID = Pattern.compile("(?:(?:models|tunedModels)/)?[A-Za-z0-9][A-Za-z0-9._-]*");

    private final ProviderHttp http;

    GeminiEndpoints(ProviderHttp http) {
        this.http = http;
    }

    /**
     * The resource name of a model: {@code models/<id>}, or the name unchanged when it already names a
     * collection ({@code models/…}, {@code tunedModels/…}).
     */
    static String resourceName(String model) {
        if (model == null || !MODEL_ID.matcher(model).matches()) {
            throw ApiException.invalid("model", "'" + model + "' is not a Gemini model id; use an id such as"
                    + " gemini-2.5-flash (with or without the models/ prefix)");
        }
        return model.contains("/") ? model : "models/" + model;
    }

    /** The model id without its {@code models/} prefix, as {@code /v1/models} lists it. */
    static String bareId(String name) {
        return name.startsWith("models/") ? name.substring("models/".length()) : name;
    }

    /** {@code POST …/v1beta/models/{model}:{method}}, with an optional query ({@code alt=sse}). */
    UpstreamRequest post(Provider provider, CredentialSecret secret, String model, String method, String query,
                         byte[] body, boolean stream) {
        String address = provider.effectiveBaseUrl() + VERSION + "/" + resourceName(model) + ":" + method
                + (query == null ? "" : "?" + query);
        Map<String, String> headers = headers(secret);
        headers.put("Content-Type", "application/json");
        headers.put("Accept", stream ? "text/event-stream" : "application/json");
        return new UpstreamRequest("POST", http.uri(address), headers, body, http.firstByteTimeout());
    }

    /** {@code GET …/v1beta/models} with the given query. */
    UpstreamRequest listModels(Provider provider, CredentialSecret secret, String query, Duration timeout) {
        String address = provider.effectiveBaseUrl() + VERSION + "/models" + (query.isEmpty() ? "" : "?" + query);
        Map<String, String> headers = headers(secret);
        headers.put("Accept", "application/json");
        return new UpstreamRequest("GET", http.uri(address), headers, null, timeout);
    }

    /** {@code GET} of an absolute address on the provider (an operation, a generated file), with the key. */
    UpstreamRequest get(CredentialSecret secret, String address, String accept) {
        Map<String, String> headers = headers(secret);
        headers.put("Accept", accept);
        return new UpstreamRequest("GET", http.uri(address), headers, null, http.firstByteTimeout());
    }

    private static Map<String, String> headers(CredentialSecret secret) {
        Map<String, String> headers = new HashMap<>();
        if (secret != null && secret.apiKey() != null && !secret.apiKey().isEmpty()) {
            headers.put("x-goog-api-key", secret.apiKey());
        }
        return headers;
    }
}
