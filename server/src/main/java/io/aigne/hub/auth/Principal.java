package io.aigne.hub.auth;

/** Who is calling: the user behind an access key, and the key itself. */
public record Principal(String userId, String userName, Role role, String accessKeyId, String keyApp) {
}
