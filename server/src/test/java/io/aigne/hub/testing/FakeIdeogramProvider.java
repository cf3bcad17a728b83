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
import java.io.Serial;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * In-process fake of Ideogram's image generation API, listening on a random loopback port.
 *
 * <p>Two endpoints, following the public API reference at developer.ideogram.ai:
 *
 * <ul>
 *   <li>{@code POST /v1/ideogram-v3/generate} ("Generate with Ideogram 3.0"): a {@code multipart/form-data}
 *       body with the fields {@code prompt} (required), {@code num_images}, {@code aspect_ratio} (e.g.
 *       {@code 16x9}, default {@code 1x1}) <em>or</em> {@code resolution} (e.g. {@code 1024x1024}; both
 *       together answer 400), {@code rendering_speed}, {@code style_type}, {@code negative_prompt},
 *       {@code seed}, {@code magic_prompt} ({@code AUTO}/{@code ON}/{@code OFF}). The body is parsed by
 *       {@link Multipart}, a strict RFC 7578 / RFC 2046 parser.
 *   <li>{@code POST /generate} (legacy): a JSON body {@code {"image_request": {...}}} with {@code prompt},
 *       {@code model}, {@code aspect_ratio} ({@code ASPECT_16_9}), {@code resolution}
 *       ({@code RESOLUTION_1024_1024}), {@code magic_prompt_option}, {@code seed}, {@code style_type},
 *       {@code negative_prompt}, {@code num_images}.
 * </ul>
 *
 * <p>Both answer {@code {"created": "<date-time>", "data": [{prompt, resolution, is_image_safe, seed, url,
 * style_type}]}}. Each {@code url} points back at this fake, {@code {baseUrl}/images/<id>.png}, which
 * serves {@link #TINY_PNG} as {@code image/png}, so a gateway can download and re-host the image the way
 * it must with Ideogram's expiring links.
 *
 * <p>The key travels in the {@code Api-Key} header and chooses the behaviour:
 *
 * <ul>
 *   <li>any other key: success.
 *   <li>no {@code Api-Key} header (an {@code Authorization: Bearer} does not count) or {@code ideo-401}: 401.
 *   <li>{@code ideo-429}: 429 too many requests (Ideogram limits concurrent in-flight requests).
 *   <li>{@code ideo-422-unsafe}: 422 safety rejection, {@code {"error": "..."}}, once the body is valid.
 *   <li>{@code ideo-429-retry-after}: 429 like {@code ideo-429}, with a {@code Retry-After} header of
 *       {@link #RETRY_AFTER_SECONDS} seconds.
 *   <li>{@code ideo-unsafe-first} / {@code ideo-unsafe-all}: 200, but the first / every image failed the
 *       post-generation safety check: {@code is_image_safe: false} and {@code url: null}, as the reference
 *       documents for such images.
 *   <li>{@code ideo-magic-auto}: MagicPrompt rewrites the prompt (see {@link #MAGIC_PREFIX}) unless it is
 *       explicitly {@code OFF}, as Ideogram's default {@code AUTO} may do.
 * </ul>
 *
 * <p>Independent of the key (checked after it): a missing or blank prompt, an unparseable body, a
 * {@code num_images} outside 1..8 and {@code aspect_ratio} together with {@code resolution} answer 400.
 * Every error body is {@code {"error": "<message>"}}. Unknown routes answer 404.
 *
 * <p>Content is deterministic: a given seed is answered as is for the first image and incremented for
 * the following ones; without one, seeds are derived from the prompt and the image index.
 */
public final class FakeIdeogramProvider extends FakeProviderServer<FakeIdeogramProvider.RecordedRequest> {

    public static final String V3_PATH = "/v1/ideogram-v3/generate";
    public static final String LEGACY_PATH = "/generate";

    public static final String KEY_UNAUTHORIZED = "ideo-401";
    public static final String KEY_RATE_LIMITED = "ideo-429";
    public static final String KEY_UNSAFE = "ideo-422-unsafe";
    public static final String KEY_RATE_LIMITED_RETRY_AFTER = "ideo-429-retry-after";
    public static final String KEY_UNSAFE_FIRST_IMAGE = "ideo-unsafe-first";
    public static final String KEY_UNSAFE_ALL_IMAGES = "ideo-unsafe-all";
    public static final String KEY_MAGIC_AUTO = "ideo-magic-auto";
    public static final String RETRY_AFTER_SECONDS = "17";

    /** Prefix put before the prompt when MagicPrompt is explicitly ON. */
    public static final String MAGIC_PREFIX = "Enhanced: ";
    public static final String DEFAULT_RESOLUTION = "1024x1024";
    public static final String DEFAULT_STYLE_TYPE = "GENERAL";
    public static final int MAX_NUM_IMAGES = 8;
    public static final int MAX_SEED = 2_147_483_647;

    public static final String SAFETY_ERROR = "Prompt or provided image failed the safety checks";
    public static final String UNAUTHORIZED_ERROR = "Invalid or missing Api-Key";
    public static final String RATE_LIMIT_ERROR = "Too many requests";

    /** A valid 1x1 transparent PNG, served for every generated image URL. */
    public static final byte[] TINY_PNG = Base64.getDecoder().decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

    /** Resolutions answered for the v3 aspect ratios (the 1K sizes Ideogram 3.0 renders). */
    public static final Map<String, String> V3_ASPECT_RESOLUTIONS = Map.ofEntries(
            Map.entry("1x1", "1024x1024"),
            Map.entry("16x9", "1312x736"), Map.entry("9x16", "736x1312"),
            Map.entry("16x10", "1280x800"), Map.entry("10x16", "800x1280"),
            Map.entry("4x3", "1152x864"), Map.entry("3x4", "864x1152"),
            Map.entry("3x2", "1248x832"), Map.entry("2x3", "832x1248"),
            Map.entry("2x1", "1408x704"), Map.entry("1x2", "704x1408"),
            Map.entry("3x1", "1536x512"), Map.entry("1x3", "512x1536"),
            Map.entry("5x4", "1120x896"), Map.entry("4x5", "896x1120"));

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JSON_CONTENT_TYPE = "application/json";
    private static final DateTimeFormatter CREATED_FORMAT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx", Locale.ROOT);

    private final AtomicLong requestCounter = new AtomicLong();
    private final Set<String> issuedImages = ConcurrentHashMap.newKeySet();

    private FakeIdeogramProvider() {
        startServer(this::routes);
    }

    /** Starts a fake on a random free port of 127.0.0.1. */
    public static FakeIdeogramProvider start() {
        return new FakeIdeogramProvider();
    }

    /** The base URL an Ideogram client is configured with (instead of https://api.ideogram.ai). */
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /**
     * One request as the fake saw it; image downloads are recorded too.
     *
     * @param headers header names in lower case; repeated headers joined with {@code ", "}
     * @param contentType the Content-Type header, or null
     * @param body the raw body bytes (a defensive copy)
     */
    public record RecordedRequest(String method, String path, Map<String, String> headers, String contentType,
                                  byte[] body) {

        public RecordedRequest {
            headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
            body = body.clone();
        }

        @Override
        public byte[] body() {
            return body.clone();
        }

        public String bodyText() {
            return new String(body, UTF_8);
        }

        /** The {@code Api-Key} header, or null. */
        public String apiKey() {
            return headers.get("api-key");
        }

        /** The multipart/form-data body as name → value (UTF-8); fails when the body is not multipart. */
        public Map<String, String> formFields() {
            return Multipart.parse(contentType, body).fields();
        }

        /** Every part of the multipart/form-data body, files included. */
        public List<Multipart.Part> parts() {
            return Multipart.parse(contentType, body).parts();
        }

        /** The body parsed with Jackson ({@code MissingNode} for an empty body). */
        public JsonNode json() {
            return parseJson(body);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Routing and the shared pipeline

    private void routes(HttpRouting.Builder routing) {
        routing.post(V3_PATH, endpoint(this::generateV3))
                .post(LEGACY_PATH, endpoint(this::generateLegacy))
                .get("/images/{file}", this::serveImage)
                .any((req, res) -> {
                    record(req);
                    res.status(404);
                    sendJson(res, errorBody("Not Found"));
                });
    }

    @FunctionalInterface
    private interface Endpoint {
        void answer(ServerResponse res, RecordedRequest request, long number) throws Exception;
    }

    private static final class ApiError extends RuntimeException {
        @Serial
        private static final long serialVersionUID = 1L;

        final int status;
        final String retryAfter;

        ApiError(int status, String message) {
            this(status, message, null);
        }

        ApiError(int status, String message, String retryAfter) {
            super(message, null, false, false);
            this.status = status;
            this.retryAfter = retryAfter;
        }
    }

    private Handler endpoint(Endpoint endpoint) {
        return (req, res) -> {
            RecordedRequest recorded = record(req);
            long number = requestCounter.incrementAndGet();
            try {
                String key = recorded.apiKey();
                if (key == null || key.isBlank() || KEY_UNAUTHORIZED.equals(key)) {
                    throw new ApiError(401, UNAUTHORIZED_ERROR);
                }
                if (KEY_RATE_LIMITED.equals(key)) {
                    throw new ApiError(429, RATE_LIMIT_ERROR);
                }
                if (KEY_RATE_LIMITED_RETRY_AFTER.equals(key)) {
                    throw new ApiError(429, RATE_LIMIT_ERROR, RETRY_AFTER_SECONDS);
                }
                endpoint.answer(res, recorded, number);
            } catch (ApiError error) {
                res.status(error.status);
                if (error.retryAfter != null) {
                    res.header(HeaderNames.RETRY_AFTER, error.retryAfter);
                }
                sendJson(res, errorBody(error.getMessage()));
            }
        };
    }

    private RecordedRequest record(ServerRequest req) {
        Map<String, String> headers = headersOf(req);
        byte[] body = bodyOf(req);
        RecordedRequest recorded = new RecordedRequest(req.prologue().method().text(), req.path().path(), headers,
                                                       headers.get("content-type"), body);
        record(recorded);
        return recorded;
    }

    private static ObjectNode errorBody(String message) {
        return JSON.createObjectNode().put("error", message);
    }

    private static void sendJson(ServerResponse res, JsonNode json) throws JsonProcessingException {
        res.header(HeaderNames.CONTENT_TYPE, JSON_CONTENT_TYPE);
        res.send(JSON.writeValueAsBytes(json));
    }

    // ---------------------------------------------------------------------------------------------
    // The two generate endpoints

    /** A generation request, normalised from either wire format. */
    private record Generation(String prompt, int numImages, String resolution, String styleType, Long seed,
                              String magic) {
        /** Whether MagicPrompt rewrites the prompt for a request sent with {@code key}. */
        boolean rewrites(String key) {
            return "ON".equalsIgnoreCase(magic) || KEY_MAGIC_AUTO.equals(key) && !"OFF".equalsIgnoreCase(magic);
        }
    }

    private void generateV3(ServerResponse res, RecordedRequest request, long number) throws Exception {
        String contentType = request.contentType();
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            throw new ApiError(400, "Expected a multipart/form-data body");
        }
        Map<String, String> form;
        try {
            form = request.formFields();
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, "Malformed multipart body: " + e.getMessage());
        }
        String aspectRatio = form.get("aspect_ratio");
        String resolution = form.get("resolution");
        if (aspectRatio != null && resolution != null) {
            throw new ApiError(400, "aspect_ratio cannot be used in conjunction with resolution");
        }
        if (resolution == null) {
            String ratio = aspectRatio == null ? "1x1" : aspectRatio;
            resolution = V3_ASPECT_RESOLUTIONS.get(ratio);
            if (resolution == null) {
                throw new ApiError(400, "Invalid aspect_ratio: " + ratio);
            }
        } else if (!resolution.matches("\\d+x\\d+")) {
            throw new ApiError(400, "Invalid resolution: " + resolution);
        }
        Generation generation = new Generation(
                requirePrompt(form.get("prompt")),
                numImages(form.get("num_images")),
                resolution,
                form.getOrDefault("style_type", DEFAULT_STYLE_TYPE),
                seed(form.get("seed")),
                form.get("magic_prompt"));
        answer(res, request, number, generation);
    }

    private void generateLegacy(ServerResponse res, RecordedRequest request, long number) throws Exception {
        JsonNode body;
        try {
            body = JSON.readTree(request.body());
        } catch (IOException e) {
            throw new ApiError(400, "Request body is not valid JSON");
        }
        JsonNode imageRequest = body == null ? null : body.get("image_request");
        if (imageRequest == null || !imageRequest.isObject()) {
            throw new ApiError(400, "image_request is required");
        }
        String resolution = DEFAULT_RESOLUTION;
        JsonNode resolutionNode = imageRequest.get("resolution");
        JsonNode aspectNode = imageRequest.get("aspect_ratio");
        if (resolutionNode != null && !resolutionNode.isNull()) {
            // RESOLUTION_1024_1024 → 1024x1024
            String[] parts = resolutionNode.asText().split("_");
            if (parts.length != 3 || !"RESOLUTION".equals(parts[0])) {
                throw new ApiError(400, "Invalid resolution: " + resolutionNode.asText());
            }
            resolution = parts[1] + "x" + parts[2];
        } else if (aspectNode != null && !aspectNode.isNull()) {
            // ASPECT_16_9 → the v3 table under 16x9
            String[] parts = aspectNode.asText().split("_");
            String mapped = parts.length == 3 && "ASPECT".equals(parts[0])
                    ? V3_ASPECT_RESOLUTIONS.get(parts[1] + "x" + parts[2]) : null;
            if (mapped == null) {
                throw new ApiError(400, "Invalid aspect_ratio: " + aspectNode.asText());
            }
            resolution = mapped;
        }
        Generation generation = new Generation(
                requirePrompt(text(imageRequest, "prompt")),
                numImages(text(imageRequest, "num_images")),
                resolution,
                imageRequest.hasNonNull("style_type") ? imageRequest.get("style_type").asText() : DEFAULT_STYLE_TYPE,
                seed(text(imageRequest, "seed")),
                text(imageRequest, "magic_prompt_option"));
        answer(res, request, number, generation);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static String requirePrompt(String prompt) {
        if (prompt == null || prompt.isBlank()) {
            throw new ApiError(400, "prompt is required");
        }
        return prompt;
    }

    private static int numImages(String raw) {
        if (raw == null) {
            return 1;
        }
        try {
            int n = Integer.parseInt(raw.trim());
            if (n >= 1 && n <= MAX_NUM_IMAGES) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw new ApiError(400, "num_images must be an integer between 1 and " + MAX_NUM_IMAGES);
    }

    private static Long seed(String raw) {
        if (raw == null) {
            return null;
        }
        try {
            long seed = Long.parseLong(raw.trim());
            if (seed >= 0 && seed <= MAX_SEED) {
                return seed;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw new ApiError(400, "seed must be an integer between 0 and " + MAX_SEED);
    }

    /** The seed answered for image {@code index}: see the class comment. */
    public static long seedFor(String prompt, Long requestedSeed, int index) {
        if (requestedSeed != null) {
            return (requestedSeed + index) % (MAX_SEED + 1L);
        }
        return Math.floorMod(prompt.hashCode() * 31L + index * 7919L, MAX_SEED + 1L);
    }

    private void answer(ServerResponse res, RecordedRequest request, long number, Generation generation)
            throws JsonProcessingException {
        if (KEY_UNSAFE.equals(request.apiKey())) {
            throw new ApiError(422, SAFETY_ERROR);
        }
        String prompt = generation.rewrites(request.apiKey()) ? MAGIC_PREFIX + generation.prompt() : generation.prompt();
        ObjectNode response = JSON.createObjectNode();
        response.put("created", OffsetDateTime.now(ZoneOffset.UTC).format(CREATED_FORMAT));
        ArrayNode data = response.putArray("data");
        for (int i = 0; i < generation.numImages(); i++) {
            String id = "img-" + number + "-" + i;
            boolean safe = !(KEY_UNSAFE_ALL_IMAGES.equals(request.apiKey())
                    || KEY_UNSAFE_FIRST_IMAGE.equals(request.apiKey()) && i == 0);
            ObjectNode image = data.addObject();
            image.put("prompt", prompt);
            image.put("resolution", generation.resolution());
            image.put("is_image_safe", safe);
            image.put("seed", seedFor(generation.prompt(), generation.seed(), i));
            if (safe) {
                issuedImages.add(id);
                image.put("url", baseUrl() + "/images/" + id + ".png");
            } else {
                image.putNull("url");
            }
            image.put("style_type", generation.styleType());
        }
        sendJson(res, response);
    }

    // ---------------------------------------------------------------------------------------------
    // GET /images/<id>.png

    private void serveImage(ServerRequest req, ServerResponse res) {
        record(req);
        String file = req.path().pathParameters().get("file");
        String id = file.endsWith(".png") ? file.substring(0, file.length() - 4) : null;
        if (id == null || !issuedImages.contains(id)) {
            res.status(404);
            res.header(HeaderNames.CONTENT_TYPE, "text/plain");
            res.send("Not Found");
            return;
        }
        res.header(HeaderNames.CONTENT_TYPE, "image/png");
        res.send(TINY_PNG);
    }

    // ---------------------------------------------------------------------------------------------
    // multipart/form-data

    /**
     * A strict multipart/form-data parser (RFC 7578 over RFC 2046 framing): the boundary comes from the
     * Content-Type (quoted or not); a delimiter is CRLF + "--" + boundary (the CRLF is optional before the
     * very first one) and only counts when it is followed by "--" (the close delimiter) or by optional
     * linear white space and CRLF, so boundary-like text inside a value is content. Part headers are
     * case-insensitive; {@code Content-Disposition} parameters may be quoted strings containing
     * {@code ;}, {@code =} and backslash-escaped quotes.
     */
    public record Multipart(List<Part> parts) {

        /** One part: {@code filename} and {@code contentType} are null when absent. */
        public record Part(String name, String filename, String contentType, byte[] content) {
            public Part {
                content = content.clone();
            }

            @Override
            public byte[] content() {
                return content.clone();
            }

            public String text() {
                return new String(content, UTF_8);
            }
        }

        /** Name → value of every part (UTF-8); a repeated name keeps its first value. */
        public Map<String, String> fields() {
            Map<String, String> fields = new LinkedHashMap<>();
            for (Part part : parts) {
                fields.putIfAbsent(part.name(), part.text());
            }
            return Collections.unmodifiableMap(fields);
        }

        /** @throws IllegalArgumentException when the Content-Type or the body is not valid multipart */
        public static Multipart parse(String contentType, byte[] body) {
            String boundary = boundary(contentType);
            byte[] dashBoundary = ("--" + boundary).getBytes(UTF_8);
            List<Part> parts = new ArrayList<>();

            // The first delimiter: at the very start, or after a preamble that ends with CRLF.
            int pos = startsWith(body, 0, dashBoundary) && delimiterEnds(body, dashBoundary.length)
                    ? 0 : findDelimiter(body, 0, dashBoundary);
            if (pos < 0) {
                throw new IllegalArgumentException("no opening boundary");
            }
            pos = pos == 0 && startsWith(body, 0, dashBoundary) ? dashBoundary.length : pos + 2 + dashBoundary.length;
            while (true) {
                if (startsWith(body, pos, new byte[] {'-', '-'})) {
                    return new Multipart(List.copyOf(parts)); // close delimiter; the epilogue is ignored
                }
                pos = skipLineEnd(body, pos);
                int headersEnd = indexOf(body, pos, new byte[] {'\r', '\n', '\r', '\n'});
                Map<String, String> headers;
                int contentStart;
                if (startsWith(body, pos, new byte[] {'\r', '\n'})) {
                    headers = Map.of(); // a part without headers
                    contentStart = pos + 2;
                } else if (headersEnd < 0) {
                    throw new IllegalArgumentException("part headers not terminated");
                } else {
                    headers = partHeaders(new String(body, pos, headersEnd - pos, UTF_8));
                    contentStart = headersEnd + 4;
                }
                int next = findDelimiter(body, contentStart, dashBoundary);
                if (next < 0) {
                    throw new IllegalArgumentException("missing closing boundary");
                }
                parts.add(part(headers, Arrays.copyOfRange(body, contentStart, next)));
                pos = next + 2 + dashBoundary.length;
            }
        }

        private static String boundary(String contentType) {
            if (contentType == null) {
                throw new IllegalArgumentException("no Content-Type");
            }
            List<String> segments = splitParams(contentType);
            if (!segments.getFirst().trim().equalsIgnoreCase("multipart/form-data")) {
                throw new IllegalArgumentException("not multipart/form-data: " + contentType);
            }
            Map<String, String> params = params(segments.subList(1, segments.size()));
            String boundary = params.get("boundary");
            if (boundary == null || boundary.isEmpty() || boundary.length() > 70) {
                throw new IllegalArgumentException("missing or invalid boundary: " + contentType);
            }
            return boundary;
        }

        private static Part part(Map<String, String> headers, byte[] content) {
            String disposition = headers.get("content-disposition");
            if (disposition == null) {
                throw new IllegalArgumentException("part without Content-Disposition");
            }
            List<String> segments = splitParams(disposition);
            if (!segments.getFirst().trim().equalsIgnoreCase("form-data")) {
                throw new IllegalArgumentException("part is not form-data: " + disposition);
            }
            Map<String, String> params = params(segments.subList(1, segments.size()));
            String name = params.get("name");
            if (name == null) {
                throw new IllegalArgumentException("part without a name: " + disposition);
            }
            return new Part(name, params.get("filename"), headers.get("content-type"), content);
        }

        private static Map<String, String> partHeaders(String block) {
            Map<String, String> headers = new LinkedHashMap<>();
            for (String line : block.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    throw new IllegalArgumentException("bad part header: " + line);
                }
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
            return headers;
        }

        /** Splits a header value at the semicolons that are not inside a quoted string. */
        private static List<String> splitParams(String value) {
            List<String> segments = new ArrayList<>();
            StringBuilder current = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (quoted && c == '\\' && i + 1 < value.length()) {
                    current.append(c).append(value.charAt(++i));
                    continue;
                }
                if (c == '"') {
                    quoted = !quoted;
                } else if (c == ';' && !quoted) {
                    segments.add(current.toString());
                    current.setLength(0);
                    continue;
                }
                current.append(c);
            }
            if (quoted) {
                throw new IllegalArgumentException("unterminated quoted string: " + value);
            }
            segments.add(current.toString());
            return segments;
        }

        /** {@code key=value} or {@code key="quoted \" value"}; keys lower-cased. */
        private static Map<String, String> params(List<String> segments) {
            Map<String, String> params = new LinkedHashMap<>();
            for (String segment : segments) {
                int eq = segment.indexOf('=');
                if (eq <= 0) {
                    if (segment.isBlank()) {
                        continue;
                    }
                    throw new IllegalArgumentException("bad parameter: " + segment);
                }
                String key = segment.substring(0, eq).trim().toLowerCase(Locale.ROOT);
                String raw = segment.substring(eq + 1).trim();
                String value;
                if (raw.length() >= 2 && raw.charAt(0) == '"' && raw.charAt(raw.length() - 1) == '"') {
                    StringBuilder unquoted = new StringBuilder();
                    for (int i = 1; i < raw.length() - 1; i++) {
                        char c = raw.charAt(i);
                        if (c == '\\' && i + 1 < raw.length() - 1) {
                            c = raw.charAt(++i);
                        }
                        unquoted.append(c);
                    }
                    value = unquoted.toString();
                } else {
                    value = raw;
                }
                params.putIfAbsent(key, value);
            }
            return params;
        }

        /** The index of the CRLF of the next real delimiter (CRLF--boundary followed by -- or LWSP* CRLF). */
        private static int findDelimiter(byte[] body, int from, byte[] dashBoundary) {
            int i = from;
            while ((i = indexOf(body, i, new byte[] {'\r', '\n'})) >= 0) {
                if (startsWith(body, i + 2, dashBoundary) && delimiterEnds(body, i + 2 + dashBoundary.length)) {
                    return i;
                }
                i++;
            }
            return -1;
        }

        private static boolean delimiterEnds(byte[] body, int at) {
            if (startsWith(body, at, new byte[] {'-', '-'})) {
                return true;
            }
            int i = at;
            while (i < body.length && (body[i] == ' ' || body[i] == '\t')) {
                i++;
            }
            return startsWith(body, i, new byte[] {'\r', '\n'});
        }

        private static int skipLineEnd(byte[] body, int at) {
            int i = at;
            while (i < body.length && (body[i] == ' ' || body[i] == '\t')) {
                i++;
            }
            if (!startsWith(body, i, new byte[] {'\r', '\n'})) {
                throw new IllegalArgumentException("boundary not followed by CRLF");
            }
            return i + 2;
        }

        private static boolean startsWith(byte[] body, int at, byte[] prefix) {
            if (at < 0 || at + prefix.length > body.length) {
                return false;
            }
            for (int j = 0; j < prefix.length; j++) {
                if (body[at + j] != prefix[j]) {
                    return false;
                }
            }
            return true;
        }

        private static int indexOf(byte[] body, int from, byte[] needle) {
            for (int i = Math.max(from, 0); i + needle.length <= body.length; i++) {
                if (startsWith(body, i, needle)) {
                    return i;
                }
            }
            return -1;
        }
    }
}
