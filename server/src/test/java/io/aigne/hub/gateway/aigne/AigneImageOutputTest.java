package io.aigne.hub.gateway.aigne;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigne.hub.testing.FakeGeminiProvider;
import io.aigne.hub.testing.FakeIdeogramProvider;
import io.aigne.hub.testing.TestHub;
import io.aigne.hub.usage.CallRecord;
import io.aigne.hub.usage.CallStatus;
import io.aigne.hub.usage.CallType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code outputFileType} on {@code /api/v2/image}: "url" gets links to files the hub hosts (from Imagen's bytes, and
 * from Ideogram's expiring links, downloaded), "file" gets base64 inline.
 */
class AigneImageOutputTest {
    private static FakeGeminiProvider gemini;
    private static FakeIdeogramProvider ideogram;
    private static TestHub hub;

    @BeforeAll
    static void start() {
        gemini = FakeGeminiProvider.start();
        ideogram = FakeIdeogramProvider.start();
        hub = TestHub.builder()
                .provider("google", "google", gemini.baseUrl(), null, List.of(), "gm-ok-aigne-image")
                .provider("ideogram", "ideogram", ideogram.baseUrl(), null, List.of(), "ideo-ok-aigne-image")
                .start();
    }

    @AfterAll
    static void stop() {
        hub.close();
        gemini.close();
        ideogram.close();
    }

    private static JsonNode image(String model, int n, String outputFileType, String... headers) {
        String body = "{\"input\":{\"prompt\":\"a lighthouse\",\"n\":" + n + ",\"modelOptions\":{\"model\":\"" + model
                + "\"}" + (outputFileType == null ? "" : ",\"outputFileType\":\"" + outputFileType + "\"")
                + "},\"agent\":\"$IMAGE_MODEL\",\"options\":{}}";
        HttpRequest.Builder request = hub.request("/api/v2/image", hub.ownerKey())
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> response = hub.send(request);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestHub.json(response);
    }

    private static HttpResponse<byte[]> download(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void imagenBytesComeBackAsHubLinksAnyoneCanFetch() throws Exception {
        JsonNode out = image("google/imagen-4.0-generate-001", 2, "url");

        assertThat(out.path("images")).hasSize(2);
        for (JsonNode image : out.path("images")) {
            assertThat(image.path("type").asText()).isEqualTo("url");
            assertThat(image.path("mimeType").asText()).isEqualTo("image/png");
            assertThat(image.has("data")).isFalse();
            String url = image.path("url").asText();
            assertThat(url).matches("\\Q" + hub.baseUrl() + "\\E/api/media/[A-Za-z0-9_-]{32}\\.png");
            HttpResponse<byte[]> file = download(url);
            assertThat(file.statusCode()).isEqualTo(200);
            assertThat(file.body()).isEqualTo(Base64.getDecoder().decode(FakeGeminiProvider.TINY_PNG_BASE64));
        }
        assertThat(out.path("images").get(0).path("url").asText())
                .isNotEqualTo(out.path("images").get(1).path("url").asText());
        assertThat(out.path("modelWithProvider").asText()).isEqualTo("google/imagen-4.0-generate-001");

        CallRecord call = hub.lastCall();
        assertThat(call.type()).isEqualTo(CallType.IMAGE);
        assertThat(call.status()).isEqualTo(CallStatus.SUCCESS);
        assertThat(call.provider()).isEqualTo("google");
        assertThat(call.usage().imageCount()).isEqualTo(2);
    }

    @Test
    void linksFollowTheOriginAProxySays() {
        JsonNode out = image("google/imagen-4.0-generate-001", 1, "url",
                "X-Forwarded-Proto", "https", "X-Forwarded-Host", "hub.example.com");

        assertThat(out.at("/images/0/url").asText()).startsWith("https://hub.example.com/api/media/");
    }

    @Test
    void imagenBytesComeBackInlineWhenAFileIsAsked() {
        JsonNode out = image("google/imagen-4.0-generate-001", 1, "file");

        JsonNode image = out.path("images").get(0);
        assertThat(image.path("type").asText()).isEqualTo("file");
        assertThat(image.path("data").asText()).isEqualTo(FakeGeminiProvider.TINY_PNG_BASE64);
        assertThat(image.path("mimeType").asText()).isEqualTo("image/png");
        assertThat(hub.lastCall().usage().imageCount()).isEqualTo(1);
    }

    @Test
    void ideogramsExpiringLinksAreDownloadedAndHostedByTheHub() throws Exception {
        JsonNode out = image("ideogram/ideogram-v3", 1, "url");

        JsonNode image = out.path("images").get(0);
        assertThat(image.path("type").asText()).isEqualTo("url");
        String url = image.path("url").asText();
        assertThat(url).startsWith(hub.baseUrl() + "/api/media/").doesNotStartWith(ideogram.baseUrl());
        assertThat(download(url).body()).isEqualTo(FakeIdeogramProvider.TINY_PNG);

        CallRecord call = hub.lastCall();
        assertThat(call.provider()).isEqualTo("ideogram");
        assertThat(call.usage().imageCount()).isEqualTo(1);
    }

    @Test
    void ideogramImagesComeBackInlineWhenAFileIsAsked() {
        JsonNode image = image("ideogram/ideogram-v3", 1, "file").path("images").get(0);

        assertThat(image.path("type").asText()).isEqualTo("file");
        assertThat(Base64.getDecoder().decode(image.path("data").asText())).isEqualTo(FakeIdeogramProvider.TINY_PNG);
    }

    @Test
    void withoutOutputFileTypeTheProvidersOwnLinkIsReturned() {
        JsonNode image = image("ideogram/ideogram-v3", 1, null).path("images").get(0);

        assertThat(image.path("type").asText()).isEqualTo("url");
        assertThat(image.path("url").asText()).startsWith(ideogram.baseUrl());
    }

    @Test
    void anUnknownOutputFileTypeIsRefused() {
        HttpResponse<String> response = hub.post("/api/v2/image", hub.ownerKey(),
                "{\"input\":{\"prompt\":\"x\",\"outputFileType\":\"ftp\",\"modelOptions\":{\"model\":\"google/imagen-4.0-generate-001\"}}}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(TestHub.json(response).path("error").asText()).contains("input.outputFileType");
    }
}
