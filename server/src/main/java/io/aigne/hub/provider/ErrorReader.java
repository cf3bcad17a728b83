package io.aigne.hub.provider;

import io.aigne.hub.gateway.upstream.UpstreamResponse;

/** Turns a provider's error answer into its message and classification, with the credential's secrets removed. */
@FunctionalInterface
public interface ErrorReader {
    UpstreamError read(UpstreamResponse response, byte[] body, CredentialSecret secret);

    /** Errors shaped {"error":{"message","type","code"}} or {"message"}: OpenAI, Anthropic, Gemini, Ideogram. */
    ErrorReader JSON = (response, body, secret) -> UpstreamError.parse(body, response.status(), secret);
}
