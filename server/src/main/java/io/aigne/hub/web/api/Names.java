package io.aigne.hub.web.api;

import io.aigne.hub.analytics.Dimension;
import io.aigne.hub.auth.User;
import io.aigne.hub.auth.UserStore;
import io.aigne.hub.provider.Provider;
import io.aigne.hub.routing.Router;

import java.util.Optional;

/** Human names for the ids usage is keyed by: users' display names, providers' display names. */
public final class Names {
    private final UserStore users;
    private final Router router;

    public Names(UserStore users, Router router) {
        this.users = users;
        this.router = router;
    }

    /** The name to show for a dimension value, or null when it has none beyond the value itself. */
    String of(Dimension dimension, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        return switch (dimension) {
            case USER -> user(value).map(Names::displayName).orElse(null);
            case PROVIDER -> provider(value).map(p -> p.displayName() == null ? p.name() : p.displayName())
                    .orElse(null);
            default -> null;
        };
    }

    Optional<User> user(String id) {
        return id == null ? Optional.empty() : users.byId(id);
    }

    static String displayName(User u) {
        return u.displayName() == null || u.displayName().isBlank() ? u.name() : u.displayName();
    }

    /** Calls record a provider's name; this finds the provider by its name or its id. */
    Optional<Provider> provider(String nameOrId) {
        return router.providers().stream().filter(p -> p.name().equals(nameOrId) || p.id().equals(nameOrId))
                .findFirst();
    }
}
