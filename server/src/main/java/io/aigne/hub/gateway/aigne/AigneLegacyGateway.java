package io.aigne.hub.gateway.aigne;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.auth.Principal;
import io.aigne.hub.gateway.Attempts;
import io.aigne.hub.gateway.CallScope;
import io.aigne.hub.gateway.CallTrace;
import io.aigne.hub.gateway.JsonFields;
import io.aigne.hub.gateway.TranslatedCalls;
import io.aigne.hub.gateway.canonical.ChatRequest;
import io.aigne.hub.gateway.canonical.ImageRequest;
import io.aigne.hub.gateway.canonical.ImageResponse;
import io.aigne.hub.media.MediaPublisher;
import io.aigne.hub.provider.ProviderAdapter;
import io.aigne.hub.provider.ProviderAdapters;
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
import io.aigne.hub.usage.Usage;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The legacy "ai-kit" endpoints ({@code @blocklet/aigne-hub}, the original web playground):
 * {@code POST /api/v2/chat/completions} (also {@code /api/v2/completions}) and
 * {@code POST /api/v2/image/generations}, and the same under {@code /api/v1} and {@code /api/v1/sdk}. The v1 tree
 * takes the hub's access keys like v2; the original's app signatures (registered ed25519 keys) are not supported.
 *
 * <p>Chat answers in one of three shapes, as the original chooses them: an {@code Accept: text/event-stream}
 * caller gets events (see {@link LegacyStreamEncoder}), and every error as an event in a 200 response, since its
 * client reads errors only from the stream; {@code "stream": true} alone gets the bare text; anything else one
 * JSON object. Errors outside a stream have the AIGNE door's shapes ({@code {"error": "<message>"}} for a refused
 * request, {@code {"error": {"message"}}} otherwise).
 */
public final class AigneLegacyGateway {
    private static final String DEFAULT_IMAGE_MODEL = AigneGateway.DEFAULT_IMAGE_MODEL;

    private final Authenticator auth;
    private final Router router;
    private final Attempts attempts;
    private final TranslatedCalls translated;
    private final ProviderAdapters adapters;
    private final CallScope calls;
    private final MediaPublisher media;
    private final long maxBodyBytes;

    public AigneLegacyGateway(Authenticator auth, Router router, ProviderAdapters adapters,
                              TranslatedCalls translated, CallScope calls, MediaPublisher media, long maxBodyBytes) {
        this.auth = auth;
        this.router = router;
        this.attempts = new Attempts(router, calls);
        this.translated = translated;
        this.adapters = adapters;
        this.calls = calls;
        this.media = media;
        this.maxBodyBytes = maxBodyBytes;
    }

    public void register(HttpRules rules) {
        for (String base : List.of("/api/v2", "/api/v1", "/api/v1/sdk")) {
            rules.post(base + "/chat/completions", this::chat)
                    .post(base + "/completions", this::chat)
                    .post(base + "/image/generations", this::image);
        }
    }

    private interface Call {
        /** Reads the request (an ApiException here is a refusal of the input) and returns what answers it. */
        Runnable read(ObjectNode body, CallTrace trace);
    }

    private void chat(ServerRequest req, ServerResponse res) {
        long start = System.nanoTime();
        boolean eventStream = acceptsEventStream(req);
        invoke(req, res, eventStream, CallType.CHAT, (body, trace) -> {
            boolean plainStream = !eventStream && LegacyChatCodec.streamRequested(body);
            ChatRequest request = LegacyChatCodec.toCanonical(body, eventStream || plainStream);
            trace.requested(request.model(), request.stream());
            return () -> attempts.run(plan(request.model()), trace, route -> {
                ProviderAdapter adapter = adapters.of(route.provider());
                if (eventStream) {
                    translated.stream(route, adapter, request, trace, res, new LegacyStreamEncoder(start));
                } else if (plainStream) {
                    translated.pump(route, adapter.stream(route, request), trace, res, new LegacyTextRelay());
                } else {
                    translated.chat(route, adapter, request, trace, res, r -> Json.bytes(LegacyChatCodec.toJson(r)));
                }
            });
        });
    }

