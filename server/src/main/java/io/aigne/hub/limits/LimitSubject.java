package io.aigne.hub.limits;

import io.aigne.hub.auth.Principal;

/**
 * Who and what one call is, as limits see it: the user, the access key, the calling app (the client DID header,
 * else the key's app) and the model id as the caller wrote it. A null part is not limited in its scope.
 */
public record LimitSubject(String userId, String userName, String keyId, String keyName, String appDid,
                           String model) {

    public static LimitSubject of(Principal principal, String appDid, String model) {
        if (principal == null) {
            return new LimitSubject(null, null, null, null, blankToNull(appDid), blankToNull(model));
        }
        return new LimitSubject(principal.userId(), principal.userName(), principal.accessKeyId(),
                principal.keyName(), blankToNull(appDid), blankToNull(model));
    }

    /** The id this call has in {@code scope}, or null. */
    public String id(LimitScope scope) {
        return switch (scope) {
            case USER -> userId;
            case KEY -> keyId;
            case APP -> appDid;
            case MODEL -> model;
        };
    }

    /** How a message names this call's subject in {@code scope}: "access key 'ci-bot'", "user 'alice'". */
    public String label(LimitScope scope) {
        String name = switch (scope) {
            case USER -> userName != null ? userName : userId;
            case KEY -> keyName != null && !keyName.isBlank() ? keyName : keyId;
            case APP -> appDid;
            case MODEL -> model;
        };
        return scope.label() + " '" + name + "'";
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
