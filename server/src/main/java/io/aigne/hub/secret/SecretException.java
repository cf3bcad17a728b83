package io.aigne.hub.secret;

/** A secret could not be sealed or opened; the message never contains the secret. */
public final class SecretException extends RuntimeException {
    public SecretException(String message) {
        super(message);
    }

    public SecretException(String message, Throwable cause) {
        super(message, cause);
    }
}