    /**
     * {@code {model, prompt, n, size, quality, style, responseFormat|response_format, outputFileType}} answered as
     * {@code {images: [{base64, b64_json, b64Json} | {url}], data: <the same>, model, usage}}. Base64 unless the
     * caller asked for "url" (either field); then the provider's bytes are hosted by the hub and linked.
     */
    private void image(ServerRequest req, ServerResponse res) {
        invoke(req, res, acceptsEventStream(req), CallType.IMAGE, (body, trace) -> {
            String asked = JsonFields.string(body, "model", "");
            String model = asked == null || asked.isBlank() ? DEFAULT_IMAGE_MODEL : asked.strip();
            String prompt = JsonFields.requiredString(body, "prompt", "");
            if (JsonFields.isSet(body, "image")) {
                throw ApiException.invalid("image", "image editing ('image') is not supported by this hub yet;"
                        + " send a prompt only");
            }
            Integer n = JsonFields.positiveInt(body, "n", "");
            if (n != null && n > 10) {
                throw ApiException.invalid("n", "'n' must be from 1 to 10");
            }
            String field = body.has("responseFormat") ? "responseFormat" : "response_format";
            String responseFormat = JsonFields.string(body, field, "");
            if (responseFormat != null && !List.of("url", "b64_json").contains(responseFormat)) {
                throw ApiException.invalid(field, "'" + field + "' must be url or b64_json");
            }
            String outputFileType = JsonFields.string(body, "outputFileType", "");
            if (outputFileType != null && !List.of("url", "file", "local").contains(outputFileType)) {
                throw ApiException.invalid("outputFileType", "'outputFileType' must be url, file or local");
            }
            boolean wantsUrl = "url".equals(responseFormat) || "url".equals(outputFileType);
            ImageRequest request = new ImageRequest(model, prompt, n == null ? 1 : n,
                    JsonFields.string(body, "size", ""), JsonFields.string(body, "quality", ""),
                    JsonFields.string(body, "style", ""), responseFormat != null ? responseFormat : "b64_json", null, null);
            trace.requested(model, false);
            trace.imageOptions(request.size(), request.quality());
            return () -> attempts.run(plan(model), trace, route -> {
                ImageResponse generated = adapters.of(route.provider()).generateImages(route, request);
                Usage usage = generated.usage().imageCount() == 0
                        ? generated.usage().withImageCount(generated.images().size()) : generated.usage();
                ImageResponse response = wantsUrl ? media.link(req, generated) : generated;
                router.report(route, Outcome.SUCCESS);
                trace.firstByteAt(System.nanoTime());
                trace.usage(usage);
                trace.answered(null, null);
                trace.succeeded(200);
                ArrayNode images = Json.MAPPER.createArrayNode();
                for (ImageResponse.GeneratedImage image : response.images()) {
                    ObjectNode item = images.addObject();
                    if (image.base64() != null && !(wantsUrl && image.url() != null)) {
                        item.put("base64", image.base64()).put("b64_json", image.base64())
                                .put("b64Json", image.base64());
                    }
                    if (image.url() != null) {
                        item.put("url", image.url());
                    }
                }
                ObjectNode out = Json.object();
                out.set("images", images);
                out.set("data", images.deepCopy());
                out.put("model", route.upstreamModel());
                // Credits exist only with billing, which this hub does not do.
                out.putObject("usage");
                res.header(Exchange.CALL_ID, trace.id());
                Exchange.json(res, 200, out);
            });
        });
    }

    private void invoke(ServerRequest req, ServerResponse res, boolean eventStream, CallType type, Call call) {
        String endpoint = req.path().path();
        Principal principal = auth.identify(req).orElse(null);
        if (principal == null) {
            if (eventStream) {
                streamError(res, AigneErrors.NOT_AUTHENTICATED);
            } else {
                AigneErrors.unauthenticated(res);
            }
            return;
        }
        CallTrace trace = new CallTrace(principal, Exchange.appDid(req, principal),
                Exchange.header(req, Exchange.REQUEST_ID), endpoint, type);
        calls.run(trace, req, res, (r, e) -> fail(r, eventStream, e), () -> {
            Runnable run;
            try {
                byte[] bytes = Exchange.body(req, maxBodyBytes);
                trace.requestBody(bytes);
                run = call.read(Json.parseObject(bytes), trace);
            } catch (ApiException e) {
                trace.failed(e.status(), e.getMessage());
                if (eventStream) {
                    streamError(res, e.getMessage());
                } else {
                    AigneErrors.refused(res, e, "");
                }
                return;
            }
            run.run();
        });
    }

    private static void fail(ServerResponse res, boolean eventStream, ApiException e) {
        if (res.isSent()) {
            return;
        }
        if (eventStream) {
            streamError(res, e.getMessage());
        } else {
            AigneErrors.failed(res, e);
        }
    }

    /** An error for a caller that reads events: a 200 event stream carrying it, as the original answers. */
    private static void streamError(ServerResponse res, String message) {
        res.status(Status.OK_200);
        res.header(HeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        String event = new String(LegacyStreamEncoder.errorEvent(message), StandardCharsets.UTF_8);
        res.send(("data: " + event + "\n\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Whether the caller accepts an event stream, which is what selects events over JSON in this format. */
    static boolean acceptsEventStream(ServerRequest req) {
        for (String value : req.headers().all(HeaderNames.ACCEPT, List::of)) {
            for (String type : value.split(",")) {
                if (type.strip().startsWith("text/event-stream")) {
                    return true;
                }
            }
        }
        return false;
    }

    private List<Route> plan(String model) {
        try {
            return router.plan(ModelRef.parse(model, router::isProviderName));
        } catch (RoutingException e) {
            throw new ApiException(e.status(), "invalid_request_error", e.code(), "model", e.getMessage());
        }
    }
}
