package io.aigne.hub.routing;

import io.aigne.hub.provider.CredentialSecret;
import io.aigne.hub.provider.Provider;

/** A cheap live check of a credential against its provider (e.g. listing models); throws nothing. */
@FunctionalInterface
public interface CredentialProbe {
    Outcome probe(Provider provider, CredentialSecret secret);
}
