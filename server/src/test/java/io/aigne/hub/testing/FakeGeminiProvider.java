package io.aigne.hub.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Serial;
import java.net.URLDecoder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * In-process fake of the Google Gemini API (Generative Language API, {@code v1beta}), listening on a
 * random loopback port.
 *
 * <p>The wire format follows the public API reference (ai.google.dev) closely enough that the official
 * {@code google-genai} Java SDK parses every answer, streamed or not (see {@code FakeGeminiProviderTest}).
 * A client is pointed at {@link #baseUrl()} (no version suffix: clients append {@code /v1beta} themselves)
 * and picks the upstream behaviour through the API key it sends, as {@code x-goog-api-key} (what the SDK
 * sends) or as the {@code key} query parameter:
 *
 * <ul>
 *   <li>{@code gm-ok…} and any key not listed here: success.
 *   <li>{@code gm-400-key}: 400 {@code INVALID_ARGUMENT} "API key not valid. Please pass a valid API key."
 *       with the {@code ErrorInfo}/{@code API_KEY_INVALID} and {@code LocalizedMessage} details: this is how
 *       Gemini reports a bad key (not with a 401).
 *   <li>{@code gm-403}: 403 {@code PERMISSION_DENIED} (the key is blocked for the called method).
 *   <li>{@code gm-429}: 429 {@code RESOURCE_EXHAUSTED} with {@code QuotaFailure}, {@code Help} and
 *       {@code RetryInfo} ({@code retryDelay: "7s"}) details; like the real API, no {@code Retry-After}
 *       header.
 *   <li>{@code gm-500}: 500 {@code INTERNAL}. {@code gm-503}: 503 {@code UNAVAILABLE} "The model is
 *       overloaded. Please try again later."
 *   <li>{@code gm-stream-error}: {@code streamGenerateContent} answers 200, sends the thought event (if
 *       any) and at most two content events (for a text answer "Hello" and " from"; for function calls
 *       none), then an in-band {@code data: {"error": {...503 UNAVAILABLE...}}} event instead of the rest,
 *       and ends: how the API reports a failure after the stream started. Other endpoints: success.
 *   <li>no key at all: 403 {@code PERMISSION_DENIED} "Method doesn't allow unregistered callers", like
 *       the real API.
 * </ul>
 *
 * <p>Independent of the key: the model {@code missing-model} answers 404 {@code NOT_FOUND}; a body that
 * is not JSON, an unknown top-level request field (the API parses requests strictly, e.g. an
 * OpenAI-style {@code "messages"} is rejected with {@code Unknown name "messages"}), missing or empty
 * {@code contents}, a content role other than {@code user}/{@code model}, and {@code inlineData.data}
 * that is not base64 answer 400 {@code INVALID_ARGUMENT}. Like the real API, field names are accepted in
 * lowerCamelCase and in snake_case. Unknown URLs answer Google's front end HTML 404 page. Error bodies are
 * {@code {"error": {"code", "message", "status", "details"?}}}, pretty-printed like Google's.
 *
 * <p>Endpoints ({@code v1} is accepted as well as {@code v1beta}; model ids may contain {@code .} and
 * {@code -}, and the {@code :verb} suffix is split off the last path segment):
 *
 * <ul>
 *   <li>{@code POST /v1beta/models/{model}:generateContent} and {@code :streamGenerateContent}. With
 *       {@code ?alt=sse} the stream is Server-Sent Events, {@code data: <GenerateContentResponse>} events
 *       terminated by {@code \r\n\r\n} (CRLF, as Google frames them) and no {@code [DONE]} sentinel: the
 *       end of the body ends the stream. Without {@code alt=sse} the API streams one JSON array of
 *       responses; the fake sends the same chunks as {@code [{…}\n,\r\n{…}\n]}.
 *   <li>{@code POST …:embedContent} ({@code embedding.values}) and {@code …:batchEmbedContents}
 *       ({@code embeddings[].values}); the Java SDK's {@code embedContent} always uses the batch endpoint.
 *   <li>{@code POST …:predict} (Imagen): {@code instances[0].prompt}, {@code parameters.sampleCount} (1–4,
 *       default 4) → {@code predictions[{bytesBase64Encoded, mimeType}]}. The Java SDK 1.70.0 refuses
 *       {@code generateImages} on the Gemini API (Imagen is deprecated there), so only raw clients use it.
 *   <li>{@code POST …:predictLongRunning} (Veo): {@code instances[0].prompt}, {@code parameters.aspectRatio}
 *       (16:9 or 9:16), {@code durationSeconds} (4–8), {@code sampleCount} (1–4) → an operation (models other than
 *       {@code veo-…} answer 404 {@code NOT_FOUND}, "not supported for predictLongRunning")
 *       {@code {name: "models/<model>/operations/<id>"}}. {@code GET /v1beta/models/<model>/operations/<id>}
 *       answers {@code done: false} for the first {@link #videoPollsUntilDone} polls, then {@code done: true}
 *       with {@code response.generateVideoResponse.generatedSamples[].video.uri}, a link to
 *       {@code GET /v1beta/files/<id>:download?alt=media} on this fake, which serves {@link #TINY_MP4} to
 *       callers with a key (403 without). A prompt containing {@value #VIDEO_FILTER_PROMPT} ends with no samples
 *       and {@code raiMediaFilteredReasons}; one containing {@value #VIDEO_FAILURE_PROMPT} ends with an
 *       {@code error} (code 13).
 *   <li>{@code GET /v1beta/models} (paged with {@code pageSize}/{@code pageToken}, default page size 50) and
 *       {@code GET /v1beta/models/{model}}.
 * </ul>
 *
 * <p>Answers of {@code generateContent} (deterministic; the constants below are what tests assert on):
 *
 * <ul>
 *   <li>{@code candidates[0] = {content: {parts, role: "model"}, finishReason: "STOP", index: 0}},
 *       {@code modelVersion} (the requested model id), {@code responseId} ({@code fake-resp-<n>}, where
 *       {@code n} counts requests) and {@code usageMetadata} {@value #PROMPT_TOKENS} prompt (of which
 *       {@value #CACHED_TOKENS} cached), {@value #CANDIDATES_TOKENS} candidates, {@value #THOUGHTS_TOKENS}
 *       thoughts, {@value #TOTAL_TOKENS} total, with {@code promptTokensDetails}/{@code cacheTokensDetails}
 *       by modality. As in the API, {@code totalTokenCount} = prompt + candidates + thoughts.
 *   <li>Plain text: "Hello from fake &lt;model&gt;".
 *   <li>Function declarations in {@code tools[]}: a {@code functionCall} part for the first declared
 *       function with {@code args {"city": "Paris"}}, and with two or more a second one for the second
 *       declared function with {@code args {"q": "x"}}; finishReason stays {@code STOP} (Gemini has no
 *       tool-calls finish reason). Each call carries an {@code id} ({@code fc-fake-<n>-<i>}), a field the
 *       API defines but often leaves out, so gateways must not depend on it; the first call part carries a
 *       {@code thoughtSignature}, as thinking models send. {@code toolConfig.functionCallingConfig.mode}
 *       {@code NONE} answers text instead, and {@code allowedFunctionNames} restricts the choice.
 *   <li>{@code generationConfig.responseMimeType == "application/json"} (with a {@code responseSchema} or
 *       {@code responseJsonSchema}, or without): the text {@value #JSON_ANSWER}.
 *   <li>{@code generationConfig.thinkingConfig.includeThoughts == true}: a first part
 *       {@code {text: "Let me think.", thought: true}}.
 *   <li>{@code generationConfig.responseModalities} containing {@code "IMAGE"} (how Gemini image models such
 *       as gemini-2.5-flash-image are asked for pictures): after the text, a last part
 *       {@code {inlineData: {mimeType: "image/png", data: TINY_PNG_BASE64}}} (non-streamed answers only).
 * </ul>
 *
 * <p>Streaming sends the same parts in separate events: the thought part alone, then the text split into
 * words ("Hello", " from", " fake", " &lt;model&gt;"; a JSON answer in two pieces) or all function calls in
 * one event. As in the real stream every event carries {@code usageMetadata}, {@code modelVersion} and the
 * same {@code responseId}; the counts are running totals (candidates grow, prompt and thoughts repeat), so
 * a consumer must take the last event's usage rather than sum them, and only the last event carries
 * {@code finishReason}.
 */
public final class FakeGeminiProvider extends FakeProviderServer<FakeGeminiProvider.RecordedRequest> {

    /** The model name that makes every model endpoint answer 404 {@code NOT_FOUND}. */
    public static final String MISSING_MODEL = "missing-model";
    /** Models listed by {@code GET /v1beta/models}, with the generation methods each supports. */
    public static final Map<String, List<String>> MODELS = orderedModels();

    public static final int PROMPT_TOKENS = 12;
    public static final int CANDIDATES_TOKENS = 8;
    public static final int THOUGHTS_TOKENS = 5;
    public static final int CACHED_TOKENS = 2;
    public static final int TOTAL_TOKENS = PROMPT_TOKENS + CANDIDATES_TOKENS + THOUGHTS_TOKENS;

    public static final String THOUGHT_TEXT = "Let me think.";
    public static final String JSON_ANSWER = "{\"city\":\"Paris\",\"temperature\":21}";
    /** Base64 of "fake-thought-signature"; the SDK decodes it to bytes. */
    public static final String THOUGHT_SIGNATURE = Base64.getEncoder().encodeToString("fake-thought-signature".getBytes(UTF_8));

    public static final int EMBEDDING_DIMENSIONS = 8;
    public static final int DEFAULT_IMAGE_COUNT = 4;
    public static final int DEFAULT_PAGE_SIZE = 50;

    /** A valid 1x1 transparent PNG, returned as {@code bytesBase64Encoded}. */
    public static final String TINY_PNG_BASE64 =
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Non-streamed bodies: two-space indentation, {@code "name": value}, like Google's JSON. */
    private static final ObjectWriter PRETTY = JSON.writer(googlePrettyPrinter());
    /** SSE events: one line, with a space after each field name and nowhere else, like Google's events. */
    private static final ObjectWriter ONE_LINE = JSON.writer(new OneLinePrinter());

    private static final String JSON_CONTENT_TYPE = "application/json; charset=UTF-8";
    private static final String SSE_CONTENT_TYPE = "text/event-stream";
    private static final String HTML_CONTENT_TYPE = "text/html; charset=UTF-8";
    private static final String SSE_EVENT_END = "\r\n\r\n";

    private static final Pattern MODEL_METHOD =
            Pattern.compile("/(v1|v1beta)/((?:models|tunedModels)/[^/:]+):([A-Za-z]+)");
    private static final Pattern MODEL_RESOURCE = Pattern.compile("/(v1|v1beta)/((?:models|tunedModels)/[^/:]+)");
    private static final Pattern MODEL_COLLECTION = Pattern.compile("/(v1|v1beta)/models/?");

    /** Top-level fields of GenerateContentRequest (lowerCamelCase; snake_case is accepted too). */
    private static final Set<String> GENERATE_CONTENT_FIELDS = Set.of(
            "model", "contents", "systemInstruction", "tools", "toolConfig", "safetySettings",
            "generationConfig", "cachedContent", "serviceTier");

    /** A minimal MP4: an {@code ftyp} box (brand isom), a {@code free} box and a small {@code mdat}. */
    public static final byte[] TINY_MP4 = FakeOpenAiProvider.TINY_MP4;
    public static final String VIDEO_FILTER_PROMPT = "FILTER_ME";
    public static final String VIDEO_FAILURE_PROMPT = "BREAK_ME";
    public static final String VIDEO_FILTER_REASON =
            "Your prompt was blocked by our safety filters. Please rephrase it and try again.";
    public static final String VIDEO_FAILURE_MESSAGE = "Video generation failed: an internal error occurred.";

    private static final Pattern OPERATION_PATH =
            Pattern.compile("/(v1|v1beta)/(models/[^/:]+)/operations/([A-Za-z0-9_-]+)");
    private static final Pattern FILE_DOWNLOAD = Pattern.compile("/(v1|v1beta)/files/([A-Za-z0-9_-]+):download");

    private final AtomicLong requestCounter = new AtomicLong();
    private final Map<String, VideoOperation> operations = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile int videoPollsUntilDone = 2;

    private FakeGeminiProvider() {
        // Unbuffered: every SSE event reaches the wire when it is flushed.
        startServer(this::routes, listener -> listener.writeBufferSize(0));
    }

    /** Starts a fake on a random free port of 127.0.0.1. */
    public static FakeGeminiProvider start() {
        return new FakeGeminiProvider();
    }

    /** How many operation polls answer {@code done: false} before a Veo operation ends (default 2). */
    public void videoPollsUntilDone(int polls) {
        this.videoPollsUntilDone = polls;
    }

    /** The base URL a Gemini client is configured with, {@code http://127.0.0.1:PORT} (no version). */
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /**
     * One request as the fake saw it.
     *
     * @param path the decoded path, e.g. {@code /v1beta/models/gemini-2.5-flash:generateContent}
     * @param query the raw query string without {@code ?}, empty when there is none
     * @param headers header names in lower case; repeated headers joined with {@code ", "}
     */
    public record RecordedRequest(String method, String path, String query, Map<String, String> headers, String body) {

        public RecordedRequest {
            query = query == null ? "" : query;
            headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        }

        /** The body parsed with Jackson ({@code MissingNode} for an empty body). */
        public JsonNode json() {
            return parseJson(body);
        }

        /** The {@code x-goog-api-key} header, else the {@code key} query parameter, else null. */
        public String apiKey() {
            String header = headers.get("x-goog-api-key");
            if (header != null) {
                return header;
            }
            return queryParameter("key");
        }

        /** The first value of a query parameter, URL-decoded, or null. */
        public String queryParameter(String name) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                String key = eq < 0 ? pair : pair.substring(0, eq);
                if (URLDecoder.decode(key, UTF_8).equals(name)) {
                    return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), UTF_8);
                }
            }
            return null;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Routing and the per-request pipeline

    private void routes(HttpRouting.Builder routing) {
        routing.any(this::handle);
    }

    private enum Verb { GENERATE, STREAM, EMBED, BATCH_EMBED, PREDICT, PREDICT_LONG_RUNNING, OPERATION, DOWNLOAD, LIST, GET }

    /** The upstream behaviour chosen by the caller's API key. */
    private enum Behaviour {
        OK, NO_KEY, INVALID_KEY, FORBIDDEN, RATE_LIMITED, INTERNAL, OVERLOADED, STREAM_ERROR;

        static Behaviour forKey(String key) {
            if (key == null || key.isEmpty()) {
                return NO_KEY;
            }
            return switch (key) {
                case "gm-400-key" -> INVALID_KEY;
                case "gm-403" -> FORBIDDEN;
                case "gm-429" -> RATE_LIMITED;
                case "gm-500" -> INTERNAL;
                case "gm-503" -> OVERLOADED;
                case "gm-stream-error" -> STREAM_ERROR;
                default -> OK;
            };
        }
    }

    /** A routed request: which endpoint, for which model (null for the collection), in which API version. */
    private record Route(Verb verb, String version, String modelName, String rpcName) {

        /** The model id without the {@code models/} prefix, as the API echoes it in {@code modelVersion}. */
        String model() {
            return modelName.startsWith("models/") ? modelName.substring("models/".length()) : modelName;
        }

        /** The fully qualified RPC, as Google names it in ErrorInfo metadata. */
        String methodName() {
            String service = switch (verb) {
                case PREDICT, PREDICT_LONG_RUNNING -> "PredictionService";
                case OPERATION -> "OperationService";
                case DOWNLOAD -> "FileService";
                case LIST, GET -> "ModelService";
                default -> "GenerativeService";
            };
            return "google.ai.generativelanguage." + version + "." + service + "." + rpcName;
        }
    }

    /** What an endpoint needs to answer one request. */
    private record Call(ServerResponse response, RecordedRequest request, Route route, long number,
                        Behaviour behaviour, JsonNode body) {

        String model() {
            return route.model();
        }
    }

    /** A Google-shaped error answer ({@code google.rpc.Status}), thrown by any step and sent by {@link #handle}. */
    private static final class ApiError extends RuntimeException {
        @Serial
        private static final long serialVersionUID = 1L;

        final int code;
        final transient ObjectNode body;

        ApiError(int code, String status, String message) {
            this(code, status, message, null);
        }

        ApiError(int code, String status, String message, ArrayNode details) {
            super(message, null, false, false);
            this.code = code;
            this.body = errorBody(code, status, message, details);
        }
    }

    private static ObjectNode errorBody(int code, String status, String message, ArrayNode details) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", code);
        error.put("message", message);
        error.put("status", status);
        if (details != null && !details.isEmpty()) {
            error.set("details", details);
        }
        return body;
    }

    private void handle(ServerRequest req, ServerResponse res) throws IOException {
        RecordedRequest recorded = record(req);
        long number = requestCounter.incrementAndGet();
        Route route = route(recorded);
        if (route == null) {
            sendHtmlNotFound(res, recorded.path());
            return;
        }
        Behaviour behaviour = Behaviour.forKey(recorded.apiKey());
        try {
            // Like the real API: the caller is checked before the request is even parsed.
            applyKeyBehaviour(behaviour, route);
            JsonNode body = "POST".equals(recorded.method()) ? parseBody(recorded.body()) : null;
            if (MISSING_MODEL.equals(route.model())) {
                throw modelNotFound(route);
            }
            Call call = new Call(res, recorded, route, number, behaviour, body);
            switch (route.verb()) {
                case GENERATE -> generateContent(call);
                case STREAM -> streamGenerateContent(call);
                case EMBED -> embedContent(call);
                case BATCH_EMBED -> batchEmbedContents(call);
                case PREDICT -> predict(call);
                case PREDICT_LONG_RUNNING -> predictLongRunning(call);
                case OPERATION -> operation(call);
                case DOWNLOAD -> download(call);
                case LIST -> listModels(call);
                case GET -> getModel(call);
            }
        } catch (ApiError error) {
            res.status(error.code);
            sendJson(res, error.body);
        }
    }

    private RecordedRequest record(ServerRequest req) {
        Map<String, String> headers = headersOf(req);
        String body = new String(bodyOf(req), UTF_8);
        String query = req.query().rawValue();
        RecordedRequest recorded = new RecordedRequest(req.prologue().method().text(), req.path().path(),
                                                       query, headers, body);
        record(recorded);
        return recorded;
    }

    /** The endpoint for a method and path, or null for a URL the API does not serve. */
    private static Route route(RecordedRequest request) {
        String path = request.path();
        if ("POST".equals(request.method())) {
            Matcher matcher = MODEL_METHOD.matcher(path);
            if (!matcher.matches()) {
                return null;
            }
            String rpc = matcher.group(3);
            Verb verb = switch (rpc) {
                case "generateContent" -> Verb.GENERATE;
                case "streamGenerateContent" -> Verb.STREAM;
                case "embedContent" -> Verb.EMBED;
                case "batchEmbedContents" -> Verb.BATCH_EMBED;
                case "predict" -> Verb.PREDICT;
                case "predictLongRunning" -> Verb.PREDICT_LONG_RUNNING;
                default -> null;
            };
            return verb == null ? null : new Route(verb, matcher.group(1), matcher.group(2), capitalize(rpc));
        }
        if ("GET".equals(request.method())) {
            Matcher operation = OPERATION_PATH.matcher(path);
            if (operation.matches()) {
                return new Route(Verb.OPERATION, operation.group(1), operation.group(2), "GetOperation");
            }
            Matcher file = FILE_DOWNLOAD.matcher(path);
            if (file.matches()) {
                return new Route(Verb.DOWNLOAD, file.group(1), "files/" + file.group(2), "DownloadFile");
            }
            Matcher collection = MODEL_COLLECTION.matcher(path);
            if (collection.matches()) {
                return new Route(Verb.LIST, collection.group(1), "models", "ListModels");
            }
            Matcher resource = MODEL_RESOURCE.matcher(path);
            if (resource.matches()) {
                return new Route(Verb.GET, resource.group(1), resource.group(2), "GetModel");
            }
        }
        return null;
    }

    private static String capitalize(String rpc) {
        return Character.toUpperCase(rpc.charAt(0)) + rpc.substring(1);
    }

    private static void applyKeyBehaviour(Behaviour behaviour, Route route) {
        switch (behaviour) {
            case OK, STREAM_ERROR -> { }
            case NO_KEY -> throw new ApiError(403, "PERMISSION_DENIED",
                    "Method doesn't allow unregistered callers (callers without established identity)."
                            + " Please use API Key or other form of API consumer identity to call this API.");
            case INVALID_KEY -> {
                String message = "API key not valid. Please pass a valid API key.";
                ArrayNode details = JSON.createArrayNode();
                details.add(errorInfo("API_KEY_INVALID", Map.of("service", "generativelanguage.googleapis.com")));
                details.addObject()
                        .put("@type", "type.googleapis.com/google.rpc.LocalizedMessage")
                        .put("locale", "en-US")
                        .put("message", message);
                throw new ApiError(400, "INVALID_ARGUMENT", message, details);
            }
            case FORBIDDEN -> {
                ArrayNode details = JSON.createArrayNode();
                Map<String, String> metadata = new LinkedHashMap<>();
                metadata.put("methodName", route.methodName());
                metadata.put("consumer", "projects/000000000000");
                metadata.put("service", "generativelanguage.googleapis.com");
                details.add(errorInfo("API_KEY_SERVICE_BLOCKED", metadata));
                throw new ApiError(403, "PERMISSION_DENIED",
                        "Requests to this API generativelanguage.googleapis.com method " + route.methodName()
                                + " are blocked.", details);
            }
            case RATE_LIMITED -> {
                ArrayNode details = JSON.createArrayNode();
                ObjectNode violation = details.addObject()
                        .put("@type", "type.googleapis.com/google.rpc.QuotaFailure")
                        .putArray("violations").addObject();
                violation.put("quotaMetric", "generativelanguage.googleapis.com/generate_content_free_tier_requests");
                violation.put("quotaId", "GenerateRequestsPerMinutePerProjectPerModel-FreeTier");
                ObjectNode dimensions = violation.putObject("quotaDimensions").put("location", "global");
                if (route.verb() != Verb.LIST) {
                    dimensions.put("model", route.model());
                }
                violation.put("quotaValue", "10");
                details.addObject()
                        .put("@type", "type.googleapis.com/google.rpc.Help")
                        .putArray("links").addObject()
                        .put("description", "Learn more about Gemini API quotas")
                        .put("url", "https://ai.google.dev/gemini-api/docs/rate-limits");
                details.addObject()
                        .put("@type", "type.googleapis.com/google.rpc.RetryInfo")
                        .put("retryDelay", "7s");
                throw new ApiError(429, "RESOURCE_EXHAUSTED",
                        "You exceeded your current quota, please check your plan and billing details. For more"
                                + " information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.",
                        details);
            }
            case INTERNAL -> throw internalError();
            case OVERLOADED -> throw overloaded();
        }
    }

    private static ObjectNode errorInfo(String reason, Map<String, String> metadata) {
        ObjectNode info = JSON.createObjectNode();
        info.put("@type", "type.googleapis.com/google.rpc.ErrorInfo");
        info.put("reason", reason);
        info.put("domain", "googleapis.com");
        ObjectNode meta = info.putObject("metadata");
        metadata.forEach(meta::put);
        return info;
    }

    private static ApiError internalError() {
        return new ApiError(500, "INTERNAL", "An internal error has occurred. Please retry or report in"
                + " https://developers.generativeai.google/guide/troubleshooting");
    }

    private static ApiError overloaded() {
        return new ApiError(503, "UNAVAILABLE", "The model is overloaded. Please try again later.");
    }

    private static ApiError modelNotFound(Route route) {
        String method = route.rpcName().substring(0, 1).toLowerCase(Locale.ROOT) + route.rpcName().substring(1);
        return new ApiError(404, "NOT_FOUND", route.modelName() + " is not found for API version " + route.version()
                + ", or is not supported for " + method + ". Call ListModels to see the list of available models"
                + " and their supported methods.");
    }

    private static ApiError invalidArgument(String message) {
        return new ApiError(400, "INVALID_ARGUMENT", message);
    }

    private static JsonNode parseBody(String body) {
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            node = null;
        }
        if (node == null || !node.isObject()) {
            throw invalidArgument("Invalid JSON payload received. Unexpected token.");
        }
        return node;
    }

    // ---------------------------------------------------------------------------------------------
    // Field access: proto3 JSON accepts lowerCamelCase and the original snake_case names.

    private static JsonNode field(JsonNode node, String camelName) {
        JsonNode value = node.path(camelName);
        return value.isMissingNode() ? node.path(snakeCase(camelName)) : value;
    }

    private static boolean has(JsonNode node, String camelName) {
        JsonNode value = field(node, camelName);
        return !value.isMissingNode() && !value.isNull();
    }

    private static String snakeCase(String camelName) {
        StringBuilder snake = new StringBuilder(camelName.length() + 4);
        for (char c : camelName.toCharArray()) {
            if (Character.isUpperCase(c)) {
                snake.append('_').append(Character.toLowerCase(c));
            } else {
                snake.append(c);
            }
        }
        return snake.toString();
    }

    private static String camelCase(String name) {
        StringBuilder camel = new StringBuilder(name.length());
        boolean upper = false;
        for (char c : name.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                camel.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return camel.toString();
    }

    // ---------------------------------------------------------------------------------------------
    // Request validation for generateContent / streamGenerateContent

    private static void validateGenerateContent(JsonNode body) {
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!GENERATE_CONTENT_FIELDS.contains(camelCase(name))) {
                throw invalidArgument("Invalid JSON payload received. Unknown name \"" + name + "\": Cannot find field.");
            }
        }
        JsonNode contents = field(body, "contents");
        if (!contents.isArray() || contents.isEmpty()) {
            throw invalidArgument("* GenerateContentRequest.contents: contents is not specified\n");
        }
        for (int i = 0; i < contents.size(); i++) {
            validateContent(contents.get(i), "contents[" + i + "]", true);
        }
        if (has(body, "systemInstruction")) {
            validateContent(field(body, "systemInstruction"), "system_instruction", false);
        }
    }

    private static void validateContent(JsonNode content, String where, boolean checkRole) {
        JsonNode role = content.path("role");
        if (checkRole && role.isTextual() && !role.asText().isEmpty()
                && !"user".equals(role.asText()) && !"model".equals(role.asText())) {
            throw invalidArgument("Please use a valid role: user, model.");
        }
        JsonNode parts = content.path("parts");
        if (!parts.isArray() || parts.isEmpty()) {
            throw invalidArgument("* GenerateContentRequest." + where + ".parts: contents.parts must not be empty.\n");
        }
        for (int p = 0; p < parts.size(); p++) {
            JsonNode inline = field(parts.get(p), "inlineData");
            if (!inline.isMissingNode() && !isBase64(inline.path("data").asText(""))) {
                String data = inline.path("data").asText("");
                throw invalidArgument("Invalid value at '" + where + ".parts[" + p + "].inline_data.data' (TYPE_BYTES),"
                        + " Base64 decoding failed for \"" + (data.length() > 40 ? data.substring(0, 40) + "..." : data) + "\"");
            }
        }
    }

    /** Proto3 JSON accepts standard and URL-safe base64, with or without padding. */
    private static boolean isBase64(String data) {
        if (data.isEmpty()) {
            return false;
        }
        try {
            Base64.getDecoder().decode(data);
            return true;
        } catch (IllegalArgumentException standard) {
            try {
                Base64.getUrlDecoder().decode(data);
                return true;
            } catch (IllegalArgumentException urlSafe) {
                return false;
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // POST …:generateContent and …:streamGenerateContent

    /** What the model answers: optional thought, then either function calls or text. */
    private record Answer(ObjectNode thought, List<ObjectNode> functionCalls, String text, boolean json) { }

    private static Answer answer(Call call) {
        JsonNode body = call.body();
        JsonNode generationConfig = field(body, "generationConfig");
        ObjectNode thought = null;
        if (field(field(generationConfig, "thinkingConfig"), "includeThoughts").asBoolean(false)) {
            thought = JSON.createObjectNode().put("text", THOUGHT_TEXT).put("thought", true);
        }
        List<String> functions = callableFunctions(body);
        if (!functions.isEmpty()) {
            List<ObjectNode> calls = new ArrayList<>();
            for (int i = 0; i < Math.min(2, functions.size()); i++) {
                ObjectNode part = JSON.createObjectNode();
                ObjectNode functionCall = part.putObject("functionCall");
                functionCall.put("id", "fc-fake-" + call.number() + "-" + (i + 1));
                functionCall.put("name", functions.get(i));
                ObjectNode args = functionCall.putObject("args");
                if (i == 0) {
                    args.put("city", "Paris");
                    part.put("thoughtSignature", THOUGHT_SIGNATURE);
                } else {
                    args.put("q", "x");
                }
                calls.add(part);
            }
            return new Answer(thought, List.copyOf(calls), null, false);
        }
        if ("application/json".equals(field(generationConfig, "responseMimeType").asText())) {
            return new Answer(thought, List.of(), JSON_ANSWER, true);
        }
        return new Answer(thought, List.of(), "Hello from fake " + call.model(), false);
    }

    /** Whether {@code generationConfig.responseModalities} asks for an IMAGE, as Gemini image models are called. */
    private static boolean wantsImage(JsonNode body) {
        for (JsonNode modality : field(field(body, "generationConfig"), "responseModalities")) {
            if ("IMAGE".equals(modality.asText())) {
                return true;
            }
        }
        return false;
    }

    /** Declared function names in order, minus what {@code toolConfig.functionCallingConfig} rules out. */
    private static List<String> callableFunctions(JsonNode body) {
        JsonNode callingConfig = field(field(body, "toolConfig"), "functionCallingConfig");
        if ("NONE".equals(callingConfig.path("mode").asText())) {
            return List.of();
        }
        List<String> allowed = new ArrayList<>();
        field(callingConfig, "allowedFunctionNames").forEach(name -> allowed.add(name.asText()));
        List<String> names = new ArrayList<>();
        for (JsonNode tool : field(body, "tools")) {
            for (JsonNode declaration : field(tool, "functionDeclarations")) {
                String name = declaration.path("name").asText();
                if (allowed.isEmpty() || allowed.contains(name)) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    private void generateContent(Call call) throws IOException {
        validateGenerateContent(call.body());
        Answer answer = answer(call);
        List<JsonNode> parts = new ArrayList<>();
        if (answer.thought() != null) {
            parts.add(answer.thought());
        }
        parts.addAll(answer.functionCalls());
        if (answer.text() != null) {
            parts.add(JSON.createObjectNode().put("text", answer.text()));
        }
        if (wantsImage(call.body())) {
            ObjectNode image = JSON.createObjectNode();
            image.putObject("inlineData").put("mimeType", "image/png").put("data", TINY_PNG_BASE64);
            parts.add(image);
        }
        sendJson(call.response(), generateContentResponse(call, parts, true, CANDIDATES_TOKENS));
    }

    /**
     * One GenerateContentResponse. {@code candidatesTokens} is the running count of candidate tokens;
     * 0 leaves {@code candidatesTokenCount} out, as the API does while only thoughts have been produced.
     */
    private static ObjectNode generateContentResponse(Call call, List<JsonNode> parts, boolean last, int candidatesTokens) {
        ObjectNode response = JSON.createObjectNode();
        ObjectNode candidate = response.putArray("candidates").addObject();
        ObjectNode content = candidate.putObject("content");
        ArrayNode partArray = content.putArray("parts");
        parts.forEach(partArray::add);
        content.put("role", "model");
        if (last) {
            candidate.put("finishReason", "STOP");
        }
        candidate.put("index", 0);
        response.set("usageMetadata", usage(candidatesTokens));
        response.put("modelVersion", call.model());
        response.put("responseId", "fake-resp-" + call.number());
        return response;
    }

    private static ObjectNode usage(int candidatesTokens) {
        ObjectNode usage = JSON.createObjectNode();
        usage.put("promptTokenCount", PROMPT_TOKENS);
        if (candidatesTokens > 0) {
            usage.put("candidatesTokenCount", candidatesTokens);
        }
        usage.put("totalTokenCount", PROMPT_TOKENS + candidatesTokens + THOUGHTS_TOKENS);
        usage.put("cachedContentTokenCount", CACHED_TOKENS);
        usage.putArray("promptTokensDetails").addObject().put("modality", "TEXT").put("tokenCount", PROMPT_TOKENS);
        usage.putArray("cacheTokensDetails").addObject().put("modality", "TEXT").put("tokenCount", CACHED_TOKENS);
        usage.put("thoughtsTokenCount", THOUGHTS_TOKENS);
        return usage;
    }

    private void streamGenerateContent(Call call) throws IOException {
        validateGenerateContent(call.body());
        Answer answer = answer(call);
        // Each element: the parts of one event.
        List<List<JsonNode>> events = new ArrayList<>();
        if (answer.thought() != null) {
            events.add(List.of(answer.thought()));
        }
        int thoughtEvents = events.size();
        if (!answer.functionCalls().isEmpty()) {
            events.add(List.copyOf(answer.functionCalls()));
        } else {
            List<String> pieces = answer.json() ? halves(answer.text()) : words(answer.text());
            for (String piece : pieces) {
                events.add(List.of(JSON.createObjectNode().put("text", piece)));
            }
        }
        boolean sse = "sse".equals(call.request().queryParameter("alt"));
        boolean failMidway = call.behaviour() == Behaviour.STREAM_ERROR;

        ServerResponse res = call.response();
        res.status(200);
        res.header(HeaderNames.CONTENT_TYPE, sse ? SSE_CONTENT_TYPE : JSON_CONTENT_TYPE);
        res.header(HeaderNames.CONTENT_DISPOSITION, "attachment");
        res.header(HeaderNames.VARY, "Origin, X-Origin, Referer");
        OutputStream out = res.outputStream();
        if (!sse) {
            out.write('[');
        }
        int contentEvents = events.size() - thoughtEvents;
        // gm-stream-error: at most two content events get through, and never the finishing one.
        int failAt = thoughtEvents + Math.min(2, contentEvents - 1);
        for (int i = 0; i < events.size(); i++) {
            if (failMidway && i == failAt) {
                writeStreamElement(out, sse, i, overloaded().body);
                break;
            }
            boolean last = i == events.size() - 1;
            int produced = i < thoughtEvents ? 0 : CANDIDATES_TOKENS * (i - thoughtEvents + 1) / contentEvents;
            writeStreamElement(out, sse, i, generateContentResponse(call, events.get(i), last, produced));
        }
        if (!sse) {
            out.write("\n]".getBytes(UTF_8));
        }
        out.close();
    }

    private static void writeStreamElement(OutputStream out, boolean sse, int index, JsonNode element) throws IOException {
        if (sse) {
            out.write(("data: " + ONE_LINE.writeValueAsString(element) + SSE_EVENT_END).getBytes(UTF_8));
        } else {
            out.write(((index == 0 ? "" : "\n,\r\n") + PRETTY.writeValueAsString(element)).getBytes(UTF_8));
        }
        out.flush();
    }

    /** "Hello from fake m" becomes "Hello", " from", " fake", " m". */
    private static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == ' ') {
                words.add(text.substring(start, i));
                start = i;
            }
        }
        return words;
    }

    /** A JSON answer in two pieces, split after its first comma. */
    private static List<String> halves(String text) {
        int cut = text.indexOf(',') + 1;
        return cut <= 0 ? List.of(text) : List.of(text.substring(0, cut), text.substring(cut));
    }

    // ---------------------------------------------------------------------------------------------
    // POST …:embedContent and …:batchEmbedContents

    /**
     * The deterministic vector answered for the input at {@code inputIndex} (0 for embedContent): dyadic
     * fractions in (0, 0.5), exactly representable as float and in JSON, so tests can compare with equality.
     */
    public static float[] embeddingFor(int inputIndex) {
        float[] vector = new float[EMBEDDING_DIMENSIONS];
        for (int d = 0; d < EMBEDDING_DIMENSIONS; d++) {
            vector[d] = ((inputIndex % 31 + 1) * EMBEDDING_DIMENSIONS + d) / 512f;
        }
        return vector;
    }

    private static ObjectNode embedding(JsonNode request, int index, String where) {
        JsonNode content = field(request, "content");
        if (!content.path("parts").isArray() || content.path("parts").isEmpty()) {
            throw invalidArgument("* " + where + ".content.parts: contents.parts must not be empty.\n");
        }
        // outputDimensionality truncates, as the API does for models that support it.
        int dimensions = EMBEDDING_DIMENSIONS;
        JsonNode requested = field(request, "outputDimensionality");
        if (requested.canConvertToInt() && requested.asInt() > 0) {
            dimensions = Math.min(dimensions, requested.asInt());
        }
        ObjectNode embedding = JSON.createObjectNode();
        ArrayNode values = embedding.putArray("values");
        float[] vector = embeddingFor(index);
        for (int d = 0; d < dimensions; d++) {
            values.add(vector[d]);
        }
        return embedding;
    }

    private void embedContent(Call call) throws IOException {
        ObjectNode response = JSON.createObjectNode();
        response.set("embedding", embedding(call.body(), 0, "EmbedContentRequest"));
        sendJson(call.response(), response);
    }

    private void batchEmbedContents(Call call) throws IOException {
        JsonNode batch = field(call.body(), "requests");
        if (!batch.isArray() || batch.isEmpty()) {
            throw invalidArgument("* BatchEmbedContentsRequest.requests: at least one request is required\n");
        }
        ObjectNode response = JSON.createObjectNode();
        ArrayNode embeddings = response.putArray("embeddings");
        for (int i = 0; i < batch.size(); i++) {
            embeddings.add(embedding(batch.get(i), i, "BatchEmbedContentsRequest.requests[" + i + "]"));
        }
        sendJson(call.response(), response);
    }

    // ---------------------------------------------------------------------------------------------
    // POST …:predict (Imagen)

    private void predict(Call call) throws IOException {
        JsonNode instances = call.body().path("instances");
        if (!instances.isArray() || instances.isEmpty()
                || !instances.get(0).path("prompt").isTextual() || instances.get(0).path("prompt").asText().isBlank()) {
            throw invalidArgument("Image generation failed with the following error: The prompt is empty.");
        }
        JsonNode requested = field(call.body().path("parameters"), "sampleCount");
        int count = requested.canConvertToInt() ? requested.asInt() : DEFAULT_IMAGE_COUNT;
        if (count < 1 || count > 4) {
            throw invalidArgument("Image generation failed with the following error: sampleCount must be in the"
                    + " range [1, 4], but got " + count + ".");
        }
        ObjectNode response = JSON.createObjectNode();
        ArrayNode predictions = response.putArray("predictions");
        for (int i = 0; i < count; i++) {
            predictions.addObject().put("bytesBase64Encoded", TINY_PNG_BASE64).put("mimeType", "image/png");
        }
        sendJson(call.response(), response);
    }

    // ---------------------------------------------------------------------------------------------
    // POST …:predictLongRunning (Veo), GET …/operations/{id}, GET /v1beta/files/{id}:download

    private static final class VideoOperation {
        final String name;
        final String prompt;
        final int samples;
        int polls;

        VideoOperation(String name, String prompt, int samples) {
            this.name = name;
            this.prompt = prompt;
            this.samples = samples;
        }
    }

    private void predictLongRunning(Call call) throws IOException {
        if (!call.model().startsWith("veo-")) {
            throw modelNotFound(call.route());
        }
        JsonNode instances = call.body().path("instances");
        if (!instances.isArray() || instances.isEmpty() || !instances.get(0).path("prompt").isTextual()
                || instances.get(0).path("prompt").asText().isBlank()) {
            throw invalidArgument("The prompt is empty.");
        }
        JsonNode parameters = call.body().path("parameters");
        JsonNode ratio = field(parameters, "aspectRatio");
        if (!ratio.isMissingNode() && !List.of("16:9", "9:16").contains(ratio.asText())) {
            throw invalidArgument("Aspect ratio " + ratio.asText() + " is not supported. Supported aspect ratios"
                    + " are 16:9 and 9:16.");
        }
        JsonNode duration = field(parameters, "durationSeconds");
        if (!duration.isMissingNode() && (!duration.isIntegralNumber() || duration.asInt() < 4 || duration.asInt() > 8)) {
            throw invalidArgument("The number value for `durationSeconds` is out of bound. Please provide a value"
                    + " between 4 and 8, inclusive.");
        }
        JsonNode count = field(parameters, "sampleCount");
        int samples = count.canConvertToInt() ? count.asInt() : 1;
        String name = call.route().modelName() + "/operations/op" + call.number();
        operations.put(name, new VideoOperation(name, instances.get(0).path("prompt").asText(), samples));
        sendJson(call.response(), JSON.createObjectNode().put("name", name));
    }

    private void operation(Call call) throws IOException {
        String name = call.route().modelName() + "/operations/" + call.request().path().substring(
                call.request().path().lastIndexOf('/') + 1);
        VideoOperation operation = operations.get(name);
        if (operation == null) {
            throw new ApiError(404, "NOT_FOUND", "Operation not found: " + name);
        }
        ObjectNode answer = JSON.createObjectNode().put("name", name);
        synchronized (operation) {
            operation.polls++;
            if (operation.polls <= videoPollsUntilDone) {
                sendJson(call.response(), answer);
                return;
            }
        }
        answer.put("done", true);
        if (operation.prompt.contains(VIDEO_FAILURE_PROMPT)) {
            answer.putObject("error").put("code", 13).put("message", VIDEO_FAILURE_MESSAGE);
            sendJson(call.response(), answer);
            return;
        }
        ObjectNode result = answer.putObject("response")
                .put("@type", "type.googleapis.com/google.ai.generativelanguage.v1beta.PredictLongRunningResponse")
                .putObject("generateVideoResponse");
        if (operation.prompt.contains(VIDEO_FILTER_PROMPT)) {
            result.put("raiMediaFilteredCount", operation.samples);
            result.putArray("raiMediaFilteredReasons").add(VIDEO_FILTER_REASON);
        } else {
            ArrayNode samples = result.putArray("generatedSamples");
            for (int i = 0; i < operation.samples; i++) {
                samples.addObject().putObject("video").put("uri", baseUrl() + "/" + call.route().version()
                        + "/files/" + operation.name.substring(operation.name.lastIndexOf('/') + 1) + "s" + i
                        + ":download?alt=media");
            }
        }
        sendJson(call.response(), answer);
    }

    private void download(Call call) {
        call.response().header(HeaderNames.CONTENT_TYPE, "video/mp4");
        call.response().send(TINY_MP4);
    }

    // ---------------------------------------------------------------------------------------------
    // GET /v1beta/models, GET /v1beta/models/{model}

    private static Map<String, List<String>> orderedModels() {
        Map<String, List<String>> models = new LinkedHashMap<>();
        List<String> generative = List.of("generateContent", "countTokens", "createCachedContent", "batchGenerateContent");
        models.put("gemini-2.5-flash", generative);
        models.put("gemini-2.5-pro", generative);
        models.put("gemini-embedding-001", List.of("embedContent", "countTextTokens", "countTokens", "asyncBatchEmbedContent"));
        models.put("imagen-4.0-generate-001", List.of("predict"));
        return Collections.unmodifiableMap(models);
    }

    private void listModels(Call call) throws IOException {
        int pageSize = DEFAULT_PAGE_SIZE;
        String requestedSize = call.request().queryParameter("pageSize");
        if (requestedSize != null) {
            try {
                pageSize = Integer.parseInt(requestedSize);
            } catch (NumberFormatException e) {
                throw invalidArgument("Invalid value at 'page_size' (TYPE_INT32), \"" + requestedSize + "\"");
            }
            if (pageSize <= 0) {
                pageSize = DEFAULT_PAGE_SIZE;
            }
        }
        int offset = 0;
        String token = call.request().queryParameter("pageToken");
        if (token != null && !token.isEmpty()) {
            try {
                offset = Integer.parseInt(new String(Base64.getUrlDecoder().decode(token), UTF_8));
            } catch (IllegalArgumentException e) {
                throw invalidArgument("Invalid page token.");
            }
        }
        List<String> ids = List.copyOf(MODELS.keySet());
        ObjectNode response = JSON.createObjectNode();
        ArrayNode models = response.putArray("models");
        int end = Math.min(ids.size(), offset + pageSize);
        for (int i = offset; i < end; i++) {
            models.add(model(ids.get(i)));
        }
        if (end < ids.size()) {
            response.put("nextPageToken",
                         Base64.getUrlEncoder().withoutPadding().encodeToString(Integer.toString(end).getBytes(UTF_8)));
        }
        sendJson(call.response(), response);
    }

    private void getModel(Call call) throws IOException {
        if (!MODELS.containsKey(call.model())) {
            throw modelNotFound(call.route());
        }
        sendJson(call.response(), model(call.model()));
    }

    private static ObjectNode model(String id) {
        boolean gemini = id.startsWith("gemini-2");
        ObjectNode model = JSON.createObjectNode();
        model.put("name", "models/" + id);
        model.put("version", "001");
        model.put("displayName", displayName(id));
        model.put("description", "Fake " + displayName(id) + " served by FakeGeminiProvider");
        model.put("inputTokenLimit", gemini ? 1_048_576 : id.startsWith("imagen") ? 480 : 2048);
        model.put("outputTokenLimit", gemini ? 65_536 : id.startsWith("imagen") ? 8192 : 1);
        ArrayNode methods = model.putArray("supportedGenerationMethods");
        MODELS.get(id).forEach(methods::add);
        if (gemini) {
            model.put("temperature", 1);
            model.put("topP", 0.95);
            model.put("topK", 64);
            model.put("maxTemperature", 2);
            model.put("thinking", true);
        }
        return model;
    }

    private static String displayName(String id) {
        StringBuilder name = new StringBuilder();
        for (String word : id.split("-")) {
            if (!name.isEmpty()) {
                name.append(' ');
            }
            name.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
        }
        return name.toString();
    }

    // ---------------------------------------------------------------------------------------------
    // Output

    private static void sendJson(ServerResponse res, JsonNode json) throws JsonProcessingException {
        res.header(HeaderNames.CONTENT_TYPE, JSON_CONTENT_TYPE);
        res.header(HeaderNames.VARY, "Origin, X-Origin, Referer");
        res.send(PRETTY.writeValueAsBytes(json));
    }

    /** Google's front end answers URLs no API serves with an HTML page, not a JSON error. */
    private static void sendHtmlNotFound(ServerResponse res, String path) {
        String escaped = path.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        String page = "<!DOCTYPE html>\n<html lang=en>\n  <meta charset=utf-8>\n"
                + "  <title>Error 404 (Not Found)!!1</title>\n"
                + "  <p><b>404.</b> <ins>That\u2019s an error.</ins>\n"
                + "  <p>The requested URL <code>" + escaped + "</code> was not found on this server."
                + "  <ins>That\u2019s all we know.</ins>\n";
        res.status(404);
        res.header(HeaderNames.CONTENT_TYPE, HTML_CONTENT_TYPE);
        res.send(page.getBytes(UTF_8));
    }

    private static DefaultPrettyPrinter googlePrettyPrinter() {
        Separators separators = Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withArrayEmptySeparator("")
                .withObjectEmptySeparator("");
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter(separators);
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        printer.indentObjectsWith(indenter);
        printer.indentArraysWith(indenter);
        return printer;
    }

    /** Compact JSON with {@code ": "} between a field name and its value, as in Google's SSE events. */
    private static final class OneLinePrinter extends MinimalPrettyPrinter {
        @Serial
        private static final long serialVersionUID = 1L;

        @Override
        public void writeObjectFieldValueSeparator(JsonGenerator generator) throws IOException {
            generator.writeRaw(": ");
        }
    }
}
