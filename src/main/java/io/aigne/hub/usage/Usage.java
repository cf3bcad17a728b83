package io.aigne.hub.usage;

/** Token and unit counts of one call as the provider reported them. */
public record Usage(long inputTokens, long outputTokens, long cachedTokens, long reasoningTokens, long totalTokens,
                    int imageCount) {
    public static final Usage NONE = new Usage(0, 0, 0, 0, 0, 0);

    public Usage withImageCount(int images) {
        return new Usage(inputTokens, outputTokens, cachedTokens, reasoningTokens, totalTokens, images);
    }
}
