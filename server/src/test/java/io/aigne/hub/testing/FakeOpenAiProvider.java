package io.aigne.hub.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Serial;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * In-process fake of the OpenAI REST API, listening on a random loopback port.
 *
 * <p>The wire format follows the public OpenAI API reference closely enough that the official
 * {@code openai-java} SDK parses every answer (see {@code FakeOpenAiProviderTest}). Gateway tests point
 * a provider at {@link #baseUrl()} and choose the upstream behaviour per credential, through the API
 * key the gateway sends as {@code Authorization: Bearer <key>}:
 *
 * <ul>
 *   <li>{@code sk-ok…} and any key not listed here: success.
 *   <li>{@code sk-401}: 401 {@code invalid_api_key}; the message echoes the key like the real API does,
 *       so a gateway test can check that the key is scrubbed before it reaches a client or a log.
 *   <li>{@code sk-403}: 403 permission error.
 *   <li>{@code sk-429}: 429 {@code rate_limit_exceeded} with {@code Retry-After: 7} and
 *       {@code x-ratelimit-*} headers.
 *   <li>{@code sk-500}: 500 {@code server_error}. {@code sk-503}: 503 "overloaded".
 *   <li>{@code sk-reset}: the connection is closed without any HTTP response.
 *   <li>{@code sk-drop}: streamed chat sends 200, the role chunk and three content chunks, then the
 *       connection is closed without {@code [DONE]} or usage. Anything else: as {@code sk-reset}.
 *   <li>{@code sk-slow}: streamed chat sends the role chunk at once, the first content chunk after
 *       300 ms and the text in 10 chunks 50 ms apart; any other answer comes after 300 ms.
 *   <li>{@code sk-headers-then-die}: a 200 status line and headers are flushed, then the connection is
 *       closed before the first body byte.
 *   <li>no Authorization header: 401, like the real API.
 * </ul>
 *
 * <p>How the "connection dies" behaviours look to a client: the handler throws Helidon's
 * {@link CloseConnectionException}, which Helidon lets escape its error handling and answers by
 * closing the socket, so the peer sees an orderly TCP close (FIN), not an RST. Helidon has no public
 * per-connection way to abort with an RST, and {@code SO_LINGER=0} on the listener would turn every
 * close into a reset (and could discard the already written part of a dropped stream). Observed with
 * JDK 25 {@code java.net.http.HttpClient} (pinned down in {@code FakeOpenAiProviderTest}):
 *
 * <ul>
 *   <li>{@code sk-reset}: {@code send} throws {@code IOException: HTTP/1.1 header parser received no
 *       bytes}. For a GET (e.g. {@code /v1/models}) the client silently retries once, so the fake records
 *       two requests; a POST is not retried.
 *   <li>{@code sk-drop}: status 200, the four events arrive, then reading the body throws
 *       {@code IOException: closed} (cause: "chunked transfer encoding, state: READING_LENGTH").
 *   <li>{@code sk-headers-then-die}: status 200 with the headers, then reading the body throws
 *       {@code IOException: closed} (cause: "fixed content-length: 65536, bytes received: 0").
 * </ul>
 *
 * <p>openai-java (OkHttp) reports all three as {@code OpenAIIoException} ("Request failed" / "Stream
 * failed"), except a non-streamed sk-headers-then-die, which is {@code OpenAIInvalidDataException}
 * ("Error reading response"); OkHttp does not retry on its own, only the SDK's {@code maxRetries} does.
 *
 * <p>Independent of the key: a request body that is not a JSON object answers 400, a missing
 * {@code model} answers 400, and the model {@code missing-model} answers 404 {@code model_not_found}.
 * Unknown routes answer OpenAI's 404 "Invalid URL". Every answer carries {@code x-request-id:
 * req_fake_<n>}, where {@code n} counts requests and also numbers the {@code chatcmpl-fake-<n>} ids.
 *
 * <p>Videos (Sora): {@code POST /v1/videos} takes a {@code multipart/form-data} form ({@code model},
 * {@code prompt}, {@code seconds}, {@code size}) and answers a video job with status {@code queued};
 * {@code GET /v1/videos/{id}} answers {@code in_progress} for the first {@link #videoPollsUntilDone} polls
 * and {@code completed} after; {@code GET /v1/videos/{id}/content} then serves {@link #TINY_MP4}
 * ({@code video/mp4}), and 404 before. A prompt containing {@value #VIDEO_MODERATION_PROMPT} ends
 * {@code failed} with error {@code moderation_blocked}; one containing {@value #VIDEO_FAILURE_PROMPT} ends
 * {@code failed} with {@code internal_error}.
 *
 * <p>Success content is deterministic; the constants below are what tests can assert on.
 */
public final class FakeOpenAiProvider extends FakeProviderServer<FakeOpenAiProvider.RecordedRequest> {

    /** Appended to the requested chat model in answers, as the real API answers with a dated snapshot. */
    public static final String SNAPSHOT_SUFFIX = "-2024-07-18";
    /** The model name that makes every endpoint answer 404 {@code model_not_found}. */
    public static final String MISSING_MODEL = "missing-model";
    /** Model ids listed by {@code GET /v1/models}. */
    public static final List<String> MODELS = List.of("gpt-4o-mini", "gpt-4o", "text-embedding-3-small", "gpt-image-1");

    public static final int PROMPT_TOKENS = 11;
    public static final int COMPLETION_TOKENS = 7;
    public static final int TOTAL_TOKENS = 18;
    public static final int CACHED_TOKENS = 3;
    public static final int REASONING_TOKENS = 2;

    public static final int EMBEDDING_DIMENSIONS = 8;
    public static final int EMBEDDING_TOKENS_PER_INPUT = 5;

    /** Image usage reported for gpt-image-1: input tokens per request, output tokens per image. */
    public static final int IMAGE_INPUT_TOKENS = 10;
    public static final int IMAGE_OUTPUT_TOKENS_PER_IMAGE = 272;

    /** A valid 1x1 transparent PNG, returned as {@code b64_json}. */
    public static final String TINY_PNG_BASE64 =
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

    /** A minimal MP4: an {@code ftyp} box (brand isom), a {@code free} box and a small {@code mdat}. */
    public static final byte[] TINY_MP4 = tinyMp4();
    public static final String VIDEO_MODERATION_PROMPT = "BLOCK_ME";
    public static final String VIDEO_FAILURE_PROMPT = "BREAK_ME";
    public static final String VIDEO_MODERATION_MESSAGE =
            "Your request was blocked by our moderation system.";
    public static final String VIDEO_FAILURE_MESSAGE = "Video generation failed due to an internal error.";

    public static final String SYSTEM_FINGERPRINT = "fp_fake0001";
    public static final String REQUEST_ID_HEADER = "x-request-id";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JSON_CONTENT_TYPE = "application/json";
    private static final String SSE_CONTENT_TYPE = "text/event-stream; charset=utf-8";

    private static final long SLOW_FIRST_TOKEN_MILLIS = 300;
    private static final long SLOW_CHUNK_GAP_MILLIS = 50;
    private static final int SLOW_CONTENT_CHUNKS = 10;
    /** sk-drop sends this many chunks (role chunk + 3 content chunks) before the connection dies. */
    private static final int DROP_AFTER_CHUNKS = 4;
    /**
     * Pause before a connection is killed after bytes were sent. Without it the close can arrive in the
     * same read as the last chunks, and java.net.http then reports the error without handing out those
     * chunks; with it a client reliably sees everything that was sent, then the failure.
     */
    private static final long DIE_AFTER_BYTES_MILLIS = 100;

    private final AtomicLong requestCounter = new AtomicLong();
    private final Map<String, VideoJob> videoJobs = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile int videoPollsUntilDone = 2;

    private FakeOpenAiProvider() {
        // Unbuffered response streams: every write reaches Helidon's response logic at once, which
        // is what lets sk-headers-then-die put headers on the wire with zero body bytes.
        startServer(this::routes, listener -> listener.writeBufferSize(0));
    }

    /** Starts a fake on a random free port of 127.0.0.1. */
    public static FakeOpenAiProvider start() {
        return new FakeOpenAiProvider();
    }

    /** How many status polls answer {@code in_progress} before a video job ends (default 2). */
    public void videoPollsUntilDone(int polls) {
        this.videoPollsUntilDone = polls;
    }

    /** The base URL an OpenAI client is configured with, {@code http://127.0.0.1:PORT/v1}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port() + "/v1";
    }

    /**
     * One request as the fake saw it.
     *
     * @param headers header names in lower case; repeated headers joined with {@code ", "}
     */
    public record RecordedRequest(String method, String path, Map<String, String> headers, String body) {

        public RecordedRequest {
            headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        }

        /** The body parsed with Jackson ({@code MissingNode} for an empty body). */
        public JsonNode json() {
            return parseJson(body);
        }

        /** The token after {@code Bearer } in the Authorization header, or null. */
        public String bearer() {
            String authorization = headers.get("authorization");
            if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return null;
            }
            return authorization.substring(7).trim();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Routing and the per-request pipeline shared by all endpoints

    private void routes(HttpRouting.Builder routing) {
        routing.post("/v1/chat/completions", endpoint(Body.JSON, Streaming.ALLOWED, this::chatCompletion))
                .post("/v1/embeddings", endpoint(Body.JSON, Streaming.NEVER, this::embeddings))
                .post("/v1/images/generations", endpoint(Body.JSON, Streaming.NEVER, this::imageGeneration))
                .post("/v1/videos", endpoint(Body.FORM, Streaming.NEVER, this::createVideo))
                .get("/v1/videos/{id}", endpoint(Body.NONE, Streaming.NEVER, this::retrieveVideo))
                .get("/v1/videos/{id}/content", endpoint(Body.NONE, Streaming.NEVER, this::videoContent))
                .get("/v1/models", endpoint(Body.NONE, Streaming.NEVER, this::listModels))
                .get("/v1/models/{model}", endpoint(Body.NONE, Streaming.NEVER, this::retrieveModel))
                .any(endpoint(Body.NONE, Streaming.NEVER, FakeOpenAiProvider::unknownRoute));
    }

    private enum Body { JSON, FORM, NONE }

    private enum Streaming { ALLOWED, NEVER }

    @FunctionalInterface
    private interface Endpoint {
        void answer(Call call) throws Exception;
    }

    /** What an endpoint needs to answer one request. */
    private record Call(ServerRequest request, ServerResponse response, long number, Behaviour behaviour,
                       JsonNode body, boolean streamed) {

        String model() {
            return body.path("model").asText();
        }
    }

    /** The upstream behaviour chosen by the caller's API key. */
    private enum Behaviour {
        OK, NO_KEY, UNAUTHORIZED, FORBIDDEN, RATE_LIMITED, SERVER_ERROR, OVERLOADED,
        RESET, DROP, SLOW, HEADERS_THEN_DIE;

        static Behaviour forKey(String key) {
            if (key == null || key.isEmpty()) {
                return NO_KEY;
            }
            return switch (key) {
                case "sk-401" -> UNAUTHORIZED;
                case "sk-403" -> FORBIDDEN;
                case "sk-429" -> RATE_LIMITED;
                case "sk-500" -> SERVER_ERROR;
                case "sk-503" -> OVERLOADED;
                case "sk-reset" -> RESET;
                case "sk-drop" -> DROP;
                case "sk-slow" -> SLOW;
                case "sk-headers-then-die" -> HEADERS_THEN_DIE;
                default -> OK;
            };
        }
    }

    /** An OpenAI-shaped error answer, thrown by any step of the pipeline and sent by {@link #endpoint}. */
    private static final class ApiError extends RuntimeException {
        @Serial
        private static final long serialVersionUID = 1L;

        final int status;
        final transient ObjectNode body;
        final transient Map<String, String> headers;

        ApiError(int status, String message, String type, String param, String code) {
            this(status, message, type, param, code, Map.of());
        }

        ApiError(int status, String message, String type, String param, String code, Map<String, String> headers) {
            super(message, null, false, false);
            this.status = status;
            this.headers = headers;
            this.body = JSON.createObjectNode();
            ObjectNode error = body.putObject("error");
            error.put("message", message);
            error.put("type", type);
            error.put("param", param);
            error.put("code", code);
        }
    }

    private Handler endpoint(Body bodyKind, Streaming streaming, Endpoint endpoint) {
        return (req, res) -> {
            // Record first, so that even requests whose connection is then killed are visible to tests.
            RecordedRequest recorded = record(req);
            long number = requestCounter.incrementAndGet();
            res.header(REQUEST_ID_HEADER, "req_fake_" + number);

            JsonNode body = bodyKind == Body.JSON ? parseOrNull(recorded.body())
                    : bodyKind == Body.FORM ? formFields(recorded) : null;
            boolean streamed = streaming == Streaming.ALLOWED
                    && body != null && body.path("stream").asBoolean(false);
            Behaviour behaviour = Behaviour.forKey(recorded.bearer());
            try {
                // Like the real API: the key is checked before the body is even looked at.
                applyKeyBehaviour(behaviour, body, streamed, res);
                if (bodyKind != Body.NONE) {
                    validateBody(body);
                }
                endpoint.answer(new Call(req, res, number, behaviour, body, streamed));
            } catch (ApiError error) {
                res.status(error.status);
                error.headers.forEach(res::header);
                sendJson(res, error.body);
            }
        };
    }

    private RecordedRequest record(ServerRequest req) {
        Map<String, String> headers = headersOf(req);
        String body = new String(bodyOf(req), UTF_8);
        RecordedRequest recorded = new RecordedRequest(req.prologue().method().text(), req.path().path(), headers, body);
        record(recorded);
        return recorded;
    }

    private static void applyKeyBehaviour(Behaviour behaviour, JsonNode body, boolean streamed, ServerResponse res)
            throws IOException, InterruptedException {
        switch (behaviour) {
            case OK -> { }
            case NO_KEY -> throw new ApiError(401,
                    "You didn't provide an API key. You need to provide your API key in an Authorization header"
                            + " using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field"
                            + " (with blank username) if you're accessing the API from your browser and are prompted"
                            + " for a username and password. You can obtain an API key from"
                            + " https://platform.openai.com/account/api-keys.",
                    "invalid_request_error", null, null);
            case UNAUTHORIZED -> throw new ApiError(401,
                    "Incorrect API key provided: sk-401. You can find your API key at"
                            + " https://platform.openai.com/account/api-keys.",
                    "invalid_request_error", null, "invalid_api_key");
            case FORBIDDEN -> throw new ApiError(403,
                    "You have insufficient permissions for this operation. Check that you have the correct role"
                            + " in your organization and project, and if you're using a restricted API key, that it"
                            + " has the necessary scopes.",
                    "invalid_request_error", null, "insufficient_permissions");
            case RATE_LIMITED -> {
                String model = body == null ? "default" : body.path("model").asText("default");
                throw new ApiError(429,
                        "Rate limit reached for " + model + " in organization org-fake on requests per min (RPM):"
                                + " Limit 500, Used 500, Requested 1. Please try again in 7s. Visit"
                                + " https://platform.openai.com/account/rate-limits to learn more.",
                        "requests", null, "rate_limit_exceeded",
                        Map.of("retry-after", "7",
                               "x-ratelimit-limit-requests", "500",
                               "x-ratelimit-remaining-requests", "0",
                               "x-ratelimit-reset-requests", "7s",
                               "x-ratelimit-limit-tokens", "200000",
                               "x-ratelimit-remaining-tokens", "199980",
                               "x-ratelimit-reset-tokens", "6ms"));
            }
            case SERVER_ERROR -> throw new ApiError(500,
                    "The server had an error while processing your request. Sorry about that!",
                    "server_error", null, null);
            case OVERLOADED -> throw new ApiError(503,
                    "The engine is currently overloaded, please try again later",
                    "server_error", null, null);
            case RESET -> throw connectionDies("sk-reset");
            case HEADERS_THEN_DIE -> headersThenDie(res, streamed);
            // A dropped stream needs the streaming endpoint; everything else just loses its connection.
            case DROP -> {
                if (!streamed) {
                    throw connectionDies("sk-drop");
                }
            }
            // The streaming endpoint paces itself chunk by chunk; a plain answer is just late.
            case SLOW -> {
                if (!streamed) {
                    Thread.sleep(SLOW_FIRST_TOKEN_MILLIS);
                }
            }
        }
    }

    /**
     * Closes the connection without (further) response bytes: Helidon lets this exception escape its
     * error handlers and closes the socket instead of writing an error response.
     */
    private static CloseConnectionException connectionDies(String why) {
        return new CloseConnectionException("FakeOpenAiProvider: simulated connection loss (" + why + ")");
    }

    /**
     * Sends a 200 status line and headers, then kills the connection before any body byte.
     *
     * <p>Helidon only puts chunked headers on the wire together with a first chunk (an empty one would
     * be the terminating chunk), so the headers announce a Content-Length instead: a non-chunked
     * response goes out on the first write, even an empty one. The client sees complete headers and
     * then a premature end of the body, which is all this behaviour is about.
     */
    private static void headersThenDie(ServerResponse res, boolean streamed) throws IOException, InterruptedException {
        res.status(200);
        res.header(HeaderNames.CONTENT_TYPE, streamed ? SSE_CONTENT_TYPE : JSON_CONTENT_TYPE);
        res.contentLength(64 * 1024);
        res.outputStream().write(new byte[0]);
        Thread.sleep(DIE_AFTER_BYTES_MILLIS);
        throw connectionDies("sk-headers-then-die");
    }

    private static JsonNode parseOrNull(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            return node == null || node.isMissingNode() ? null : node;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static void validateBody(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new ApiError(400,
                    "We could not parse the JSON body of your request. (HINT: This likely means you aren't using"
                            + " your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent"
                            + " was not valid JSON. If you have trouble figuring out how to fix this, please contact"
                            + " us through our help center at help.openai.com.)",
                    "invalid_request_error", null, null);
        }
        if (!body.path("model").isTextual() || body.path("model").asText().isEmpty()) {
            throw new ApiError(400, "you must provide a model parameter", "invalid_request_error", null, null);
        }
        if (MISSING_MODEL.equals(body.path("model").asText())) {
            throw modelNotFound(MISSING_MODEL);
        }
    }

    private static ApiError modelNotFound(String model) {
        return new ApiError(404, "The model `" + model + "` does not exist or you do not have access to it.",
                            "invalid_request_error", null, "model_not_found");
    }

    private static void sendJson(ServerResponse res, JsonNode json) throws JsonProcessingException {
        res.header(HeaderNames.CONTENT_TYPE, JSON_CONTENT_TYPE);
        res.send(JSON.writeValueAsBytes(json));
    }

    private static void unknownRoute(Call call) {
        throw new ApiError(404,
                "Invalid URL (" + call.request().prologue().method().text() + " " + call.request().path().path() + ")",
                "invalid_request_error", null, null);
    }

    // ---------------------------------------------------------------------------------------------
    // POST /v1/chat/completions

    /** The answer content: either assistant text or tool calls, never both. */
    private record ChatAnswer(String text, List<ToolCall> toolCalls) {
        String finishReason() {
            return toolCalls.isEmpty() ? "stop" : "tool_calls";
        }
    }

    /** A tool call and the fragments its arguments are streamed in. */
    private record ToolCall(int index, String id, String name, List<String> argumentFragments) {
        String arguments() {
            return String.join("", argumentFragments);
        }
    }

    private static ChatAnswer chatAnswer(JsonNode request) {
        JsonNode tools = request.path("tools");
        if (!tools.isArray() || tools.isEmpty()) {
            return new ChatAnswer("Hello from fake " + request.path("model").asText(), List.of());
        }
        List<ToolCall> calls = new ArrayList<>();
        calls.add(new ToolCall(0, "call_fake_1", toolName(tools.get(0)), List.of("{\"city\"", ":\"Pa", "ris\"}")));
        // The API defaults parallel_tool_calls to true; only an explicit false turns it off.
        boolean parallel = !BooleanNode.FALSE.equals(request.path("parallel_tool_calls"));
        if (parallel && tools.size() >= 2) {
            calls.add(new ToolCall(1, "call_fake_2", toolName(tools.get(1)), List.of("{\"q\"", ":\"x\"}")));
        }
        return new ChatAnswer(null, List.copyOf(calls));
    }

    private static String toolName(JsonNode tool) {
        return tool.path("function").path("name").asText();
    }

    private static String answeredModel(String requested) {
        return requested.endsWith(SNAPSHOT_SUFFIX) ? requested : requested + SNAPSHOT_SUFFIX;
    }

    private void chatCompletion(Call call) throws IOException, InterruptedException {
        ChatAnswer answer = chatAnswer(call.body());
        long created = Instant.now().getEpochSecond();
        if (call.streamed()) {
            streamChatCompletion(call, answer, created);
            return;
        }
        ObjectNode message = JSON.createObjectNode();
        message.put("role", "assistant");
        message.put("content", answer.text());
        message.putNull("refusal");
        if (!answer.toolCalls().isEmpty()) {
            ArrayNode toolCalls = message.putArray("tool_calls");
            for (ToolCall toolCall : answer.toolCalls()) {
                ObjectNode node = toolCalls.addObject();
                node.put("id", toolCall.id());
                node.put("type", "function");
                node.putObject("function").put("name", toolCall.name()).put("arguments", toolCall.arguments());
            }
        }
        message.putArray("annotations");

        ObjectNode completion = chatEnvelope(call, "chat.completion", created);
        ObjectNode choice = completion.putArray("choices").addObject();
        choice.put("index", 0);
        choice.set("message", message);
        choice.putNull("logprobs");
        choice.put("finish_reason", answer.finishReason());
        completion.set("usage", chatUsage());
        sendJson(call.response(), completion);
    }

    private static ObjectNode chatEnvelope(Call call, String object, long created) {
        ObjectNode envelope = JSON.createObjectNode();
        envelope.put("id", "chatcmpl-fake-" + call.number());
        envelope.put("object", object);
        envelope.put("created", created);
        envelope.put("model", answeredModel(call.model()));
        envelope.put("service_tier", "default");
        envelope.put("system_fingerprint", SYSTEM_FINGERPRINT);
        return envelope;
    }

    private static ObjectNode chatUsage() {
        ObjectNode usage = JSON.createObjectNode();
        usage.put("prompt_tokens", PROMPT_TOKENS);
        usage.put("completion_tokens", COMPLETION_TOKENS);
        usage.put("total_tokens", TOTAL_TOKENS);
        usage.putObject("prompt_tokens_details")
                .put("cached_tokens", CACHED_TOKENS)
                .put("audio_tokens", 0);
        usage.putObject("completion_tokens_details")
                .put("reasoning_tokens", REASONING_TOKENS)
                .put("audio_tokens", 0)
                .put("accepted_prediction_tokens", 0)
                .put("rejected_prediction_tokens", 0);
        return usage;
    }

    /**
     * Streams chat.completion.chunk events: a first delta with the role, the content (or tool call)
     * deltas, a last choice delta carrying finish_reason, with {@code stream_options.include_usage} a
     * usage chunk whose {@code choices} is empty, and finally {@code data: [DONE]}.
     */
    private void streamChatCompletion(Call call, ChatAnswer answer, long created)
            throws IOException, InterruptedException {
        boolean includeUsage = call.body().path("stream_options").path("include_usage").asBoolean(false);
        boolean slow = call.behaviour() == Behaviour.SLOW;
        List<ObjectNode> deltas = answer.toolCalls().isEmpty()
                ? textDeltas(slow ? splitEvenly(answer.text(), SLOW_CONTENT_CHUNKS) : words(answer.text()))
                : toolCallDeltas(answer.toolCalls());

        ServerResponse res = call.response();
        res.status(200);
        res.header(HeaderNames.CONTENT_TYPE, SSE_CONTENT_TYPE);
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        OutputStream out = res.outputStream();
        for (int i = 0; i < deltas.size(); i++) {
            if (call.behaviour() == Behaviour.DROP && i == DROP_AFTER_CHUNKS) {
                Thread.sleep(DIE_AFTER_BYTES_MILLIS);
                throw connectionDies("sk-drop");
            }
            if (slow && i > 0) {
                Thread.sleep(i == 1 ? SLOW_FIRST_TOKEN_MILLIS : SLOW_CHUNK_GAP_MILLIS);
            }
            sendEvent(out, chunk(call, created, includeUsage, deltas.get(i), null));
        }
        sendEvent(out, chunk(call, created, includeUsage, JSON.createObjectNode(), answer.finishReason()));
        if (includeUsage) {
            ObjectNode usageChunk = chatEnvelope(call, "chat.completion.chunk", created);
            usageChunk.putArray("choices");
            usageChunk.set("usage", chatUsage());
            sendEvent(out, usageChunk);
        }
        writeEvent(out, "[DONE]");
        out.close();
    }

    private static ObjectNode chunk(Call call, long created, boolean includeUsage, ObjectNode delta,
                                    String finishReason) {
        ObjectNode chunk = chatEnvelope(call, "chat.completion.chunk", created);
        ObjectNode choice = chunk.putArray("choices").addObject();
        choice.put("index", 0);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason);
        if (includeUsage) {
            // With include_usage every chunk but the last carries an explicit null usage.
            chunk.putNull("usage");
        }
        return chunk;
    }

    private static List<ObjectNode> textDeltas(List<String> pieces) {
        List<ObjectNode> deltas = new ArrayList<>();
        ObjectNode first = JSON.createObjectNode();
        first.put("role", "assistant");
        first.put("content", "");
        first.putNull("refusal");
        deltas.add(first);
        for (String piece : pieces) {
            deltas.add(JSON.createObjectNode().put("content", piece));
        }
        return deltas;
    }

    /**
     * Each call opens with a delta carrying its id, type, name and empty arguments (the first one
     * also carrying the role), followed by one delta per arguments fragment.
     */
    private static List<ObjectNode> toolCallDeltas(List<ToolCall> toolCalls) {
        List<ObjectNode> deltas = new ArrayList<>();
        for (ToolCall toolCall : toolCalls) {
            ObjectNode opening = JSON.createObjectNode();
            if (deltas.isEmpty()) {
                opening.put("role", "assistant");
                opening.putNull("content");
            }
            ObjectNode call = opening.putArray("tool_calls").addObject();
            call.put("index", toolCall.index());
            call.put("id", toolCall.id());
            call.put("type", "function");
            call.putObject("function").put("name", toolCall.name()).put("arguments", "");
            if (deltas.isEmpty()) {
                opening.putNull("refusal");
            }
            deltas.add(opening);
            for (String fragment : toolCall.argumentFragments()) {
                ObjectNode delta = JSON.createObjectNode();
                ObjectNode part = delta.putArray("tool_calls").addObject();
                part.put("index", toolCall.index());
                part.putObject("function").put("arguments", fragment);
                deltas.add(delta);
            }
        }
        return deltas;
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

    private static List<String> splitEvenly(String text, int parts) {
        List<String> pieces = new ArrayList<>(parts);
        for (int i = 0; i < parts; i++) {
            pieces.add(text.substring(text.length() * i / parts, text.length() * (i + 1) / parts));
        }
        return pieces;
    }

    private static void sendEvent(OutputStream out, JsonNode data) throws IOException {
        writeEvent(out, JSON.writeValueAsString(data));
    }

    /** One SSE event, flushed on its own so that the client sees each chunk as it is produced. */
    private static void writeEvent(OutputStream out, String data) throws IOException {
        out.write(("data: " + data + "\n\n").getBytes(UTF_8));
        out.flush();
    }

    // ---------------------------------------------------------------------------------------------
    // POST /v1/embeddings

    /**
     * The deterministic vector answered for the input at {@code inputIndex}: dyadic fractions in
     * (0, 1), exactly representable as float and in JSON, so tests can compare with equality.
     */
    public static float[] embeddingFor(int inputIndex) {
        float[] vector = new float[EMBEDDING_DIMENSIONS];
        for (int d = 0; d < EMBEDDING_DIMENSIONS; d++) {
            vector[d] = ((inputIndex % 31 + 1) * EMBEDDING_DIMENSIONS + d) / 256f;
        }
        return vector;
    }

    private void embeddings(Call call) throws JsonProcessingException {
        JsonNode input = call.body().path("input");
        if (input.isMissingNode() || input.isNull() || (input.isArray() && input.isEmpty())) {
            throw new ApiError(400, "'$.input' is invalid. Please check the API reference:"
                    + " https://platform.openai.com/docs/api-reference.", "invalid_request_error", null, null);
        }
        // A string, or an array of strings; an array of token ids is one input, an array of arrays is many.
        int inputs = input.isArray() && !input.get(0).isNumber() ? input.size() : 1;
        // openai-java asks for base64 unless told otherwise; the API then packs little-endian float32.
        boolean base64 = "base64".equals(call.body().path("encoding_format").asText());

        ObjectNode list = JSON.createObjectNode();
        list.put("object", "list");
        ArrayNode data = list.putArray("data");
        for (int i = 0; i < inputs; i++) {
            ObjectNode embedding = data.addObject();
            embedding.put("object", "embedding");
            embedding.put("index", i);
            float[] vector = embeddingFor(i);
            if (base64) {
                embedding.put("embedding", toBase64(vector));
            } else {
                ArrayNode values = embedding.putArray("embedding");
                for (float value : vector) {
                    values.add(value);
                }
            }
        }
        list.put("model", call.model());
        list.putObject("usage")
                .put("prompt_tokens", EMBEDDING_TOKENS_PER_INPUT * inputs)
                .put("total_tokens", EMBEDDING_TOKENS_PER_INPUT * inputs);
        sendJson(call.response(), list);
    }

    private static String toBase64(float[] vector) {
        ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : vector) {
            bytes.putFloat(value);
        }
        return Base64.getEncoder().encodeToString(bytes.array());
    }

    // ---------------------------------------------------------------------------------------------
    // POST /v1/images/generations

    private void imageGeneration(Call call) throws JsonProcessingException {
        JsonNode body = call.body();
        String model = call.model();
        int n = body.path("n").asInt(1);
        // gpt-image models always answer base64; dall-e models answer URLs unless asked for b64_json.
        boolean gptImage = model.startsWith("gpt-image-1");
        boolean base64 = gptImage || "b64_json".equals(body.path("response_format").asText());

        ObjectNode response = JSON.createObjectNode();
        response.put("created", Instant.now().getEpochSecond());
        ArrayNode data = response.putArray("data");
        for (int i = 0; i < n; i++) {
            ObjectNode image = data.addObject();
            if (base64) {
                image.put("b64_json", TINY_PNG_BASE64);
            } else {
                image.put("url", "https://fake.example/img/" + i + ".png");
            }
            if (model.startsWith("dall-e-3")) {
                // dall-e-3 rewrites prompts and says so.
                image.put("revised_prompt", body.path("prompt").asText());
            }
        }
        if (gptImage) {
            int output = IMAGE_OUTPUT_TOKENS_PER_IMAGE * n;
            ObjectNode usage = response.putObject("usage");
            usage.put("input_tokens", IMAGE_INPUT_TOKENS);
            usage.put("output_tokens", output);
            usage.put("total_tokens", IMAGE_INPUT_TOKENS + output);
            usage.putObject("input_tokens_details")
                    .put("text_tokens", IMAGE_INPUT_TOKENS)
                    .put("image_tokens", 0);
        }
        sendJson(call.response(), response);
    }

    // ---------------------------------------------------------------------------------------------
    // POST /v1/videos, GET /v1/videos/{id}, GET /v1/videos/{id}/content

    private static final class VideoJob {
        final String id;
        final String model;
        final String prompt;
        final String seconds;
        final String size;
        final long createdAt = Instant.now().getEpochSecond();
        int polls;

        VideoJob(String id, String model, String prompt, String seconds, String size) {
            this.id = id;
            this.model = model;
            this.prompt = prompt;
            this.seconds = seconds;
            this.size = size;
        }
    }

    /** The text fields of a {@code multipart/form-data} body as a JSON object, or null when it is not one. */
    private static ObjectNode formFields(RecordedRequest request) {
        String type = request.headers().getOrDefault("content-type", "");
        int at = type.indexOf("boundary=");
        if (!type.startsWith("multipart/form-data") || at < 0) {
            return null;
        }
        String boundary = "--" + type.substring(at + "boundary=".length()).replace("\"", "").trim();
        ObjectNode fields = JSON.createObjectNode();
        for (String part : request.body().split(java.util.regex.Pattern.quote(boundary))) {
            int headerEnd = part.indexOf("\r\n\r\n");
            java.util.regex.Matcher name = java.util.regex.Pattern.compile("name=\"([^\"]+)\"").matcher(part);
            if (headerEnd < 0 || !name.find() || name.start() > headerEnd) {
                continue;
            }
            String value = part.substring(headerEnd + 4);
            fields.put(name.group(1), value.endsWith("\r\n") ? value.substring(0, value.length() - 2) : value);
        }
        return fields;
    }

    private void createVideo(Call call) throws JsonProcessingException {
        JsonNode form = call.body();
        String prompt = form.path("prompt").asText("");
        if (prompt.isBlank()) {
            throw new ApiError(400, "Missing required parameter: 'prompt'.", "invalid_request_error", "prompt",
                    "missing_required_parameter");
        }
        String seconds = form.path("seconds").asText("4");
        if (!List.of("4", "8", "12").contains(seconds)) {
            throw new ApiError(400, "Invalid value: '" + seconds + "'. Supported values are: '4', '8', and '12'.",
                    "invalid_request_error", "seconds", "invalid_value");
        }
        VideoJob job = new VideoJob("video_fake_" + call.number(), call.model(), prompt, seconds,
                form.path("size").asText("720x1280"));
        videoJobs.put(job.id, job);
        sendJson(call.response(), video(job, "queued"));
    }

    private void retrieveVideo(Call call) throws JsonProcessingException {
        VideoJob job = videoJob(call);
        String status;
        synchronized (job) {
            job.polls++;
            status = job.polls <= videoPollsUntilDone ? "in_progress"
                    : job.prompt.contains(VIDEO_MODERATION_PROMPT) || job.prompt.contains(VIDEO_FAILURE_PROMPT)
                    ? "failed" : "completed";
        }
        sendJson(call.response(), video(job, status));
    }

    private void videoContent(Call call) {
        VideoJob job = videoJob(call);
        if (job.polls <= videoPollsUntilDone || job.prompt.contains(VIDEO_MODERATION_PROMPT)
                || job.prompt.contains(VIDEO_FAILURE_PROMPT)) {
            throw new ApiError(404, "Video is not ready yet, use GET /v1/videos/{video_id} to check status.",
                    "invalid_request_error", null, null);
        }
        call.response().header(HeaderNames.CONTENT_TYPE, "video/mp4");
        call.response().send(TINY_MP4);
    }

    private VideoJob videoJob(Call call) {
        String id = call.request().path().pathParameters().get("id");
        VideoJob job = videoJobs.get(id);
        if (job == null) {
            throw new ApiError(404, "Video with id '" + id + "' not found.", "invalid_request_error", null, null);
        }
        return job;
    }

    private static ObjectNode video(VideoJob job, String status) {
        ObjectNode video = JSON.createObjectNode();
        video.put("id", job.id);
        video.put("object", "video");
        video.put("model", job.model);
        video.put("status", status);
        video.put("progress", switch (status) {
            case "completed", "failed" -> 100;
            case "in_progress" -> 50;
            default -> 0;
        });
        video.put("created_at", job.createdAt);
        if ("completed".equals(status) || "failed".equals(status)) {
            video.put("completed_at", job.createdAt + 60);
            video.put("expires_at", job.createdAt + 3600);
        } else {
            video.putNull("completed_at");
            video.putNull("expires_at");
        }
        video.put("prompt", job.prompt);
        video.put("seconds", job.seconds);
        video.put("size", job.size);
        video.putNull("remixed_from_video_id");
        if ("failed".equals(status)) {
            boolean moderated = job.prompt.contains(VIDEO_MODERATION_PROMPT);
            video.putObject("error")
                    .put("code", moderated ? "moderation_blocked" : "internal_error")
                    .put("message", moderated ? VIDEO_MODERATION_MESSAGE : VIDEO_FAILURE_MESSAGE);
        } else {
            video.putNull("error");
        }
        return video;
    }

    /** ftyp (brand isom, compatible isom/mp41), then free and an mdat of 200 zero bytes: 240 bytes in all. */
    private static byte[] tinyMp4() {
        ByteBuffer mp4 = ByteBuffer.allocate(24 + 8 + 208).order(ByteOrder.BIG_ENDIAN);
        mp4.putInt(24).put("ftyp".getBytes(UTF_8)).put("isom".getBytes(UTF_8)).putInt(0x200)
                .put("isom".getBytes(UTF_8)).put("mp41".getBytes(UTF_8));
        mp4.putInt(8).put("free".getBytes(UTF_8));
        mp4.putInt(208).put("mdat".getBytes(UTF_8));
        return mp4.array();
    }

    // ---------------------------------------------------------------------------------------------
    // GET /v1/models, GET /v1/models/{model}

    private void listModels(Call call) throws JsonProcessingException {
        ObjectNode list = JSON.createObjectNode();
        list.put("object", "list");
        ArrayNode data = list.putArray("data");
        MODELS.forEach(id -> data.add(model(id)));
        sendJson(call.response(), list);
    }

    private void retrieveModel(Call call) throws JsonProcessingException {
        String id = call.request().path().pathParameters().get("model");
        if (!MODELS.contains(id)) {
            throw modelNotFound(id);
        }
        sendJson(call.response(), model(id));
    }

    private static ObjectNode model(String id) {
        ObjectNode model = JSON.createObjectNode();
        model.put("id", id);
        model.put("object", "model");
        model.put("created", 1_715_367_049L + MODELS.indexOf(id));
        model.put("owned_by", "system");
        return model;
    }
}
