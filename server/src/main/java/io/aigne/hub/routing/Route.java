package io.aigne.hub.routing;

import io.aigne.hub.provider.Credential;
import io.aigne.hub.provider.CredentialSecret;
import io.aigne.hub.provider.Provider;

/** One way to serve a call: a provider, the credential to use (null for keyless local servers) and its model id. */
public record Route(Provider provider, Credential credential, CredentialSecret secret, String upstreamModel) {
    public String credentialId() {
        return credential == null ? null : credential.id();
    }

    @Override
    public String toString() {
        return "Route[" + provider.name() + "/" + upstreamModel + " via " + (credential == null ? "no key" : credential.name()) + "]";
    }
}
