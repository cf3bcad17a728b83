package io.aigne.hub.gateway.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.auth.Principal;
import io.aigne.hub.gateway.Attempts;
import io.aigne.hub.gateway.CallScope;
import io.aigne.hub.gateway.CallTrace;
import io.aigne.hub.gateway.ChatStreamEncoder;
import io.aigne.hub.gateway.CopyingInputStream;
import io.aigne.hub.gateway.TranslatedCalls;
import io.aigne.hub.gateway.canonical.ChatEvent;
import io.aigne.hub.gateway.canonical.ChatRequest;
import io.aigne.hub.gateway.canonical.ChatResponse;
import io.aigne.hub.gateway.sse.SseWriter;
import io.aigne.hub.gateway.upstream.UpstreamRequest;
import io.aigne.hub.gateway.upstream.UpstreamResponse;
import io.aigne.hub.provider.ChatStream;
import io.aigne.hub.provider.ErrorReader;
import io.aigne.hub.provider.ProviderAdapters;
import io.aigne.hub.provider.ProviderFailure;
import io.aigne.hub.provider.ProviderHttp;
import io.aigne.hub.provider.WireFormat;
import io.aigne.hub.provider.anthropic.AnthropicAdapter;
import io.aigne.hub.routing.ModelRef;
import io.aigne.hub.routing.Outcome;
import io.aigne.hub.routing.Route;
import io.aigne.hub.routing.Router;
import io.aigne.hub.routing.RoutingException;
import io.aigne.hub.server.ApiException;
import io.aigne.hub.server.Authenticator;
import io.aigne.hub.server.Exchange;
import io.aigne.hub.server.Json;
import io.aigne.hub.usage.CallType;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Anthropic-compatible front door: {@code POST /v1/messages}, streamed or not, to any provider. Anthropic
 * providers get the caller's body with only the model id rewritten, and their bytes come back unchanged (decoded
 * on the way for usage); every other provider is reached through the canonical model. Errors take Anthropic's
 * shape, which the Anthropic SDKs turn into their typed exceptions.
 */
public final class AnthropicGateway {
    private static final HeaderName VERSION = HeaderNames.create("anthropic-version");
    private static final HeaderName BETA = HeaderNames.create("anthropic-beta");
    private static final String DEFAULT_VERSION = "2023-06-01";

    private final Authenticator auth;
    private final Router router;
    private final Attempts attempts;
    private final TranslatedCalls translated;
    private final ProviderAdapters adapters;
    private final ProviderHttp http;
    private final CallScope calls;
    private final long maxBodyBytes;

    public AnthropicGateway(Authenticator auth, Router router, ProviderAdapters adapters, ProviderHttp http,
                            TranslatedCalls translated, CallScope calls, long maxBodyBytes) {
        this.auth = auth;
        this.router = router;
        this.attempts = new Attempts(router, calls);
        this.translated = translated;
        this.adapters = adapters;
        this.http = http;
        this.calls = calls;
        this.maxBodyBytes = maxBodyBytes;
    }

    public void register(HttpRules rules) {
        rules.post("/v1/messages", this::messages)
                .post("/v1/messages/count_tokens", this::countTokens);
    }

    private void messages(ServerRequest req, ServerResponse res) {
        Principal principal;
        try {
            principal = auth.require(req);
        } catch (ApiException e) {
            AnthropicErrors.send(res, e);
            return;
        }
        CallTrace trace = new CallTrace(principal, Exchange.appDid(req, principal),
                Exchange.header(req, Exchange.REQUEST_ID), "/v1/messages", CallType.CHAT);
        calls.run(trace, req, res, AnthropicErrors::send, () -> {
            byte[] bytes = Exchange.body(req, maxBodyBytes);
            trace.requestBody(bytes);
            ObjectNode body = Json.parseObject(bytes);
            String model = AnthropicMessagesCodec.model(body);
            JsonNode streamFlag = body.path("stream");
            if (!streamFlag.isMissingNode() && !streamFlag.isNull() && !streamFlag.isBoolean()) {
                throw ApiException.invalid("stream", "stream: must be true or false");
            }
            boolean stream = streamFlag.asBoolean(false);
            trace.requested(model, stream);
            List<Route> plan;
            try {
                plan = router.plan(ModelRef.parse(model, router::isProviderName));
            } catch (RoutingException e) {
                throw new ApiException(e.status(), e.status() == 404 ? "not_found_error" : "api_error", e.code(),
                        e.status() == 404 ? "model" : null, e.getMessage());
            }
            Canonical canonical = new Canonical(body);
            attempts.run(plan, trace, route -> {
                if (route.provider().type().wire() == WireFormat.ANTHROPIC) {
                    passThrough(route, body, stream, req, trace, res);
                } else {
                    translate(route, canonical.get(), trace, res);
                }
            });
        });
    }

    private void translate(Route route, ChatRequest request, CallTrace trace, ServerResponse res)
            throws ProviderFailure {
        var adapter = adapters.of(route.provider());
        if (request.stream()) {
            translated.stream(route, adapter, request, trace, res, new AnthropicStreamEncoder(request.model()));
        } else {
            translated.chat(route, adapter, request, trace, res,
                    r -> Json.bytes(AnthropicMessagesCodec.toJson(r, request.model())));
        }
    }

