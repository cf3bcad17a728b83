package io.aigne.hub.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.gateway.canonical.ImageRequest;
import io.aigne.hub.gateway.canonical.ImageResponse;
import io.aigne.hub.server.Json;
import io.aigne.hub.usage.Usage;

import java.util.ArrayList;
import java.util.List;

/** Image generation calls to {@code POST /images/generations} and back. */
final class OpenAiImagesMapper {
    private OpenAiImagesMapper() {
    }

    /**
     * Only what the caller set is sent, in the model family's own terms: gpt-image models answer "Unknown parameter"
     * to {@code response_format} and {@code style} (they always answer base64) and grade quality low/medium/high,
     * while DALL·E 3 knows standard/hd. The caller may have written either, in another protocol's front door.
     */
    static ObjectNode body(ImageRequest request, String upstreamModel) {
        boolean gptImage = upstreamModel.startsWith("gpt-image");
        ObjectNode body = Json.object();
        body.put("model", upstreamModel);
        body.put("prompt", request.prompt());
        if (request.n() > 0) {
            body.put("n", request.n());
        }
        putIfSet(body, "size", request.size());
        putIfSet(body, "quality", quality(request.quality(), upstreamModel));
        if (!gptImage) {
            putIfSet(body, "style", request.style());
            putIfSet(body, "response_format", request.responseFormat());
        }
        putIfSet(body, "user", request.user());
        return body;
    }

    private static String quality(String quality, String upstreamModel) {
        if (quality == null) {
            return null;
        }
        if (upstreamModel.startsWith("gpt-image")) {
            return switch (quality) {
                case "hd" -> "high";
                case "standard" -> "medium";
                default -> quality;
            };
        }
        if (upstreamModel.startsWith("dall-e-3")) {
            return switch (quality) {
                case "high" -> "hd";
                case "low", "medium" -> "standard";
                default -> quality;
            };
        }
        return quality;
    }

    /**
     * The images and their usage: the image count always, and gpt-image's token counts when it reports them. The
     * media type of base64 images is the answer's {@code output_format} (gpt-image), PNG otherwise (DALL·E).
     */
    static ImageResponse response(JsonNode answer) {
        JsonNode data = answer.path("data");
        if (!data.isArray()) {
            return null;
        }
        String format = OpenAiChatResponseMapper.textOrNull(answer.path("output_format"));
        String base64Type = format == null ? "image/png" : "image/" + (format.equals("jpg") ? "jpeg" : format);
        List<ImageResponse.GeneratedImage> images = new ArrayList<>();
        for (JsonNode item : data) {
            String url = OpenAiChatResponseMapper.textOrNull(item.path("url"));
            String base64 = OpenAiChatResponseMapper.textOrNull(item.path("b64_json"));
            if (url == null && base64 == null) {
                return null;
            }
            images.add(new ImageResponse.GeneratedImage(url, base64, base64 != null ? base64Type : null,
                    OpenAiChatResponseMapper.textOrNull(item.path("revised_prompt"))));
        }
        JsonNode usage = answer.path("usage");
        long input = usage.path("input_tokens").asLong(0);
        long output = usage.path("output_tokens").asLong(0);
        long total = usage.path("total_tokens").isNumber() ? usage.path("total_tokens").asLong() : input + output;
        long created = answer.path("created").isNumber() ? answer.path("created").asLong()
                : System.currentTimeMillis() / 1000;
        return new ImageResponse(created, images, new Usage(input, output, 0, 0, total, images.size()));
    }

    private static void putIfSet(ObjectNode body, String field, String value) {
        if (value != null) {
            body.put(field, value);
        }
    }
}
