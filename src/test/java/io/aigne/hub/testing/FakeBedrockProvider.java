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
        // "", "model", "{modelId}", "converse" | "converse-stream"
        boolean converse = segments.length == 4 && segments[0].isEmpty() && "model".equals(segments[1])
                && ("converse".equals(segments[3]) || "converse-stream".equals(segments[3]));
        if (!converse) {
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
        Answer answer = answer(modelId, request);
        try {
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

    private record Answer(String modelId, String text, String toolName) {
        boolean toolUse() {
            return toolName != null;
        }

        String stopReason() {
            return toolUse() ? "tool_use" : "end_turn";
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

    private static Answer answer(String modelId, JsonNode request) {
        JsonNode messages = request.path("messages");
        if (!messages.isArray() || messages.isEmpty()) {
            throw ApiError.validation("1 validation error detected: Value at 'messages' failed to satisfy constraint:"
                                      + " Member must not be null");
        }
        for (int m = 0; m < messages.size(); m++) {
            JsonNode content = messages.get(m).path("content");
            for (int c = 0; content.isArray() && c < content.size(); c++) {
                JsonNode image = content.get(c).path("image");
                if (!image.isMissingNode()) {
                    validateImage(image, "messages." + m + ".content." + c + ".image");
                }
            }
        }
        JsonNode tools = request.path("toolConfig").path("tools");
        String toolName = null;
        if (tools.isArray() && !tools.isEmpty()) {
            String chosen = request.path("toolConfig").path("toolChoice").path("tool").path("name").asText(null);
            toolName = chosen != null ? chosen : tools.get(0).path("toolSpec").path("name").asText(null);
            if (toolName == null) {
                throw ApiError.validation("toolConfig.tools.0.toolSpec.name: Field required");
            }
        }
        return new Answer(modelId, "Hello from fake " + modelId, toolName);
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
        if (answer.toolUse()) {
            ObjectNode toolUse = content.addObject().putObject("toolUse");
            toolUse.put("toolUseId", TOOL_USE_ID);
            toolUse.put("name", answer.toolName());
            toolUse.set("input", JSON.readTree(TOOL_INPUT));
        } else {
            content.addObject().put("text", answer.text());
        }
        response.put("stopReason", answer.stopReason());
        response.set("usage", usage());
        response.putObject("metrics").put("latencyMs", LATENCY_MS);
        return response;
    }

    private static ObjectNode usage() {
        ObjectNode usage = JSON.createObjectNode();
        usage.put("inputTokens", INPUT_TOKENS);
        usage.put("outputTokens", OUTPUT_TOKENS);
        usage.put("totalTokens", TOTAL_TOKENS);
        usage.put("cacheReadInputTokens", CACHE_READ_INPUT_TOKENS);
        usage.put("cacheWriteInputTokens", CACHE_WRITE_INPUT_TOKENS);
        return usage;
    }

    // ---------------------------------------------------------------------------------------------
    // ConverseStream: AWS event-stream frames

    private static void stream(Answer answer, ServerResponse res) throws IOException {
        res.status(200);
        res.header(HeaderNames.CONTENT_TYPE, EVENT_STREAM_CONTENT_TYPE);
        try (OutputStream out = res.outputStream()) {
            event(out, "messageStart", JSON.createObjectNode().put("role", "assistant"));
            if (answer.toolUse()) {
                ObjectNode start = JSON.createObjectNode().put("contentBlockIndex", 0);
                start.putObject("start").putObject("toolUse").put("toolUseId", TOOL_USE_ID).put("name", answer.toolName());
                event(out, "contentBlockStart", start);
                for (String fragment : TOOL_INPUT_FRAGMENTS) {
                    ObjectNode delta = JSON.createObjectNode().put("contentBlockIndex", 0);
                    delta.putObject("delta").putObject("toolUse").put("input", fragment);
                    event(out, "contentBlockDelta", delta);
                }
            } else {
                for (String word : words(answer.text())) {
                    ObjectNode delta = JSON.createObjectNode().put("contentBlockIndex", 0);
                    delta.putObject("delta").put("text", word);
                    event(out, "contentBlockDelta", delta);
                }
            }
            event(out, "contentBlockStop", JSON.createObjectNode().put("contentBlockIndex", 0));
            event(out, "messageStop", JSON.createObjectNode().put("stopReason", answer.stopReason()));
            ObjectNode metadata = JSON.createObjectNode();
            metadata.set("usage", usage());
            metadata.putObject("metrics").put("latencyMs", LATENCY_MS);
            event(out, "metadata", metadata);
        }
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
