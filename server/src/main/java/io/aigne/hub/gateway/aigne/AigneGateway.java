package io.aigne.hub.gateway.aigne;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.auth.Principal;
import io.aigne.hub.auth.UserStore;
import io.aigne.hub.gateway.Attempts;
import io.aigne.hub.gateway.CallScope;
import io.aigne.hub.gateway.CallTrace;
import io.aigne.hub.gateway.JsonFields;
import io.aigne.hub.gateway.ModelCatalog;
import io.aigne.hub.gateway.TranslatedCalls;
import io.aigne.hub.gateway.canonical.ChatRequest;
import io.aigne.hub.gateway.canonical.EmbeddingRequest;
import io.aigne.hub.gateway.canonical.EmbeddingResponse;
import io.aigne.hub.gateway.canonical.ImageRequest;
import io.aigne.hub.gateway.canonical.ImageResponse;
import io.aigne.hub.gateway.canonical.VideoRequest;
import io.aigne.hub.gateway.canonical.VideoResponse;
import io.aigne.hub.media.MediaPublisher;
import io.aigne.hub.provider.ProviderAdapter;
import io.aigne.hub.provider.ProviderAdapters;
import io.aigne.hub.provider.ProviderFailure;
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
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.ArrayList;
import java.util.List;

/**
 * The native AIGNE front door, what {@code @aigne/aigne-hub} and the {@code aigne} CLI speak: prefix discovery
 * ({@code /__blocklet__.js}), the invoke envelope at {@code /api/v2/chat} (JSON or SSE), {@code /api/v2/image},
 * {@code /api/v2/video} and {@code /api/v2/embeddings}, and the status, user and model-list endpoints the clients
 * read. Every provider is reached through its adapter in the canonical model. The hub's routes live at the origin
 * root (mount point "/").
 */
public final class AigneGateway {
    /** The AIGNE Hub blocklet's DID, by which the clients find the hub's mount point. */
    public static final String HUB_DID = "z8ia3xzq2tMq8CRHfaXj1BTYJyYnEcHbqP8cJ";
    static final String DEFAULT_CHAT_MODEL = "openai/gpt-5-mini";
    static final String DEFAULT_IMAGE_MODEL = "openai/dall-e-2";
    static final String DEFAULT_VIDEO_MODEL = "openai/sora-2";

    private final Authenticator auth;
    private final Router router;
    private final Attempts attempts;
    private final TranslatedCalls translated;
    private final ProviderAdapters adapters;
    private final CallScope calls;
    private final long maxBodyBytes;
    private final AigneInfo info;
    private final MediaPublisher media;

    public AigneGateway(Authenticator auth, Router router, ProviderAdapters adapters, TranslatedCalls translated,
                        CallScope calls, ModelCatalog catalog, UserStore users, long maxBodyBytes,
                        MediaPublisher media) {
        this.auth = auth;
        this.router = router;
        this.attempts = new Attempts(router, calls);
        this.translated = translated;
        this.adapters = adapters;
        this.calls = calls;
        this.maxBodyBytes = maxBodyBytes;
        this.info = new AigneInfo(auth, router, catalog, users, calls.billing());
        this.media = media;
    }

    public void register(HttpRules rules) {
        rules.get("/__blocklet__.js", BlockletDiscovery::serve)
                .post("/api/v2/chat", this::chat)
                .post("/api/v2/embeddings", this::embeddings)
                .post("/api/v2/image", this::image)
                .post("/api/v2/video", this::video);
        info.register(rules);
    }

    /** What one endpoint does once the caller is known: read the body (refusals), then call (failures). */
    private interface Call {
        /** Reads the request; an ApiException here is a refusal of the input. */
        Runnable read(ObjectNode body, CallTrace trace);
    }

    private void chat(ServerRequest req, ServerResponse res) {
        invoke(req, res, "/api/v2/chat", CallType.CHAT, "[chat] ", (body, trace) -> {
            Envelope envelope = Envelope.read(body, DEFAULT_CHAT_MODEL);
            trace.requested(envelope.model(), envelope.streaming());
            ChatRequest request = AigneChatCodec.toCanonical(envelope.input(), envelope.model(),
                    envelope.streaming());
            return () -> attempts.run(plan(request.model()), trace, route -> {
                ProviderAdapter adapter = adapters.of(route.provider());
                String modelWithProvider = modelWithProvider(route);
                CallCredits credits = new CallCredits(calls.billing(), route, CallType.CHAT);
                if (request.stream()) {
                    translated.stream(route, adapter, request, trace, res,
                            new AigneStreamEncoder(request, modelWithProvider, credits));
                } else {
                    translated.chat(route, adapter, request, trace, res,
                            r -> Json.bytes(AigneChatCodec.toJson(r, request, modelWithProvider, credits)));
                }
            });
        });
    }

