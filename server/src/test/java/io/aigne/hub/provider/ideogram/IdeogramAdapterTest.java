package io.aigne.hub.provider.ideogram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aigne.hub.gateway.canonical.ChatRequest;
import io.aigne.hub.gateway.canonical.EmbeddingRequest;
import io.aigne.hub.gateway.canonical.ImageRequest;
import io.aigne.hub.gateway.canonical.ImageResponse;
import io.aigne.hub.gateway.canonical.ImageResponse.GeneratedImage;
import io.aigne.hub.gateway.upstream.Http1UpstreamClient;
import io.aigne.hub.provider.CredentialSecret;
import io.aigne.hub.provider.MediaFetcher;
import io.aigne.hub.provider.Provider;
import io.aigne.hub.provider.ProviderFailure;
import io.aigne.hub.provider.ProviderHttp;
import io.aigne.hub.provider.ProviderType;
import io.aigne.hub.provider.WireFormat;
import io.aigne.hub.routing.Outcome;
import io.aigne.hub.routing.Route;
import io.aigne.hub.server.ApiException;
import io.aigne.hub.testing.FakeIdeogramProvider;
import io.aigne.hub.testing.FakeIdeogramProvider.RecordedRequest;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IdeogramAdapterTest {
    private static final String KEY = "ideo-test-key";

    private static FakeIdeogramProvider fake;
    private static Http1UpstreamClient client;
    private static IdeogramAdapter adapter;

    @BeforeAll
    static void start() {
        fake = FakeIdeogramProvider.start();
        client = new Http1UpstreamClient(Duration.ofSeconds(5));
        adapter = new IdeogramAdapter(new ProviderHttp(client, Duration.ofSeconds(30), 64L << 20),
                new MediaFetcher(client, Duration.ofSeconds(10), 20 << 20, true));
    }

    @AfterAll
    static void stop() {
        fake.close();
        client.close();
    }

    @BeforeEach
    void clear() {
        fake.clearRequests();
    }

    private static Provider provider(String baseUrl) {
        return new Provider("p1", "ideo", ProviderType.IDEOGRAM, "Ideogram", baseUrl, null, true, List.of(), "test",
                0, 0);
    }

    private static Route route(String key, String model) {
        return new Route(provider(fake.baseUrl()), null, CredentialSecret.apiKey(key), model);
    }

    private static ImageRequest request(String prompt, int n, String size, String quality, String style,
                                        String responseFormat, String negative) {
        return new ImageRequest("ideo/whatever", prompt, n, size, quality, style, responseFormat, negative, null);
    }

    private static ImageRequest simple(String prompt) {
        return request(prompt, 1, null, null, null, null, null);
    }

    private static ProviderFailure failure(String key, String model, ImageRequest request) {
        try {
            adapter.generateImages(route(key, model), request);
        } catch (ProviderFailure f) {
            return f;
        }
        throw new AssertionError("expected a ProviderFailure");
    }

    // ---------------------------------------------------------------------------------------------
    // Ideogram 3.0

    @Test
    void v3SendsTheMappedFormAndReturnsTheImages() throws Exception {
        ImageResponse response = adapter.generateImages(route(KEY, "ideogram-v3"),
                request("A neon sign that says OPEN", 2, "1792x1024", "hd", "natural", "url", "blurry, text artifacts"));

        RecordedRequest sent = fake.lastRequest();
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.path()).isEqualTo("/v1/ideogram-v3/generate");
        assertThat(sent.apiKey()).isEqualTo(KEY);
        assertThat(sent.headers()).doesNotContainKey("authorization");
        assertThat(sent.contentType()).startsWith("multipart/form-data; boundary=");
        assertThat(sent.formFields()).containsExactly(
                Map.entry("prompt", "A neon sign that says OPEN"),
                Map.entry("num_images", "2"),
                Map.entry("aspect_ratio", "16x9"),
                Map.entry("rendering_speed", "QUALITY"),
                Map.entry("style_type", "REALISTIC"),
                Map.entry("negative_prompt", "blurry, text artifacts"));

        assertThat(response.images()).hasSize(2).allSatisfy(image -> {
            assertThat(image.url()).startsWith(fake.baseUrl() + "/images/").endsWith(".png");
            assertThat(image.base64()).isNull();
            assertThat(image.mediaType()).isEqualTo("image/png");
            assertThat(image.revisedPrompt()).isNull();
        });
        assertThat(response.images().get(0).url()).isNotEqualTo(response.images().get(1).url());
        assertThat(response.usage().imageCount()).isEqualTo(2);
        assertThat(response.usage().inputTokens()).isZero();
        assertThat(response.created()).isBetween(System.currentTimeMillis() / 1000 - 60,
                System.currentTimeMillis() / 1000 + 60);
        // No image was downloaded: the caller asked for links.
        assertThat(fake.requests()).hasSize(1);
    }

    @Test
    void lowQualityRendersTurboAndSquareSizesNeedNoRatio() throws Exception {
        adapter.generateImages(route(KEY, "V_3"), request("icon", 1, "1024x1024", "low", null, null, null));

        assertThat(fake.lastRequest().formFields()).containsExactly(
                Map.entry("prompt", "icon"), Map.entry("num_images", "1"), Map.entry("aspect_ratio", "1x1"),
                Map.entry("rendering_speed", "TURBO"));
    }

    @Test
    void aPromptRewrittenByMagicPromptIsReportedAsRevised() throws Exception {
        ImageResponse response = adapter.generateImages(route(FakeIdeogramProvider.KEY_MAGIC_AUTO, "ideogram-v3"),
                simple("a cat"));

        assertThat(response.images()).singleElement().satisfies(image ->
                assertThat(image.revisedPrompt()).isEqualTo(FakeIdeogramProvider.MAGIC_PREFIX + "a cat"));
    }

    @Test
    void base64IsDownloadedFromTheExpiringLinkAndTheLinkIsKept() throws Exception {
        ImageResponse response = adapter.generateImages(route(KEY, "ideogram-v3"),
                request("download me", 2, null, null, null, "b64_json", null));

        String png = Base64.getEncoder().encodeToString(FakeIdeogramProvider.TINY_PNG);
        assertThat(response.images()).hasSize(2).allSatisfy(image -> {
            assertThat(image.base64()).isEqualTo(png);
            assertThat(image.mediaType()).isEqualTo("image/png");
            assertThat(image.url()).startsWith(fake.baseUrl() + "/images/");
        });
        List<RecordedRequest> downloads = fake.requests().stream().filter(r -> r.method().equals("GET")).toList();
        assertThat(downloads).extracting(RecordedRequest::path)
                .containsExactly(response.images().stream().map(i -> i.url().substring(fake.baseUrl().length()))
                        .toArray(String[]::new));
        // The key is for the API, not for the image host.
        assertThat(downloads).allSatisfy(d -> assertThat(d.apiKey()).isNull());
    }

    @Test
    void imagesThatFailedTheSafetyCheckAreLeftOut() throws Exception {
        ImageResponse response = adapter.generateImages(route(FakeIdeogramProvider.KEY_UNSAFE_FIRST_IMAGE,
                "ideogram-v3"), request("two of them", 3, null, null, null, "b64_json", null));

        assertThat(response.images()).hasSize(2).extracting(GeneratedImage::url).doesNotContainNull();
        assertThat(response.usage().imageCount()).isEqualTo(2);
        assertThat(fake.requests().stream().filter(r -> r.method().equals("GET"))).hasSize(2);
    }

    @Test
    void whenEveryImageFailedTheSafetyCheckTheCallerGetsAContentFilter400() {
        ProviderFailure f = failure(FakeIdeogramProvider.KEY_UNSAFE_ALL_IMAGES, "ideogram-v3",
                request("p", 2, null, null, null, null, null));

        assertThat(f.kind()).isEqualTo(ProviderFailure.Kind.STATUS);
        assertThat(f.status()).isEqualTo(400);
        assertThat(f.error().type()).isEqualTo("content_filter");
        assertThat(f.error().code()).isEqualTo("content_policy_violation");
        assertThat(f.error().param()).isEqualTo("prompt");
        assertThat(f.error().message()).contains("safety check").contains("all 2 generated images");
    }

    // ---------------------------------------------------------------------------------------------
    // legacy models

    @Test
    void legacyModelsUseTheJsonEndpointWithTheirModelId() throws Exception {
        ImageResponse response = adapter.generateImages(route(KEY, "V_2_TURBO"),
                request("A lighthouse", 2, "1792x1024", "hd", "natural", null, "fog"));

        RecordedRequest sent = fake.lastRequest();
        assertThat(sent.path()).isEqualTo("/generate");
        assertThat(sent.apiKey()).isEqualTo(KEY);
        assertThat(sent.contentType()).isEqualTo("application/json");
        assertThat(sent.json().path("image_request").properties()).extracting(Map.Entry::getKey)
                .containsExactlyInAnyOrder("prompt", "model", "aspect_ratio", "num_images", "style_type",
                        "negative_prompt");
        assertThat(sent.json().at("/image_request/prompt").asText()).isEqualTo("A lighthouse");
        assertThat(sent.json().at("/image_request/model").asText()).isEqualTo("V_2_TURBO");
        assertThat(sent.json().at("/image_request/aspect_ratio").asText()).isEqualTo("ASPECT_16_9");
        assertThat(sent.json().at("/image_request/num_images").asInt()).isEqualTo(2);
        assertThat(sent.json().at("/image_request/style_type").asText()).isEqualTo("REALISTIC");
        assertThat(sent.json().at("/image_request/negative_prompt").asText()).isEqualTo("fog");

        assertThat(response.images()).hasSize(2).allSatisfy(image -> {
            assertThat(image.url()).startsWith(fake.baseUrl() + "/images/");
            assertThat(image.revisedPrompt()).isNull();
        });
        assertThat(response.usage().imageCount()).isEqualTo(2);
    }

    @Test
    void aLegacyModelThatCannotHonourANegativePromptIsRefusedBeforeAnyCall() {
        assertThatThrownBy(() -> adapter.generateImages(route(KEY, "V_2A"),
                request("p", 1, null, null, null, null, "fog")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.param()).isEqualTo("negative_prompt"));
        assertThat(fake.requests()).isEmpty();
    }

    @Test
    void anUnknownModelIsRefusedBeforeAnyCall() {
        assertThatThrownBy(() -> adapter.generateImages(route(KEY, "dall-e-3"), simple("p")))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.param()).isEqualTo("model");
                });
        assertThat(fake.requests()).isEmpty();
    }

    // ---------------------------------------------------------------------------------------------
    // errors

    @Test
    void aRefusedKeyIs401WithIdeogramsMessage() {
        ProviderFailure f = failure(FakeIdeogramProvider.KEY_UNAUTHORIZED, "ideogram-v3", simple("p"));

        assertThat(f.kind()).isEqualTo(ProviderFailure.Kind.STATUS);
        assertThat(f.status()).isEqualTo(401);
        assertThat(f.error().message()).isEqualTo(FakeIdeogramProvider.UNAUTHORIZED_ERROR);
        assertThat(f.getMessage()).doesNotContain(FakeIdeogramProvider.KEY_UNAUTHORIZED);
    }

    @Test
    void aPromptRejectedByTheSafetyCheckIs422ContentFilter() {
        for (String model : List.of("ideogram-v3", "V_2")) {
            ProviderFailure f = failure(FakeIdeogramProvider.KEY_UNSAFE, model, simple("p"));

            assertThat(f.status()).isEqualTo(422);
            assertThat(f.error().message()).isEqualTo(FakeIdeogramProvider.SAFETY_ERROR);
            assertThat(f.error().type()).isEqualTo("content_filter");
            assertThat(f.error().code()).isEqualTo("content_policy_violation");
        }
    }

    @Test
    void rateLimitsCarryRetryAfter() {
        ProviderFailure f = failure(FakeIdeogramProvider.KEY_RATE_LIMITED_RETRY_AFTER, "ideogram-v3", simple("p"));

        assertThat(f.status()).isEqualTo(429);
        assertThat(f.retryAfter()).isEqualTo(FakeIdeogramProvider.RETRY_AFTER_SECONDS);
        assertThat(f.error().message()).isEqualTo(FakeIdeogramProvider.RATE_LIMIT_ERROR);

        ProviderFailure plain = failure(FakeIdeogramProvider.KEY_RATE_LIMITED, "V_2", simple("p"));
        assertThat(plain.status()).isEqualTo(429);
        assertThat(plain.retryAfter()).isNull();
    }

    @Test
    void anUnreachableProviderIsReportedAsSuch() throws Exception {
        Route route = new Route(provider(closedPortUrl()), null, CredentialSecret.apiKey(KEY), "ideogram-v3");

        assertThatThrownBy(() -> adapter.generateImages(route, simple("p")))
                .isInstanceOfSatisfying(ProviderFailure.class,
                        f -> assertThat(f.kind()).isEqualTo(ProviderFailure.Kind.UNREACHABLE));
    }

    // ---------------------------------------------------------------------------------------------
    // probe, models, other capabilities

    @Test
    void probeAcceptsAKeyThatGetsPastAuthenticationWithoutGeneratingAnything() {
        Outcome outcome = adapter.probe(provider(fake.baseUrl()), CredentialSecret.apiKey(KEY));

        assertThat(outcome).isEqualTo(Outcome.SUCCESS);
        RecordedRequest sent = fake.lastRequest();
        assertThat(sent.path()).isEqualTo("/v1/ideogram-v3/generate");
        assertThat(sent.apiKey()).isEqualTo(KEY);
        assertThat(sent.bodyText()).isEqualTo("{}");
        assertThat(fake.requests()).hasSize(1);
    }

    @Test
    void probeReportsARefusedKey() {
        Outcome outcome = adapter.probe(provider(fake.baseUrl()),
                CredentialSecret.apiKey(FakeIdeogramProvider.KEY_UNAUTHORIZED));

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Rejected.class, r -> {
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.message()).isEqualTo(FakeIdeogramProvider.UNAUTHORIZED_ERROR);
        });
        // No key at all is refused the same way.
        assertThat(adapter.probe(provider(fake.baseUrl()), null)).isInstanceOf(Outcome.Rejected.class);
    }

    @Test
    void probeReportsRateLimitsWithTheirRetryAfter() {
        Outcome outcome = adapter.probe(provider(fake.baseUrl()),
                CredentialSecret.apiKey(FakeIdeogramProvider.KEY_RATE_LIMITED_RETRY_AFTER));

        assertThat(outcome).isEqualTo(new Outcome.RateLimited(FakeIdeogramProvider.RATE_LIMIT_ERROR,
                Duration.ofSeconds(Long.parseLong(FakeIdeogramProvider.RETRY_AFTER_SECONDS))));
    }

    @Test
    void probeDoesNotMistakeAWrongBaseUrlOrADeadHostForAnAcceptedKey() throws Exception {
        Outcome wrongPath = adapter.probe(provider(fake.baseUrl() + "/not-ideogram"), CredentialSecret.apiKey(KEY));
        Outcome dead = adapter.probe(provider(closedPortUrl()), CredentialSecret.apiKey(KEY));

        assertThat(wrongPath).isInstanceOfSatisfying(Outcome.Failed.class,
                f -> assertThat(f.message()).startsWith("404"));
        assertThat(dead).isInstanceOf(Outcome.Failed.class);
    }

    @Test
    void listModelsIsTheFixedListWithoutNetwork() throws Exception {
        List<String> models = adapter.listModels(provider(closedPortUrl()), CredentialSecret.apiKey(KEY),
                Duration.ofSeconds(1));

        assertThat(models).containsExactly("ideogram-v3", "V_2A", "V_2A_TURBO", "V_2", "V_2_TURBO", "V_1",
                "V_1_TURBO");
        assertThat(fake.requests()).isEmpty();
    }

    @Test
    void chatAndEmbeddingsAreNotIdeogramsBusiness() {
        Route route = route(KEY, "ideogram-v3");

        assertThat(adapter.wire()).isEqualTo(WireFormat.IDEOGRAM);
        assertThatThrownBy(() -> adapter.chat(route, (ChatRequest) null))
                .isInstanceOfSatisfying(ProviderFailure.class, f -> {
                    assertThat(f.status()).isEqualTo(400);
                    assertThat(f.error().code()).isEqualTo("unsupported_capability");
                    assertThat(f.error().message()).contains("no chat API");
                });
        assertThatThrownBy(() -> adapter.stream(route, (ChatRequest) null))
                .isInstanceOfSatisfying(ProviderFailure.class, f -> assertThat(f.status()).isEqualTo(400));
        assertThatThrownBy(() -> adapter.embed(route, (EmbeddingRequest) null))
                .isInstanceOfSatisfying(ProviderFailure.class,
                        f -> assertThat(f.error().message()).contains("no embeddings API"));
        assertThat(fake.requests()).isEmpty();
    }

    private static String closedPortUrl() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        return "http://127.0.0.1:" + port;
    }
}
