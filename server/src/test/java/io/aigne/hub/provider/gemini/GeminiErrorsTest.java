package io.aigne.hub.provider.gemini;

import static io.aigne.hub.provider.gemini.GeminiFixture.MODEL;
import static io.aigne.hub.provider.gemini.GeminiFixture.request;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aigne.hub.gateway.canonical.ContentPart;
import io.aigne.hub.gateway.canonical.Message;
import io.aigne.hub.provider.CredentialSecret;
import io.aigne.hub.provider.ProviderFailure;
import io.aigne.hub.provider.UpstreamError;
import io.aigne.hub.routing.Outcome;
import io.aigne.hub.routing.Route;
import io.aigne.hub.testing.FakeGeminiProvider;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Google's error answers as ProviderFailures, and the credential probe and model listing. */
class GeminiErrorsTest {
    private static GeminiFixture gemini;

    @BeforeAll
    static void start() {
        gemini = new GeminiFixture();
    }

    @AfterAll
    static void stop() {
        gemini.close();
    }

    @BeforeEach
    void forget() {
        gemini.fake.clearRequests();
    }

    private static ProviderFailure chatFailure(String key, String model) {
        try {
            gemini.adapter.chat(gemini.route(key, model), request(List.of(Message.user("hi"))));
        } catch (ProviderFailure failure) {
            return failure;
        }
        throw new AssertionError("the call succeeded");
    }

    @Test
    void aRefusedKeyIsACredentialFailureNotTheCallersMistake() {
        ProviderFailure failure = chatFailure("gm-400-key", MODEL);

        assertThat(failure.kind()).isEqualTo(ProviderFailure.Kind.STATUS);
        assertThat(failure.status()).isEqualTo(401);
        assertThat(failure.error().message()).isEqualTo("API key not valid. Please pass a valid API key.");
        assertThat(failure.error().type()).isEqualTo("authentication_error");
        assertThat(failure.error().code()).isEqualTo("API_KEY_INVALID");
    }

    @Test
    void statusesKeepGooglesMessageAndGetAType() {
        ProviderFailure blocked = chatFailure("gm-403", MODEL);
        assertThat(blocked.status()).isEqualTo(403);
        assertThat(blocked.error().type()).isEqualTo("permission_error");
        assertThat(blocked.error().message()).contains("GenerativeService.GenerateContent are blocked");

        ProviderFailure limited = chatFailure("gm-429", MODEL);
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.error().type()).isEqualTo("rate_limit_error");
        assertThat(limited.error().code()).isEqualTo("RESOURCE_EXHAUSTED");
        assertThat(limited.retryAfter()).isEqualTo("7");

        ProviderFailure broken = chatFailure("gm-500", MODEL);
        assertThat(broken.status()).isEqualTo(500);
        assertThat(broken.error().type()).isEqualTo("server_error");
        assertThat(broken.error().code()).isEqualTo("INTERNAL");

        ProviderFailure overloaded = chatFailure("gm-503", MODEL);
        assertThat(overloaded.status()).isEqualTo(503);
        assertThat(overloaded.error().message()).isEqualTo("The model is overloaded. Please try again later.");

