package io.aigne.hub.gateway.canonical;

import io.aigne.hub.usage.Usage;

import java.util.List;

/** Generated images; each has a {@code url} or {@code base64} data (or both), and usage counts the images. */
public record ImageResponse(long created, List<GeneratedImage> images, Usage usage) {
    public ImageResponse {
        images = List.copyOf(images);
        usage = usage == null ? Usage.NONE : usage;
    }

    public record GeneratedImage(String url, String base64, String mediaType, String revisedPrompt) {
    }
}
