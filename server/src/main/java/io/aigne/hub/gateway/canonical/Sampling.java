package io.aigne.hub.gateway.canonical;

import java.util.List;

/** Generation parameters; null means "not set, use the provider's default". */
public record Sampling(Integer maxTokens, Double temperature, Double topP, Integer topK, List<String> stop,
                       Long seed, Double presencePenalty, Double frequencyPenalty) {
    public static final Sampling DEFAULT = new Sampling(null, null, null, null, List.of(), null, null, null);

    public Sampling {
        stop = stop == null ? List.of() : List.copyOf(stop);
    }
}