        ProviderFailure missing = chatFailure("gm-ok", FakeGeminiProvider.MISSING_MODEL);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.error().type()).isEqualTo("invalid_request_error");
        assertThat(missing.error().code()).isEqualTo("NOT_FOUND");
        assertThat(missing.error().message()).startsWith("models/missing-model is not found for API version v1beta");
    }

    @Test
    void anInvalidArgumentIsTheCallersMistakeWithGooglesExplanation() {
        assertThatThrownBy(() -> gemini.adapter.chat(gemini.route(MODEL), request(List.of(new Message(
                Message.Role.USER, List.of(ContentPart.Image.inline("image/png", "not base64!")))))))
                .isInstanceOfSatisfying(ProviderFailure.class, failure -> {
                    assertThat(failure.status()).isEqualTo(400);
                    assertThat(failure.error().type()).isEqualTo("invalid_request_error");
                    assertThat(failure.error().code()).isEqualTo("INVALID_ARGUMENT");
                    assertThat(failure.error().message()).contains("Base64 decoding failed");
                });
    }

    @Test
    void anUnreachableProviderIsUnreachable() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Route route = new Route(GeminiFixture.provider("http://127.0.0.1:" + port), null,
                CredentialSecret.apiKey("gm-ok"), MODEL);

        assertThatThrownBy(() -> gemini.adapter.chat(route, request(List.of(Message.user("hi")))))
                .isInstanceOfSatisfying(ProviderFailure.class,
                        failure -> assertThat(failure.kind()).isEqualTo(ProviderFailure.Kind.UNREACHABLE));
    }

    @Test
    void keysEchoedInMessagesAreRedacted() {
        String key = "AIzaSyEchoedKey0123456789";
        byte[] body = ("{\"error\":{\"code\":400,\"message\":\"bad key " + key + "\",\"status\":\"INVALID_ARGUMENT\","
                + "\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.ErrorInfo\",\"reason\":\"API_KEY_INVALID\"}]}}")
                .getBytes(UTF_8);

        UpstreamError error = GeminiErrors.translate(UpstreamError.parse(body, 400, CredentialSecret.apiKey(key)),
                GeminiErrors.errorObject(body));

        assertThat(error.message()).startsWith("bad key ").doesNotContain(key);
        assertThat(error.status()).isEqualTo(401);
    }

    @Test
    void probeListsOneModelWithTheKey() {
        assertThat(gemini.adapter.probe(gemini.provider(), CredentialSecret.apiKey("gm-ok-probe")))
                .isEqualTo(Outcome.SUCCESS);
        FakeGeminiProvider.RecordedRequest recorded = gemini.fake.lastRequest();
        assertThat(recorded.method()).isEqualTo("GET");
        assertThat(recorded.path()).isEqualTo("/v1beta/models");
        assertThat(recorded.query()).isEqualTo("pageSize=1");
        assertThat(recorded.headers()).containsEntry("x-goog-api-key", "gm-ok-probe");
    }

    @Test
    void probeOutcomes() {
        assertThat(gemini.adapter.probe(gemini.provider(), CredentialSecret.apiKey("gm-400-key")))
                .isEqualTo(new Outcome.Rejected(401, "API key not valid. Please pass a valid API key."));
        assertThat(gemini.adapter.probe(gemini.provider(), CredentialSecret.apiKey("gm-403")))
                .isInstanceOfSatisfying(Outcome.Rejected.class, r -> assertThat(r.status()).isEqualTo(403));
        assertThat(gemini.adapter.probe(gemini.provider(), CredentialSecret.apiKey("gm-429")))
                .isInstanceOfSatisfying(Outcome.RateLimited.class,
                        r -> assertThat(r.retryAfter()).isEqualTo(Duration.ofSeconds(7)));
        assertThat(gemini.adapter.probe(gemini.provider(), CredentialSecret.apiKey("gm-503")))
                .isInstanceOfSatisfying(Outcome.Failed.class, f -> assertThat(f.message()).startsWith("503: "));
    }

    @Test
    void listModelsFollowsPagesAndDropsThePrefix() throws Exception {
        List<String> all = gemini.adapter.listModels(gemini.provider(), CredentialSecret.apiKey("gm-ok"),
                Duration.ofSeconds(5));
        assertThat(all).containsExactlyElementsOf(FakeGeminiProvider.MODELS.keySet());
        assertThat(gemini.fake.lastRequest().query()).isEqualTo("pageSize=1000");

        gemini.fake.clearRequests();
        List<String> paged = gemini.adapter.listModels(gemini.provider(), CredentialSecret.apiKey("gm-ok"),
                Duration.ofSeconds(5), 3);
        assertThat(paged).isEqualTo(all);
        assertThat(gemini.fake.requests()).extracting(FakeGeminiProvider.RecordedRequest::query)
                .containsExactly("pageSize=3", "pageSize=3&pageToken=Mw");
    }

    @Test
    void listModelsFailsWithTheProvidersAnswer() {
        assertThatThrownBy(() -> gemini.adapter.listModels(gemini.provider(), CredentialSecret.apiKey("gm-403"),
                Duration.ofSeconds(5)))
                .isInstanceOf(IOException.class).hasMessageContaining("403").hasMessageContaining("blocked");
    }
}
