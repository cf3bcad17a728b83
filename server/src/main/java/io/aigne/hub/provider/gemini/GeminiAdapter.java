package io.aigne.hub.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigne.hub.gateway.canonical.ChatRequest;
import io.aigne.hub.gateway.canonical.ChatResponse;
import io.aigne.hub.gateway.canonical.EmbeddingRequest;
import io.aigne.hub.gateway.canonical.EmbeddingResponse;
import io.aigne.hub.gateway.canonical.ImageRequest;
import io.aigne.hub.gateway.canonical.ImageResponse;
import io.aigne.hub.gateway.canonical.ImageResponse.GeneratedImage;
import io.aigne.hub.gateway.canonical.VideoRequest;
import io.aigne.hub.gateway.canonical.VideoResponse;
import io.aigne.hub.gateway.upstream.UpstreamRequest;
import io.aigne.hub.gateway.upstream.UpstreamResponse;
import io.aigne.hub.provider.ChatStream;
import io.aigne.hub.provider.CredentialSecret;
import io.aigne.hub.provider.MediaFetcher;
import io.aigne.hub.provider.Provider;
import io.aigne.hub.provider.ProviderAdapter;
import io.aigne.hub.provider.ProviderFailure;
import io.aigne.hub.provider.ProviderHttp;
import io.aigne.hub.provider.VideoPolling;
import io.aigne.hub.provider.WireFormat;
import io.aigne.hub.routing.Outcome;
import io.aigne.hub.routing.Route;
import io.aigne.hub.server.ApiException;
import io.aigne.hub.server.Json;
import io.aigne.hub.usage.Usage;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Google's Generative Language API ({@code v1beta}): chat through {@code generateContent} and
 * {@code streamGenerateContent?alt=sse}, embeddings through {@code batchEmbedContents}, images through Imagen's
 * {@code predict} or a Gemini image model, videos through Veo's {@code predictLongRunning}, and model listing for the catalogue and credential checks.
 */
public final class GeminiAdapter implements ProviderAdapter {
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(15);
    private static final int MODEL_PAGE_SIZE = 1000;
    /** Google lists a few hundred models; the bound only stops a provider that never stops paging. */
    private static final int MAX_MODEL_PAGES = 20;

    private final ProviderHttp http;
    private final GeminiEndpoints endpoints;
    private final GeminiRequestMapper requests;
    private final GeminiVideos videos;

    public GeminiAdapter(ProviderHttp http, MediaFetcher media) {
        this(http, media, VideoPolling.of(Duration.ofSeconds(600)));
    }

    public GeminiAdapter(ProviderHttp http, MediaFetcher media, VideoPolling videoPolling) {
        this.http = http;
        this.endpoints = new GeminiEndpoints(http);
        this.requests = new GeminiRequestMapper(media);
        this.videos = new GeminiVideos(http, endpoints, videoPolling);
    }

    @Override
    public WireFormat wire() {
        return WireFormat.GEMINI;
    }

    @Override
    public ChatResponse chat(Route route, ChatRequest request) throws ProviderFailure {
        byte[] body = Json.bytes(requests.toWire(request));
        JsonNode answer = call(route, "generateContent", body);
        return GeminiResponseMapper.toCanonical(answer, route.upstreamModel());
    }

    @Override
    public ChatStream stream(Route route, ChatRequest request) throws ProviderFailure {
        byte[] body = Json.bytes(requests.toWire(request));
        UpstreamRequest upstream = endpoints.post(route.provider(), route.secret(), route.upstreamModel(),
                "streamGenerateContent", "alt=sse", body, true);
        GeminiErrors.Reader errors = new GeminiErrors.Reader();
        UpstreamResponse response;
        try {
            response = http.open(upstream, route.secret(), errors);
        } catch (ProviderFailure failure) {
            throw errors.withRetryDelay(failure);
        }
        String model = route.upstreamModel();
        CredentialSecret secret = route.secret();
        return new ChatStream(response, in -> new GeminiStreamDecoder(in, model, secret));
    }

    @Override
    public EmbeddingResponse embed(Route route, EmbeddingRequest request) throws ProviderFailure {
        if (request.inputs().isEmpty()) {
            throw ApiException.invalid("input", "there is nothing to embed; send at least one text");
        }
        List<float[]> vectors = new ArrayList<>(request.inputs().size());
        long tokens = 0;
        for (int from = 0; from < request.inputs().size(); from += GeminiEmbeddings.MAX_BATCH) {
            List<String> batch = request.inputs().subList(from,
                    Math.min(request.inputs().size(), from + GeminiEmbeddings.MAX_BATCH));
            byte[] body = Json.bytes(GeminiEmbeddings.toWire(batch, route.upstreamModel(), request.dimensions()));
            JsonNode answer = call(route, "batchEmbedContents", body);
            vectors.addAll(GeminiEmbeddings.vectors(answer, batch.size()));
            tokens += GeminiEmbeddings.inputTokens(answer);
        }
        return new EmbeddingResponse(GeminiEndpoints.bareId(route.upstreamModel()), vectors,
                Usage.tokens(tokens, 0, 0, 0, 0));
    }

