package io.aigne.hub.auth;

import io.aigne.hub.audit.Actor;

import java.util.Optional;

/** On a hub's first start, creates its owner and a first access key for them (audited as {@code bootstrap}). */
public final class OwnerBootstrap {
    public static final String OWNER_NAME = "owner";

    private OwnerBootstrap() {
    }

    /** The first key of a newly created owner, or empty when the hub already had users. */
    public static Optional<IssuedKey> ensureOwner(UserStore users, UserAdmin userAdmin, KeyAdmin keyAdmin) {
        if (users.count() > 0) {
            return Optional.empty();
        }
        User owner = userAdmin.create(new UserAdmin.NewUser(OWNER_NAME, "Owner", null, Role.OWNER, null), null,
                Actor.BOOTSTRAP);
        return Optional.of(keyAdmin.issue(owner.id(), "initial owner key", null, Actor.BOOTSTRAP));
    }
}
