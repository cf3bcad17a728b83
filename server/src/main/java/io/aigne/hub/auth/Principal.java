package io.aigne.hub.auth;

/** Who is calling: the user behind an access key, and the key itself (its name, when it has one, for messages). */
public record Principal(String userId, String userName, Role role, String accessKeyId, String keyApp,
                        String keyName) {

    /** A principal whose key has no name. */
    public Principal(String userId, String userName, Role role, String accessKeyId, String keyApp) {
        this(userId, userName, role, accessKeyId, keyApp, null);
    }
}
