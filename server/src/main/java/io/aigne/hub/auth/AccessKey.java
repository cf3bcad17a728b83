package io.aigne.hub.auth;

/** An access key as the hub shows it: never the secret, only a hint of its first characters. */
public record AccessKey(String id, String userId, String hint, String name, String app, long createdAt,
                        Long lastUsedAt, Long revokedAt) {
    public boolean revoked() {
        return revokedAt != null;
    }
}
