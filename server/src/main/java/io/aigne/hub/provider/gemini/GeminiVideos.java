package io.aigne.hub.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.gateway.canonical.VideoRequest;
import io.aigne.hub.gateway.canonical.VideoResponse;
import io.aigne.hub.gateway.canonical.VideoResponse.GeneratedVideo;
import io.aigne.hub.provider.CredentialSecret;
import io.aigne.hub.provider.ProviderFailure;
import io.aigne.hub.provider.ProviderHttp;
import io.aigne.hub.provider.UpstreamError;
import io.aigne.hub.provider.VideoPolling;
import io.aigne.hub.routing.Route;
import io.aigne.hub.secret.Redaction;
import io.aigne.hub.server.Json;
import io.aigne.hub.usage.Usage;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Veo on the Gemini API: {@code POST models/{model}:predictLongRunning} starts a long-running operation,
 * {@code GET /v1beta/{operation name}} reports it until {@code done}, and the finished operation lists the clips in
 * {@code response.generateVideoResponse.generatedSamples[].video}, each a {@code uri} to download with the key
 * (or, from some models, the bytes inline as {@code encodedVideo}).
 */
final class GeminiVideos {
    /** Veo's default clip length, billed when the caller did not choose one. */
    static final int DEFAULT_SECONDS = 8;
    private static final List<String> VEO_RATIOS = List.of("16:9", "9:16");
    /** Operation names go into the path: {@code models/veo-…/operations/…} and nothing that could leave it. */
    private static final Pattern OPERATION = Pattern.compile("(?:[A-Za-z0-9._-]+/)*operations/[A-Za-z0-9._-]+");

    private final ProviderHttp http;
    private final GeminiEndpoints endpoints;
    private final VideoPolling polling;

    GeminiVideos(ProviderHttp http, GeminiEndpoints endpoints, VideoPolling polling) {
        this.http = http;
        this.endpoints = endpoints;
        this.polling = polling;
    }

    VideoResponse generate(Route route, VideoRequest request) throws ProviderFailure {
        JsonNode started = call(route, request);
        String operation = started.path("name").asText("");
        if (!OPERATION.matcher(operation).matches() || operation.contains("..")) {
            throw ProviderFailure.broken("Veo's answer names no operation to wait for", false);
        }
        String base = route.provider().effectiveBaseUrl();
        JsonNode done = started.path("done").asBoolean(false) ? started
                : polling.await("the Veo operation " + operation, () -> ended(route, base, operation));
        if (done.path("error").isObject()) {
            throw failed(done.path("error"), route.secret());
        }
        JsonNode result = done.path("response").path("generateVideoResponse");
        List<GeneratedVideo> videos = new ArrayList<>();
        for (JsonNode sample : result.path("generatedSamples")) {
            videos.add(download(route, base, sample.path("video")));
        }
        if (videos.isEmpty()) {
            throw filtered(result);
        }
        int seconds = videos.size() * (request.seconds() != null ? request.seconds() : DEFAULT_SECONDS);
        return new VideoResponse(videos, seconds, Usage.NONE.withVideoSeconds(seconds));
    }

    static ObjectNode body(VideoRequest request) {
        ObjectNode body = Json.object();
        body.putArray("instances").addObject().put("prompt", request.prompt());
        ObjectNode parameters = body.putObject("parameters");
        String ratio = request.aspectRatio() != null ? request.aspectRatio()
                : GeminiImages.aspectRatio(request.size(), VEO_RATIOS);
        if (ratio != null) {
            parameters.put("aspectRatio", ratio);
        }
        if (request.seconds() != null) {
            parameters.put("durationSeconds", request.seconds());
        }
        if (request.negativePrompt() != null && !request.negativePrompt().isBlank()) {
            parameters.put("negativePrompt", request.negativePrompt());
        }
        if (request.count() > 1) {
            parameters.put("sampleCount", request.count());
        }
        return body;
    }

