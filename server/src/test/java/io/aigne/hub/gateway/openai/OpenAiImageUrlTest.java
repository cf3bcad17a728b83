package io.aigne.hub.gateway.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.images.ImageGenerateParams;
import com.openai.models.images.ImagesResponse;
import io.aigne.hub.testing.FakeGeminiProvider;
import io.aigne.hub.testing.TestHub;
import io.aigne.hub.usage.CallRecord;
import io.aigne.hub.usage.CallType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The OpenAI door asked for {@code url} images of a provider that answers bytes (Imagen): the hub hosts them. */
class OpenAiImageUrlTest {
    private static FakeGeminiProvider gemini;
    private static TestHub hub;
    private static OpenAIClient sdk;

    @BeforeAll
    static void start() {
        gemini = FakeGeminiProvider.start();
        hub = TestHub.builder().provider("google", "google", gemini.baseUrl(), null, List.of(), "gm-ok-url").start();
        sdk = OpenAIOkHttpClient.builder().baseUrl(hub.baseUrl() + "/v1").apiKey(hub.ownerKey()).maxRetries(0)
                .timeout(Duration.ofSeconds(20)).build();
    }

    @AfterAll
    static void stop() {
        hub.close();
        gemini.close();
    }

    @Test
    void imagenBytesAreHostedWhenTheCallerAsksForUrls() throws Exception {
        ImagesResponse response = sdk.images().generate(ImageGenerateParams.builder()
                .model("google/imagen-4.0-generate-001").prompt("a lighthouse").n(2)
                .responseFormat(ImageGenerateParams.ResponseFormat.URL).build());

        List<String> urls = response.data().orElseThrow().stream().map(i -> i.url().orElseThrow()).toList();
        assertThat(urls).hasSize(2).allSatisfy(url -> assertThat(url).startsWith(hub.baseUrl() + "/api/media/"));
        assertThat(response.data().orElseThrow()).allSatisfy(i -> assertThat(i.b64Json()).isEmpty());
        HttpResponse<byte[]> file = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(urls.getFirst()))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(file.body()).isEqualTo(Base64.getDecoder().decode(FakeGeminiProvider.TINY_PNG_BASE64));

        CallRecord call = hub.lastCall();
        assertThat(call.type()).isEqualTo(CallType.IMAGE);
        assertThat(call.provider()).isEqualTo("google");
        assertThat(call.usage().imageCount()).isEqualTo(2);
    }

    @Test
    void withoutAResponseFormatImagenStillAnswersBase64() {
        ImagesResponse response = sdk.images().generate(ImageGenerateParams.builder()
                .model("google/imagen-4.0-generate-001").prompt("a lighthouse").n(1).build());

        assertThat(response.data().orElseThrow().getFirst().b64Json()).hasValue(FakeGeminiProvider.TINY_PNG_BASE64);
        assertThat(response.data().orElseThrow().getFirst().url()).isEmpty();
    }
}
