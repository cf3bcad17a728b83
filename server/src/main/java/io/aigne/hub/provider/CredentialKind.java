package io.aigne.hub.provider;

import java.util.Locale;

public enum CredentialKind {
    API_KEY, ACCESS_KEY_PAIR;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static CredentialKind parse(String text) {
        for (CredentialKind kind : values()) {
            if (kind.wireName().equals(text)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("credentialType must be api_key or access_key_pair");
    }
}