    private JsonNode call(Route route, VideoRequest request) throws ProviderFailure {
        GeminiErrors.Reader errors = new GeminiErrors.Reader();
        try {
            return parse(http.fetch(endpoints.post(route.provider(), route.secret(), route.upstreamModel(),
                    "predictLongRunning", null, Json.bytes(body(request)), false), route.secret(), errors));
        } catch (ProviderFailure failure) {
            throw errors.withRetryDelay(failure);
        }
    }

    private JsonNode ended(Route route, String base, String operation) throws ProviderFailure {
        GeminiErrors.Reader errors = new GeminiErrors.Reader();
        try {
            JsonNode state = parse(http.fetch(endpoints.get(route.secret(),
                    base + GeminiEndpoints.VERSION + "/" + operation, "application/json"), route.secret(), errors));
            return state.path("done").asBoolean(false) ? state : null;
        } catch (ProviderFailure failure) {
            throw errors.withRetryDelay(failure);
        }
    }

    /**
     * The key goes only to the provider's own address: a link elsewhere would hand the credential to whoever
     * the answer names.
     */
    private GeneratedVideo download(Route route, String base, JsonNode video) throws ProviderFailure {
        String mediaType = video.path("mimeType").asText("video/mp4");
        if (video.path("encodedVideo").isTextual()) {
            return new GeneratedVideo(null, video.path("encodedVideo").asText(), mediaType);
        }
        String uri = video.path("uri").asText("");
        if (uri.isEmpty() || !sameOrigin(uri, base)) {
            throw ProviderFailure.broken("Veo's answer has a video without a link to the provider's files", false);
        }
        GeminiErrors.Reader errors = new GeminiErrors.Reader();
        try {
            byte[] bytes = http.fetch(endpoints.get(route.secret(), uri, "*/*"), route.secret(), errors);
            return new GeneratedVideo(null, Base64.getEncoder().encodeToString(bytes), mediaType);
        } catch (ProviderFailure failure) {
            throw errors.withRetryDelay(failure);
        }
    }

    private static boolean sameOrigin(String uri, String base) {
        try {
            URI a = URI.create(uri);
            URI b = URI.create(base);
            return Objects.equals(a.getScheme(), b.getScheme()) && Objects.equals(a.getHost(), b.getHost())
                    && a.getPort() == b.getPort();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * An operation's {@code google.rpc.Status}: a refused argument or prompt is the caller's (400), quota is a
     * rate limit, anything else is the provider's failure.
     */
    static ProviderFailure failed(JsonNode error, CredentialSecret secret) {
        int code = error.path("code").asInt(13);
        String message = error.path("message").asText("");
        if (message.isEmpty()) {
            message = "the Veo operation failed (code " + code + ")";
        }
        message = Redaction.redact(message, secret == null ? null : secret.apiKey());
        int status = switch (code) {
            case 3, 9, 11 -> 400;
            case 7 -> 403;
            case 8 -> 429;
            case 14 -> 503;
            default -> 502;
        };
        return ProviderFailure.status(new UpstreamError(status, message, GeminiErrors.type(status, null),
                status == 400 ? "prompt" : null, "operation_failed"), null);
    }

    /** A finished operation without clips: Veo's safety filters took them. */
    private static ProviderFailure filtered(JsonNode result) {
        List<String> reasons = new ArrayList<>();
        result.path("raiMediaFilteredReasons").forEach(r -> reasons.add(r.asText()));
        String message = reasons.isEmpty() ? "Veo finished without any video"
                : "Veo filtered every video: " + String.join("; ", reasons);
        return ProviderFailure.status(new UpstreamError(400, message, "invalid_request_error", "prompt",
                "content_filter"), null);
    }

    private static JsonNode parse(byte[] body) throws ProviderFailure {
        try {
            JsonNode node = Json.MAPPER.readTree(body);
            if (node == null || !node.isObject()) {
                throw ProviderFailure.broken("Veo's answer is not a JSON object", false);
            }
            return node;
        } catch (IOException e) {
            throw ProviderFailure.broken("Veo's answer is not JSON: " + e.getMessage(), false);
        }
    }
}