    /** The caller's own body to an Anthropic provider, with the model id rewritten; the answer relayed as it came. */
    private void passThrough(Route route, ObjectNode body, boolean stream, ServerRequest req, CallTrace trace,
                             ServerResponse res) throws ProviderFailure {
        UpstreamRequest request = nativeRequest(route, "/v1/messages", body, stream, req);
        if (!stream) {
            byte[] answer = http.fetch(request, route.secret(), ErrorReader.JSON);
            ChatResponse parsed = AnthropicAdapter.parseMessage(answer);
            router.report(route, Outcome.SUCCESS);
            trace.firstByteAt(System.nanoTime());
            trace.usage(parsed.usage());
            trace.answered(parsed.model(), parsed.id());
            trace.succeeded(200);
            res.header(Exchange.CALL_ID, trace.id());
            Exchange.json(res, 200, answer);
            return;
        }
        UpstreamResponse response = http.open(request, route.secret(), ErrorReader.JSON);
        translated.pump(route, new ChatStream(response, AnthropicAdapter::decodeStream), trace, res,
                new CopyingRelay());
    }

    /** The caller's body for an Anthropic provider: the model id rewritten, the caller's version and betas kept. */
    private UpstreamRequest nativeRequest(Route route, String path, ObjectNode body, boolean stream, ServerRequest req) {
        ObjectNode upstreamBody = body.deepCopy();
        upstreamBody.put("model", route.upstreamModel());
        Map<String, String> headers = new HashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("Accept", stream ? "text/event-stream" : "application/json");
        headers.put("anthropic-version", req.headers().first(VERSION).orElse(DEFAULT_VERSION));
        req.headers().first(BETA).ifPresent(beta -> headers.put("anthropic-beta", beta));
        if (route.secret() != null && route.secret().apiKey() != null) {
            headers.put("x-api-key", route.secret().apiKey());
        }
        String base = route.provider().effectiveBaseUrl();
        if (base.endsWith("/v1")) {
            base = base.substring(0, base.length() - 3);
        }
        return new UpstreamRequest("POST", http.uri(base + path), headers, Json.bytes(upstreamBody),
                http.firstByteTimeout());
    }

    /**
     * {@code POST /v1/messages/count_tokens}: free, so not a billed call and not in the ledger. Only Anthropic's
     * own API counts tokens exactly the way its models will, so only Anthropic providers answer; for any other
     * model the caller hears that plainly rather than getting an estimate dressed up as a count.
     */
    private void countTokens(ServerRequest req, ServerResponse res) {
        try {
            Principal principal = auth.require(req);
            ObjectNode body = Json.parseObject(Exchange.body(req, maxBodyBytes));
            String model = AnthropicMessagesCodec.model(body);
            List<Route> plan;
            try {
                plan = router.plan(ModelRef.parse(model, router::isProviderName)).stream()
                        .filter(r -> r.provider().type().wire() == WireFormat.ANTHROPIC).toList();
            } catch (RoutingException e) {
                throw new ApiException(e.status(), "not_found_error", e.code(), "model", e.getMessage());
            }
            if (plan.isEmpty()) {
                throw new ApiException(400, "invalid_request_error", "unsupported_capability", "model",
                        "token counting is only available for models of Anthropic providers; '" + model
                                + "' is not served by one");
            }
            CallTrace trace = new CallTrace(principal, null, null, "/v1/messages/count_tokens", CallType.CHAT);
            attempts.run(plan, trace, route -> {
                byte[] answer = http.fetch(nativeRequest(route, "/v1/messages/count_tokens", body, false, req),
                        route.secret(), ErrorReader.JSON);
                router.report(route, Outcome.SUCCESS);
                Exchange.json(res, 200, answer);
            });
        } catch (ApiException e) {
            if (!res.isSent()) {
                AnthropicErrors.send(res, e);
            }
        }
    }

    /** Forwards the provider's bytes as they are read; only a failure the provider did not report is written. */
    private static final class CopyingRelay implements TranslatedCalls.StreamRelay {
        private CopyingInputStream copy;

        @Override
        public InputStream tap(InputStream body) {
            copy = new CopyingInputStream(body);
            return copy;
        }

        @Override
        public ChatStreamEncoder start(OutputStream out) {
            copy.attach(out);
            return new ChatStreamEncoder() {
                @Override
                public void write(ChatEvent event, SseWriter sse) {
                    // the bytes went out as they were read
                }

                @Override
                public void end(SseWriter sse) {
                }

                @Override
                public void fail(int status, String type, String message, SseWriter sse) throws java.io.IOException {
                    sse.event("error", AnthropicErrors.body(status, message));
                }
            };
        }

        @Override
        public String contentType() {
            return "text/event-stream; charset=utf-8";
        }
    }

    /** The body in the canonical model, mapped once, on the first route that needs it. */
    private static final class Canonical {
        private final ObjectNode body;
        private ChatRequest request;

        Canonical(ObjectNode body) {
            this.body = body;
        }

        ChatRequest get() {
            if (request == null) {
                request = AnthropicMessagesCodec.toCanonical(body);
            }
            return request;
        }
    }
}
