package io.aigne.hub.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.gateway.canonical.FinishReason;
import io.aigne.hub.gateway.canonical.ImageRequest;
import io.aigne.hub.gateway.canonical.ImageResponse.GeneratedImage;
import io.aigne.hub.provider.ProviderFailure;
import io.aigne.hub.provider.UpstreamError;
import io.aigne.hub.server.ApiException;
import io.aigne.hub.server.Json;

import java.util.ArrayList;
import java.util.List;

/**
 * Image generation, which Google offers two ways: Imagen models through {@code :predict}, and Gemini image
 * models (gemini-2.5-flash-image...) through {@code generateContent} with an IMAGE response modality, one image
 * per call. Both answer base64 bytes; the hub has no media store to turn them into URLs.
 */
final class GeminiImages {
    /** Gemini image models make one picture per call; more than this many calls for one request is refused. */
    static final int MAX_GEMINI_IMAGES = 10;

    private static final List<String> IMAGEN_RATIOS = List.of("1:1", "3:4", "4:3", "9:16", "16:9");
    private static final List<String> GEMINI_RATIOS =
            List.of("1:1", "2:3", "3:2", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "21:9");

    private GeminiImages() {
    }

    static boolean isImagen(String upstreamModel) {
        return GeminiEndpoints.bareId(upstreamModel).startsWith("imagen");
    }

    static int count(ImageRequest request) {
        return request.n() <= 0 ? 1 : request.n();
    }

    // ---------------------------------------------------------------------------------------------
    // Imagen

    static ObjectNode imagenRequest(ImageRequest request) {
        ObjectNode body = Json.object();
        body.putArray("instances").addObject().put("prompt", request.prompt());
        ObjectNode parameters = body.putObject("parameters").put("sampleCount", count(request));
        String ratio = aspectRatio(request.size(), IMAGEN_RATIOS);
        if (ratio != null) {
            parameters.put("aspectRatio", ratio);
        }
        if (request.negativePrompt() != null && !request.negativePrompt().isBlank()) {
            parameters.put("negativePrompt", request.negativePrompt());
        }
        return body;
    }

    static List<GeneratedImage> imagenImages(JsonNode response) throws ProviderFailure {
        List<GeneratedImage> images = new ArrayList<>();
        String filtered = null;
        for (JsonNode prediction : response.path("predictions")) {
            String data = prediction.path("bytesBase64Encoded").asText("");
            if (data.isEmpty()) {
                filtered = prediction.path("raiFilteredReason").asText(null);
                continue;
            }
            images.add(new GeneratedImage(null, data, prediction.path("mimeType").asText("image/png"),
                    GeminiResponseMapper.text(prediction, "prompt")));
        }
        if (images.isEmpty()) {
            throw noImage(filtered != null ? "Imagen filtered every image: " + filtered
                    : "Imagen answered without any image", filtered != null);
        }
        return images;
    }

    // ---------------------------------------------------------------------------------------------
    // Gemini image models

    static ObjectNode geminiRequest(ImageRequest request) {
        if (request.negativePrompt() != null && !request.negativePrompt().isBlank()) {
            throw ApiException.invalid("negative_prompt", "Gemini image models take no negative prompt; describe"
                    + " what you want in the prompt instead, or pick an Imagen model");
        }
        if (count(request) > MAX_GEMINI_IMAGES) {
            throw ApiException.invalid("n", "Gemini image models make one image per call; ask for at most "
                    + MAX_GEMINI_IMAGES + " images at once");
        }
        ObjectNode body = Json.object();
        body.putArray("contents").addObject().put("role", "user")
                .putArray("parts").addObject().put("text", request.prompt());
        ObjectNode config = body.putObject("generationConfig");
        config.putArray("responseModalities").add("TEXT").add("IMAGE");
        String ratio = aspectRatio(request.size(), GEMINI_RATIOS);
        if (ratio != null) {
            config.putObject("imageConfig").put("aspectRatio", ratio);
        }
        return body;
    }

    static List<GeneratedImage> geminiImages(JsonNode response) throws ProviderFailure {
        List<GeneratedImage> images = new ArrayList<>();
        JsonNode candidate = response.path("candidates").path(0);
        for (JsonNode part : candidate.path("content").path("parts")) {
            JsonNode inline = part.path("inlineData");
            if (inline.path("data").isTextual() && !part.path("thought").asBoolean(false)) {
                images.add(new GeneratedImage(null, inline.path("data").asText(),
                        inline.path("mimeType").asText("image/png"), null));
            }
        }
        if (images.isEmpty()) {
            String reason = candidate.isMissingNode()
                    ? response.path("promptFeedback").path("blockReason").asText("no candidate")
                    : candidate.path("finishReason").asText("no image part");
            FinishReason finish = candidate.isMissingNode() ? GeminiResponseMapper.blockedOrStop(response)
                    : GeminiResponseMapper.finishReason(reason, false);
            boolean filtered = finish == FinishReason.CONTENT_FILTER;
            throw noImage("the model answered without an image (" + reason + ")"
                    + (filtered ? "" : "; check that the model is an image model"), filtered);
        }
        return images;
    }

    /** A provider answer without images is a refusal of the caller's prompt or model, not a provider fault. */
    private static ProviderFailure noImage(String message, boolean filtered) {
        return ProviderFailure.status(new UpstreamError(400, message, "invalid_request_error",
                filtered ? "prompt" : "model", filtered ? "content_filter" : "no_image"), null);
    }

    /**
     * OpenAI's "WIDTHxHEIGHT" as the supported ratio nearest to it (compared on a log scale, so 2:1 is as far
     * from 1:1 as 1:2 is); null for no size or "auto", which leaves the model's default.
     */
    static String aspectRatio(String size, List<String> supported) {
        if (size == null || size.isBlank() || size.equalsIgnoreCase("auto")) {
            return null;
        }
        double wanted = ratio(size, "x");
        if (Double.isNaN(wanted)) {
            throw ApiException.invalid("size", "size must be WIDTHxHEIGHT in pixels (e.g. 1024x1024) or auto, not '"
                    + size + "'");
        }
        String best = supported.getFirst();
        double bestDistance = Double.MAX_VALUE;
        for (String candidate : supported) {
            double distance = Math.abs(Math.log(wanted) - Math.log(ratio(candidate, ":")));
            if (distance < bestDistance) {
                bestDistance = distance;
                best = candidate;
            }
        }
        return best;
    }

    private static double ratio(String value, String separator) {
        String[] sides = value.trim().toLowerCase(java.util.Locale.ROOT).split(separator);
        if (sides.length != 2) {
            return Double.NaN;
        }
        try {
            double width = Double.parseDouble(sides[0].trim());
            double height = Double.parseDouble(sides[1].trim());
            return width > 0 && height > 0 ? width / height : Double.NaN;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
