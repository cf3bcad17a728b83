package io.aigne.hub.gateway.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.auth.Principal;
import io.aigne.hub.gateway.Attempts;
import io.aigne.hub.gateway.CallScope;
import io.aigne.hub.gateway.CallTrace;
import io.aigne.hub.gateway.ModelCatalog;
import io.aigne.hub.gateway.ProgressStream;
import io.aigne.hub.gateway.StreamWatchdog;
import io.aigne.hub.gateway.TranslatedCalls;
import io.aigne.hub.gateway.canonical.ChatRequest;
import io.aigne.hub.gateway.canonical.EmbeddingRequest;
import io.aigne.hub.gateway.canonical.EmbeddingResponse;
import io.aigne.hub.gateway.canonical.ImageRequest;
import io.aigne.hub.gateway.canonical.ImageResponse;
import io.aigne.hub.media.MediaPublisher;
import io.aigne.hub.gateway.upstream.UpstreamException;
import io.aigne.hub.gateway.upstream.UpstreamRequest;
import io.aigne.hub.gateway.upstream.UpstreamResponse;
import io.aigne.hub.provider.ProviderAdapter;
import io.aigne.hub.provider.ProviderAdapters;
import io.aigne.hub.provider.ProviderFailure;
import io.aigne.hub.provider.ProviderHttp;
import io.aigne.hub.provider.UpstreamError;
import io.aigne.hub.provider.WireFormat;
import io.aigne.hub.provider.openai.OpenAiUpstream;
import io.aigne.hub.routing.ModelRef;
import io.aigne.hub.routing.Outcome;
import io.aigne.hub.routing.Route;
import io.aigne.hub.routing.Router;
import io.aigne.hub.routing.RoutingException;
import io.aigne.hub.server.ApiException;
import io.aigne.hub.server.Authenticator;
import io.aigne.hub.server.Bodies;
import io.aigne.hub.server.Exchange;
import io.aigne.hub.server.Json;
import io.aigne.hub.usage.CallType;
import io.aigne.hub.usage.Usage;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * The OpenAI-compatible front door: {@code /v1/chat/completions}, {@code /v1/embeddings},
 * {@code /v1/images/generations} and {@code /v1/models}. Calls to OpenAI-wire providers pass through: the body is
 * forwarded with only its model id rewritten, the answer relayed as it came, and the usage read on the way.
 * A route that fails before the first byte has reached the caller is retried on the next one of the plan.
 */
public final class OpenAiGateway {
    private static final int MAX_ERROR_BYTES = 64 * 1024;

    public record Limits(long maxBodyBytes, long maxResponseBytes, Duration drainAfterDisconnect) {
    }

    private final Authenticator auth;
    private final Router router;
    private final Attempts attempts;
    private final TranslatedCalls translated;
    private final ProviderAdapters adapters;
    private final OpenAiUpstream upstream;
    private final CallScope calls;
    private final StreamWatchdog watchdog;
    private final ModelCatalog catalog;
    private final Limits limits;
    private final MediaPublisher media;

    public OpenAiGateway(Authenticator auth, Router router, ProviderAdapters adapters, TranslatedCalls translated,
                         OpenAiUpstream upstream, CallScope calls, StreamWatchdog watchdog, ModelCatalog catalog,
                         Limits limits, MediaPublisher media) {
        this.auth = auth;
        this.router = router;
        this.attempts = new Attempts(router, calls);
        this.translated = translated;
        this.adapters = adapters;
        this.upstream = upstream;
        this.calls = calls;
        this.watchdog = watchdog;
        this.catalog = catalog;
        this.limits = limits;
        this.media = media;
    }

    public void register(HttpRules rules) {
        rules.post("/v1/chat/completions", (req, res) ->
                        proxy(req, res, OpenAiPayload.Kind.CHAT, "/chat/completions", CallType.CHAT))
                .post("/v1/embeddings", (req, res) ->
                        proxy(req, res, OpenAiPayload.Kind.EMBEDDINGS, "/embeddings", CallType.EMBEDDING))
                .post("/v1/images/generations", (req, res) ->
                        proxy(req, res, OpenAiPayload.Kind.IMAGES, "/images/generations", CallType.IMAGE))
                .get("/v1/models", this::models)
                .get("/v1/models/*", this::model);
    }

    /** {@code GET /v1/models/{provider}/{model}}: the id itself contains '/', so the rest of the path is the id. */
    private void model(ServerRequest req, ServerResponse res) {
        auth.require(req);
        String id = req.path().path().substring("/v1/models/".length());
        Exchange.json(res, 200, catalog.openAiModel(id).orElseThrow(() -> ApiException.notFound("model_not_found",
                "the hub routes no model '" + id + "' (GET /v1/models lists them)")));
    }

    private void models(ServerRequest req, ServerResponse res) {
        auth.require(req);
        Exchange.json(res, 200, catalog.openAiList());
    }

