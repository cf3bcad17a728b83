package io.aigne.hub.auth;

import io.aigne.hub.iprules.IpRules;

/** A presented key that is known, unrevoked and whose user is enabled, with the key's own IP rules. */
public record VerifiedKey(Principal principal, IpRules ipRules) {
}
