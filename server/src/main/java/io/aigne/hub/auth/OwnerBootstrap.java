package io.aigne.hub.auth;

import java.util.Optional;

/** On a hub's first start, creates its owner and a first access key for them. */
public final class OwnerBootstrap {
    public static final String OWNER_NAME = "owner";

    private OwnerBootstrap() {
    }

    /** The first key of a newly created owner, or empty when the hub already had users. */
    public static Optional<IssuedKey> ensureOwner(UserStore users, AccessKeys keys) {
        if (users.count() > 0) {
            return Optional.empty();
        }
        User owner = users.create(OWNER_NAME, "Owner", null, Role.OWNER);
        return Optional.of(keys.issue(owner.id(), "initial owner key", null));
    }
}
