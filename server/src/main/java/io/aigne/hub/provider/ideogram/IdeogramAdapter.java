package io.aigne.hub.provider.ideogram;

import io.aigne.hub.gateway.canonical.ChatRequest;
import io.aigne.hub.gateway.canonical.ChatResponse;
import io.aigne.hub.gateway.canonical.ImageRequest;
import io.aigne.hub.gateway.canonical.ImageResponse;
import io.aigne.hub.gateway.upstream.UpstreamRequest;
import io.aigne.hub.provider.ChatStream;
import io.aigne.hub.provider.CredentialSecret;
import io.aigne.hub.provider.MediaFetcher;
import io.aigne.hub.provider.Provider;
import io.aigne.hub.provider.ProviderAdapter;
import io.aigne.hub.provider.ProviderFailure;
import io.aigne.hub.provider.ProviderHttp;
import io.aigne.hub.provider.WireFormat;
import io.aigne.hub.routing.Outcome;
import io.aigne.hub.routing.Route;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Ideogram's image generation API: Ideogram 3.0 at {@code POST /v1/ideogram-v3/generate} (multipart form) and the
 * earlier models at the legacy {@code POST /generate} (JSON), both authenticated by an {@code Api-Key} header.
 * Ideogram has no chat or embeddings API.
 */
public final class IdeogramAdapter implements ProviderAdapter {
    static final String V3_PATH = "/v1/ideogram-v3/generate";
    static final String LEGACY_PATH = "/generate";
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(15);

    private final ProviderHttp http;
    private final MediaFetcher media;

    public IdeogramAdapter(ProviderHttp http, MediaFetcher media) {
        this.http = http;
        this.media = media;
    }

    @Override
    public WireFormat wire() {
        return WireFormat.IDEOGRAM;
    }

    @Override
    public ChatResponse chat(Route route, ChatRequest request) throws ProviderFailure {
        throw ProviderAdapter.unsupported(route, "chat");
    }

    @Override
    public ChatStream stream(Route route, ChatRequest request) throws ProviderFailure {
        throw ProviderAdapter.unsupported(route, "chat");
    }

    @Override
    public ImageResponse generateImages(Route route, ImageRequest request) throws ProviderFailure {
        IdeogramModel model = IdeogramModel.resolve(route.upstreamModel());
        Map<String, String> headers = headers(route.secret());
        String path;
        byte[] body;
        if (model.v3()) {
            Multipart.Encoded form = IdeogramRequests.v3(request);
            headers.put("Content-Type", form.contentType());
            path = V3_PATH;
            body = form.body();
        } else {
            headers.put("Content-Type", "application/json");
            path = LEGACY_PATH;
            body = IdeogramRequests.legacy(request, model);
        }
        UpstreamRequest upstream = new UpstreamRequest("POST",
                http.uri(route.provider().effectiveBaseUrl() + path), headers, body, http.firstByteTimeout());
        byte[] answer = http.fetch(upstream, route.secret(), IdeogramErrors.READER);
        return IdeogramImages.read(answer, request, media);
    }

    /**
     * Ideogram has no free endpoint that takes an API key (its key and credit management is for the web session's
     * bearer token), so the check is a generate call that cannot generate: an empty JSON object, without the
     * required prompt. Ideogram's API is served by an OpenAPI-first framework (Connexion, named by the
     * {@code x-openapi-router-controller} entries of its published spec) that checks the security scheme before
     * it validates the body: a refused key answers 401/403, an accepted one reaches validation and answers 400.
     * Nothing is generated either way, so nothing is billed.
     */
    @Override
    public Outcome probe(Provider provider, CredentialSecret secret) {
        Map<String, String> headers = headers(secret);
        headers.put("Content-Type", "application/json");
        UpstreamRequest request = new UpstreamRequest("POST", http.uri(provider.effectiveBaseUrl() + V3_PATH),
                headers, "{}".getBytes(StandardCharsets.UTF_8), PROBE_TIMEOUT);
        try {
            http.fetch(request, secret, IdeogramErrors.READER);
            return Outcome.SUCCESS;
        } catch (ProviderFailure failure) {
            return outcome(failure);
        }
    }

    private static Outcome outcome(ProviderFailure failure) {
        if (failure.kind() != ProviderFailure.Kind.STATUS) {
            return new Outcome.Failed(failure.getMessage());
        }
        int status = failure.status();
        String message = failure.error().message();
        return switch (status) {
            // The request got past authentication and was refused for its (deliberately empty) body.
            case 400, 422 -> Outcome.SUCCESS;
            case 401, 403 -> new Outcome.Rejected(status, message);
            case 429 -> new Outcome.RateLimited(message, seconds(failure.retryAfter()));
            default -> new Outcome.Failed(status + ": " + message);
        };
    }

    /** Ideogram has no model listing endpoint: the ids this adapter serves. */
    @Override
    public List<String> listModels(Provider provider, CredentialSecret secret, Duration timeout) {
        return IdeogramModel.supported();
    }

    private static Map<String, String> headers(CredentialSecret secret) {
        Map<String, String> headers = new HashMap<>();
        headers.put("Accept", "application/json");
        if (secret != null && secret.apiKey() != null && !secret.apiKey().isEmpty()) {
            headers.put("Api-Key", secret.apiKey());
        }
        return headers;
    }

    private static Duration seconds(String retryAfter) {
        if (retryAfter == null) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.min(3600, Long.parseLong(retryAfter.strip())));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
