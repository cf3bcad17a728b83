package io.aigne.hub.gateway.openai;

import io.aigne.hub.auth.Principal;
import io.aigne.hub.gateway.CallTrace;
import io.aigne.hub.gateway.ModelCatalog;
import io.aigne.hub.gateway.StreamWatchdog;
import io.aigne.hub.gateway.upstream.UpstreamException;
import io.aigne.hub.gateway.upstream.UpstreamRequest;
import io.aigne.hub.gateway.upstream.UpstreamResponse;
import io.aigne.hub.provider.openai.OpenAiUpstream;
import io.aigne.hub.provider.UpstreamError;
import io.aigne.hub.routing.ModelRef;
import io.aigne.hub.routing.Outcome;
import io.aigne.hub.routing.Route;
import io.aigne.hub.routing.Router;
import io.aigne.hub.routing.RoutingException;
import io.aigne.hub.server.ApiException;
import io.aigne.hub.server.Authenticator;
import io.aigne.hub.server.Bodies;
import io.aigne.hub.server.Exchange;
import io.aigne.hub.usage.CallType;
import io.aigne.hub.usage.UsageLedger;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FilterInputStream;
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
    private static final Logger LOG = LoggerFactory.getLogger(OpenAiGateway.class);
    private static final HeaderName CALL_ID = HeaderNames.create("x-aigne-hub-call-id");
    private static final HeaderName ACCEL_BUFFERING = HeaderNames.create("X-Accel-Buffering");
    private static final int MAX_ERROR_BYTES = 64 * 1024;

    public record Limits(long maxBodyBytes, long maxResponseBytes, Duration drainAfterDisconnect) {
    }

    private final Authenticator auth;
    private final Router router;
    private final OpenAiUpstream upstream;
    private final UsageLedger ledger;
    private final StreamWatchdog watchdog;
    private final ModelCatalog catalog;
    private final Limits limits;
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();

    public OpenAiGateway(Authenticator auth, Router router, OpenAiUpstream upstream, UsageLedger ledger,
                         StreamWatchdog watchdog, ModelCatalog catalog, Limits limits) {
        this.auth = auth;
        this.router = router;
        this.upstream = upstream;
        this.ledger = ledger;
        this.watchdog = watchdog;
        this.catalog = catalog;
        this.limits = limits;
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

    /** Model calls running right now (their ledger rows are enqueued when they end). */
    public int inFlight() {
        return inFlight.get();
    }

    private void proxy(ServerRequest req, ServerResponse res, OpenAiPayload.Kind kind, String path, CallType type) {
        Principal principal = auth.require(req);
        inFlight.incrementAndGet();
        CallTrace trace = new CallTrace(principal, appDid(req, principal), Exchange.header(req, Exchange.REQUEST_ID),
                "/v1" + path, type);
        try {
            OpenAiPayload payload = OpenAiPayload.parse(Exchange.body(req, limits.maxBodyBytes()), kind);
            trace.requested(payload.model(), payload.stream());
            List<Route> plan;
            try {
                plan = router.plan(ModelRef.parse(payload.model(), router::isProviderName));
            } catch (RoutingException e) {
                String errorType = e.status() == 404 ? "invalid_request_error" : "server_error";
                throw new ApiException(e.status(), errorType, e.code(), e.status() == 404 ? "model" : null, e.getMessage());
            }
            execute(plan, payload, path, type, trace, res);
        } catch (ApiException e) {
            trace.failed(e.status(), e.getMessage());
            if (!res.isSent()) {
                Exchange.error(res, e);
            }
        } catch (RuntimeException e) {
            LOG.error("call {} failed inside the hub", trace.id(), e);
            trace.failed(500, "internal error: " + e.getClass().getSimpleName());
            if (!res.isSent()) {
                Exchange.error(res, new ApiException(500, "server_error", "internal_error", null,
                        "the hub failed while handling this call (call id " + trace.id() + "); the failure is logged"));
            }
        } finally {
            ledger.record(trace.toRecord());
            inFlight.decrementAndGet();
        }
    }

    private void execute(List<Route> plan, OpenAiPayload payload, String path, CallType type, CallTrace trace,
                         ServerResponse res) {
        ApiException last = null;
        for (Route route : plan) {
            trace.attempt(route);
            UpstreamRequest request = upstream.post(route.provider(), route.secret(), path,
                    payload.forUpstream(route.upstreamModel()), payload.stream());
            UpstreamResponse response;
            try {
                response = upstream.send(request);
            } catch (UpstreamException e) {
                router.report(route, new Outcome.Failed(e.getMessage()));
                last = unreachable(route, e);
                continue;
            }
            int status = response.status();
            if (status / 100 == 2) {
                if (!payload.stream()) {
                    relayJson(route, response, type, trace, res);
                    return;
                }
                ApiException broken = relayStream(route, response, payload, trace, res);
                if (broken == null) {
                    return;
                }
                last = broken;
                continue;
            }
            UpstreamError error = readError(route, response);
            switch (status) {
                case 401, 403 -> {
                    router.report(route, new Outcome.Rejected(status, error.message()));
                    last = new ApiException(502, "server_error", "upstream_auth_failed", null, "provider '"
                            + route.provider().name() + "' refused the hub's credential (" + status + "): " + error.message());
                }
                case 429 -> {
                    String retryAfter = response.header("retry-after").orElse(null);
                    router.report(route, new Outcome.RateLimited(error.message(), seconds(retryAfter)));
                    last = new ApiException(429, "rate_limit_error", "rate_limit_exceeded", null, "provider '"
                            + route.provider().name() + "' is rate limiting the hub: " + error.message(),
                            retryAfter == null ? "1" : retryAfter);
                }
                default -> {
                    if (status >= 500) {
                        router.report(route, new Outcome.Failed(status + ": " + error.message()));
                        int mapped = status == 503 || status == 529 ? 503 : status == 504 ? 504 : 502;
                        last = new ApiException(mapped, "server_error", "upstream_error", null, "provider '"
                                + route.provider().name() + "' failed with " + status + ": " + error.message());
                    } else {
                        // The provider judged the request itself: the caller gets that verdict, not a retry.
                        throw new ApiException(status, error.type() == null ? "invalid_request_error" : error.type(),
                                error.code(), error.param(), error.message());
                    }
                }
            }
        }
        throw last != null ? last : new ApiException(503, "server_error", "no_available_credential", null,
                "no route could serve this call");
    }

    private void relayJson(Route route, UpstreamResponse response, CallType type, CallTrace trace, ServerResponse res) {
        byte[] body;
        try (response) {
            body = Bodies.read(response.body(), declaredLength(response), limits.maxResponseBytes());
        } catch (Bodies.TooLarge e) {
            throw new ApiException(502, "server_error", "upstream_response_too_large", null, "provider '"
                    + route.provider().name() + "' answered with more than upstream.maxResponseBytes");
        } catch (IOException e) {
            router.report(route, new Outcome.Failed("response body broke: " + e.getMessage()));
            throw new ApiException(502, "server_error", "upstream_error", null, "provider '"
                    + route.provider().name() + "' broke off its answer: " + e.getMessage());
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
        res.header(CALL_ID, trace.id());
        res.send(body);
    }

    /** Relays a stream; returns null once relayed, or the failure if it broke before its first byte. */
    private ApiException relayStream(Route route, UpstreamResponse response, OpenAiPayload payload, CallTrace trace,
                                     ServerResponse res) {
        StreamWatchdog.Watch watch = watchdog.watch(response.body());
        InputStream in = new ProgressStream(response.body(), watch);
        byte[] head = new byte[8192];
        int n;
        try {
            n = in.read(head);
        } catch (IOException e) {
            watch.close();
            response.close();
            router.report(route, new Outcome.Failed("stream broke before its first byte: " + e.getMessage()));
            return new ApiException(watch.expired() ? 504 : 502, "server_error", "upstream_error", null, "provider '"
                    + route.provider().name() + "' broke off the stream before sending anything: " + e.getMessage());
        }
        if (n < 0) {
            watch.close();
            response.close();
            router.report(route, new Outcome.Failed("empty stream"));
            return new ApiException(502, "server_error", "upstream_error", null, "provider '"
                    + route.provider().name() + "' ended the stream without sending anything");
        }
        router.report(route, Outcome.SUCCESS);
        trace.answered(null, response.header("x-request-id").orElse(null));
        res.status(Status.OK_200);
        res.header(HeaderNames.CONTENT_TYPE, response.header("content-type").orElse("text/event-stream; charset=utf-8"));
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        res.header(ACCEL_BUFFERING, "no");
        res.header(CALL_ID, trace.id());
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
        return null;
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

    private static java.util.OptionalLong declaredLength(UpstreamResponse response) {
        try {
            return response.header("content-length").map(v -> java.util.OptionalLong.of(Long.parseLong(v.trim())))
                    .orElse(java.util.OptionalLong.empty());
        } catch (NumberFormatException e) {
            return java.util.OptionalLong.empty();
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

    private static ApiException unreachable(Route route, UpstreamException e) {
        int status = e.kind() == UpstreamException.Kind.TIMEOUT ? 504 : 502;
        return new ApiException(status, "server_error", status == 504 ? "upstream_timeout" : "upstream_unreachable", null,
                "provider '" + route.provider().name() + "': " + e.getMessage());
    }

    private static Duration seconds(String retryAfter) {
        if (retryAfter == null) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.min(3600, Long.parseLong(retryAfter.trim())));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String appDid(ServerRequest req, Principal principal) {
        String raw = Exchange.header(req, Exchange.CLIENT_DID);
        if (raw == null || raw.isBlank()) {
            return principal.keyApp();
        }
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return raw;
        }
    }

    /** Tells the watchdog about every byte that arrives. */
    private static final class ProgressStream extends FilterInputStream {
        private final StreamWatchdog.Watch watch;

        ProgressStream(InputStream in, StreamWatchdog.Watch watch) {
            super(in);
            this.watch = watch;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            watch.progress();
            return n;
        }
    }
}
