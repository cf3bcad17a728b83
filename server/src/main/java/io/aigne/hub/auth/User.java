package io.aigne.hub.auth;

public record User(String id, String name, String displayName, String email, Role role, boolean disabled,
                   long createdAt) {
}