    @Override
    public ImageResponse generateImages(Route route, ImageRequest request) throws ProviderFailure {
        long created = System.currentTimeMillis() / 1000;
        if (GeminiImages.isImagen(route.upstreamModel())) {
            JsonNode answer = call(route, "predict", Json.bytes(GeminiImages.imagenRequest(request)));
            List<GeneratedImage> images = GeminiImages.imagenImages(answer);
            return new ImageResponse(created, images, Usage.NONE.withImageCount(images.size()));
        }
        byte[] body = Json.bytes(GeminiImages.geminiRequest(request));
        List<GeneratedImage> images = new ArrayList<>();
        Usage usage = Usage.NONE;
        for (int i = 0; i < GeminiImages.count(request); i++) {
            JsonNode answer = call(route, "generateContent", body);
            images.addAll(GeminiImages.geminiImages(answer));
            usage = plus(usage, GeminiResponseMapper.usage(answer.path("usageMetadata")));
        }
        return new ImageResponse(created, images, usage.withImageCount(images.size()));
    }

    @Override
    public VideoResponse generateVideo(Route route, VideoRequest request) throws ProviderFailure {
        return videos.generate(route, request);
    }

    /** Lists one model with the key: costs no tokens, and every valid key may do it. */
    @Override
    public Outcome probe(Provider provider, CredentialSecret secret) {
        GeminiErrors.Reader errors = new GeminiErrors.Reader();
        try {
            http.fetch(endpoints.listModels(provider, secret, "pageSize=1", PROBE_TIMEOUT), secret, errors);
            return Outcome.SUCCESS;
        } catch (ProviderFailure failure) {
            return outcome(errors.withRetryDelay(failure));
        } catch (RuntimeException e) {
            return new Outcome.Failed(e.getMessage());
        }
    }

    @Override
    public List<String> listModels(Provider provider, CredentialSecret secret, Duration timeout) throws IOException {
        return listModels(provider, secret, timeout, MODEL_PAGE_SIZE);
    }

    /** Model ids without the {@code models/} prefix, page after page. */
    List<String> listModels(Provider provider, CredentialSecret secret, Duration timeout, int pageSize)
            throws IOException {
        List<String> ids = new ArrayList<>();
        String token = null;
        for (int page = 0; page < MAX_MODEL_PAGES; page++) {
            String query = "pageSize=" + pageSize
                    + (token == null ? "" : "&pageToken=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
            JsonNode answer;
            try {
                answer = parse(http.fetch(endpoints.listModels(provider, secret, query, timeout), secret,
                        new GeminiErrors.Reader()));
            } catch (ProviderFailure failure) {
                throw new IOException(provider.name() + " answered GET /v1beta/models with "
                        + (failure.error() != null ? failure.error().status() + ": " + failure.error().message()
                        : failure.getMessage()), failure);
            }
            for (JsonNode model : answer.path("models")) {
                String name = model.path("name").asText("");
                if (!name.isEmpty()) {
                    ids.add(GeminiEndpoints.bareId(name));
                }
            }
            token = answer.path("nextPageToken").asText("");
            if (token.isEmpty()) {
                break;
            }
        }
        return ids;
    }

    private JsonNode call(Route route, String method, byte[] body) throws ProviderFailure {
        UpstreamRequest upstream = endpoints.post(route.provider(), route.secret(), route.upstreamModel(), method,
                null, body, false);
        GeminiErrors.Reader errors = new GeminiErrors.Reader();
        try {
            return parse(http.fetch(upstream, route.secret(), errors));
        } catch (ProviderFailure failure) {
            throw errors.withRetryDelay(failure);
        }
    }

    private static JsonNode parse(byte[] body) throws ProviderFailure {
        try {
            JsonNode node = Json.MAPPER.readTree(body);
            if (node == null || !node.isObject()) {
                throw ProviderFailure.broken("Gemini's answer is not a JSON object", false);
            }
            return node;
        } catch (IOException e) {
            throw ProviderFailure.broken("Gemini's answer is not JSON: " + e.getMessage(), false);
        }
    }

    private static Outcome outcome(ProviderFailure failure) {
        if (failure.kind() != ProviderFailure.Kind.STATUS) {
            return new Outcome.Failed(failure.getMessage());
        }
        int status = failure.status();
        String message = failure.error().message();
        if (status == 401 || status == 403) {
            return new Outcome.Rejected(status, message);
        }
        if (status == 429) {
            return new Outcome.RateLimited(message, seconds(failure.retryAfter()));
        }
        return new Outcome.Failed(status + ": " + message);
    }

    private static Duration seconds(String retryAfter) {
        try {
            return retryAfter == null ? null : Duration.ofSeconds(Long.parseLong(retryAfter.trim()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Usage plus(Usage a, Usage b) {
        return Usage.tokens(a.inputTokens() + b.inputTokens(), a.outputTokens() + b.outputTokens(),
                a.cachedTokens() + b.cachedTokens(), a.cacheWriteTokens() + b.cacheWriteTokens(),
                a.reasoningTokens() + b.reasoningTokens());
    }
}
