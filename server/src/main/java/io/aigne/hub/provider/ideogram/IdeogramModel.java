package io.aigne.hub.provider.ideogram;

import io.aigne.hub.server.ApiException;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * An Ideogram model id and the API that serves it. Ideogram 3.0 has its own endpoint
 * ({@code POST /v1/ideogram-v3/generate}, multipart) and takes no model field; the earlier models share the
 * legacy {@code POST /generate} (JSON) and are named there by the {@code model} enum of the API reference.
 */
record IdeogramModel(String id, boolean v3) {
    static final String V3 = "ideogram-v3";

    /** The legacy {@code model} values of the API reference (V_3 and AUTO are served by the v3 endpoint here). */
    private static final List<String> LEGACY = List.of("V_2A", "V_2A_TURBO", "V_2", "V_2_TURBO", "V_1", "V_1_TURBO");

    /** Legacy models that take a negative prompt, per the reference's {@code negative_prompt} description. */
    private static final Set<String> NEGATIVE_PROMPT = Set.of("V_1", "V_1_TURBO", "V_2", "V_2_TURBO");

    /** The ids this adapter serves, newest first, for {@code /v1/models}. */
    static List<String> supported() {
        return Stream.concat(Stream.of(V3), LEGACY.stream()).toList();
    }

    /**
     * The model for a route's upstream id: {@code ideogram-v3}, or an id starting with {@code v3} / {@code v_3}
     * ({@code V_3}, {@code v3-turbo}), means Ideogram 3.0; a legacy enum value (any case) means the legacy API.
     */
    static IdeogramModel resolve(String upstreamModel) {
        String lower = upstreamModel == null ? "" : upstreamModel.strip().toLowerCase(Locale.ROOT);
        if (lower.startsWith(V3) || lower.startsWith("v3") || lower.startsWith("v_3")) {
            return new IdeogramModel(upstreamModel.strip(), true);
        }
        String upper = lower.toUpperCase(Locale.ROOT);
        if (LEGACY.contains(upper)) {
            return new IdeogramModel(upper, false);
        }
        throw ApiException.invalid("model", "Ideogram has no model '" + upstreamModel + "'; use one of "
                + String.join(", ", supported()));
    }

    /** V_1 models take no style_type: the reference says it must not be given for them. */
    boolean takesStyle() {
        return v3 || !id.startsWith("V_1");
    }

    boolean takesNegativePrompt() {
        return v3 || NEGATIVE_PROMPT.contains(id);
    }
}
