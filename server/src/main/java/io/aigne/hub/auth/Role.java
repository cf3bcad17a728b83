package io.aigne.hub.auth;

import java.util.Locale;

public enum Role {
    OWNER, ADMIN, MEMBER, GUEST;

    public boolean canAdminister() {
        return this == OWNER || this == ADMIN;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("role must be one of owner, admin, member, guest");
        }
    }
}
