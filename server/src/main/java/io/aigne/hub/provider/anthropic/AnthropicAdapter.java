package io.aigne.hub.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigne.hub.gateway.canonical.ChatRequest;
import io.aigne.hub.gateway.canonical.ChatResponse;
import io.aigne.hub.gateway.upstream.UpstreamRequest;
import io.aigne.hub.gateway.upstream.UpstreamResponse;
import io.aigne.hub.provider.ChatEventSource;
import io.aigne.hub.provider.ChatStream;
import io.aigne.hub.provider.CredentialSecret;
import io.aigne.hub.provider.ErrorReader;
import io.aigne.hub.provider.MediaFetcher;
import io.aigne.hub.provider.Provider;
import io.aigne.hub.provider.ProviderAdapter;
import io.aigne.hub.provider.ProviderFailure;
import io.aigne.hub.provider.ProviderHttp;
import io.aigne.hub.provider.WireFormat;
import io.aigne.hub.routing.Outcome;
import io.aigne.hub.routing.Route;
import io.aigne.hub.server.Json;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Anthropic's Messages API ({@code POST /v1/messages}, streamed or not) and its model list
 * ({@code GET /v1/models}). Authenticates with {@code x-api-key} and pins {@code anthropic-version: 2023-06-01},
 * the version every current feature is documented against. Errors come as
 * {@code {"type":"error","error":{"type","message"}}}, which {@link ErrorReader#JSON} reads; Anthropic's 529
 * "overloaded" stays a 5xx, for the gateway to report as 503.
 */
public final class AnthropicAdapter implements ProviderAdapter {
    public static final String API_VERSION = "2023-06-01";

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(15);
    /** Anthropic lists at most 1000 models a page; more pages than this means something is wrong. */
    private static final int MAX_MODEL_PAGES = 10;

    private final ProviderHttp http;
    private final AnthropicRequestMapper mapper;

    public AnthropicAdapter(ProviderHttp http, MediaFetcher media) {
        this.http = http;
        this.mapper = new AnthropicRequestMapper(media);
    }

    @Override
    public WireFormat wire() {
        return WireFormat.ANTHROPIC;
    }

    @Override
    public ChatResponse chat(Route route, ChatRequest request) throws ProviderFailure {
        StructuredOutput output = StructuredOutput.of(request);
        byte[] body = Json.bytes(mapper.body(request, route.upstreamModel(), false, output));
        byte[] answer = http.fetch(messages(route, body, false), route.secret(), ErrorReader.JSON);
        return parse(answer, output);
    }

    /** A Messages API answer in the canonical model (the Anthropic front door reads its pass-through usage so). */
    public static ChatResponse parseMessage(byte[] answer) throws ProviderFailure {
        return parse(answer, null);
    }

    /** Decodes a Messages API event stream (the pass-through's usage and end are read this way). */
    public static ChatEventSource decodeStream(InputStream body) {
        return new AnthropicStreamDecoder(body, null);
    }

    private static ChatResponse parse(byte[] answer, StructuredOutput output) throws ProviderFailure {
        JsonNode message;
        try {
            message = Json.MAPPER.readTree(answer);
        } catch (IOException e) {
            throw ProviderFailure.broken("Anthropic's answer is not JSON: " + e.getMessage(), false);
        }
        if (message == null || !message.path("content").isArray()) {
            throw ProviderFailure.broken("Anthropic's answer is not a message (it has no content array)", false);
        }
        return AnthropicResponseMapper.response(message, output);
    }

    @Override
    public ChatStream stream(Route route, ChatRequest request) throws ProviderFailure {
        StructuredOutput output = StructuredOutput.of(request);
        byte[] body = Json.bytes(mapper.body(request, route.upstreamModel(), true, output));
        UpstreamResponse response = http.open(messages(route, body, true), route.secret(), ErrorReader.JSON);
        return new ChatStream(response, in -> new AnthropicStreamDecoder(in, output));
    }

    /** Lists one model: a credential check that costs no tokens. */
    @Override
    public Outcome probe(Provider provider, CredentialSecret secret) {
        try {
            http.fetch(models(provider, secret, 1, null, PROBE_TIMEOUT), secret, ErrorReader.JSON);
            return Outcome.SUCCESS;
        } catch (ProviderFailure failure) {
            return switch (failure.status()) {
                case 401, 403 -> new Outcome.Rejected(failure.status(), failure.error().message());
                case 429 -> new Outcome.RateLimited(failure.error().message(), retryAfter(failure.retryAfter()));
                default -> new Outcome.Failed(failure.getMessage());
            };
        }
    }

    @Override
    public List<String> listModels(Provider provider, CredentialSecret secret, Duration timeout) throws IOException {
        List<String> ids = new ArrayList<>();
        String after = null;
        for (int page = 0; page < MAX_MODEL_PAGES; page++) {
            JsonNode list;
            try {
                list = Json.MAPPER.readTree(http.fetch(models(provider, secret, 1000, after, timeout), secret,
                        ErrorReader.JSON));
            } catch (ProviderFailure failure) {
                throw new IOException(provider.name() + " could not list its models: " + failure.getMessage(), failure);
            }
            for (JsonNode model : list.path("data")) {
                if (model.path("id").isTextual()) {
                    ids.add(model.path("id").asText());
                }
            }
            after = list.path("last_id").isTextual() ? list.path("last_id").asText() : null;
            if (!list.path("has_more").asBoolean(false) || after == null) {
                break;
            }
        }
        return ids;
    }

    private UpstreamRequest messages(Route route, byte[] body, boolean stream) {
        Map<String, String> headers = headers(route.secret());
        headers.put("content-type", "application/json");
        headers.put("accept", stream ? "text/event-stream" : "application/json");
        return new UpstreamRequest("POST", http.uri(baseUrl(route.provider()) + "/v1/messages"), headers, body,
                http.firstByteTimeout());
    }

    private UpstreamRequest models(Provider provider, CredentialSecret secret, int limit, String after,
                                   Duration timeout) {
        String address = baseUrl(provider) + "/v1/models?limit=" + limit
                + (after == null ? "" : "&after_id=" + URLEncoder.encode(after, StandardCharsets.UTF_8));
        Map<String, String> headers = headers(secret);
        headers.put("accept", "application/json");
        return new UpstreamRequest("GET", http.uri(address), headers, null, timeout);
    }

    private static Map<String, String> headers(CredentialSecret secret) {
        Map<String, String> headers = new HashMap<>();
        if (secret != null && secret.apiKey() != null && !secret.apiKey().isEmpty()) {
            headers.put("x-api-key", secret.apiKey());
        }
        headers.put("anthropic-version", API_VERSION);
        return headers;
    }

    /** The configured base URL without a trailing {@code /v1}, which operators sometimes include. */
    private static String baseUrl(Provider provider) {
        String base = provider.effectiveBaseUrl();
        return base.endsWith("/v1") ? base.substring(0, base.length() - 3) : base;
    }

    private static Duration retryAfter(String value) {
        if (value == null) {
            return null;
        }
        try {
            return Duration.ofSeconds(Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
