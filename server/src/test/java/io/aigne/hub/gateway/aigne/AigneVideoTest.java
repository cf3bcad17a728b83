package io.aigne.hub.gateway.aigne;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigne.hub.testing.FakeGeminiProvider;
import io.aigne.hub.testing.FakeOpenAiProvider;
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
 * {@code /api/v2/video} through a real hub: Sora and Veo clips as hub links or inline files, the seconds in the answer
 * and in the ledger, and a failed job's message. The fakes finish a job at the first poll, so each call takes the
 * hub's first poll interval (one second).
 */
class AigneVideoTest {
    private static FakeOpenAiProvider openai;
    private static FakeGeminiProvider gemini;
    private static TestHub hub;

    @BeforeAll
    static void start() {
        openai = FakeOpenAiProvider.start();
        openai.videoPollsUntilDone(0);
        gemini = FakeGeminiProvider.start();
        gemini.videoPollsUntilDone(0);
        hub = TestHub.builder()
                .provider("openai", "openai", openai.baseUrl(), null, List.of(), "sk-ok-aigne-video")
                .provider("google", "google", gemini.baseUrl(), null, List.of(), "gm-ok-aigne-video")
                .start();
    }

    @AfterAll
    static void stop() {
        hub.close();
        openai.close();
        gemini.close();
    }

    private static HttpResponse<String> video(String input) {
        return hub.post("/api/v2/video", hub.ownerKey(),
                "{\"input\":" + input + ",\"agent\":\"$VIDEO_MODEL\",\"options\":{}}");
    }

    private static JsonNode ok(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestHub.json(response);
    }

    @Test
    void soraClipComesBackAsAHubLinkWithItsSecondsBilled() throws Exception {
        JsonNode out = ok(video("{\"prompt\":\"a lighthouse\",\"seconds\":\"8\",\"size\":\"1280x720\","
                + "\"outputFileType\":\"url\",\"modelOptions\":{\"model\":\"openai/sora-2\"}}"));

        JsonNode clip = out.at("/videos/0");
        assertThat(out.path("videos")).hasSize(1);
        assertThat(clip.path("type").asText()).isEqualTo("url");
        assertThat(clip.path("mimeType").asText()).isEqualTo("video/mp4");
        assertThat(clip.path("url").asText()).matches("\\Q" + hub.baseUrl() + "\\E/api/media/[A-Za-z0-9_-]{32}\\.mp4");
        HttpResponse<byte[]> file = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(clip.path("url").asText())).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.body()).isEqualTo(FakeOpenAiProvider.TINY_MP4);
        assertThat(out.path("seconds").asInt()).isEqualTo(8);
        assertThat(out.path("model").asText()).isEqualTo("sora-2");
        assertThat(out.path("modelWithProvider").asText()).isEqualTo("openai/sora-2");
        assertThat(out.path("usage").has("inputTokens")).isTrue();

        CallRecord call = hub.lastCall();
        assertThat(call.type()).isEqualTo(CallType.VIDEO);
        assertThat(call.status()).isEqualTo(CallStatus.SUCCESS);
        assertThat(call.endpoint()).isEqualTo("/api/v2/video");
        assertThat(call.provider()).isEqualTo("openai");
        assertThat(call.usage().videoSeconds()).isEqualTo(8);
    }

    @Test
    void theDefaultModelIsSoraAndAFileIsInlineBase64() {
        JsonNode out = ok(video("{\"prompt\":\"a cat\",\"outputFileType\":\"file\"}"));

        JsonNode clip = out.at("/videos/0");
        assertThat(clip.path("type").asText()).isEqualTo("file");
        assertThat(Base64.getDecoder().decode(clip.path("data").asText())).isEqualTo(FakeOpenAiProvider.TINY_MP4);
        assertThat(out.path("modelWithProvider").asText()).isEqualTo("openai/sora-2");
        assertThat(out.path("seconds").asInt()).isEqualTo(4);
        assertThat(hub.lastCall().usage().videoSeconds()).isEqualTo(4);
    }

    @Test
    void veoClipIsDownloadedWithTheHubsKeyAndHosted() {
        JsonNode out = ok(video("{\"prompt\":\"a fox\",\"seconds\":6,\"outputFileType\":\"url\","
                + "\"modelOptions\":{\"model\":\"google/veo-3.0-generate-001\",\"aspectRatio\":\"9:16\"}}"));

        assertThat(out.at("/videos/0/url").asText()).startsWith(hub.baseUrl() + "/api/media/").endsWith(".mp4");
        assertThat(out.path("seconds").asInt()).isEqualTo(6);
        assertThat(gemini.requests().stream().filter(r -> r.path().endsWith(":predictLongRunning"))
                .reduce((a, b) -> b).orElseThrow().json().at("/parameters/aspectRatio").asText()).isEqualTo("9:16");
        CallRecord call = hub.lastCall();
        assertThat(call.type()).isEqualTo(CallType.VIDEO);
        assertThat(call.provider()).isEqualTo("google");
        assertThat(call.usage().videoSeconds()).isEqualTo(6);
    }

    @Test
    void aModeratedJobAnswersSorasMessageAsTheCallersError() {
        HttpResponse<String> response = video("{\"prompt\":\"" + FakeOpenAiProvider.VIDEO_MODERATION_PROMPT
                + "\",\"modelOptions\":{\"model\":\"openai/sora-2\"}}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(TestHub.json(response).at("/error/message").asText())
                .contains(FakeOpenAiProvider.VIDEO_MODERATION_MESSAGE);
        CallRecord call = hub.lastCall();
        assertThat(call.type()).isEqualTo(CallType.VIDEO);
        assertThat(call.status()).isEqualTo(CallStatus.FAILED);
        assertThat(call.error()).contains(FakeOpenAiProvider.VIDEO_MODERATION_MESSAGE);
    }

    @Test
    void secondsThatAreNoWholeNumberAreRefused() {
        HttpResponse<String> response = video("{\"prompt\":\"a cat\",\"seconds\":\"soon\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("input.seconds");
    }

    @Test
    void aModelThatMakesNoVideoAnswersGooglesRefusal() {
        HttpResponse<String> response = video("{\"prompt\":\"a cat\",\"modelOptions\":{\"model\":"
                + "\"google/gemini-2.5-flash\"}}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(404);
        assertThat(TestHub.json(response).at("/error/message").asText()).contains("predictLongRunning");
    }
}
