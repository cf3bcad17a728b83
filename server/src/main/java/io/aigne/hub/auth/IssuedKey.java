package io.aigne.hub.auth;

/** A freshly created access key: the only moment its secret exists outside the caller's hands. */
public record IssuedKey(AccessKey key, String secret) {
    @Override
    public String toString() {
        return "IssuedKey[" + key.id() + "]";
    }
}