    private void proxy(ServerRequest req, ServerResponse res, OpenAiPayload.Kind kind, String path, CallType type) {
        Principal principal = auth.require(req);
        CallTrace trace = new CallTrace(principal, Exchange.appDid(req, principal), Exchange.header(req, Exchange.REQUEST_ID),
                "/v1" + path, type);
        calls.run(trace, req, res, Exchange::error, () -> {
            byte[] bytes = Exchange.body(req, limits.maxBodyBytes());
            trace.requestBody(bytes);
            OpenAiPayload payload = OpenAiPayload.parse(bytes, kind);
            trace.requested(payload.model(), payload.stream());
            if (kind == OpenAiPayload.Kind.IMAGES) {
                // Only for the price tier: the provider judges these fields, the hub relays them as they are.
                var fields = Json.parseObject(bytes);
                trace.imageOptions(fields.path("size").asText(null), fields.path("quality").asText(null));
            }
            List<Route> plan;
            try {
                plan = router.plan(ModelRef.parse(payload.model(), router::isProviderName));
            } catch (RoutingException e) {
                String errorType = e.status() == 404 ? "invalid_request_error" : "server_error";
                throw new ApiException(e.status(), errorType, e.code(), e.status() == 404 ? "model" : null, e.getMessage());
            }
            Translation translation = new Translation(bytes, payload, kind);
            attempts.run(plan, trace, route -> {
                if (route.provider().type().wire() == WireFormat.OPENAI) {
                    passThrough(route, payload, path, type, trace, res);
                } else {
                    translate(route, translation, trace, req, res);
                }
            });
        });
    }

    /** Forwards the caller's bytes to an OpenAI-wire provider, with only the model id rewritten. */
    private void passThrough(Route route, OpenAiPayload payload, String path, CallType type, CallTrace trace,
                             ServerResponse res) throws ProviderFailure {
        UpstreamRequest request = upstream.post(route.provider(), route.secret(), path,
                payload.forUpstream(route.upstreamModel()), payload.stream());
        UpstreamResponse response;
        try {
            response = upstream.send(request);
        } catch (UpstreamException e) {
            throw ProviderFailure.unreachable(e);
        }
        if (response.status() / 100 != 2) {
            throw ProviderFailure.status(readError(route, response), response.header("retry-after").orElse(null));
        }
        if (payload.stream()) {
            relayStream(route, response, payload, trace, res);
        } else {
            relayJson(route, response, type, trace, res);
        }
    }

    /** Calls a provider of another wire format through its adapter, in the canonical model. */
    private void translate(Route route, Translation call, CallTrace trace, ServerRequest req, ServerResponse res)
            throws ProviderFailure {
        ProviderAdapter adapter = adapters.of(route.provider());
        switch (call.kind) {
            case CHAT -> {
                ChatRequest chat = call.chat();
                if (chat.stream()) {
                    translated.stream(route, adapter, chat, trace, res,
                            new OpenAiStreamEncoder(call.payload.callerWantsUsage(), chat.model()));
                } else {
                    translated.chat(route, adapter, chat, trace, res, r -> OpenAiChatCodec.toJson(r, chat.model()));
                }
            }
            case EMBEDDINGS -> {
                EmbeddingRequest request = call.embeddings();
                EmbeddingResponse response = adapter.embed(route, request);
                answered(route, trace, response.model(), response.usage());
                Exchange.json(res, 200, OpenAiEmbeddingsCodec.embeddingsToJson(response, request.model(),
                        OpenAiEmbeddingsCodec.encodingFormat(call.body())));
            }
            case IMAGES -> {
                ImageRequest request = call.images();
                ImageResponse response = adapter.generateImages(route, request);
                Usage usage = response.usage().imageCount() == 0
                        ? response.usage().withImageCount(response.images().size()) : response.usage();
                answered(route, trace, null, usage);
                // A caller of a URL-answering model reads data[].url; a provider that answers bytes gets them hosted.
                if (OpenAiImagesCodec.wantsUrl(request)) {
                    response = media.link(req, response);
                }
                Exchange.json(res, 200, OpenAiImagesCodec.imagesToJson(response));
            }
        }
    }

    private void answered(Route route, CallTrace trace, String model, Usage usage) {
        router.report(route, Outcome.SUCCESS);
        trace.firstByteAt(System.nanoTime());
        trace.usage(usage);
        trace.answered(model, null);
        trace.succeeded(200);
    }

    /** The caller's body, parsed into the canonical model once, on the first route that needs it. */
    private static final class Translation {
        final byte[] bytes;
        final OpenAiPayload payload;
        final OpenAiPayload.Kind kind;
        private ObjectNode body;
        private ChatRequest chat;
        private EmbeddingRequest embeddings;
        private ImageRequest images;

        Translation(byte[] bytes, OpenAiPayload payload, OpenAiPayload.Kind kind) {
            this.bytes = bytes;
            this.payload = payload;
            this.kind = kind;
        }

        ObjectNode body() {
            if (body == null) {
                body = Json.parseObject(bytes);
            }
            return body;
        }

        ChatRequest chat() {
            if (chat == null) {
                chat = OpenAiChatCodec.toCanonical(body());
            }
            return chat;
        }

