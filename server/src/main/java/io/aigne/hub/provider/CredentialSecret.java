package io.aigne.hub.provider;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The plaintext of a credential, held only in memory while the hub routes calls with it. Its {@code toString} is
 * masked so that it cannot reach a log line by accident.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CredentialSecret(String apiKey, String accessKeyId, String secretAccessKey, String sessionToken) {

    public static CredentialSecret apiKey(String key) {
        return new CredentialSecret(key, null, null, null);
    }

    public String masked() {
        if (apiKey != null) {
            return io.aigne.hub.secret.Masking.mask(apiKey);
        }
        return io.aigne.hub.secret.Masking.mask(accessKeyId) + " / " + io.aigne.hub.secret.Masking.mask(secretAccessKey);
    }

    @Override
    public String toString() {
        return "CredentialSecret[" + masked() + "]";
    }
}
