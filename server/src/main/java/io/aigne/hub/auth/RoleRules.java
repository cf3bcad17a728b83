package io.aigne.hub.auth;

import io.aigne.hub.server.ApiException;

/**
 * Who may do what to whom among users. Owners may do anything except to themselves; admins manage members and
 * guests only: they can neither make nor unmake an owner or admin, nor touch one (which includes their keys and
 * passwords, the means to act as them). Nobody changes their own role or disables themselves, and the hub always
 * keeps an active owner. {@code by} is null for the operator at the command line, who is not bound by these rules.
 */
public final class RoleRules {
    private RoleRules() {
    }

    static void checkCreate(Principal by, Role role) {
        if (by != null && isPrivileged(role) && by.role() != Role.OWNER) {
            throw ApiException.forbidden("only an owner may make owners or admins; you may create members and guests");
        }
    }

    static void checkChange(Principal by, User target, UserAdmin.UserChange change) {
        if (by == null) {
            return;
        }
        boolean roleChanges = change.role() != null && change.role() != target.role();
        if (target.id().equals(by.userId())) {
            if (roleChanges) {
                throw ApiException.forbidden("you cannot change your own role; another owner can");
            }
            if (Boolean.TRUE.equals(change.disabled())) {
                throw ApiException.forbidden("you cannot disable yourself");
            }
            return;
        }
        if (isPrivileged(target.role()) && by.role() != Role.OWNER) {
            throw ApiException.forbidden("only an owner may change an owner or admin; '" + target.name() + "' is "
                    + target.role().wireName());
        }
        if (roleChanges && isPrivileged(change.role()) && by.role() != Role.OWNER) {
            throw ApiException.forbidden("only an owner may make owners or admins");
        }
    }

    /** The hub keeps at least one owner who is not disabled; checked with the owners' rows locked. */
    static void checkKeepsAnOwner(User before, User after, long activeOwners) {
        boolean wasActiveOwner = before.role() == Role.OWNER && !before.disabled();
        boolean isActiveOwner = after.role() == Role.OWNER && !after.disabled();
        if (wasActiveOwner && !isActiveOwner && activeOwners <= 1) {
            throw new ApiException(409, "conflict", "last_owner", before.role() != after.role() ? "role" : "disabled",
                    "'" + before.name() + "' is the hub's last active owner: make another user owner first");
        }
    }

    /** Creating or revoking another user's access keys is acting as them: the same rule as changing them. */
    public static void checkManageKeys(Principal by, User keyOwner) {
        if (!keyOwner.id().equals(by.userId()) && isPrivileged(keyOwner.role()) && by.role() != Role.OWNER) {
            throw ApiException.forbidden("only an owner may manage the access keys of an owner or admin; '"
                    + keyOwner.name() + "' is " + keyOwner.role().wireName());
        }
    }

    private static boolean isPrivileged(Role role) {
        return role == Role.OWNER || role == Role.ADMIN;
    }
}
