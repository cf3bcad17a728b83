package io.aigne.hub.gateway.canonical;

import io.aigne.hub.usage.Usage;

import java.util.List;

/**
 * Generated videos, each as {@code base64} bytes (what the hub downloads from the provider, which serves them only
 * to its own key holders) with their media type; {@code seconds} is the length of all clips together, what video
 * is billed by, and {@code usage} carries the same number as {@link Usage#videoSeconds()}.
 */
public record VideoResponse(List<GeneratedVideo> videos, int seconds, Usage usage) {
    public VideoResponse {
        videos = List.copyOf(videos);
        usage = usage == null ? Usage.NONE.withVideoSeconds(seconds) : usage;
    }

    public record GeneratedVideo(String url, String base64, String mediaType) {
    }
}
