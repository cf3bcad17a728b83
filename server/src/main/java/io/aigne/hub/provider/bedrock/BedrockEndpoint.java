package io.aigne.hub.provider.bedrock;

import io.aigne.hub.gateway.upstream.UpstreamRequest;
import io.aigne.hub.provider.CredentialSecret;
import io.aigne.hub.provider.Provider;
import io.aigne.hub.provider.ProviderFailure;
import io.aigne.hub.provider.ProviderHttp;
import io.aigne.hub.provider.UpstreamError;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where and how a Bedrock Runtime call goes: the region (the provider's, or the one in a
 * {@code bedrock-runtime.<region>.amazonaws.com} base URL), the endpoint, the model's path, and the SigV4
 * signature over it all.
 */
final class BedrockEndpoint {
    private static final Pattern REGION_IN_HOST = Pattern.compile("bedrock-runtime(?:-fips)?\\.([a-z0-9-]+)\\.amazonaws\\.com");

    private final ProviderHttp http;
    private final SigV4Signer signer;
    private final Clock clock;

    BedrockEndpoint(ProviderHttp http, SigV4Signer signer, Clock clock) {
        this.http = http;
        this.signer = signer;
        this.clock = clock;
    }

    /** The signing region; Bedrock cannot be called without one. */
    static String region(Provider provider) throws ProviderFailure {
        if (provider.region() != null && !provider.region().isBlank()) {
            return provider.region().strip();
        }
        if (provider.baseUrl() != null) {
            Matcher matcher = REGION_IN_HOST.matcher(provider.baseUrl());
            if (matcher.find()) {
                return matcher.group(1);
            }
        }
        throw configuration(provider, "has no region; set the provider's region (e.g. us-east-1), which SigV4 signs"
                + " and which picks the endpoint bedrock-runtime.<region>.amazonaws.com");
    }

    /** The configured base URL, else the region's public endpoint. */
    static String baseUrl(Provider provider, String region) {
        if (provider.baseUrl() != null && !provider.baseUrl().isBlank()) {
            return provider.effectiveBaseUrl();
        }
        return "https://bedrock-runtime." + region + ".amazonaws.com";
    }

    /** {@code /model/{modelId}/{operation}} with the model id percent-encoded (':' as %3A, '/' of ARNs as %2F). */
    static String modelPath(String modelId, String operation) {
        return "/model/" + SigV4Signer.uriEncode(modelId) + "/" + operation;
    }

    /** The credential's key pair; an API-key credential cannot sign AWS requests. */
    static SigV4Signer.Credentials credentials(Provider provider, CredentialSecret secret) throws ProviderFailure {
        if (secret == null || blank(secret.accessKeyId()) || blank(secret.secretAccessKey())) {
            throw ProviderFailure.status(new UpstreamError(401, "the credential of provider '" + provider.name()
                    + "' has no AWS access key pair; Bedrock needs accessKeyId and secretAccessKey (and sessionToken"
                    + " for temporary credentials)", "authentication_error", null, "missing_access_key_pair"), null);
        }
        return new SigV4Signer.Credentials(secret.accessKeyId().strip(), secret.secretAccessKey().strip(),
                blank(secret.sessionToken()) ? null : secret.sessionToken().strip());
    }

    /** A signed {@code POST} of a JSON body to {@code path} of the provider's endpoint. */
    UpstreamRequest post(Provider provider, CredentialSecret secret, String path, byte[] body, String accept,
                         Duration timeout) throws ProviderFailure {
        String region = region(provider);
        SigV4Signer.Credentials credentials = credentials(provider, secret);
        URI uri = http.uri(baseUrl(provider, region) + path);
        Map<String, String> signedHeaders = Map.of("Content-Type", "application/json");
        SigV4Signer.Request request = new SigV4Signer.Request("POST", hostHeader(uri), uri.getRawPath(),
                uri.getRawQuery(), signedHeaders, body);
        Map<String, String> headers = new LinkedHashMap<>(signedHeaders);
        headers.putAll(signer.sign(request, credentials, region, clock.instant()));
        headers.put("Accept", accept);
        return new UpstreamRequest("POST", uri, headers, body, timeout);
    }

    /** The Host header exactly as the HTTP client writes it: the port only when it is not the scheme's default. */
    static String hostHeader(URI uri) {
        boolean secure = "https".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort();
        return port < 0 || port == (secure ? 443 : 80) ? uri.getHost() : uri.getHost() + ":" + port;
    }

    private static ProviderFailure configuration(Provider provider, String problem) {
        return ProviderFailure.status(new UpstreamError(500, "provider '" + provider.name() + "' (bedrock) " + problem,
                "api_error", null, "provider_misconfigured"), null);
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
