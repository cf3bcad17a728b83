package io.aigne.hub.provider.ideogram;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigne.hub.gateway.canonical.ImageRequest;
import io.aigne.hub.gateway.canonical.ImageResponse;
import io.aigne.hub.gateway.canonical.ImageResponse.GeneratedImage;
import io.aigne.hub.provider.MediaFetcher;
import io.aigne.hub.provider.ProviderFailure;
import io.aigne.hub.provider.UpstreamError;
import io.aigne.hub.server.ApiException;
import io.aigne.hub.server.Json;
import io.aigne.hub.usage.Usage;

import java.io.IOException;
import java.net.URI;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads Ideogram's answer ({@code {created, data: [{url, prompt, resolution, is_image_safe, seed, style_type}]}},
 * the same for both APIs) into the canonical response. Images that failed Ideogram's post-generation safety check
 * come without a url and are left out; when that leaves none, the call fails as a content-filter 400, because the
 * prompt, not the provider, is what has to change. Ideogram's links expire, so a caller that asked for base64 gets
 * the bytes downloaded here (the url is kept alongside).
 */
final class IdeogramImages {
    private IdeogramImages() {
    }

    static ImageResponse read(byte[] body, ImageRequest request, MediaFetcher media) throws ProviderFailure {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw ProviderFailure.broken("Ideogram's answer is not JSON", false);
        }
        JsonNode data = root == null ? null : root.get("data");
        if (data == null || !data.isArray() || data.isEmpty()) {
            throw ProviderFailure.broken("Ideogram's answer has no images in 'data'", false);
        }
        List<GeneratedImage> images = new ArrayList<>();
        for (JsonNode item : data) {
            String url = item.path("url").isTextual() ? item.path("url").asText().strip() : "";
            if (!item.path("is_image_safe").asBoolean(true) || url.isEmpty()) {
                continue;
            }
            images.add(image(url, revisedPrompt(item, request), request.wantsBase64(), media));
        }
        if (images.isEmpty()) {
            throw ProviderFailure.status(new UpstreamError(400, "Ideogram's safety check withheld "
                    + (data.size() == 1 ? "the generated image" : "all " + data.size() + " generated images")
                    + "; change the prompt and try again", IdeogramErrors.CONTENT_FILTER, "prompt",
                    IdeogramErrors.CONTENT_POLICY_VIOLATION), null);
        }
        return new ImageResponse(created(root.path("created")), images, Usage.NONE.withImageCount(images.size()));
    }

    private static GeneratedImage image(String url, String revisedPrompt, boolean base64, MediaFetcher media)
            throws ProviderFailure {
        if (!base64) {
            return new GeneratedImage(url, null, mediaTypeOf(url), revisedPrompt);
        }
        MediaFetcher.Media fetched;
        try {
            fetched = media.fetch(url, "response_format");
        } catch (ApiException e) {
            // The URL is Ideogram's, not the caller's: a failed download is the provider's failure.
            throw ProviderFailure.broken("Ideogram generated an image but it could not be downloaded: "
                    + e.getMessage(), false);
        }
        return new GeneratedImage(url, fetched.base64(), fetched.mediaType(), revisedPrompt);
    }

    /** The prompt Ideogram used, when MagicPrompt rewrote the caller's. */
    private static String revisedPrompt(JsonNode item, ImageRequest request) {
        JsonNode used = item.path("prompt");
        if (!used.isTextual() || used.asText().isBlank() || used.asText().equals(request.prompt())) {
            return null;
        }
        return used.asText();
    }

    /** Ideogram serves PNG; the link's extension says so when it says anything else. */
    private static String mediaTypeOf(String url) {
        String path;
        try {
            path = URI.create(url).getPath();
        } catch (IllegalArgumentException e) {
            path = null;
        }
        String lower = path == null ? "" : path.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".jpg") || lower.endsWith(".jpeg")) {
            return "image/jpeg";
        }
        if (lower.endsWith(".webp")) {
            return "image/webp";
        }
        return "image/png";
    }

    /** {@code created} is an ISO date-time (the reference's examples also show a space before the time). */
    private static long created(JsonNode node) {
        if (node.isNumber()) {
            return node.asLong();
        }
        if (node.isTextual()) {
            try {
                return OffsetDateTime.parse(node.asText().strip().replace(' ', 'T')).toEpochSecond();
            } catch (DateTimeParseException e) {
                // fall through to the time of reading
            }
        }
        return System.currentTimeMillis() / 1000;
    }
}