    /**
     * The envelope ({@code input: {input: string|string[], modelOptions: {model}}}) answers
     * {@code {embeddings, usage, model, modelWithProvider}}; the older {@code {model, input}} body answers
     * {@code {data: [{embedding, index, object}]}} as it always did.
     */
    private void embeddings(ServerRequest req, ServerResponse res) {
        invoke(req, res, "/api/v2/embeddings", CallType.EMBEDDING, "", (body, trace) -> {
            boolean envelope = body.get("input") instanceof ObjectNode;
            ObjectNode source = envelope ? (ObjectNode) body.get("input") : body;
            String at = envelope ? "input" : "";
            String model = envelope ? Envelope.model(body, source, null) : JsonFields.string(body, "model", "");
            if (model == null || model.isBlank()) {
                throw ApiException.invalid("model", "Model is required for embedding");
            }
            ObjectNode options = envelope ? JsonFields.object(source, "modelOptions", "input") : null;
            Integer dimensions = JsonFields.positiveInt(options != null ? options : body, "dimensions",
                    options != null ? "input.modelOptions" : "");
            EmbeddingRequest request = new EmbeddingRequest(model, texts(source, at), dimensions, null);
            trace.requested(model, false);
            return () -> attempts.run(plan(model), trace, route -> {
                EmbeddingResponse response = adapters.of(route.provider()).embed(route, request);
                answered(route, trace, response.model(), response.usage());
                ObjectNode out = envelope ? embeddingsOutput(response, request, route,
                        new CallCredits(calls.billing(), route, CallType.EMBEDDING)) : legacyEmbeddings(response);
                res.header(Exchange.CALL_ID, trace.id());
                Exchange.json(res, 200, out);
            });
        });
    }

    /**
     * Image input per the ImageModel schema. {@code outputFileType} says how the caller wants the files:
     * {@code "url"} (what the SDK sends) gets links to files the hub hosts, made from the provider's bytes; the
     * provider is asked for bytes unless the caller pinned {@code modelOptions.responseFormat}, so expiring provider
     * links (Ideogram's) are downloaded and hosted too. {@code "file"} and {@code "local"} get base64 inline (the
     * client writes local files itself). A link stays the provider's when the provider gave nothing else, and bytes
     * stay inline when the hub does not host media. Without {@code outputFileType}, the answer is what the provider
     * gave: its links, else base64.
     */
    private void image(ServerRequest req, ServerResponse res) {
        invoke(req, res, "/api/v2/image", CallType.IMAGE, "", (body, trace) -> {
            Envelope envelope = Envelope.read(body, DEFAULT_IMAGE_MODEL);
            String outputFileType = outputFileType(envelope.input());
            ImageRequest asked = imageRequest(envelope);
            ImageRequest request = outputFileType != null && asked.responseFormat() == null
                    ? withResponseFormat(asked, "b64_json") : asked;
            trace.requested(envelope.model(), false);
            trace.imageOptions(request.size(), request.quality());
            return () -> attempts.run(plan(request.model()), trace, route -> {
                ImageResponse generated = adapters.of(route.provider()).generateImages(route, request);
                Usage usage = generated.usage().imageCount() == 0
                        ? generated.usage().withImageCount(generated.images().size()) : generated.usage();
                ImageResponse response = "url".equals(outputFileType) ? media.link(req, generated) : generated;
                answered(route, trace, null, usage);
                ObjectNode out = Json.object();
                ArrayNode images = out.putArray("images");
                for (ImageResponse.GeneratedImage image : response.images()) {
                    boolean inline = image.base64() != null && (image.url() == null || outputFileType != null);
                    images.add(inline ? AigneChatCodec.file(null, image.base64(),
                                    image.mediaType() != null ? image.mediaType() : "image/png")
                            : AigneChatCodec.file(image.url(), null, image.mediaType()));
                }
                out.set("usage", usageOutput(usage, new CallCredits(calls.billing(), route, CallType.IMAGE),
                        request.size(), request.quality()));
                out.put("model", route.upstreamModel());
                out.put("modelWithProvider", modelWithProvider(route));
                res.header(Exchange.CALL_ID, trace.id());
                Exchange.json(res, 200, out);
            });
        });
    }

