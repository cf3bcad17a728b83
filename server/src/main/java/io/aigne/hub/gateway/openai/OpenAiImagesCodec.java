package io.aigne.hub.gateway.openai;

import static io.aigne.hub.gateway.JsonFields.bool;
import static io.aigne.hub.gateway.JsonFields.isSet;
import static io.aigne.hub.gateway.openai.OpenAiRequestMapper.openAiOnly;
import static io.aigne.hub.gateway.JsonFields.positiveInt;
import static io.aigne.hub.gateway.JsonFields.requiredString;
import static io.aigne.hub.gateway.JsonFields.string;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.gateway.canonical.ImageRequest;
import io.aigne.hub.gateway.canonical.ImageResponse;
import io.aigne.hub.server.ApiException;
import io.aigne.hub.server.Json;
import io.aigne.hub.usage.Usage;

import java.util.Set;

/** The OpenAI front door's side of translated image generation ({@code POST /v1/images/generations}). */
public final class OpenAiImagesCodec {
    private static final Set<String> OUTPUT_FORMATS = Set.of("png", "jpeg", "webp");

    private OpenAiImagesCodec() {
    }

    /**
     * The request in the canonical (OpenAI-named) terms. gpt-image's output options (background, output_format,
     * compression, moderation) are ignored: other providers have no such settings. {@code negative_prompt} is not
     * an OpenAI field but is taken for providers that have one.
     */
    public static ImageRequest imagesToCanonical(ObjectNode body) {
        String model = requiredString(body, "model", "");
        String prompt = requiredString(body, "prompt", "");
        if (prompt.isBlank()) {
            throw ApiException.invalid("prompt", "'prompt' must be a non-empty description of the image");
        }
        if (Boolean.TRUE.equals(bool(body, "stream", ""))) {
            throw openAiOnly("stream", "streamed image generation");
        }
        if (isSet(body, "partial_images")) {
            throw openAiOnly("partial_images", "streamed image generation");
        }
        Integer n = positiveInt(body, "n", "");
        if (n != null && n > 10) {
            throw ApiException.invalid("n", "'n' must be from 1 to 10");
        }
        String responseFormat = string(body, "response_format", "");
        if (responseFormat != null && !responseFormat.equals("url") && !responseFormat.equals("b64_json")) {
            throw ApiException.invalid("response_format", "'response_format' must be \"url\" or \"b64_json\"");
        }
        String user = string(body, "user", "");
        return new ImageRequest(model, prompt, n == null ? 1 : n, string(body, "size", ""),
                string(body, "quality", ""), string(body, "style", ""), responseFormat,
                string(body, "negative_prompt", ""), user != null ? user : string(body, "safety_identifier", ""));
    }

    /**
     * Whether the caller expects {@code data[].url}: it asked for "url", or asked nothing of a DALL·E model, whose
     * default that is (gpt-image and other models default to base64).
     */
    public static boolean wantsUrl(ImageRequest request) {
        if (request.responseFormat() != null) {
            return request.responseFormat().equals("url");
        }
        String model = request.model();
        return model != null && model.substring(model.lastIndexOf('/') + 1).startsWith("dall-e");
    }

    /**
     * The images as OpenAI lists them, with gpt-image's {@code usage} when the provider counted tokens. The
     * canonical usage does not split input tokens into text and image tokens; they are reported as text.
     */
    public static byte[] imagesToJson(ImageResponse response) {
        ObjectNode root = Json.object();
        root.put("created", response.created());
        ArrayNode data = root.putArray("data");
        String outputFormat = null;
        for (ImageResponse.GeneratedImage image : response.images()) {
            ObjectNode item = data.addObject();
            if (image.base64() != null) {
                item.put("b64_json", image.base64());
                outputFormat = outputFormat != null ? outputFormat : outputFormat(image.mediaType());
            }
            if (image.url() != null) {
                item.put("url", image.url());
            }
            if (image.revisedPrompt() != null) {
                item.put("revised_prompt", image.revisedPrompt());
            }
        }
        if (outputFormat != null) {
            root.put("output_format", outputFormat);
        }
        Usage usage = response.usage();
        if (usage.inputTokens() > 0 || usage.outputTokens() > 0) {
            ObjectNode node = root.putObject("usage");
            node.put("input_tokens", usage.inputTokens());
            node.put("output_tokens", usage.outputTokens());
            node.put("total_tokens", usage.totalTokens() > 0 ? usage.totalTokens()
                    : usage.inputTokens() + usage.outputTokens());
            node.putObject("input_tokens_details").put("text_tokens", usage.inputTokens()).put("image_tokens", 0);
        }
        return Json.bytes(root);
    }

    private static String outputFormat(String mediaType) {
        if (mediaType == null || !mediaType.startsWith("image/")) {
            return null;
        }
        String format = mediaType.substring("image/".length());
        return OUTPUT_FORMATS.contains(format) ? format : null;
    }
}
