package io.aigne.hub.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigne.hub.gateway.canonical.VideoRequest;
import io.aigne.hub.gateway.canonical.VideoResponse;
import io.aigne.hub.gateway.canonical.VideoResponse.GeneratedVideo;
import io.aigne.hub.gateway.upstream.UpstreamRequest;
import io.aigne.hub.provider.CredentialSecret;
import io.aigne.hub.provider.ErrorReader;
import io.aigne.hub.provider.ProviderFailure;
import io.aigne.hub.provider.ProviderHttp;
import io.aigne.hub.provider.UpstreamError;
import io.aigne.hub.provider.VideoPolling;
import io.aigne.hub.routing.Route;
import io.aigne.hub.secret.Redaction;
import io.aigne.hub.server.ApiException;
import io.aigne.hub.server.Json;
import io.aigne.hub.usage.Usage;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * OpenAI's Videos API (Sora): {@code POST /videos} starts a job (a multipart form, as the official SDKs send it,
 * since the form may carry a reference image), {@code GET /videos/{id}} tells its status (queued, in_progress,
 * completed, failed), and {@code GET /videos/{id}/content} serves the MP4 once it is completed.
 */
final class OpenAiVideos {
    /** Sora's default clip length, for a job whose answer does not say. */
    static final int DEFAULT_SECONDS = 4;
    /** Job ids go into the path; anything else than an id could leave it. */
    private static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9_-]+");

    private final ProviderHttp http;
    private final VideoPolling polling;

    OpenAiVideos(ProviderHttp http, VideoPolling polling) {
        this.http = http;
        this.polling = polling;
    }

    /** Starts every clip first, so they render side by side, then waits for each and downloads it. */
    VideoResponse generate(Route route, VideoRequest request) throws ProviderFailure {
        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < request.count(); i++) {
            jobs.add(jobId(create(route, request)));
        }
        List<GeneratedVideo> videos = new ArrayList<>();
        int seconds = 0;
        for (String id : jobs) {
            JsonNode done = polling.await("the Sora job " + id, () -> ended(route, id));
            seconds += seconds(done, request);
            byte[] mp4 = http.fetch(get(route, "/videos/" + id + "/content", "application/binary"), route.secret(),
                    ErrorReader.JSON);
            videos.add(new GeneratedVideo(null, Base64.getEncoder().encodeToString(mp4), "video/mp4"));
        }
        return new VideoResponse(videos, seconds, Usage.NONE.withVideoSeconds(seconds));
    }

    private JsonNode create(Route route, VideoRequest request) throws ProviderFailure {
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        fields.put("model", route.upstreamModel());
        fields.put("prompt", request.prompt());
        if (request.seconds() != null) {
            fields.put("seconds", Integer.toString(request.seconds()));
        }
        String size = size(request);
        if (size != null) {
            fields.put("size", size);
        }
        String boundary = "aigne-hub-" + UUID.randomUUID();
        Map<String, String> headers = headers(route.secret());
        headers.put("Content-Type", "multipart/form-data; boundary=" + boundary);
        headers.put("Accept", "application/json");
        UpstreamRequest call = new UpstreamRequest("POST", http.uri(route.provider().effectiveBaseUrl() + "/videos"),
                headers, form(fields, boundary), http.firstByteTimeout());
        return parse(http.fetch(call, route.secret(), ErrorReader.JSON));
    }

    /** The job once it has completed, null while it runs; a failed job is a failure with Sora's reason. */
    private JsonNode ended(Route route, String id) throws ProviderFailure {
        JsonNode job = parse(http.fetch(get(route, "/videos/" + id, "application/json"), route.secret(),
                ErrorReader.JSON));
        String status = job.path("status").asText("");
        return switch (status) {
            case "completed" -> job;
            case "failed" -> throw failed(job, route.secret());
            default -> null;
        };
    }

    /**
     * A refused prompt (moderation) is the caller's to fix, a 400 no other credential would answer differently;
     * any other failure is the provider's, a 502 the next route may retry.
     */
    static ProviderFailure failed(JsonNode job, CredentialSecret secret) {
        JsonNode error = job.path("error");
        String code = error.path("code").asText(null);
        String message = error.path("message").asText("");
        if (message.isEmpty()) {
            message = "the video job failed" + (code == null ? "" : " (" + code + ")");
        }
        message = Redaction.redact(message, secret == null ? null : secret.apiKey());
        String lower = code == null ? "" : code.toLowerCase(Locale.ROOT);
        boolean refused = lower.contains("moderation") || lower.contains("policy") || lower.contains("safety")
                || lower.contains("content");
        return ProviderFailure.status(refused
                ? new UpstreamError(400, message, "invalid_request_error", "prompt", code)
                : new UpstreamError(502, message, "server_error", null, code), null);
    }

    /** Sora answers the length as a string ("8"); what was asked, else its default, when it does not. */
    private static int seconds(JsonNode job, VideoRequest request) {
        String answered = job.path("seconds").asText("");
        try {
            return Integer.parseInt(answered.trim());
        } catch (NumberFormatException e) {
            return request.seconds() != null ? request.seconds() : DEFAULT_SECONDS;
        }
    }

    /** Sora takes a size; an aspect ratio alone picks its 720p size of that shape. */
    static String size(VideoRequest request) {
        if (request.size() != null) {
            return request.size();
        }
        if (request.aspectRatio() == null) {
            return null;
        }
        return switch (request.aspectRatio().trim()) {
            case "16:9" -> "1280x720";
            case "9:16" -> "720x1280";
            default -> throw ApiException.invalid("aspectRatio", "Sora makes 16:9 or 9:16 videos; ask for one of"
                    + " those, or for a size such as 1280x720");
        };
    }

    private static String jobId(JsonNode job) throws ProviderFailure {
        String id = job.path("id").asText("");
        if (!JOB_ID.matcher(id).matches()) {
            throw ProviderFailure.broken("the provider's video job has no usable id", false);
        }
        return id;
    }

    private UpstreamRequest get(Route route, String path, String accept) {
        Map<String, String> headers = headers(route.secret());
        headers.put("Accept", accept);
        return new UpstreamRequest("GET", http.uri(route.provider().effectiveBaseUrl() + path), headers, null,
                http.firstByteTimeout());
    }

    private static Map<String, String> headers(CredentialSecret secret) {
        Map<String, String> headers = new HashMap<>();
        if (secret != null && secret.apiKey() != null && !secret.apiKey().isEmpty()) {
            headers.put("Authorization", "Bearer " + secret.apiKey());
        }
        return headers;
    }

    /** Text fields as {@code multipart/form-data}; the boundary is random, so no prompt can contain it. */
    static byte[] form(Map<String, String> fields, String boundary) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Map.Entry<String, String> field : fields.entrySet()) {
            write(out, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field.getKey() + "\"\r\n\r\n");
            write(out, field.getValue() + "\r\n");
        }
        write(out, "--" + boundary + "--\r\n");
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode parse(byte[] body) throws ProviderFailure {
        try {
            JsonNode node = Json.MAPPER.readTree(body);
            if (node == null || !node.isObject()) {
                throw ProviderFailure.broken("the provider's video answer is not a JSON object", false);
            }
            return node;
        } catch (IOException e) {
            throw ProviderFailure.broken("the provider's video answer is not JSON: " + e.getMessage(), false);
        }
    }
}
