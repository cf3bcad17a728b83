package io.aigne.hub.config;

/** A configuration mistake, reported to the operator as one sentence that names the setting. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