    /**
     * Video input per the VideoModel schema: {@code prompt}, {@code seconds} (a string, as the SDK sends it, or a
     * number), {@code size} or {@code aspectRatio}, from the input or its modelOptions. The provider's clips are
     * always fetched by the hub (its links need the hub's key), so {@code outputFileType} "url" gets links to files
     * the hub hosts, and everything else (or a hub that hosts no media) gets the MP4 inline as base64.
     */
    private void video(ServerRequest req, ServerResponse res) {
        invoke(req, res, "/api/v2/video", CallType.VIDEO, "", (body, trace) -> {
            Envelope envelope = Envelope.read(body, DEFAULT_VIDEO_MODEL);
            String outputFileType = outputFileType(envelope.input());
            VideoRequest request = videoRequest(envelope);
            trace.requested(envelope.model(), false);
            return () -> attempts.run(plan(request.model()), trace, route -> {
                VideoResponse response = adapters.of(route.provider()).generateVideo(route, request);
                Usage usage = response.usage().videoSeconds() == 0
                        ? response.usage().withVideoSeconds(response.seconds()) : response.usage();
                answered(route, trace, null, usage);
                ObjectNode out = Json.object();
                ArrayNode videos = out.putArray("videos");
                for (VideoResponse.GeneratedVideo video : response.videos()) {
                    String mediaType = video.mediaType() != null ? video.mediaType() : "video/mp4";
                    MediaPublisher.Link link = "url".equals(outputFileType)
                            ? media.publish(req, video.base64()).orElse(null) : null;
                    videos.add(link != null ? AigneChatCodec.file(link.url(), null, link.contentType())
                            : video.base64() != null ? AigneChatCodec.file(null, video.base64(), mediaType)
                            : AigneChatCodec.file(video.url(), null, mediaType));
                }
                out.put("seconds", usage.videoSeconds());
                out.set("usage", usageOutput(usage, new CallCredits(calls.billing(), route, CallType.VIDEO), null,
                        null));
                out.put("model", route.upstreamModel());
                out.put("modelWithProvider", modelWithProvider(route));
                res.header(Exchange.CALL_ID, trace.id());
                Exchange.json(res, 200, out);
            });
        });
    }

    private static VideoRequest videoRequest(Envelope envelope) {
        ObjectNode input = envelope.input();
        ObjectNode options = envelope.modelOptions();
        String prompt = JsonFields.requiredString(input, "prompt", "input");
        if (JsonFields.isSet(input, "image")) {
            throw ApiException.invalid("input.image", "video from an image (input.image) is not supported by this hub"
                    + " yet; send a prompt only");
        }
        Integer seconds = seconds(input, "input");
        if (seconds == null) {
            seconds = seconds(options, "input.modelOptions");
        }
        return new VideoRequest(envelope.model(), prompt, seconds, option(input, options, "size"),
                option(input, options, "aspectRatio"), 1,
                JsonFields.string(options, "negativePrompt", "input.modelOptions"), null);
    }

    /** The SDK sends seconds as a string ("8"); a number is taken too. */
    private static Integer seconds(ObjectNode parent, String at) {
        JsonNode value = parent.get("seconds");
        if (value == null || value.isNull()) {
            return null;
        }
        String path = JsonFields.path(at, "seconds");
        if (value.isTextual()) {
            try {
                int parsed = Integer.parseInt(value.asText().trim());
                if (parsed > 0) {
                    return parsed;
                }
            } catch (NumberFormatException e) {
                // falls through to the refusal below
            }
            throw JsonFields.wrongType(path, "a whole number of seconds, such as \"8\"");
        }
        return JsonFields.positiveInt(parent, "seconds", at);
    }

    private static String outputFileType(ObjectNode input) {
        String type = JsonFields.string(input, "outputFileType", "input");
        if (type != null && !List.of("url", "file", "local").contains(type)) {
            throw ApiException.invalid("input.outputFileType", "input.outputFileType must be url, file or local");
        }
        return type;
    }

    private static ImageRequest withResponseFormat(ImageRequest r, String format) {
        return new ImageRequest(r.model(), r.prompt(), r.n(), r.size(), r.quality(), r.style(), format,
                r.negativePrompt(), r.user());
    }

    private void invoke(ServerRequest req, ServerResponse res, String endpoint, CallType type, String refusalPrefix,
                        Call call) {
        Principal principal = auth.identify(req).orElse(null);
        if (principal == null) {
            AigneErrors.unauthenticated(res);
            return;
        }
        CallTrace trace = new CallTrace(principal, Exchange.appDid(req, principal),
                Exchange.header(req, Exchange.REQUEST_ID), endpoint, type);
        calls.run(trace, req, res, AigneErrors::failed, () -> {
            Runnable run;
            try {
                byte[] bytes = Exchange.body(req, maxBodyBytes);
                trace.requestBody(bytes);
                run = call.read(Json.parseObject(bytes), trace);
            } catch (ApiException e) {
                trace.failed(e.status(), e.getMessage());
                AigneErrors.refused(res, e, refusalPrefix);
                return;
            }
            run.run();
        });
    }