        EmbeddingRequest embeddings() {
            if (embeddings == null) {
                embeddings = OpenAiEmbeddingsCodec.embeddingsToCanonical(body());
            }
            return embeddings;
        }

        ImageRequest images() {
            if (images == null) {
                images = OpenAiImagesCodec.imagesToCanonical(body());
            }
            return images;
        }
    }

    private void relayJson(Route route, UpstreamResponse response, CallType type, CallTrace trace, ServerResponse res)
            throws ProviderFailure {
        byte[] body;
        try (response) {
            body = Bodies.read(response.body(), ProviderHttp.declaredLength(response), limits.maxResponseBytes());
        } catch (Bodies.TooLarge e) {
            throw new ApiException(502, "server_error", "upstream_response_too_large", null, "provider '"
                    + route.provider().name() + "' answered with more than upstream.maxResponseBytes");
        } catch (IOException e) {
            throw ProviderFailure.broken("broke off its answer: " + e.getMessage(), false);
        }
        router.report(route, Outcome.SUCCESS);
        trace.firstByteAt(System.nanoTime());
        ResponseSummary summary = ResponseSummary.read(body, 0, body.length);
        var usage = summary.usage();
        if (type == CallType.IMAGE) {
            usage = (usage == null ? io.aigne.hub.usage.Usage.NONE : usage).withImageCount(summary.dataCount());
        }
        trace.usage(usage);
        trace.answered(summary.model(), response.header("x-request-id").orElse(null));
        trace.succeeded(response.status());
        res.status(Status.create(response.status()));
        res.header(HeaderNames.CONTENT_TYPE, response.header("content-type").orElse("application/json"));
        res.header(Exchange.CALL_ID, trace.id());
        res.send(body);
    }

    /** Relays a stream; a stream that breaks before its first byte is a failure of this route. */
    private void relayStream(Route route, UpstreamResponse response, OpenAiPayload payload, CallTrace trace,
                             ServerResponse res) throws ProviderFailure {
        StreamWatchdog.Watch watch = watchdog.watch(response.body());
        InputStream in = new ProgressStream(response.body(), watch);
        byte[] head = new byte[8192];
        int n;
        try {
            n = in.read(head);
        } catch (IOException e) {
            watch.close();
            response.close();
            throw ProviderFailure.broken("broke off the stream before sending anything: " + e.getMessage(),
                    watch.expired());
        }
        if (n < 0) {
            watch.close();
            response.close();
            throw ProviderFailure.broken("ended the stream without sending anything", false);
        }
        router.report(route, Outcome.SUCCESS);
        trace.answered(null, response.header("x-request-id").orElse(null));
        Exchange.startEventStream(res, response.header("content-type").orElse("text/event-stream; charset=utf-8"),
                trace.id());
        SseRelay relay = new SseRelay(payload.callerWantsUsage());
        OutputStream out = res.outputStream();
        SseRelay.Sink sink = new SseRelay.Sink() {
            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                out.write(bytes, offset, length);
            }

            @Override
            public void flush() throws IOException {
                out.flush();
            }
        };
        String broken = null;
        try {
            relay.relay(head, n, in, sink, limits.drainAfterDisconnect().toNanos());
        } catch (IOException e) {
            broken = watch.expired() ? "the provider sent nothing for upstream.streamIdleTimeoutMillis" : e.getMessage();
        } finally {
            watch.close();
            response.close();
        }
        if (broken == null && !relay.clientGone() && !relay.complete()) {
            broken = "the stream ended early, without a finish reason or its end marker";
        }
        trace.firstByteAt(relay.firstByteNanos());
        trace.answered(relay.model(), null);
        trace.usage(relay.usage());
        if (relay.clientGone()) {
            trace.cancelled("client disconnected" + (relay.usage() == null ? " before usage was reported" : ""));
        } else if (broken != null) {
            trace.failed(502, "stream from provider '" + route.provider().name() + "' broke off: " + broken);
            router.report(route, new Outcome.Failed("stream broke: " + broken));
            writeStreamError(out, "the provider's stream broke off: " + broken);
        } else {
            trace.succeeded(200);
        }
        closeQuietly(out);
    }

    /** The OpenAI SDKs raise an error when a stream carries an {@code error} object; tell them what happened. */
    private static void writeStreamError(OutputStream out, String message) {
        var root = io.aigne.hub.server.Json.object();
        var error = root.putObject("error");
        error.put("message", message);
        error.put("type", "server_error");
        error.put("code", "upstream_stream_interrupted");
        try {
            out.write(("data: " + root + "\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException | RuntimeException ignored) {
            // the client is gone as well
        }
    }

    private static void closeQuietly(OutputStream out) {
        try {
            out.close();
        } catch (IOException | RuntimeException ignored) {
            // the client is gone; the call is recorded all the same
        }
    }

    private UpstreamError readError(Route route, UpstreamResponse response) {
        try (response) {
            byte[] body = response.body().readNBytes(MAX_ERROR_BYTES);
            return UpstreamError.parse(body, response.status(), route.secret());
        } catch (IOException e) {
            return new UpstreamError(response.status(), "HTTP " + response.status(), null, null, null);
        }
    }

}
