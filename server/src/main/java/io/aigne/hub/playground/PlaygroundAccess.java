package io.aigne.hub.playground;

import io.aigne.hub.auth.Principal;
import io.aigne.hub.auth.Role;

/**
 * Who may use the playground: everyone signed in, except users with the guest role while the hub setting
 * "guests may use the playground" is off (the default).
 */
public final class PlaygroundAccess {
    static final String GUEST_ACCESS = "playground.guestAccess";

    private final HubSettings settings;

    public PlaygroundAccess(HubSettings settings) {
        this.settings = settings;
    }

    public boolean guestAccess() {
        return settings.get(GUEST_ACCESS).map(Boolean::parseBoolean).orElse(false);
    }

    public void setGuestAccess(boolean allowed) {
        settings.put(GUEST_ACCESS, Boolean.toString(allowed));
    }

    public boolean allows(Principal caller) {
        return caller.role() != Role.GUEST || guestAccess();
    }

    /** What the pages and the 403 say to a guest while the playground is closed to guests. */
    public static final String CLOSED_TO_GUESTS = "the playground is not open to guests on this hub: an admin can "
            + "allow it in the console's settings (guests may use the playground), or give you the member role";
}
