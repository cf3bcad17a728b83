package io.aigne.hub.provider.ideogram;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.gateway.canonical.ImageRequest;
import io.aigne.hub.server.ApiException;
import io.aigne.hub.server.Json;

import java.util.Locale;
import java.util.Set;

/**
 * Maps a canonical image request (OpenAI's vocabulary) to Ideogram's two request bodies. The mapping, by field:
 * <ul>
 *   <li>{@code n} → {@code num_images}, 1 to 8 as the reference allows (0 means the default, 1);</li>
 *   <li>{@code size} → the nearest supported aspect ratio ({@link AspectRatios}); none or "auto" leaves
 *       Ideogram's default, 1:1;</li>
 *   <li>{@code quality} → Ideogram 3.0's {@code rendering_speed}: "low" → TURBO, "standard"/"medium" → DEFAULT,
 *       "hd"/"high" → QUALITY, "auto" → Ideogram's default; the native names (FLASH, TURBO, DEFAULT, QUALITY) pass
 *       as they are. Legacy models have no such setting (the model id picks the speed: V_2 or V_2_TURBO), so
 *       there it is checked but not sent;</li>
 *   <li>{@code style} → {@code style_type}: "natural" → REALISTIC (photographic, the closest to DALL-E's natural
 *       look); "vivid" → AUTO, since Ideogram has no "dramatic" style and vivid asks for the model's own take on
 *       the prompt rather than a fixed look; the native names of the API in use pass as they are. V_1 models take
 *       no style_type, so there it is left out;</li>
 *   <li>{@code negativePrompt} → {@code negative_prompt}; a legacy model without negative prompts (V_2A,
 *       V_2A_TURBO) answers 400 rather than silently drawing what the caller excluded.</li>
 * </ul>
 * MagicPrompt keeps Ideogram's default; when it rewrites the prompt, the answer reports the rewritten one.
 */
final class IdeogramRequests {
    static final int MAX_IMAGES = 8;

    private static final Set<String> V3_STYLES = Set.of("AUTO", "GENERAL", "REALISTIC", "DESIGN", "FICTION");
    private static final Set<String> LEGACY_STYLES =
            Set.of("AUTO", "GENERAL", "REALISTIC", "DESIGN", "RENDER_3D", "ANIME", "FICTION");
    private static final Set<String> SPEEDS = Set.of("FLASH", "TURBO", "DEFAULT", "QUALITY");

    private IdeogramRequests() {
    }

    /** The multipart form of {@code POST /v1/ideogram-v3/generate}. */
    static Multipart.Encoded v3(ImageRequest request) {
        AspectRatios.Ratio ratio = AspectRatios.nearest(request.size(), AspectRatios.V3);
        return new Multipart()
                .field("prompt", prompt(request))
                .field("num_images", Integer.toString(numImages(request)))
                .field("aspect_ratio", ratio == null ? null : ratio.v3Name())
                .field("rendering_speed", renderingSpeed(request.quality()))
                .field("style_type", styleType(request.style(), V3_STYLES))
                .field("negative_prompt", blankToNull(request.negativePrompt()))
                .encode();
    }

    /** The JSON body of the legacy {@code POST /generate}. */
    static byte[] legacy(ImageRequest request, IdeogramModel model) {
        ObjectNode image = Json.object();
        image.put("prompt", prompt(request));
        image.put("model", model.id());
        AspectRatios.Ratio ratio = AspectRatios.nearest(request.size(), AspectRatios.LEGACY);
        if (ratio != null) {
            image.put("aspect_ratio", ratio.legacyName());
        }
        image.put("num_images", numImages(request));
        // Checked so that a typo is reported, but not sent: the legacy model id picks the speed.
        renderingSpeed(request.quality());
        String style = styleType(request.style(), LEGACY_STYLES);
        if (style != null && model.takesStyle()) {
            image.put("style_type", style);
        }
        String negative = blankToNull(request.negativePrompt());
        if (negative != null) {
            if (!model.takesNegativePrompt()) {
                throw ApiException.invalid("negative_prompt", "Ideogram " + model.id()
                        + " takes no negative prompt; leave it out or pick ideogram-v3, V_2 or V_2_TURBO");
            }
            image.put("negative_prompt", negative);
        }
        ObjectNode body = Json.object();
        body.set("image_request", image);
        return Json.bytes(body);
    }

    static String prompt(ImageRequest request) {
        if (request.prompt() == null || request.prompt().isBlank()) {
            throw ApiException.invalid("prompt", "prompt is required: describe the image to generate");
        }
        return request.prompt();
    }

    static int numImages(ImageRequest request) {
        int n = request.n() == 0 ? 1 : request.n();
        if (n < 1 || n > MAX_IMAGES) {
            throw ApiException.invalid("n", "Ideogram generates 1 to " + MAX_IMAGES + " images per request, not " + n);
        }
        return n;
    }

    static String renderingSpeed(String quality) {
        if (quality == null || quality.isBlank()) {
            return null;
        }
        String q = quality.strip().toUpperCase(Locale.ROOT);
        return switch (q) {
            case "AUTO" -> null;
            case "LOW" -> "TURBO";
            case "STANDARD", "MEDIUM" -> "DEFAULT";
            case "HD", "HIGH" -> "QUALITY";
            default -> {
                if (SPEEDS.contains(q)) {
                    yield q;
                }
                throw ApiException.invalid("quality", "quality must be low, standard, medium, hd, high or auto"
                        + " (or Ideogram's FLASH, TURBO, DEFAULT, QUALITY), not '" + quality + "'");
            }
        };
    }

    static String styleType(String style, Set<String> nativeStyles) {
        if (style == null || style.isBlank()) {
            return null;
        }
        String s = style.strip().toUpperCase(Locale.ROOT);
        return switch (s) {
            case "VIVID" -> "AUTO";
            case "NATURAL" -> "REALISTIC";
            default -> {
                if (nativeStyles.contains(s)) {
                    yield s;
                }
                throw ApiException.invalid("style", "style must be vivid or natural (or one of Ideogram's "
                        + String.join(", ", nativeStyles.stream().sorted().toList()) + "), not '" + style + "'");
            }
        };
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }
}
