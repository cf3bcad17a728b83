package io.aigne.hub.provider;

/** A provider credential as stored and shown: the secret only ever in masked form. */
public record Credential(String id, String providerId, String name, CredentialKind kind, String masked, int weight,
                         boolean enabled, int keyVersion, String lastError, Long lastErrorAt, long createdAt,
                         long updatedAt) {
}
