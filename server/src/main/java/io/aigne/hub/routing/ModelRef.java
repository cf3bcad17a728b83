package io.aigne.hub.routing;

import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A model id as a caller wrote it. {@code provider/model} splits at the first '/', but only when the first part
 * names a provider the hub knows; the rest is the provider's own id and may contain '/' itself
 * ({@code openrouter/anthropic/claude-3.5-sonnet}). Anything else is a bare model for the router to place.
 */
public record ModelRef(String asWritten, Optional<String> provider, String model) {

    public static ModelRef parse(String id, Predicate<String> isProviderName) {
        int slash = id.indexOf('/');
        if (slash > 0 && slash < id.length() - 1) {
            String prefix = id.substring(0, slash).toLowerCase(Locale.ROOT);
            if (isProviderName.test(prefix)) {
                return new ModelRef(id, Optional.of(prefix), id.substring(slash + 1));
            }
        }
        return new ModelRef(id, Optional.empty(), id);
    }
}