    private List<Route> plan(String model) {
        try {
            return router.plan(ModelRef.parse(model, router::isProviderName));
        } catch (RoutingException e) {
            throw new ApiException(e.status(), "invalid_request_error", e.code(), "model", e.getMessage());
        }
    }

    private void answered(Route route, CallTrace trace, String model, Usage usage) {
        router.report(route, Outcome.SUCCESS);
        trace.firstByteAt(System.nanoTime());
        trace.usage(usage);
        trace.answered(model, null);
        trace.succeeded(200);
    }

    static String modelWithProvider(Route route) {
        return route.provider().name() + "/" + route.upstreamModel();
    }

    private static List<String> texts(ObjectNode source, String at) {
        String path = JsonFields.path(at, "input");
        JsonNode input = source.get("input");
        if (input == null || input.isNull()) {
            throw ApiException.invalid(path, path + " is required: a string or an array of strings to embed");
        }
        if (input.isTextual()) {
            return List.of(input.asText());
        }
        if (!input.isArray() || input.isEmpty()) {
            throw JsonFields.wrongType(path, "a string or a non-empty array of strings");
        }
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < input.size(); i++) {
            if (!input.get(i).isTextual()) {
                throw JsonFields.wrongType(path + "[" + i + "]", "a string");
            }
            texts.add(input.get(i).asText());
        }
        return texts;
    }

    /** A media or embeddings answer's usage: its tokens and, with billing on, what the call cost. */
    private static ObjectNode usageOutput(Usage usage, CallCredits credits, String size, String quality) {
        ObjectNode out = Json.object().put("inputTokens", usage.inputTokens()).put("outputTokens", usage.outputTokens());
        credits.addTo(out, usage, size, quality);
        return out;
    }

    private static ObjectNode embeddingsOutput(EmbeddingResponse response, EmbeddingRequest request, Route route,
                                               CallCredits credits) {
        ObjectNode out = Json.object();
        ArrayNode embeddings = out.putArray("embeddings");
        for (float[] vector : response.vectors()) {
            embeddings.add(vector(vector));
        }
        // An embedding has no output; some providers report total tokens there, which the clients would misread.
        out.set("usage", usageOutput(response.usage(), credits, null, null).put("outputTokens", 0));
        out.put("model", response.model() != null ? response.model() : route.upstreamModel());
        out.put("modelWithProvider", modelWithProvider(route));
        return out;
    }

    private static ObjectNode legacyEmbeddings(EmbeddingResponse response) {
        ObjectNode out = Json.object();
        ArrayNode data = out.putArray("data");
        for (int i = 0; i < response.vectors().size(); i++) {
            data.addObject().put("object", "embedding").put("index", i).set("embedding", vector(response.vectors().get(i)));
        }
        return out;
    }

    private static ArrayNode vector(float[] vector) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        for (float v : vector) {
            array.add(v);
        }
        return array;
    }

    /**
     * {@code prompt}, {@code n}, and {@code size}/{@code quality}/{@code style} from the input or its
     * modelOptions; {@code modelOptions.responseFormat} ("url" or "b64_json") when the caller insists on one.
     */
    private static ImageRequest imageRequest(Envelope envelope) {
        ObjectNode input = envelope.input();
        ObjectNode options = envelope.modelOptions();
        String prompt = JsonFields.requiredString(input, "prompt", "input");
        if (JsonFields.isSet(input, "image")) {
            throw ApiException.invalid("input.image", "image editing (input.image) is not supported by this hub"
                    + " yet; send a prompt only");
        }
        Integer n = JsonFields.positiveInt(input, "n", "input");
        if (n == null) {
            n = JsonFields.positiveInt(options, "n", "input.modelOptions");
        }
        String responseFormat = JsonFields.string(options, "responseFormat", "input.modelOptions");
        if (responseFormat != null && !responseFormat.equals("url") && !responseFormat.equals("b64_json")) {
            throw ApiException.invalid("input.modelOptions.responseFormat",
                    "input.modelOptions.responseFormat must be url or b64_json");
        }
        return new ImageRequest(envelope.model(), prompt, n == null ? 1 : n, option(input, options, "size"),
                option(input, options, "quality"), option(input, options, "style"), responseFormat,
                JsonFields.string(options, "negativePrompt", "input.modelOptions"), null);
    }

    private static String option(ObjectNode input, ObjectNode options, String field) {
        String value = JsonFields.string(input, field, "input");
        return value != null ? value : JsonFields.string(options, field, "input.modelOptions");
    }
}
