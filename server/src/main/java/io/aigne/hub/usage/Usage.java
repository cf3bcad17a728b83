package io.aigne.hub.usage;

/**
 * Token and unit counts of one call as the provider reported them. {@code inputTokens} counts every prompt token,
 * cached or not; {@code cachedTokens} (read from the provider's prompt cache) and {@code cacheWriteTokens} (written
 * to it) are parts of that count.
 */
public record Usage(long inputTokens, long outputTokens, long cachedTokens, long cacheWriteTokens,
                    long reasoningTokens, long totalTokens, int imageCount, int videoSeconds) {
    public static final Usage NONE = new Usage(0, 0, 0, 0, 0, 0, 0, 0);

    /** Usage of a call that made no video. */
    public Usage(long inputTokens, long outputTokens, long cachedTokens, long cacheWriteTokens, long reasoningTokens,
                 long totalTokens, int imageCount) {
        this(inputTokens, outputTokens, cachedTokens, cacheWriteTokens, reasoningTokens, totalTokens, imageCount, 0);
    }

    /** Usage without prompt-cache writes, as OpenAI-wire providers report it. */
    public Usage(long inputTokens, long outputTokens, long cachedTokens, long reasoningTokens, long totalTokens,
                 int imageCount) {
        this(inputTokens, outputTokens, cachedTokens, 0, reasoningTokens, totalTokens, imageCount, 0);
    }

    /** Token usage with the total computed. */
    public static Usage tokens(long input, long output, long cacheRead, long cacheWrite, long reasoning) {
        return new Usage(input, output, cacheRead, cacheWrite, reasoning, input + output, 0);
    }

    public Usage withImageCount(int images) {
        return new Usage(inputTokens, outputTokens, cachedTokens, cacheWriteTokens, reasoningTokens, totalTokens,
                images, videoSeconds);
    }

    /** The same usage with the seconds of video made, what video generation is billed by. */
    public Usage withVideoSeconds(int seconds) {
        return new Usage(inputTokens, outputTokens, cachedTokens, cacheWriteTokens, reasoningTokens, totalTokens,
                imageCount, seconds);
    }
}
