package io.aigne.hub.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Serial;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * In-process fake of the Anthropic Messages API, listening on a random loopback port.
 *
 * <p>The wire format follows Anthropic's API reference and the model classes of the official
 * {@code anthropic-java} SDK closely enough that the SDK parses every answer with strict response
 * validation, streamed and not (see {@code FakeAnthropicProviderTest}). Point a client at
 * {@link #baseUrl()} ({@code http://127.0.0.1:PORT}; the SDK appends {@code /v1/messages}) and choose
 * the upstream behaviour per credential, through the key sent as {@code x-api-key} or as
 * {@code Authorization: Bearer} (anthropic-java 3.x sends its {@code apiKey} the latter way):
 *
 * <ul>
 *   <li>{@code sk-ant-ok…} and any key not listed here: success.
 *   <li>{@code sk-ant-401}: 401 {@code authentication_error} "invalid x-api-key".
 *   <li>{@code sk-ant-429}: 429 {@code rate_limit_error} with {@code retry-after: 5} and
 *       {@code anthropic-ratelimit-requests-*} headers.
 *   <li>{@code sk-ant-529}: 529 {@code overloaded_error}. {@code sk-ant-500}: 500 {@code api_error}.
 *   <li>{@code sk-ant-stream-error}: a streamed message sends {@code message_start},
 *       {@code content_block_start}, {@code ping} and one text delta, then an {@code event: error}
 *       with an {@code overloaded_error} and ends (HTTP status stays 200, as with the real API). A
 *       non-streamed request with this key gets the 529 it would have got before streaming began.
 *   <li>no {@code x-api-key} and no bearer token: 401 {@code authentication_error}.
 * </ul>
 *
 * <p>Checks in the order the API applies them: credentials present (401), {@code anthropic-version}
 * header present (400 {@code invalid_request_error}), the key's behaviour, then the body: not a JSON
 * object, a missing {@code model}, {@code messages} or (for {@code /v1/messages}) {@code max_tokens},
 * a thinking budget below 1024 or not below {@code max_tokens}, and a malformed {@code image} block
 * answer 400; the model {@code missing-model} answers 404 {@code not_found_error}. Unknown routes
 * answer 404 {@code not_found_error}. Every error body is
 * {@code {"type":"error","error":{"type":…,"message":…},"request_id":…}}.
 *
 * <p>Success content is deterministic. A message answers, in this order: a {@code thinking} block
 * ("Let me think." and {@link #THINKING_SIGNATURE}) when the request enables extended thinking
 * ({@code thinking.type} {@code enabled} or {@code adaptive}); then either the text
 * {@code "Hello from fake " + model} ({@code stop_reason: end_turn}) or, when the request has
 * {@code tools} and {@code tool_choice} is not {@code none}, {@code tool_use} blocks
 * ({@code stop_reason: tool_use}): {@code toolu_fake_1} calling the first tool (or the one
 * {@code tool_choice: {type: tool}} names) with {@code {"city":"Paris"}}, and, when there are at least
 * two tools, the choice is {@code auto}/{@code any} and {@code disable_parallel_tool_use} is not true,
 * {@code toolu_fake_2} calling the second tool with {@code {"q":"x"}}.
 *
 * <p>Streamed answers ({@code "stream": true}) use real SSE framing, {@code event: <type>} then
 * {@code data: <json>} and a blank line, each event flushed on its own: {@code message_start} (empty
 * content, input-side usage, {@code output_tokens: 1}), then per block {@code content_block_start},
 * its deltas and {@code content_block_stop} (a {@code ping} follows the first block start), then
 * {@code message_delta} (stop reason and cumulative usage) and {@code message_stop}. Text streams as
 * the words "Hello", " from", " fake", " model"; tool input as an empty {@code input_json_delta}
 * (the real API opens with one) and then {@code {"city"}, {@code :"Pa}, {@code ris"}}; thinking as one
 * {@code thinking_delta} and one {@code signature_delta}.
 *
 * <p>Also {@code POST /v1/messages/count_tokens} ({@code {"input_tokens": 13}}), and
 * {@code GET /v1/models} / {@code GET /v1/models/{id}} in Anthropic's list shape with
 * {@code limit}/{@code after_id}/{@code before_id} paging. Every answer carries {@code request-id:
 * req_fake_<n>}, where {@code n} counts requests and also numbers the {@code msg_fake_<n>} ids.
 */
public final class FakeAnthropicProvider extends FakeProviderServer<FakeAnthropicProvider.RecordedRequest> {

    /** The model name that makes every endpoint answer 404 {@code not_found_error}. */
    public static final String MISSING_MODEL = "missing-model";
    /** Model ids listed by {@code GET /v1/models}, newest first like the real API. */
    public static final List<String> MODELS =
            List.of("claude-sonnet-4-5-20250929", "claude-haiku-4-5-20251001", "claude-opus-4-1-20250805");

    public static final int INPUT_TOKENS = 13;
    public static final int OUTPUT_TOKENS = 9;
    public static final int CACHE_CREATION_INPUT_TOKENS = 4;
    public static final int CACHE_READ_INPUT_TOKENS = 6;
    /** {@code output_tokens_details.thinking_tokens} when thinking is on (part of {@link #OUTPUT_TOKENS}). */
    public static final int THINKING_TOKENS = 4;
    /** {@code output_tokens} in {@code message_start}, before anything was generated. */
    public static final int STREAM_START_OUTPUT_TOKENS = 1;
    public static final String SERVICE_TIER = "standard";
    public static final String INFERENCE_GEO = "global";

    public static final String THINKING_TEXT = "Let me think.";
    /** The (opaque, base64) signature of every thinking block. */
    public static final String THINKING_SIGNATURE =
            Base64.getEncoder().encodeToString("fake-thinking-signature".getBytes(UTF_8));
    /** Tool input of the first tool_use block, and the fragments it is streamed in. */
    public static final String TOOL_INPUT = "{\"city\":\"Paris\"}";
    public static final List<String> TOOL_INPUT_FRAGMENTS = List.of("{\"city\"", ":\"Pa", "ris\"}");
    /** Tool input of the second (parallel) tool_use block. */
    public static final String SECOND_TOOL_INPUT = "{\"q\":\"x\"}";

    public static final String REQUEST_ID_HEADER = "request-id";
    public static final String VERSION_HEADER = "anthropic-version";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JSON_CONTENT_TYPE = "application/json";
    private static final String SSE_CONTENT_TYPE = "text/event-stream; charset=utf-8";
    private static final int MIN_THINKING_BUDGET = 1024;
    private static final Set<String> IMAGE_MEDIA_TYPES = Set.of("image/jpeg", "image/png", "image/gif", "image/webp");

    private final AtomicLong requestCounter = new AtomicLong();

    private FakeAnthropicProvider() {
        // Unbuffered response streams: each flushed SSE event reaches the client on its own.
        startServer(this::routes, listener -> listener.writeBufferSize(0));
    }

    /** Starts a fake on a random free port of 127.0.0.1. */
    public static FakeAnthropicProvider start() {
        return new FakeAnthropicProvider();
    }

    /** The base URL an Anthropic client is configured with, {@code http://127.0.0.1:PORT} (no {@code /v1}). */
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
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

        /** The {@code x-api-key} header, else the token after {@code Bearer } in Authorization, else null. */
        public String apiKey() {
            String apiKey = headers.get("x-api-key");
            if (apiKey != null && !apiKey.isBlank()) {
                return apiKey.trim();
            }
            String authorization = headers.get("authorization");
            if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return null;
            }
            String token = authorization.substring(7).trim();
            return token.isEmpty() ? null : token;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Routing and the per-request pipeline shared by all endpoints

    private void routes(HttpRouting.Builder routing) {
        routing.post("/v1/messages", endpoint(Body.MESSAGE, this::message))
                .post("/v1/messages/count_tokens", endpoint(Body.COUNT_TOKENS, this::countTokens))
                .get("/v1/models", endpoint(Body.NONE, this::listModels))
                .get("/v1/models/{model}", endpoint(Body.NONE, this::retrieveModel))
                .any(endpoint(Body.NONE, FakeAnthropicProvider::unknownRoute));
    }

    /** What body an endpoint takes, and so which fields are required. */
    private enum Body { MESSAGE, COUNT_TOKENS, NONE }

    @FunctionalInterface
    private interface Endpoint {
        void answer(Call call) throws Exception;
    }

    /** What an endpoint needs to answer one request. */
    private record Call(ServerRequest request, ServerResponse response, long number, Behaviour behaviour,
                       JsonNode body) {

        String model() {
            return body.path("model").asText();
        }

        boolean streamed() {
            return body != null && body.path("stream").asBoolean(false);
        }

        String requestId() {
            return "req_fake_" + number;
        }
    }

    /** The upstream behaviour chosen by the caller's API key. */
    private enum Behaviour {
        OK, UNAUTHORIZED, RATE_LIMITED, OVERLOADED, SERVER_ERROR, STREAM_ERROR;

        static Behaviour forKey(String key) {
            return switch (key) {
                case "sk-ant-401" -> UNAUTHORIZED;
                case "sk-ant-429" -> RATE_LIMITED;
                case "sk-ant-529" -> OVERLOADED;
                case "sk-ant-500" -> SERVER_ERROR;
                case "sk-ant-stream-error" -> STREAM_ERROR;
                default -> OK;
            };
        }
    }

    /** An Anthropic-shaped error answer, thrown by any step of the pipeline and sent by {@link #endpoint}. */
    private static final class ApiError extends RuntimeException {
        @Serial
        private static final long serialVersionUID = 1L;

        final int status;
        final String type;
        final transient Map<String, String> headers;

        ApiError(int status, String type, String message) {
            this(status, type, message, Map.of());
        }

        ApiError(int status, String type, String message, Map<String, String> headers) {
            super(message, null, false, false);
            this.status = status;
            this.type = type;
            this.headers = headers;
        }

        ObjectNode body(String requestId) {
            return errorBody(type, getMessage(), requestId);
        }

        static ApiError invalidRequest(String message) {
            return new ApiError(400, "invalid_request_error", message);
        }
    }

    private static ObjectNode errorBody(String type, String message, String requestId) {
        ObjectNode body = JSON.createObjectNode();
        body.put("type", "error");
        body.putObject("error").put("type", type).put("message", message);
        if (requestId != null) {
            body.put("request_id", requestId);
        }
        return body;
    }

    private Handler endpoint(Body bodyKind, Endpoint endpoint) {
        return (req, res) -> {
            RecordedRequest recorded = record(req);
            long number = requestCounter.incrementAndGet();
            String requestId = "req_fake_" + number;
            res.header(REQUEST_ID_HEADER, requestId);
            try {
                String key = recorded.apiKey();
                if (key == null) {
                    throw new ApiError(401, "authentication_error", "x-api-key header is required");
                }
                if (recorded.headers().getOrDefault(VERSION_HEADER, "").isBlank()) {
                    throw ApiError.invalidRequest("anthropic-version: header is required");
                }
                Behaviour behaviour = Behaviour.forKey(key);
                JsonNode body = bodyKind == Body.NONE ? null : parse(recorded.body());
                applyKeyBehaviour(behaviour, body);
                if (bodyKind != Body.NONE) {
                    validateBody(bodyKind, body);
                }
                endpoint.answer(new Call(req, res, number, behaviour, body));
            } catch (ApiError error) {
                res.status(error.status);
                error.headers.forEach(res::header);
                sendJson(res, error.body(requestId));
            }
        };
    }

    private RecordedRequest record(ServerRequest req) {
        Map<String, String> headers = headersOf(req);
        String body = new String(bodyOf(req), UTF_8);
        String path = req.path().path();
        RecordedRequest recorded = new RecordedRequest(req.prologue().method().text(), path, headers, body);
        record(recorded);
        return recorded;
    }

    private static void applyKeyBehaviour(Behaviour behaviour, JsonNode body) {
        switch (behaviour) {
            case OK -> { }
            case UNAUTHORIZED -> throw new ApiError(401, "authentication_error", "invalid x-api-key");
            case RATE_LIMITED -> throw new ApiError(429, "rate_limit_error",
                    "This request would exceed the rate limit for your organization of 50 requests per minute."
                            + " For details, refer to: https://docs.claude.com/en/api/rate-limits.",
                    Map.of("retry-after", "5",
                           "anthropic-ratelimit-requests-limit", "50",
                           "anthropic-ratelimit-requests-remaining", "0",
                           "anthropic-ratelimit-requests-reset", "2030-01-01T00:00:05Z"));
            case OVERLOADED -> throw overloaded();
            case SERVER_ERROR -> throw new ApiError(500, "api_error", "Internal server error");
            case STREAM_ERROR -> {
                // The overload strikes mid-stream; a request that does not stream meets it up front.
                if (body == null || !body.path("stream").asBoolean(false)) {
                    throw overloaded();
                }
            }
        }
    }

    private static ApiError overloaded() {
        return new ApiError(529, "overloaded_error", "Overloaded");
    }

    private static JsonNode parse(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            if (node != null && node.isObject()) {
                return node;
            }
        } catch (JsonProcessingException e) {
            // answered below
        }
        throw ApiError.invalidRequest("There was an error parsing the body of your request as JSON");
    }

    private static void validateBody(Body kind, JsonNode body) {
        if (!body.path("model").isTextual() || body.path("model").asText().isEmpty()) {
            throw ApiError.invalidRequest("model: Field required");
        }
        if (kind == Body.MESSAGE && !body.path("max_tokens").canConvertToInt()) {
            throw ApiError.invalidRequest("max_tokens: Field required");
        }
        JsonNode messages = body.path("messages");
        if (!messages.isArray()) {
            throw ApiError.invalidRequest("messages: Field required");
        }
        for (int m = 0; m < messages.size(); m++) {
            JsonNode content = messages.get(m).path("content");
            for (int c = 0; content.isArray() && c < content.size(); c++) {
                if ("image".equals(content.get(c).path("type").asText())) {
                    validateImage(content.get(c).path("source"), "messages." + m + ".content." + c + ".image.source");
                }
            }
        }
        JsonNode thinking = body.path("thinking");
        if ("enabled".equals(thinking.path("type").asText())) {
            int budget = thinking.path("budget_tokens").asInt(0);
            if (budget < MIN_THINKING_BUDGET) {
                throw ApiError.invalidRequest("thinking.enabled.budget_tokens: Input should be greater than or equal to "
                                              + MIN_THINKING_BUDGET);
            }
            if (kind == Body.MESSAGE && budget >= body.path("max_tokens").asInt()) {
                throw ApiError.invalidRequest("`max_tokens` must be greater than `thinking.budget_tokens`."
                                              + " Please consult our documentation at"
                                              + " https://docs.claude.com/en/docs/build-with-claude/extended-thinking");
            }
        }
        if (MISSING_MODEL.equals(body.path("model").asText())) {
            throw new ApiError(404, "not_found_error", "model: " + MISSING_MODEL);
        }
    }

    /** Image sources: {@code base64} (a supported media type and decodable data), {@code url}, or {@code file}. */
    private static void validateImage(JsonNode source, String where) {
        switch (source.path("type").asText()) {
            case "base64" -> {
                if (!IMAGE_MEDIA_TYPES.contains(source.path("media_type").asText())) {
                    throw ApiError.invalidRequest(where + ".base64.media_type: Input should be 'image/jpeg',"
                                                  + " 'image/png', 'image/gif' or 'image/webp'");
                }
                try {
                    if (!source.path("data").isTextual() || Base64.getDecoder().decode(source.path("data").asText()).length == 0) {
                        throw ApiError.invalidRequest(where + ".base64.data: Field required");
                    }
                } catch (IllegalArgumentException e) {
                    throw ApiError.invalidRequest(where + ".base64.data: invalid base64 data");
                }
            }
            case "url" -> {
                String url = source.path("url").asText();
                if (!url.startsWith("https://") && !url.startsWith("http://")) {
                    throw ApiError.invalidRequest(where + ".url.url: Field required");
                }
            }
            case "file" -> {
                if (source.path("file_id").asText().isEmpty()) {
                    throw ApiError.invalidRequest(where + ".file.file_id: Field required");
                }
            }
            default -> throw ApiError.invalidRequest(where + ": Input tag '" + source.path("type").asText()
                                                     + "' found using 'type' does not match any of the expected"
                                                     + " tags: 'base64', 'url', 'file'");
        }
    }

    private static void sendJson(ServerResponse res, JsonNode json) throws JsonProcessingException {
        res.header(HeaderNames.CONTENT_TYPE, JSON_CONTENT_TYPE);
        res.send(JSON.writeValueAsBytes(json));
    }

    private static void unknownRoute(Call call) {
        throw new ApiError(404, "not_found_error", "Not Found");
    }

    // ---------------------------------------------------------------------------------------------
    // POST /v1/messages: the deterministic answer

    /** One content block of the answer, with the pieces it is streamed in. */
    private sealed interface Block permits Thinking, Text, ToolUse { }

    private record Thinking(String thinking, String signature) implements Block { }

    private record Text(String text) implements Block { }

    private record ToolUse(String id, String name, String input, List<String> fragments) implements Block { }

    private record Answer(List<Block> blocks, boolean thinking) {
        String stopReason() {
            return blocks.stream().anyMatch(ToolUse.class::isInstance) ? "tool_use" : "end_turn";
        }
    }

    private static Answer answer(JsonNode request) {
        List<Block> blocks = new ArrayList<>();
        String thinkingType = request.path("thinking").path("type").asText();
        boolean thinking = "enabled".equals(thinkingType) || "adaptive".equals(thinkingType);
        if (thinking) {
            blocks.add(new Thinking(THINKING_TEXT, THINKING_SIGNATURE));
        }
        List<ToolUse> toolUses = toolUses(request);
        if (toolUses.isEmpty()) {
            blocks.add(new Text("Hello from fake " + request.path("model").asText()));
        } else {
            blocks.addAll(toolUses);
        }
        return new Answer(List.copyOf(blocks), thinking);
    }

    private static List<ToolUse> toolUses(JsonNode request) {
        JsonNode tools = request.path("tools");
        JsonNode choice = request.path("tool_choice");
        String choiceType = choice.path("type").asText("auto");
        if (!tools.isArray() || tools.isEmpty() || "none".equals(choiceType)) {
            return List.of();
        }
        if ("tool".equals(choiceType)) {
            return List.of(new ToolUse("toolu_fake_1", choice.path("name").asText(), TOOL_INPUT, TOOL_INPUT_FRAGMENTS));
        }
        List<ToolUse> uses = new ArrayList<>();
        uses.add(new ToolUse("toolu_fake_1", tools.get(0).path("name").asText(), TOOL_INPUT, TOOL_INPUT_FRAGMENTS));
        boolean parallel = !choice.path("disable_parallel_tool_use").asBoolean(false);
        if (parallel && tools.size() >= 2) {
            uses.add(new ToolUse("toolu_fake_2", tools.get(1).path("name").asText(), SECOND_TOOL_INPUT,
                                 List.of("{\"q\"", ":\"x\"}")));
        }
        return uses;
    }

    private void message(Call call) throws IOException {
        Answer answer = answer(call.body());
        if (call.streamed()) {
            streamMessage(call, answer);
            return;
        }
        ObjectNode message = messageEnvelope(call);
        ArrayNode content = message.putArray("content");
        for (Block block : answer.blocks()) {
            content.add(blockJson(block, true));
        }
        message.put("stop_reason", answer.stopReason());
        message.putNull("stop_sequence");
        message.putNull("stop_details");
        message.putNull("container");
        message.putNull("diagnostics");
        message.set("usage", usage(answer.thinking()));
        sendJson(call.response(), message);
    }

    private static ObjectNode messageEnvelope(Call call) {
        ObjectNode message = JSON.createObjectNode();
        message.put("model", call.model());
        message.put("id", "msg_fake_" + call.number());
        message.put("type", "message");
        message.put("role", "assistant");
        return message;
    }

    /**
     * A content block as the non-streamed message has it ({@code complete}), or as
     * {@code content_block_start} opens it: empty text and thinking, empty tool input, and no
     * {@code citations} key on a text block (the SDK's MessageAccumulator relies on that shape).
     */
    private static ObjectNode blockJson(Block block, boolean complete) throws JsonProcessingException {
        ObjectNode node = JSON.createObjectNode();
        switch (block) {
            case Thinking thinking -> {
                node.put("type", "thinking");
                node.put("thinking", complete ? thinking.thinking() : "");
                node.put("signature", complete ? thinking.signature() : "");
            }
            case Text text -> {
                node.put("type", "text");
                node.put("text", complete ? text.text() : "");
                if (complete) {
                    node.putNull("citations");
                }
            }
            case ToolUse toolUse -> {
                node.put("type", "tool_use");
                node.put("id", toolUse.id());
                node.put("name", toolUse.name());
                node.set("input", complete ? JSON.readTree(toolUse.input()) : JSON.createObjectNode());
                node.putObject("caller").put("type", "direct");
            }
        }
        return node;
    }

    /** The complete usage of a non-streamed message: every key the API reference lists for it. */
    private static ObjectNode usage(boolean thinking) {
        ObjectNode usage = JSON.createObjectNode();
        usage.put("input_tokens", INPUT_TOKENS);
        usage.put("cache_creation_input_tokens", CACHE_CREATION_INPUT_TOKENS);
        usage.put("cache_read_input_tokens", CACHE_READ_INPUT_TOKENS);
        usage.set("cache_creation", cacheCreation());
        usage.put("output_tokens", OUTPUT_TOKENS);
        usage.putObject("output_tokens_details").put("thinking_tokens", thinking ? THINKING_TOKENS : 0);
        // No server tool (web search, web fetch, ...) ever runs here.
        usage.putNull("server_tool_use");
        usage.put("service_tier", SERVICE_TIER);
        usage.put("speed", "standard");
        usage.put("inference_geo", INFERENCE_GEO);
        return usage;
    }

    private static ObjectNode cacheCreation() {
        ObjectNode cacheCreation = JSON.createObjectNode();
        cacheCreation.put("ephemeral_5m_input_tokens", CACHE_CREATION_INPUT_TOKENS);
        cacheCreation.put("ephemeral_1h_input_tokens", 0);
        return cacheCreation;
    }

    // ---------------------------------------------------------------------------------------------
    // POST /v1/messages with "stream": true

    private void streamMessage(Call call, Answer answer) throws IOException {
        ServerResponse res = call.response();
        res.status(200);
        res.header(HeaderNames.CONTENT_TYPE, SSE_CONTENT_TYPE);
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        boolean failMidStream = call.behaviour() == Behaviour.STREAM_ERROR;
        try (OutputStream out = res.outputStream()) {
            ObjectNode start = JSON.createObjectNode();
            start.put("type", "message_start");
            ObjectNode message = messageEnvelope(call);
            message.putArray("content");
            message.putNull("stop_reason");
            message.putNull("stop_sequence");
            message.putNull("stop_details");
            // Only what is known before generation; message_delta brings the rest.
            ObjectNode usage = message.putObject("usage");
            usage.put("input_tokens", INPUT_TOKENS);
            usage.put("cache_creation_input_tokens", CACHE_CREATION_INPUT_TOKENS);
            usage.put("cache_read_input_tokens", CACHE_READ_INPUT_TOKENS);
            usage.set("cache_creation", cacheCreation());
            usage.put("output_tokens", STREAM_START_OUTPUT_TOKENS);
            usage.put("service_tier", SERVICE_TIER);
            usage.put("inference_geo", INFERENCE_GEO);
            start.set("message", message);
            sendEvent(out, start);

            for (int index = 0; index < answer.blocks().size(); index++) {
                Block block = answer.blocks().get(index);
                ObjectNode blockStart = JSON.createObjectNode();
                blockStart.put("type", "content_block_start");
                blockStart.put("index", index);
                blockStart.set("content_block", blockJson(block, false));
                sendEvent(out, blockStart);
                if (index == 0) {
                    sendEvent(out, JSON.createObjectNode().put("type", "ping"));
                }
                List<ObjectNode> deltas = deltas(block);
                for (ObjectNode delta : deltas) {
                    ObjectNode event = JSON.createObjectNode();
                    event.put("type", "content_block_delta");
                    event.put("index", index);
                    event.set("delta", delta);
                    sendEvent(out, event);
                    if (failMidStream) {
                        ObjectNode error = JSON.createObjectNode();
                        error.put("type", "error");
                        error.putObject("error").put("type", "overloaded_error").put("message", "Overloaded");
                        writeEvent(out, "error", JSON.writeValueAsString(error));
                        return;
                    }
                }
                ObjectNode blockStop = JSON.createObjectNode();
                blockStop.put("type", "content_block_stop");
                blockStop.put("index", index);
                sendEvent(out, blockStop);
            }

            ObjectNode messageDelta = JSON.createObjectNode();
            messageDelta.put("type", "message_delta");
            ObjectNode delta = messageDelta.putObject("delta");
            delta.put("stop_reason", answer.stopReason());
            delta.putNull("stop_sequence");
            delta.putNull("stop_details");
            // Cumulative totals for the whole message; keys that do not apply (server_tool_use) are left out.
            ObjectNode finalUsage = messageDelta.putObject("usage");
            finalUsage.put("input_tokens", INPUT_TOKENS);
            finalUsage.put("cache_creation_input_tokens", CACHE_CREATION_INPUT_TOKENS);
            finalUsage.put("cache_read_input_tokens", CACHE_READ_INPUT_TOKENS);
            finalUsage.put("output_tokens", OUTPUT_TOKENS);
            finalUsage.putObject("output_tokens_details").put("thinking_tokens", answer.thinking() ? THINKING_TOKENS : 0);
            sendEvent(out, messageDelta);
            sendEvent(out, JSON.createObjectNode().put("type", "message_stop"));
        }
    }

    private static List<ObjectNode> deltas(Block block) {
        List<ObjectNode> deltas = new ArrayList<>();
        switch (block) {
            case Thinking thinking -> {
                deltas.add(JSON.createObjectNode().put("type", "thinking_delta").put("thinking", thinking.thinking()));
                deltas.add(JSON.createObjectNode().put("type", "signature_delta").put("signature", thinking.signature()));
            }
            case Text text -> words(text.text()).forEach(
                    word -> deltas.add(JSON.createObjectNode().put("type", "text_delta").put("text", word)));
            case ToolUse toolUse -> {
                deltas.add(JSON.createObjectNode().put("type", "input_json_delta").put("partial_json", ""));
                toolUse.fragments().forEach(fragment -> deltas.add(
                        JSON.createObjectNode().put("type", "input_json_delta").put("partial_json", fragment)));
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

    private static void sendEvent(OutputStream out, ObjectNode data) throws IOException {
        writeEvent(out, data.path("type").asText(), JSON.writeValueAsString(data));
    }

    /** One SSE event, flushed on its own so that the client sees each event as it is produced. */
    private static void writeEvent(OutputStream out, String event, String data) throws IOException {
        out.write(("event: " + event + "\ndata: " + data + "\n\n").getBytes(UTF_8));
        out.flush();
    }

    // ---------------------------------------------------------------------------------------------
    // POST /v1/messages/count_tokens

    private void countTokens(Call call) throws JsonProcessingException {
        sendJson(call.response(), JSON.createObjectNode().put("input_tokens", INPUT_TOKENS));
    }

    // ---------------------------------------------------------------------------------------------
    // GET /v1/models, GET /v1/models/{model}

    private void listModels(Call call) throws JsonProcessingException {
        var query = call.request().query();
        int limit = query.first("limit").map(Integer::parseInt).orElse(20);
        if (limit < 1 || limit > 1000) {
            throw ApiError.invalidRequest("limit: Input should be greater than or equal to 1 and less than or equal to 1000");
        }
        int from = 0;
        int to = MODELS.size();
        if (query.contains("after_id")) {
            from = MODELS.indexOf(query.get("after_id")) + 1;
            to = Math.min(to, from + limit);
        } else if (query.contains("before_id")) {
            to = Math.max(0, MODELS.indexOf(query.get("before_id")));
            from = Math.max(0, to - limit);
        } else {
            to = Math.min(to, limit);
        }
        List<String> page = MODELS.subList(from, Math.max(from, to));

        ObjectNode list = JSON.createObjectNode();
        ArrayNode data = list.putArray("data");
        page.forEach(id -> data.add(model(id)));
        boolean beforePaging = query.contains("before_id") && !query.contains("after_id");
        list.put("has_more", beforePaging ? from > 0 : to < MODELS.size());
        if (page.isEmpty()) {
            list.putNull("first_id");
            list.putNull("last_id");
        } else {
            list.put("first_id", page.getFirst());
            list.put("last_id", page.getLast());
        }
        sendJson(call.response(), list);
    }

    private void retrieveModel(Call call) throws JsonProcessingException {
        String id = call.request().path().pathParameters().get("model");
        if (!MODELS.contains(id)) {
            throw new ApiError(404, "not_found_error", "model: " + id);
        }
        sendJson(call.response(), model(id));
    }

    private static ObjectNode model(String id) {
        String line = id.split("-")[1];
        String version = id.split("-")[2] + "." + id.split("-")[3];
        String date = id.substring(id.length() - 8);
        ObjectNode model = JSON.createObjectNode();
        model.put("type", "model");
        model.put("id", id);
        model.put("display_name", "Claude " + Character.toUpperCase(line.charAt(0)) + line.substring(1) + " " + version);
        model.put("created_at", date.substring(0, 4) + "-" + date.substring(4, 6) + "-" + date.substring(6) + "T00:00:00Z");
        model.putNull("capabilities");
        model.put("lifecycle", "active");
        model.put("line", line);
        model.put("max_input_tokens", 200_000);
        model.put("max_tokens", 64_000);
        model.putNull("deprecated_at");
        model.putNull("retires_at");
        return model;
    }
}
