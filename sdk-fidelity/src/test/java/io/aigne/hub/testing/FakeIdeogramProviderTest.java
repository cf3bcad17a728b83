package io.aigne.hub.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Drives {@link FakeIdeogramProvider} with the JDK HttpClient and hand-built multipart/JSON bodies. */
class FakeIdeogramProviderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "ideo-ok";
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    private static FakeIdeogramProvider fake;
    private static HttpClient http;

    @BeforeAll
    static void startFake() {
        fake = FakeIdeogramProvider.start();
        http = HttpClient.newHttpClient();
    }

    @AfterAll
    static void stopFake() {
        fake.close();
        http.close();
    }

    @BeforeEach
    void clear() {
        fake.clearRequests();
    }

    // ---------------------------------------------------------------------------------------------
    // helpers

    /** Builds a multipart/form-data body the way browsers and HTTP libraries do. */
    private static byte[] multipart(String boundary, Map<String, String> fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        fields.forEach((name, value) -> {
            out.writeBytes(("--" + boundary + "\r\n").getBytes(UTF_8));
            out.writeBytes(("Content-Disposition: form-data; name=\"" + name + "\"\r\n\r\n").getBytes(UTF_8));
            out.writeBytes(value.getBytes(UTF_8));
            out.writeBytes("\r\n".getBytes(UTF_8));
        });
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(UTF_8));
        return out.toByteArray();
    }

    private static HttpResponse<String> postV3(String key, Map<String, String> fields) throws Exception {
        String boundary = "----FakeIdeogramBoundary7MA4YWxkTrZu0gW";
        return post(FakeIdeogramProvider.V3_PATH, key, "multipart/form-data; boundary=" + boundary,
                    multipart(boundary, fields));
    }

    private static HttpResponse<String> postLegacy(String key, String json) throws Exception {
        return post(FakeIdeogramProvider.LEGACY_PATH, key, "application/json", json.getBytes(UTF_8));
    }

    private static HttpResponse<String> post(String path, String key, String contentType, byte[] body)
            throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(fake.baseUrl() + path))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (key != null) {
            builder.header("Api-Key", key);
        }
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, String> fields(String... keyValues) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            fields.put(keyValues[i], keyValues[i + 1]);
        }
        return fields;
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    // ---------------------------------------------------------------------------------------------
    // v3 success

    @Test
    void v3AnswersOneImageWithDefaultsAndDocumentedShape() throws Exception {
        HttpResponse<String> response = postV3(KEY, fields("prompt", "A red fox in snow"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        JsonNode body = json(response);
        assertThat(OffsetDateTime.parse(body.get("created").asText())).isNotNull();
        assertThat(body.get("data")).hasSize(1);
        JsonNode image = body.get("data").get(0);
        assertThat(image.properties()).extracting(Map.Entry::getKey)
                .containsExactly("prompt", "resolution", "is_image_safe", "seed", "url", "style_type");
        assertThat(image.get("prompt").asText()).isEqualTo("A red fox in snow");
        assertThat(image.get("resolution").asText()).isEqualTo("1024x1024");
        assertThat(image.get("is_image_safe").asBoolean()).isTrue();
        assertThat(image.get("style_type").asText()).isEqualTo("GENERAL");
        assertThat(image.get("seed").asLong())
                .isEqualTo(FakeIdeogramProvider.seedFor("A red fox in snow", null, 0))
                .isBetween(0L, (long) FakeIdeogramProvider.MAX_SEED);
        assertThat(image.get("url").asText()).startsWith(fake.baseUrl() + "/images/").endsWith(".png");

        FakeIdeogramProvider.RecordedRequest recorded = fake.lastRequest();
        assertThat(recorded.method()).isEqualTo("POST");
        assertThat(recorded.path()).isEqualTo("/v1/ideogram-v3/generate");
        assertThat(recorded.apiKey()).isEqualTo(KEY);
        assertThat(recorded.contentType()).startsWith("multipart/form-data; boundary=");
        assertThat(recorded.formFields()).containsExactly(Map.entry("prompt", "A red fox in snow"));
    }

    @Test
    void v3HonoursCountSeedResolutionStyleAndRecordsEveryField() throws Exception {
        Map<String, String> sent = fields(
                "prompt", "Poster that says HELLO",
                "num_images", "3",
                "resolution", "1280x800",
                "rendering_speed", "TURBO",
                "style_type", "DESIGN",
                "negative_prompt", "blurry",
                "seed", "12345",
                "magic_prompt", "OFF");
        JsonNode body = json(postV3(KEY, sent));

        assertThat(body.get("data")).hasSize(3);
        for (int i = 0; i < 3; i++) {
            JsonNode image = body.get("data").get(i);
            assertThat(image.get("seed").asLong()).isEqualTo(12345L + i);
            assertThat(image.get("resolution").asText()).isEqualTo("1280x800");
            assertThat(image.get("style_type").asText()).isEqualTo("DESIGN");
            assertThat(image.get("prompt").asText()).isEqualTo("Poster that says HELLO");
        }
        assertThat(body.get("data").get(0).get("url").asText())
                .isNotEqualTo(body.get("data").get(1).get("url").asText());
        assertThat(fake.lastRequest().formFields()).isEqualTo(sent);

        // Same request, same seeds (deterministic), also without an explicit seed.
        JsonNode a = json(postV3(KEY, fields("prompt", "same", "num_images", "2")));
        JsonNode b = json(postV3(KEY, fields("prompt", "same", "num_images", "2")));
        assertThat(a.get("data").get(0).get("seed")).isEqualTo(b.get("data").get(0).get("seed"));
        assertThat(a.get("data").get(1).get("seed")).isEqualTo(b.get("data").get(1).get("seed"));
        assertThat(a.get("data").get(0).get("seed")).isNotEqualTo(a.get("data").get(1).get("seed"));
    }

    @Test
    void v3AspectRatioChoosesResolutionAndMagicPromptOnRewrites() throws Exception {
        JsonNode image = json(postV3(KEY, fields("prompt", "wide", "aspect_ratio", "16x9", "magic_prompt", "ON")))
                .get("data").get(0);
        assertThat(image.get("resolution").asText()).isEqualTo("1312x736");
        assertThat(image.get("prompt").asText()).isEqualTo("Enhanced: wide");

        JsonNode auto = json(postV3(KEY, fields("prompt", "wide", "magic_prompt", "AUTO"))).get("data").get(0);
        assertThat(auto.get("prompt").asText()).isEqualTo("wide");
    }

    @Test
    void generatedUrlsDownloadAsPng() throws Exception {
        JsonNode body = json(postV3(KEY, fields("prompt", "download me", "num_images", "2")));
        for (JsonNode image : body.get("data")) {
            HttpResponse<byte[]> png = http.send(HttpRequest.newBuilder(URI.create(image.get("url").asText())).build(),
                                                 HttpResponse.BodyHandlers.ofByteArray());
            assertThat(png.statusCode()).isEqualTo(200);
            assertThat(png.headers().firstValue("content-type")).hasValue("image/png");
            assertThat(png.body()).startsWith(PNG_SIGNATURE).isEqualTo(FakeIdeogramProvider.TINY_PNG);
        }
        assertThat(fake.lastRequest().method()).isEqualTo("GET");
        assertThat(fake.lastRequest().path()).startsWith("/images/");

        HttpResponse<String> unknown = http.send(
                HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/images/nope.png")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(unknown.statusCode()).isEqualTo(404);
    }

    // ---------------------------------------------------------------------------------------------
    // legacy JSON endpoint

    @Test
    void legacyJsonEndpointAnswersTheSameShape() throws Exception {
        HttpResponse<String> response = postLegacy(KEY, """
                {"image_request": {"prompt": "A lighthouse", "model": "V_2", "aspect_ratio": "ASPECT_16_9",
                 "magic_prompt_option": "ON", "seed": 7, "style_type": "REALISTIC", "num_images": 2}}""");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(OffsetDateTime.parse(body.get("created").asText())).isNotNull();
        assertThat(body.get("data")).hasSize(2);
        JsonNode image = body.get("data").get(0);
        assertThat(image.get("prompt").asText()).isEqualTo("Enhanced: A lighthouse");
        assertThat(image.get("resolution").asText()).isEqualTo("1312x736");
        assertThat(image.get("seed").asLong()).isEqualTo(7);
        assertThat(body.get("data").get(1).get("seed").asLong()).isEqualTo(8);
        assertThat(image.get("style_type").asText()).isEqualTo("REALISTIC");
        assertThat(image.get("is_image_safe").asBoolean()).isTrue();

        FakeIdeogramProvider.RecordedRequest recorded = fake.lastRequest();
        assertThat(recorded.path()).isEqualTo("/generate");
        assertThat(recorded.json().at("/image_request/model").asText()).isEqualTo("V_2");

        JsonNode byResolution = json(postLegacy(KEY,
                "{\"image_request\": {\"prompt\": \"p\", \"resolution\": \"RESOLUTION_1536_640\"}}"));
        assertThat(byResolution.get("data")).hasSize(1);
        assertThat(byResolution.at("/data/0/resolution").asText()).isEqualTo("1536x640");
        assertThat(byResolution.at("/data/0/prompt").asText()).isEqualTo("p");
    }

    // ---------------------------------------------------------------------------------------------
    // errors

    @Test
    void authErrorsByKey() throws Exception {
        HttpResponse<String> noKey = postV3(null, fields("prompt", "x"));
        assertThat(noKey.statusCode()).isEqualTo(401);
        assertThat(json(noKey).get("error").asText()).isNotEmpty();

        // A Bearer token is not Ideogram's auth scheme.
        HttpResponse<String> bearer = http.send(HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/generate"))
                .header("Authorization", "Bearer " + KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"image_request\":{\"prompt\":\"x\"}}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(bearer.statusCode()).isEqualTo(401);

        HttpResponse<String> bad = postLegacy("ideo-401", "{\"image_request\":{\"prompt\":\"x\"}}");
        assertThat(bad.statusCode()).isEqualTo(401);
        assertThat(json(bad).get("error").asText()).isEqualTo(FakeIdeogramProvider.UNAUTHORIZED_ERROR);
        // Key is checked before the body.
        assertThat(postV3("ideo-401", fields()).statusCode()).isEqualTo(401);
    }

    @Test
    void rateLimitAndSafetyErrors() throws Exception {
        HttpResponse<String> limited = postV3("ideo-429", fields("prompt", "x"));
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(json(limited).get("error").asText()).isEqualTo(FakeIdeogramProvider.RATE_LIMIT_ERROR);

        for (HttpResponse<String> unsafe : List.of(
                postV3("ideo-422-unsafe", fields("prompt", "x")),
                postLegacy("ideo-422-unsafe", "{\"image_request\":{\"prompt\":\"x\"}}"))) {
            assertThat(unsafe.statusCode()).isEqualTo(422);
            assertThat(unsafe.headers().firstValue("content-type")).hasValue("application/json");
            JsonNode error = json(unsafe);
            assertThat(error.properties()).hasSize(1);
            assertThat(error.get("error").asText()).isEqualTo("Prompt or provided image failed the safety checks");
        }
    }

    @Test
    void invalidRequestsAnswer400() throws Exception {
        assertThat(postV3(KEY, fields("num_images", "2")).statusCode()).isEqualTo(400);
        assertThat(postV3(KEY, fields("prompt", "  ")).statusCode()).isEqualTo(400);
        assertThat(postLegacy(KEY, "{\"image_request\":{\"model\":\"V_2\"}}").statusCode()).isEqualTo(400);
        assertThat(postLegacy(KEY, "{\"prompt\":\"not wrapped\"}").statusCode()).isEqualTo(400);
        assertThat(postLegacy(KEY, "not json").statusCode()).isEqualTo(400);
        assertThat(postV3(KEY, fields("prompt", "x", "aspect_ratio", "1x1", "resolution", "1024x1024")).statusCode())
                .isEqualTo(400);
        assertThat(postV3(KEY, fields("prompt", "x", "num_images", "9")).statusCode()).isEqualTo(400);
        // Missing prompt beats the safety key: nothing to check.
        HttpResponse<String> missing = postV3("ideo-422-unsafe", fields());
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(json(missing).get("error").asText()).contains("prompt");
        // JSON to the multipart endpoint.
        assertThat(post(FakeIdeogramProvider.V3_PATH, KEY, "application/json", "{\"prompt\":\"x\"}".getBytes(UTF_8))
                .statusCode()).isEqualTo(400);
    }

    @Test
    void rateLimitWithRetryAfterHeader() throws Exception {
        HttpResponse<String> limited = postV3(FakeIdeogramProvider.KEY_RATE_LIMITED_RETRY_AFTER, fields("prompt", "x"));
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("retry-after")).hasValue(FakeIdeogramProvider.RETRY_AFTER_SECONDS);
        assertThat(json(limited).get("error").asText()).isEqualTo(FakeIdeogramProvider.RATE_LIMIT_ERROR);

        assertThat(postV3(FakeIdeogramProvider.KEY_RATE_LIMITED, fields("prompt", "x")).headers()
                .firstValue("retry-after")).isEmpty();
    }

    @Test
    void unsafeImagesComeBackWithoutUrl() throws Exception {
        JsonNode first = json(postV3(FakeIdeogramProvider.KEY_UNSAFE_FIRST_IMAGE,
                fields("prompt", "x", "num_images", "2")));
        assertThat(first.at("/data/0/is_image_safe").asBoolean()).isFalse();
        assertThat(first.at("/data/0/url").isNull()).isTrue();
        assertThat(first.at("/data/1/is_image_safe").asBoolean()).isTrue();
        assertThat(first.at("/data/1/url").asText()).startsWith(fake.baseUrl() + "/images/");

        JsonNode all = json(postLegacy(FakeIdeogramProvider.KEY_UNSAFE_ALL_IMAGES,
                "{\"image_request\":{\"prompt\":\"x\",\"num_images\":3}}"));
        assertThat(all.get("data")).hasSize(3).allSatisfy(image -> {
            assertThat(image.get("is_image_safe").asBoolean()).isFalse();
            assertThat(image.get("url").isNull()).isTrue();
        });
    }

    @Test
    void magicAutoKeyRewritesUnlessMagicPromptIsOff() throws Exception {
        String key = FakeIdeogramProvider.KEY_MAGIC_AUTO;
        assertThat(json(postV3(key, fields("prompt", "cat"))).at("/data/0/prompt").asText())
                .isEqualTo(FakeIdeogramProvider.MAGIC_PREFIX + "cat");
        assertThat(json(postV3(key, fields("prompt", "cat", "magic_prompt", "OFF"))).at("/data/0/prompt").asText())
                .isEqualTo("cat");
        assertThat(json(postLegacy(key, "{\"image_request\":{\"prompt\":\"cat\"}}")).at("/data/0/prompt").asText())
                .isEqualTo(FakeIdeogramProvider.MAGIC_PREFIX + "cat");
    }

    @Test
    void unknownRouteIs404() throws Exception {
        HttpResponse<String> response = post("/v1/nope", KEY, "application/json", "{}".getBytes(UTF_8));
        assertThat(response.statusCode()).isEqualTo(404);
    }

    // ---------------------------------------------------------------------------------------------
    // the multipart parser

    @Test
    void multipartValueMayContainCrlfAndBoundaryLikeText() throws Exception {
        String boundary = "XyZ123";
        String tricky = "line one\r\nline two\r\n--XyZ123-not-a-delimiter \"--XyZ123\" and \"--XyZ123--x\"\r\n";
        byte[] body = multipart(boundary, fields("prompt", tricky, "negative_prompt", "a;b=\"c\""));
        HttpResponse<String> response = post(FakeIdeogramProvider.V3_PATH, KEY,
                                             "multipart/form-data; boundary=" + boundary, body);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).at("/data/0/prompt").asText()).isEqualTo(tricky);
        assertThat(fake.lastRequest().formFields())
                .containsExactly(Map.entry("prompt", tricky), Map.entry("negative_prompt", "a;b=\"c\""));
    }

    @Test
    void multipartQuotedBoundaryAndQuotedParameters() {
        // A quoted boundary with characters that need quoting, a preamble, extra part headers, quoted
        // parameters holding ';' and an escaped quote, a file part, and an epilogue.
        String boundary = "==b:o;u=n\"d";
        String contentType = "multipart/form-data; charset=utf-8; boundary=\"==b:o;u=n\\\"d\"";
        String raw = "preamble to ignore\r\n"
                + "--" + boundary + "\r\n"
                + "content-disposition: form-data; filename=\"x;y.png\"; name=\"style_reference_images\"\r\n"
                + "Content-Type: image/png\r\n\r\n"
                + "PNGDATA\r\n"
                + "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"we\\\"ird; name\"\r\n\r\n"
                + "v\r\n"
                + "--" + boundary + "  \r\n"
                + "Content-Disposition: form-data; name=prompt\r\n\r\n"
                + "--" + boundary + "x\r\n"
                + "--" + boundary + "--\r\nepilogue";
        FakeIdeogramProvider.Multipart parsed = FakeIdeogramProvider.Multipart.parse(contentType, raw.getBytes(UTF_8));

        assertThat(parsed.parts()).hasSize(3);
        FakeIdeogramProvider.Multipart.Part file = parsed.parts().getFirst();
        assertThat(file.name()).isEqualTo("style_reference_images");
        assertThat(file.filename()).isEqualTo("x;y.png");
        assertThat(file.contentType()).isEqualTo("image/png");
        assertThat(file.text()).isEqualTo("PNGDATA");
        assertThat(parsed.fields()).containsEntry("we\"ird; name", "v")
                .containsEntry("prompt", "--" + boundary + "x");
    }

    @Test
    void multipartRejectsBrokenBodies() {
        assertThatThrownBy(() -> FakeIdeogramProvider.Multipart.parse("multipart/form-data", new byte[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("boundary");
        assertThatThrownBy(() -> FakeIdeogramProvider.Multipart.parse("multipart/form-data; boundary=b",
                "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno end".getBytes(UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("closing boundary");
        assertThatThrownBy(() -> FakeIdeogramProvider.Multipart.parse("application/json; boundary=b", new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
