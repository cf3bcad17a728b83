package io.aigne.hub.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Serial;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * In-process fake of the AWS Bedrock Runtime Converse API, listening on a random loopback port, that
 * authenticates every request with AWS Signature Version 4 the way AWS does.
 *
 * <p>Point the official {@code bedrockruntime} SDK at it with {@code endpointOverride(URI.create(fake.baseUrl()))}
 * and credentials whose access key id the fake was started with. The SigV4 check is implemented here
 * from the published algorithm with JDK HMAC-SHA256 only (never the SDK's signer), so a passing SDK call
 * proves both sides agree on the canonical request:
 *
 * <ul>
 *   <li>{@code Authorization: AWS4-HMAC-SHA256 Credential=AKID/yyyymmdd/region/bedrock/aws4_request,
 *       SignedHeaders=…, Signature=…}; no header: 403 {@code MissingAuthenticationTokenException}; a
 *       malformed one, a scope for another service or date, or {@code host} not signed: 403
 *       {@code IncompleteSignatureException}.
 *   <li>An access key id that is not in the map: 403 {@code UnrecognizedClientException}.
 *   <li>{@code x-amz-date} more than 5 minutes away from the fake's clock: 403 {@code InvalidSignatureException}
 *       "Signature expired".
 *   <li>Session credentials: an {@code x-amz-security-token} must be a signed header (else 403
 *       {@code IncompleteSignatureException}), and must equal the token registered for the key id with
 *       {@link #start(Map, Map)} (else, like a token AWS cannot validate, 403 {@code UnrecognizedClientException}).
 *       A key registered with a token also demands one.
 *   <li>Canonical URI: the raw path as sent, each segment URI-encoded once more (SigV4 double-encodes for
 *       every service but S3). The SDK sends a model id {@code a.b-v1:0} as {@code a.b-v1%3A0}, which is
 *       canonicalised as {@code a.b-v1%253A0}; see {@link #canonicalUri(String)}.
 *   <li>Payload hash: {@code x-amz-content-sha256} when present (it must then match the body, else the
 *       signature mismatch below), otherwise
 *       the hex SHA-256 of the body bytes. Signatures are compared in constant time. A mismatch answers 403
 *       {@code InvalidSignatureException} whose message also carries the canonical request and string to
 *       sign the fake computed (as several AWS services do), which makes a failing test easy to read.
 * </ul>
 *
 * <p>After authentication the access key picks the behaviour: {@link #THROTTLED_KEY} answers 429
 * {@code ThrottlingException}, {@link #VALIDATION_KEY} 400 {@code ValidationException}; the model id
 * {@link #MISSING_MODEL} answers 404 {@code ResourceNotFoundException}. Errors are AWS restJson1-shaped:
 * {@code {"message": …}} with the type in the {@code x-amzn-ErrorType} header; every answer carries
 * {@code x-amzn-RequestId}. Rejected requests are listed by {@link #rejections()}.
 *
 * <p>{@code POST /model/{modelId}/converse} answers {@code "Hello from fake <modelId>"} ({@code end_turn})
 * or, when {@code toolConfig.tools} is present, a {@code toolUse} block {@code tooluse_fake_1} calling the
 * first tool (or the one {@code toolChoice.tool.name} names) with {@code {"city":"Paris"}} ({@code tool_use}).
 * {@code POST /model/{modelId}/converse-stream} streams the same answer as binary
 * {@code application/vnd.amazon.eventstream} frames: {@code messageStart}, text deltas "Hello", " from",
 * " fake", " <modelId>" (or {@code contentBlockStart} with the tool use and input fragments),
 * {@code contentBlockStop}, {@code messageStop} and {@code metadata} with usage and metrics.
 *
 * <p>Converse requests are held to the conversation rules the service enforces before a model runs: a non-empty
 * {@code messages} starting with a user turn, user and assistant alternating, no blank text block, a
 * {@code toolConfig} whenever the conversation holds {@code toolUse} / {@code toolResult} blocks, and
 * {@code inferenceConfig.maxTokens} at least 1 (all 400 {@code ValidationException}). A last turn carrying a
 * {@code toolResult} is answered with text even when tools are offered. A request with {@code cachePoint} blocks
 * reports {@link #CACHED_PREFIX_TOKENS} as {@code cacheWriteInputTokens} the first time and as
 * {@code cacheReadInputTokens} when the same request comes again. Magic model ids: {@link #REASONING_MODEL}
 * (a signed reasoning block first), {@link #PARALLEL_TOOLS_MODEL} (text, then two tool calls),
 * {@code fake.stop.<reason>} (that {@code stopReason}; for {@code stop_sequence} the first stop sequence comes back
 * in {@code additionalModelResponseFields} when {@code additionalModelResponseFieldPaths} asks for
 * {@code /stop_sequence}), {@code fake.stream-exception.<type>} and {@link #STREAM_ERROR_MODEL} (a stream broken
 * by an {@code exception} or {@code error} message).
 *
 * <p>{@code POST /model/{modelId}/invoke} (InvokeModel) serves embeddings as Titan and Cohere do, with
 * deterministic vectors ({@link #embeddingOf}) and a word count as tokens ({@link #tokenCount}), also sent in
 * {@code X-Amzn-Bedrock-Input-Token-Count}: {@code amazon.titan-embed-text-v1} ({@code {inputText}}, 1536
 * dimensions), {@code amazon.titan-embed-text-v2:0} ({@code {inputText, dimensions?, normalize?}}, 256/512/1024)
 * answer {@code {embedding, inputTextTokenCount}}; {@code cohere.embed-english-v3} and
 * {@code cohere.embed-multilingual-v3} ({@code {texts (at most 96), input_type}}, 1024 dimensions) answer
 * {@code {embeddings: [[…]]}}, {@code cohere.embed-v4:0} (also {@code output_dimension}) answers
 * {@code {embeddings: {float: [[…]]}}}. Unknown keys and other models are a 400 {@code ValidationException}.
 */
public final class FakeBedrockProvider extends FakeProviderServer<FakeBedrockProvider.RecordedRequest> {

    public static final String SERVICE = "bedrock";
    public static final String MISSING_MODEL = "missing-model";
    /** Access key ids (give them a secret) that authenticate and then answer 429 / 400. */
    public static final String THROTTLED_KEY = "AKIATHROTTLED";
    public static final String VALIDATION_KEY = "AKIAVALIDATION";

    public static final int INPUT_TOKENS = 15;
    public static final int OUTPUT_TOKENS = 10;
    public static final int TOTAL_TOKENS = 25;
    public static final int CACHE_READ_INPUT_TOKENS = 0;
    public static final int CACHE_WRITE_INPUT_TOKENS = 0;
    public static final long LATENCY_MS = 42;

    public static final String TOOL_USE_ID = "tooluse_fake_1";
    public static final String TOOL_INPUT = "{\"city\":\"Paris\"}";
    public static final List<String> TOOL_INPUT_FRAGMENTS = List.of("{\"city\"", ":\"Pa", "ris\"}");

    public static final String SIGNATURE_MISMATCH = "The request signature we calculated does not match the signature"
            + " you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation"
            + " for details.";
    public static final String INVALID_TOKEN = "The security token included in the request is invalid.";
    public static final Duration MAX_SKEW = Duration.ofMinutes(5);

    /** Answers a reasoning block ({@link #REASONING_TEXT}, signed) before its text; streamed in fragments. */
    public static final String REASONING_MODEL = "fake.reasoning-v1:0";
    public static final String REASONING_TEXT = "The user greets me. I greet back.";
    public static final List<String> REASONING_FRAGMENTS = List.of("The user greets me.", " I greet back.");
    public static final String REASONING_SIGNATURE = "EqQBCkYIARgCIkD-fake-signature==";
    /** With tools: the text {@link #PARALLEL_TOOLS_TEXT}, then two tool calls (the first two tools, or one twice). */
    public static final String PARALLEL_TOOLS_MODEL = "fake.parallel-tools-v1:0";
    public static final String PARALLEL_TOOLS_TEXT = "Let me check both.";
    public static final String SECOND_TOOL_USE_ID = "tooluse_fake_2";
    public static final String SECOND_TOOL_INPUT = "{\"city\":\"Berlin\"}";
    public static final List<String> SECOND_TOOL_INPUT_FRAGMENTS = List.of("{\"ci", "ty\":\"Berlin\"}");
    /** {@code fake.stop.<stopReason>} answers with that stop reason, e.g. {@code fake.stop.max_tokens}. */
    public static final String STOP_REASON_MODEL_PREFIX = "fake.stop.";
    /**
     * {@code fake.stream-exception.<type>} streams "Hello" and then an exception message of that type (e.g.
     * {@code throttlingException}) with {@link #streamExceptionMessage(String)}; Converse answers it normally.
     */
    public static final String STREAM_EXCEPTION_MODEL_PREFIX = "fake.stream-exception.";
    /** Streams "Hello" and then an {@code error} message ({@link #STREAM_ERROR_CODE}). */
    public static final String STREAM_ERROR_MODEL = "fake.stream-error";
    public static final String STREAM_ERROR_CODE = "InternalFailure";
    public static final String STREAM_ERROR_MESSAGE = "The request processing has failed because of an unknown error.";
    /** The cache tokens a request with {@code cachePoint} blocks reports: written the first time, read after. */
    public static final int CACHED_PREFIX_TOKENS = 1200;
    public static final String TITAN_V1_MODEL = "amazon.titan-embed-text-v1";
    public static final String TITAN_V2_MODEL = "amazon.titan-embed-text-v2:0";
    public static final String COHERE_V3_MODEL = "cohere.embed-english-v3";
    public static final String COHERE_V4_MODEL = "cohere.embed-v4:0";
    public static final int COHERE_MAX_TEXTS = 96;
    public static final String INPUT_TOKEN_COUNT_HEADER = "X-Amzn-Bedrock-Input-Token-Count";

    public static final String ERROR_TYPE_HEADER = "x-amzn-ErrorType";
    public static final String REQUEST_ID_HEADER = "x-amzn-RequestId";
    public static final String EVENT_STREAM_CONTENT_TYPE = "application/vnd.amazon.eventstream";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private static final Set<String> IMAGE_FORMATS = Set.of("png", "jpeg", "gif", "webp");

    private final Map<String, String> secrets;
    private final Map<String, String> sessionTokens;
    private final Clock clock;
    private final List<Rejection> rejections = new CopyOnWriteArrayList<>();
    private final AtomicLong requestCounter = new AtomicLong();
    private final Set<String> cachedPrefixes = ConcurrentHashMap.newKeySet();

    private FakeBedrockProvider(Map<String, String> secrets, Map<String, String> sessionTokens, Clock clock) {
        this.secrets = Map.copyOf(secrets);
        this.sessionTokens = new ConcurrentHashMap<>(sessionTokens);
        this.clock = clock;
        startServer(this::routes, listener -> listener.writeBufferSize(0));
    }

    /** Starts a fake that knows these access key ids and their secret keys (long-term credentials). */
    public static FakeBedrockProvider start(Map<String, String> secretsByAccessKeyId) {
        return start(secretsByAccessKeyId, Map.of());
    }

    /**
     * Starts a fake that also knows session credentials: a key id in {@code sessionTokensByAccessKeyId}
     * (its secret in the first map) is only accepted with exactly that {@code x-amz-security-token}.
     */
    public static FakeBedrockProvider start(Map<String, String> secretsByAccessKeyId,
                                            Map<String, String> sessionTokensByAccessKeyId) {
        return new FakeBedrockProvider(secretsByAccessKeyId, sessionTokensByAccessKeyId, Clock.systemUTC());
    }

    /** The endpoint override, {@code http://127.0.0.1:PORT}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** Requests answered with an authentication or behaviour error, in arrival order. */
    public List<Rejection> rejections() {
        return List.copyOf(rejections);
    }

    /** Whether this recorded request was answered with an error. */
    public boolean wasRejected(RecordedRequest request) {
        return rejections.stream().anyMatch(r -> r.request() == request);
    }

    /** Forgets the recorded requests and the rejections. */
    @Override
    public void clearRequests() {
        super.clearRequests();
        rejections.clear();
    }

    /**
     * One request as the fake saw it.
     *
     * @param path the raw path as sent (percent-encoding kept, e.g. {@code /model/a.b-v1%3A0/converse})
     * @param headers header names in lower case; repeated headers joined with {@code ","}
     */
    public record RecordedRequest(String method, String path, Map<String, String> headers, String body) {

        public RecordedRequest {
            headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        }

        public JsonNode json() {
            return parseJson(body);
        }

        /** The access key id of the SigV4 {@code Credential=}, or null when there is none. */
        public String accessKeyId() {
            try {
                return SigV4Auth.parse(headers.get("authorization")).accessKeyId();
            } catch (ApiError e) {
                return null;
            }
        }
    }

    /** A request the fake refused, with the status and {@code x-amzn-ErrorType} it answered. */
    public record Rejection(RecordedRequest request, int status, String errorType, String message) { }

    // ---------------------------------------------------------------------------------------------

    private static final class ApiError extends RuntimeException {
        @Serial
        private static final long serialVersionUID = 1L;

        final int status;
        final String type;

        ApiError(int status, String type, String message) {
            super(message, null, false, false);
            this.status = status;
            this.type = type;
        }

        static ApiError validation(String message) {
            return new ApiError(400, "ValidationException", message);
        }

        static ApiError incomplete(String message) {
            return new ApiError(403, "IncompleteSignatureException", message);
        }
    }

    /** The parts of an {@code Authorization: AWS4-HMAC-SHA256 …} header. */
    private record SigV4Auth(String accessKeyId, String date, String region, String service, String terminal,
                             List<String> signedHeaders, String signature) {

        String scope() {
            return date + "/" + region + "/" + service + "/" + terminal;
        }

        static SigV4Auth parse(String authorization) {
            if (authorization == null || authorization.isBlank()) {
                throw new ApiError(403, "MissingAuthenticationTokenException", "Missing Authentication Token");
            }
            String value = authorization.trim();
            if (!value.startsWith(ALGORITHM + " ")) {
                throw ApiError.incomplete("Authorization header requires 'AWS4-HMAC-SHA256' as the algorithm.");
            }
            Map<String, String> parts = new HashMap<>();
            for (String part : value.substring(ALGORITHM.length()).split(",")) {
                int eq = part.indexOf('=');
                if (eq > 0) {
                    parts.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
                }
            }
            String credential = parts.get("Credential");
            String signedHeaders = parts.get("SignedHeaders");
            String signature = parts.get("Signature");
            if (credential == null || signedHeaders == null || signature == null) {
                throw ApiError.incomplete("Authorization header requires 'Credential', 'Signature' and 'SignedHeaders'"
                                          + " parameters. Authorization=" + value);
            }
            String[] scope = credential.split("/", -1);
            if (scope.length != 5) {
                throw ApiError.incomplete("Credential should be scoped to a valid region, not '" + credential + "'.");
            }
            return new SigV4Auth(scope[0], scope[1], scope[2], scope[3], scope[4],
                                 List.of(signedHeaders.split(";")), signature);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Pipeline: record, authenticate, apply the key's behaviour, route

    private void routes(HttpRouting.Builder routing) {
        routing.any(this::handle);
    }

    private void handle(ServerRequest req, ServerResponse res) {
        long number = requestCounter.incrementAndGet();
        res.header(REQUEST_ID_HEADER, requestId(number));
        byte[] body = bodyOf(req);
        Map<String, List<String>> rawHeaders = new LinkedHashMap<>();
        for (Header header : req.headers()) {
            rawHeaders.computeIfAbsent(header.name().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .addAll(header.allValues());
        }
        Map<String, String> headers = new LinkedHashMap<>();
        rawHeaders.forEach((name, values) -> headers.put(name, String.join(",", values)));
        String method = req.prologue().method().text();
        String rawPath = req.path().rawPath();
        String rawQuery = req.query().rawValue();
        RecordedRequest recorded = new RecordedRequest(method, rawPath, headers, new String(body, UTF_8));
        record(recorded);
        try {
            String accessKeyId = authenticate(method, rawPath, rawQuery, rawHeaders, body);
            switch (accessKeyId) {
                case THROTTLED_KEY -> throw new ApiError(429, "ThrottlingException",
                        "Too many requests, please wait before trying again.");
                case VALIDATION_KEY -> throw ApiError.validation("The provided request is not valid");
                default -> { }
            }
            route(method, rawPath, body, res);
        } catch (ApiError error) {
            rejections.add(new Rejection(recorded, error.status, error.type, error.getMessage()));
            res.status(error.status);
            res.header(ERROR_TYPE_HEADER, error.type);
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
            res.send(JSON.createObjectNode().put("message", error.getMessage()).toString().getBytes(UTF_8));
        }
    }

    private static String requestId(long number) {
        return String.format(Locale.ROOT, "00000000-0000-4000-8000-%012d", number);
    }

    private void route(String method, String rawPath, byte[] body, ServerResponse res) {
        String[] segments = rawPath.split("/", -1);
        // "", "model", "{modelId}", "converse" | "converse-stream" | "invoke"
        boolean known = segments.length == 4 && segments[0].isEmpty() && "model".equals(segments[1])
                && ("converse".equals(segments[3]) || "converse-stream".equals(segments[3])
                    || "invoke".equals(segments[3]));
        if (!known) {
            throw new ApiError(404, "UnknownOperationException", "Unknown operation: " + method + " " + rawPath);
        }
        if (!"POST".equals(method)) {
            throw new ApiError(405, "UnknownOperationException", "Method not allowed: " + method);
        }
        String modelId = URLDecoder.decode(segments[2].replace("+", "%2B"), UTF_8);
        if (MISSING_MODEL.equals(modelId)) {
            throw new ApiError(404, "ResourceNotFoundException",
                               "Could not resolve the foundation model from the provided model identifier.");
        }
        JsonNode request = parseBody(body);
        try {
            if ("invoke".equals(segments[3])) {
                invoke(modelId, request, res);
                return;
            }
            Answer answer = answer(modelId, request);
            if ("converse".equals(segments[3])) {
                res.header(HeaderNames.CONTENT_TYPE, "application/json");
                res.send(JSON.writeValueAsBytes(converseJson(answer)));
            } else {
                stream(answer, res);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // SigV4

    /** Verifies the request's SigV4 signature and returns its access key id, or throws the AWS error. */
    private String authenticate(String method, String rawPath, String rawQuery, Map<String, List<String>> headers,
                                byte[] body) {
        SigV4Auth auth = SigV4Auth.parse(first(headers, "authorization"));
        String secret = secrets.get(auth.accessKeyId());
        if (secret == null) {
            throw new ApiError(403, "UnrecognizedClientException", INVALID_TOKEN);
        }
        if (!SERVICE.equals(auth.service()) || !"aws4_request".equals(auth.terminal())) {
            throw ApiError.incomplete("Credential should be scoped to correct service: '" + SERVICE + "'.");
        }
        String amzDate = first(headers, "x-amz-date");
        if (amzDate == null) {
            throw ApiError.incomplete("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date'"
                                      + " header.");
        }
        Instant signedAt;
        try {
            signedAt = LocalDateTime.parse(amzDate.trim(), AMZ_DATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw ApiError.incomplete("Date must be in ISO-8601 'basic format'. Got '" + amzDate + "'.");
        }
        if (!amzDate.trim().startsWith(auth.date())) {
            throw ApiError.incomplete("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date"
                                      + " from HTTP: '" + auth.date() + "' != '" + amzDate.trim().substring(0, 8) + "'");
        }
        Instant now = clock.instant();
        if (Duration.between(signedAt, now).abs().compareTo(MAX_SKEW) > 0) {
            String bound = signedAt.isBefore(now) ? "earlier than " + AMZ_DATE.format(now.minus(MAX_SKEW).atOffset(ZoneOffset.UTC))
                    + " (" + AMZ_DATE.format(now.atOffset(ZoneOffset.UTC)) + " - 5 min.)"
                    : "later than " + AMZ_DATE.format(now.plus(MAX_SKEW).atOffset(ZoneOffset.UTC))
                    + " (" + AMZ_DATE.format(now.atOffset(ZoneOffset.UTC)) + " + 5 min.)";
            throw new ApiError(403, "InvalidSignatureException", "Signature expired: " + amzDate.trim() + " is now " + bound);
        }
        if (!auth.signedHeaders().contains("host")) {
            throw ApiError.incomplete("'Host' must be a 'SignedHeader' in the AWS Authorization.");
        }
        String token = first(headers, "x-amz-security-token");
        if (token != null && !auth.signedHeaders().contains("x-amz-security-token")) {
            throw ApiError.incomplete("'X-Amz-Security-Token' must be a 'SignedHeader' in the AWS Authorization.");
        }
        String payloadHash = hex(sha256(body));
        String contentSha = first(headers, "x-amz-content-sha256");
        if (contentSha != null && !contentSha.trim().equals(payloadHash) && !"UNSIGNED-PAYLOAD".equals(contentSha.trim())) {
            // The body was changed after signing (or the header lies): the signature cannot hold for this body.
            throw new ApiError(403, "InvalidSignatureException", SIGNATURE_MISMATCH);
        }
        String canonicalRequest = canonicalRequest(method, rawPath, rawQuery, headers, auth.signedHeaders(),
                                                   contentSha != null ? contentSha.trim() : payloadHash);
        String stringToSign = ALGORITHM + "\n" + amzDate.trim() + "\n" + auth.scope() + "\n"
                + hex(sha256(canonicalRequest.getBytes(UTF_8)));
        byte[] key = hmac(("AWS4" + secret).getBytes(UTF_8), auth.date());
        key = hmac(key, auth.region());
        key = hmac(key, auth.service());
        key = hmac(key, auth.terminal());
        byte[] expected = hex(hmac(key, stringToSign)).getBytes(UTF_8);
        if (!MessageDigest.isEqual(expected, auth.signature().getBytes(UTF_8))) {
            throw new ApiError(403, "InvalidSignatureException", SIGNATURE_MISMATCH
                    + "\n\nThe Canonical String for this request should have been\n'" + canonicalRequest
                    + "'\n\nThe String-to-Sign should have been\n'" + stringToSign + "'\n");
        }
        // Only a correctly signed token is looked at, as AWS validates it after the signature.
        String expectedToken = sessionTokens.get(auth.accessKeyId());
        if (expectedToken != null || token != null) {
            if (expectedToken == null || token == null
                    || !MessageDigest.isEqual(expectedToken.getBytes(UTF_8), token.trim().getBytes(UTF_8))) {
                throw new ApiError(403, "UnrecognizedClientException", INVALID_TOKEN);
            }
        }
        return auth.accessKeyId();
    }

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    /** The SigV4 canonical request, built from the request exactly as received. */
    static String canonicalRequest(String method, String rawPath, String rawQuery, Map<String, List<String>> headers,
                                   List<String> signedHeaders, String payloadHash) {
        StringBuilder canonical = new StringBuilder();
        canonical.append(method).append('\n');
        canonical.append(canonicalUri(rawPath)).append('\n');
        canonical.append(canonicalQuery(rawQuery)).append('\n');
        for (String name : signedHeaders) {
            List<String> values = headers.get(name);
            if (values == null) {
                values = List.of();
            }
            List<String> trimmed = values.stream().map(v -> v.trim().replaceAll(" +", " ")).toList();
            canonical.append(name).append(':').append(String.join(",", trimmed)).append('\n');
        }
        canonical.append('\n');
        canonical.append(String.join(";", signedHeaders)).append('\n');
        canonical.append(payloadHash);
        return canonical.toString();
    }

    /**
     * The canonical URI of a raw (as sent, already percent-encoded) path, for a service other than S3:
     * every segment is URI-encoded once more, so {@code v1%3A0} becomes {@code v1%253A0}. An empty path is
     * {@code /}.
     */
    static String canonicalUri(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            return "/";
        }
        String[] segments = rawPath.split("/", -1);
        StringBuilder uri = new StringBuilder();
        for (int i = 0; i < segments.length; i++) {
            if (i > 0) {
                uri.append('/');
            }
            uri.append(uriEncode(segments[i]));
        }
        return uri.toString();
    }

    /** Query parameters decoded, re-encoded with SigV4's rules, sorted by name then value. */
    static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        TreeMap<String, List<String>> params = new TreeMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            params.computeIfAbsent(uriEncode(name), k -> new ArrayList<>()).add(uriEncode(value));
        }
        List<String> parts = new ArrayList<>();
        params.forEach((name, values) -> values.stream().sorted().forEach(value -> parts.add(name + "=" + value)));
        return String.join("&", parts);
    }

    private static String decode(String component) {
        return URLDecoder.decode(component.replace("+", "%2B"), UTF_8);
    }

    /** RFC 3986 encoding as SigV4 defines it: everything but {@code A-Za-z0-9-_.~} as upper-case {@code %XX}. */
    static String uriEncode(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(HexFormat.of().withUpperCase().toHexDigits(b));
            }
        }
        return out.toString();
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    // ---------------------------------------------------------------------------------------------
    // Converse

    /** One tool call of an answer, with the fragments its input is streamed in. */
    private record ToolUse(String id, String name, String input, List<String> fragments) { }

    /** What the fake answers for one Converse request. */
    private record Answer(String modelId, String text, String leadingText, List<ToolUse> toolUses,
                          boolean reasoning, String stopReason, String stopSequence, int cacheRead, int cacheWrite,
                          String streamException) {
        boolean toolUse() {
            return !toolUses.isEmpty();
        }
    }

    private static JsonNode parseBody(byte[] body) {
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (IOException e) {
            throw ApiError.validation("Malformed input request, please reformat your input and try again.");
        }
        if (node == null || !node.isObject()) {
            throw ApiError.validation("Malformed input request, please reformat your input and try again.");
        }
        return node;
    }

    private Answer answer(String modelId, JsonNode request) {
        validateConversation(request);
        String toolName = null;
        List<String> toolNames = new ArrayList<>();
        for (JsonNode tool : request.path("toolConfig").path("tools")) {
            if (tool.has("toolSpec")) {
                String name = tool.path("toolSpec").path("name").asText(null);
                if (name == null) {
                    throw ApiError.validation("toolConfig.tools.0.toolSpec.name: Field required");
                }
                toolNames.add(name);
            }
        }
        if (!toolNames.isEmpty() && !lastTurnHasToolResult(request)) {
            String chosen = request.path("toolConfig").path("toolChoice").path("tool").path("name").asText(null);
            toolName = chosen != null ? chosen : toolNames.getFirst();
        }
        List<ToolUse> toolUses = new ArrayList<>();
        String leadingText = null;
        if (toolName != null) {
            toolUses.add(new ToolUse(TOOL_USE_ID, toolName, TOOL_INPUT, TOOL_INPUT_FRAGMENTS));
            if (PARALLEL_TOOLS_MODEL.equals(modelId)) {
                leadingText = PARALLEL_TOOLS_TEXT;
                String second = toolNames.size() > 1 ? toolNames.get(1) : toolName;
                toolUses.add(new ToolUse(SECOND_TOOL_USE_ID, second, SECOND_TOOL_INPUT, SECOND_TOOL_INPUT_FRAGMENTS));
            }
        }
        String stopReason = toolUses.isEmpty() ? "end_turn" : "tool_use";
        if (modelId.startsWith(STOP_REASON_MODEL_PREFIX)) {
            stopReason = modelId.substring(STOP_REASON_MODEL_PREFIX.length());
        }
        String stopSequence = null;
        JsonNode stops = request.path("inferenceConfig").path("stopSequences");
        boolean stopSequenceAsked = false;
        for (JsonNode path : request.path("additionalModelResponseFieldPaths")) {
            stopSequenceAsked |= "/stop_sequence".equals(path.asText());
        }
        if ("stop_sequence".equals(stopReason) && stopSequenceAsked && stops.isArray() && !stops.isEmpty()) {
            stopSequence = stops.get(0).asText();
        }
        int cacheRead = 0;
        int cacheWrite = 0;
        if (hasCachePoint(request)) {
            ObjectNode prefix = ((ObjectNode) request).deepCopy();
            prefix.remove("inferenceConfig");
            if (cachedPrefixes.add(prefix.toString())) {
                cacheWrite = CACHED_PREFIX_TOKENS;
            } else {
                cacheRead = CACHED_PREFIX_TOKENS;
            }
        }
        String streamException = null;
        if (modelId.startsWith(STREAM_EXCEPTION_MODEL_PREFIX)) {
            streamException = modelId.substring(STREAM_EXCEPTION_MODEL_PREFIX.length());
        } else if (STREAM_ERROR_MODEL.equals(modelId)) {
            streamException = "";
        }
        return new Answer(modelId, "Hello from fake " + modelId, leadingText, toolUses, REASONING_MODEL.equals(modelId),
                          stopReason, stopSequence, cacheRead, cacheWrite, streamException);
    }

    /** The conversation rules Converse enforces before any model sees the request. */
    private static void validateConversation(JsonNode request) {
        JsonNode messages = request.path("messages");
        if (!messages.isArray() || messages.isEmpty()) {
            throw ApiError.validation("1 validation error detected: Value at 'messages' failed to satisfy constraint:"
                                      + " Member must not be null");
        }
        JsonNode maxTokens = request.path("inferenceConfig").path("maxTokens");
        if (maxTokens.isNumber() && maxTokens.asLong() < 1) {
            throw ApiError.validation("1 validation error detected: Value '" + maxTokens.asLong() + "' at"
                                      + " 'inferenceConfig.maxTokens' failed to satisfy constraint: Member must have"
                                      + " value greater than or equal to 1");
        }
        boolean toolBlocks = false;
        String previousRole = null;
        for (int m = 0; m < messages.size(); m++) {
            String role = messages.get(m).path("role").asText();
            if (m == 0 && !"user".equals(role)) {
                throw ApiError.validation("A conversation must start with a user message. Try again with a"
                                          + " conversation that starts with a user message.");
            }
            if (role.equals(previousRole)) {
                throw ApiError.validation("A conversation must alternate between user and assistant roles. Make sure"
                                          + " the conversation alternates between user and assistant roles and try"
                                          + " again.");
            }
            previousRole = role;
            JsonNode content = messages.get(m).path("content");
            for (int c = 0; content.isArray() && c < content.size(); c++) {
                JsonNode block = content.get(c);
                String where = "messages." + m + ".content." + c;
                if (block.has("text") && block.path("text").asText().isBlank()) {
                    throw ApiError.validation("The text field in the ContentBlock object at " + where + " is blank."
                                              + " Add text to the text field, and try again.");
                }
                JsonNode image = block.path("image");
                if (!image.isMissingNode()) {
                    validateImage(image, where + ".image");
                }
                toolBlocks |= block.has("toolUse") || block.has("toolResult");
            }
        }
        if (toolBlocks && !request.path("toolConfig").path("tools").isArray()) {
            throw ApiError.validation("The toolConfig field must be defined when using toolUse and toolResult"
                                      + " content blocks.");
        }
    }

    private static boolean lastTurnHasToolResult(JsonNode request) {
        JsonNode messages = request.path("messages");
        for (JsonNode block : messages.get(messages.size() - 1).path("content")) {
            if (block.has("toolResult")) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasCachePoint(JsonNode request) {
        for (JsonNode block : request.path("system")) {
            if (block.has("cachePoint")) {
                return true;
            }
        }
        for (JsonNode tool : request.path("toolConfig").path("tools")) {
            if (tool.has("cachePoint")) {
                return true;
            }
        }
        for (JsonNode message : request.path("messages")) {
            for (JsonNode block : message.path("content")) {
                if (block.has("cachePoint")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void validateImage(JsonNode image, String where) {
        if (!IMAGE_FORMATS.contains(image.path("format").asText())) {
            throw ApiError.validation(where + ".format must be one of " + IMAGE_FORMATS);
        }
        JsonNode bytes = image.path("source").path("bytes");
        try {
            if (!bytes.isTextual() || Base64.getDecoder().decode(bytes.asText()).length == 0) {
                throw ApiError.validation(where + ".source.bytes must be non-empty base64");
            }
        } catch (IllegalArgumentException e) {
            throw ApiError.validation(where + ".source.bytes is not valid base64");
        }
    }

    private static ObjectNode converseJson(Answer answer) throws JsonProcessingException {
        ObjectNode response = JSON.createObjectNode();
        ObjectNode message = response.putObject("output").putObject("message");
        message.put("role", "assistant");
        ArrayNode content = message.putArray("content");
        if (answer.reasoning()) {
            ObjectNode reasoning = content.addObject().putObject("reasoningContent").putObject("reasoningText");
            reasoning.put("text", REASONING_TEXT);
            reasoning.put("signature", REASONING_SIGNATURE);
        }
        if (answer.toolUse()) {
            if (answer.leadingText() != null) {
                content.addObject().put("text", answer.leadingText());
            }
            for (ToolUse use : answer.toolUses()) {
                ObjectNode toolUse = content.addObject().putObject("toolUse");
                toolUse.put("toolUseId", use.id());
                toolUse.put("name", use.name());
                toolUse.set("input", JSON.readTree(use.input()));
            }
        } else {
            content.addObject().put("text", answer.text());
        }
        response.put("stopReason", answer.stopReason());
        if (answer.stopSequence() != null) {
            response.putObject("additionalModelResponseFields").put("stop_sequence", answer.stopSequence());
        }
        response.set("usage", usage(answer));
        response.putObject("metrics").put("latencyMs", LATENCY_MS);
        return response;
    }

    private static ObjectNode usage(Answer answer) {
        ObjectNode usage = JSON.createObjectNode();
        usage.put("inputTokens", INPUT_TOKENS);
        usage.put("outputTokens", OUTPUT_TOKENS);
        usage.put("totalTokens", TOTAL_TOKENS + answer.cacheRead() + answer.cacheWrite());
        usage.put("cacheReadInputTokens", answer.cacheRead());
        usage.put("cacheWriteInputTokens", answer.cacheWrite());
        return usage;
    }

    // ---------------------------------------------------------------------------------------------
    // ConverseStream: AWS event-stream frames

    private static void stream(Answer answer, ServerResponse res) throws IOException {
        res.status(200);
        res.header(HeaderNames.CONTENT_TYPE, EVENT_STREAM_CONTENT_TYPE);
        try (OutputStream out = res.outputStream()) {
            event(out, "messageStart", JSON.createObjectNode().put("role", "assistant"));
            int block = 0;
            if (answer.reasoning()) {
                for (String fragment : REASONING_FRAGMENTS) {
                    ObjectNode delta = JSON.createObjectNode().put("contentBlockIndex", block);
                    delta.putObject("delta").putObject("reasoningContent").put("text", fragment);
                    event(out, "contentBlockDelta", delta);
                }
                ObjectNode signature = JSON.createObjectNode().put("contentBlockIndex", block);
                signature.putObject("delta").putObject("reasoningContent").put("signature", REASONING_SIGNATURE);
                event(out, "contentBlockDelta", signature);
                event(out, "contentBlockStop", JSON.createObjectNode().put("contentBlockIndex", block));
                block++;
            }
            if (answer.streamException() != null) {
                ObjectNode delta = JSON.createObjectNode().put("contentBlockIndex", block);
                delta.putObject("delta").put("text", "Hello");
                event(out, "contentBlockDelta", delta);
                if (answer.streamException().isEmpty()) {
                    Map<String, String> headers = new LinkedHashMap<>();
                    headers.put(":message-type", "error");
                    headers.put(":error-code", STREAM_ERROR_CODE);
                    headers.put(":error-message", STREAM_ERROR_MESSAGE);
                    out.write(encodeFrame(headers, new byte[0]));
                } else {
                    Map<String, String> headers = new LinkedHashMap<>();
                    headers.put(":message-type", "exception");
                    headers.put(":exception-type", answer.streamException());
                    headers.put(":content-type", "application/json");
                    out.write(encodeFrame(headers, JSON.createObjectNode()
                            .put("message", streamExceptionMessage(answer.streamException()))
                            .toString().getBytes(UTF_8)));
                }
                out.flush();
                return;
            }
            if (answer.toolUse()) {
                if (answer.leadingText() != null) {
                    ObjectNode delta = JSON.createObjectNode().put("contentBlockIndex", block);
                    delta.putObject("delta").put("text", answer.leadingText());
                    event(out, "contentBlockDelta", delta);
                    event(out, "contentBlockStop", JSON.createObjectNode().put("contentBlockIndex", block));
                    block++;
                }
                for (ToolUse use : answer.toolUses()) {
                    ObjectNode start = JSON.createObjectNode().put("contentBlockIndex", block);
                    start.putObject("start").putObject("toolUse").put("toolUseId", use.id()).put("name", use.name());
                    event(out, "contentBlockStart", start);
                    for (String fragment : use.fragments()) {
                        ObjectNode delta = JSON.createObjectNode().put("contentBlockIndex", block);
                        delta.putObject("delta").putObject("toolUse").put("input", fragment);
                        event(out, "contentBlockDelta", delta);
                    }
                    event(out, "contentBlockStop", JSON.createObjectNode().put("contentBlockIndex", block));
                    block++;
                }
            } else {
                for (String word : words(answer.text())) {
                    ObjectNode delta = JSON.createObjectNode().put("contentBlockIndex", block);
                    delta.putObject("delta").put("text", word);
                    event(out, "contentBlockDelta", delta);
                }
                event(out, "contentBlockStop", JSON.createObjectNode().put("contentBlockIndex", block));
            }
            ObjectNode stop = JSON.createObjectNode().put("stopReason", answer.stopReason());
            if (answer.stopSequence() != null) {
                stop.putObject("additionalModelResponseFields").put("stop_sequence", answer.stopSequence());
            }
            event(out, "messageStop", stop);
            ObjectNode metadata = JSON.createObjectNode();
            metadata.set("usage", usage(answer));
            metadata.putObject("metrics").put("latencyMs", LATENCY_MS);
            event(out, "metadata", metadata);
        }
    }

    /** What AWS says in the stream exceptions the fake injects. */
    public static String streamExceptionMessage(String exceptionType) {
        return switch (exceptionType) {
            case "throttlingException" -> "Too many tokens, please wait before trying again.";
            case "serviceUnavailableException" -> "Bedrock is unable to process your request.";
            case "internalServerException" -> "The system encountered an unexpected error during processing.";
            case "validationException" -> "The input does not satisfy the constraints of the model.";
            case "modelStreamErrorException" -> "The model stopped responding in the middle of the stream.";
            default -> "The stream failed with " + exceptionType + ".";
        };
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

    private static void event(OutputStream out, String eventType, ObjectNode payload) throws IOException {
        // The real service pads payloads with a "p" field of varying length; the SDK ignores it.
        payload.put("p", "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0".substring(0, 1 + eventType.length()));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(":event-type", eventType);
        headers.put(":content-type", "application/json");
        headers.put(":message-type", "event");
        out.write(encodeFrame(headers, JSON.writeValueAsBytes(payload)));
        out.flush();
    }

    // ---------------------------------------------------------------------------------------------
    // InvokeModel: embeddings

    private static void invoke(String modelId, JsonNode request, ServerResponse res) throws IOException {
        ObjectNode answer = JSON.createObjectNode();
        long tokens = 0;
        if (modelId.startsWith("amazon.titan-embed-text-")) {
            boolean v2 = modelId.startsWith(TITAN_V2_MODEL);
            Set<String> allowed = v2 ? Set.of("inputText", "dimensions", "normalize", "embeddingTypes")
                    : Set.of("inputText");
            request.fieldNames().forEachRemaining(field -> {
                if (!allowed.contains(field)) {
                    throw ApiError.validation("Malformed input request: #: extraneous key [" + field
                                              + "] is not permitted, please reformat your input and try again.");
                }
            });
            if (!request.path("inputText").isTextual()) {
                throw ApiError.validation("Malformed input request: #: required key [inputText] not found, please"
                                          + " reformat your input and try again.");
            }
            int dimensions = v2 ? request.path("dimensions").asInt(1024) : 1536;
            if (!Set.of(256, 512, 1024, 1536).contains(dimensions) || (v2 && dimensions == 1536)) {
                throw ApiError.validation("Malformed input request: #/dimensions: " + dimensions
                                          + " is not a valid enum value, please reformat your input and try again.");
            }
            String text = request.path("inputText").asText();
            tokens = tokenCount(text);
            ArrayNode vector = answer.putArray("embedding");
            for (float value : embeddingOf(text, dimensions)) {
                vector.add(value);
            }
            answer.put("inputTextTokenCount", tokens);
            if (v2) {
                answer.putObject("embeddingsByType").set("float", vector.deepCopy());
            }
        } else if (modelId.startsWith("cohere.embed-")) {
            boolean v4 = modelId.startsWith(COHERE_V4_MODEL);
            JsonNode texts = request.path("texts");
            if (!texts.isArray() || texts.isEmpty()) {
                throw ApiError.validation("Malformed input request: #/texts: expected minimum item count: 1, please"
                                          + " reformat your input and try again.");
            }
            if (texts.size() > COHERE_MAX_TEXTS) {
                throw ApiError.validation("Malformed input request: #/texts: expected maximum item count: "
                                          + COHERE_MAX_TEXTS + ", found: " + texts.size()
                                          + ", please reformat your input and try again.");
            }
            if (!Set.of("search_document", "search_query", "classification", "clustering")
                    .contains(request.path("input_type").asText())) {
                throw ApiError.validation("Malformed input request: #/input_type: required key [input_type] not found"
                                          + " or not a valid enum value, please reformat your input and try again.");
            }
            if (!v4 && request.has("output_dimension")) {
                throw ApiError.validation("Malformed input request: #: extraneous key [output_dimension] is not"
                                          + " permitted, please reformat your input and try again.");
            }
            int dimensions = v4 ? request.path("output_dimension").asInt(1536) : 1024;
            ArrayNode vectors = JSON.createArrayNode();
            for (JsonNode text : texts) {
                tokens += tokenCount(text.asText());
                ArrayNode vector = vectors.addArray();
                for (float value : embeddingOf(text.asText(), dimensions)) {
                    vector.add(value);
                }
            }
            answer.put("id", "fake-embed-" + Integer.toHexString(texts.toString().hashCode()));
            if (v4) {
                answer.putObject("embeddings").set("float", vectors);
                answer.put("response_type", "embeddings_by_type");
            } else {
                answer.set("embeddings", vectors);
                answer.put("response_type", "embeddings_floats");
            }
            answer.set("texts", texts);
        } else {
            throw ApiError.validation("The provided model identifier is invalid.");
        }
        res.header(INPUT_TOKEN_COUNT_HEADER, Long.toString(tokens));
        res.header("X-Amzn-Bedrock-Invocation-Latency", Long.toString(LATENCY_MS));
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(JSON.writeValueAsBytes(answer));
    }

    /** The fake's token count of a text: its whitespace-separated words. */
    public static int tokenCount(String text) {
        String trimmed = text.strip();
        return trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
    }

    /** The vector the fake answers for a text: deterministic, different for different texts. */
    public static float[] embeddingOf(String text, int dimensions) {
        float[] vector = new float[dimensions];
        int seed = text.hashCode();
        for (int i = 0; i < dimensions; i++) {
            vector[i] = (float) Math.sin(seed * 0.001 + i);
        }
        return vector;
    }

    /**
     * One event-stream message: prelude (total length, headers length, CRC32 of those 8 bytes), headers
     * (name length, name, type 7 = string, value length, value), payload, CRC32 of everything before it.
     */
    static byte[] encodeFrame(Map<String, String> headers, byte[] payload) {
        ByteArrayOutputStream headerBytes = new ByteArrayOutputStream();
        headers.forEach((name, value) -> {
            byte[] n = name.getBytes(UTF_8);
            byte[] v = value.getBytes(UTF_8);
            headerBytes.write(n.length);
            headerBytes.writeBytes(n);
            headerBytes.write(7);
            headerBytes.write((v.length >>> 8) & 0xff);
            headerBytes.write(v.length & 0xff);
            headerBytes.writeBytes(v);
        });
        byte[] h = headerBytes.toByteArray();
        int total = 12 + h.length + payload.length + 4;
        java.nio.ByteBuffer frame = java.nio.ByteBuffer.allocate(total);
        frame.putInt(total).putInt(h.length);
        CRC32 preludeCrc = new CRC32();
        preludeCrc.update(frame.array(), 0, 8);
        frame.putInt((int) preludeCrc.getValue());
        frame.put(h).put(payload);
        CRC32 messageCrc = new CRC32();
        messageCrc.update(frame.array(), 0, total - 4);
        frame.putInt((int) messageCrc.getValue());
        return frame.array();
    }
}
