package io.aigne.hub.auth;

import io.aigne.hub.iprules.IpRules;

/**
 * An access key as the hub shows it: never the secret, only a hint of its first characters. {@code ipRules} are
 * the key's own allow/deny networks, checked after the hub-wide ones.
 */
public record AccessKey(String id, String userId, String hint, String name, String app, long createdAt,
                        Long lastUsedAt, Long revokedAt, IpRules ipRules) {
    public AccessKey {
        ipRules = ipRules == null ? IpRules.NONE : ipRules;
    }

    public boolean revoked() {
        return revokedAt != null;
    }
}
