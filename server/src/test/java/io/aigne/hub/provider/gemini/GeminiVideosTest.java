package io.aigne.hub.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigne.hub.gateway.canonical.VideoRequest;
import io.aigne.hub.gateway.canonical.VideoResponse;
import io.aigne.hub.provider.MediaFetcher;
import io.aigne.hub.provider.ProviderFailure;
import io.aigne.hub.provider.VideoPolling;
import io.aigne.hub.testing.FakeGeminiProvider;
import io.aigne.hub.testing.FakeGeminiProvider.RecordedRequest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Veo through the Gemini adapter: the long-running call, the operation polls, the download with the key. */
class GeminiVideosTest {
    private static final String VEO = "veo-3.0-generate-001";
    private static GeminiFixture fixture;
    private final List<Duration> waits = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        fixture = new GeminiFixture();
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @BeforeEach
    void reset() {
        fixture.fake.clearRequests();
        fixture.fake.videoPollsUntilDone(2);
    }

    private GeminiAdapter adapter(Duration timeout) {
        return new GeminiAdapter(fixture.http, new MediaFetcher(fixture.client, Duration.ofSeconds(10), 20 << 20,
                true), new VideoPolling(timeout, Duration.ofSeconds(1), Duration.ofSeconds(10), waits::add));
    }

    private static VideoRequest request(String prompt, Integer seconds, String size, String negative, int n) {
        return new VideoRequest("google/" + VEO, prompt, seconds, size, null, n, negative, null);
    }

    @Test
    void startsAnOperationPollsItAndDownloadsEveryClipWithTheKey() throws Exception {
        VideoResponse response = adapter(Duration.ofSeconds(600)).generateVideo(fixture.route("gm-ok-veo", VEO),
                request("a fox in snow", 6, "1920x1080", "blurry", 2));

        assertThat(response.videos()).hasSize(2).allSatisfy(video -> {
            assertThat(Base64.getDecoder().decode(video.base64())).isEqualTo(FakeGeminiProvider.TINY_MP4);
            assertThat(video.mediaType()).isEqualTo("video/mp4");
        });
        assertThat(response.seconds()).isEqualTo(12);
        assertThat(response.usage().videoSeconds()).isEqualTo(12);

        List<RecordedRequest> calls = fixture.fake.requests();
        assertThat(calls).hasSize(6);
        RecordedRequest start = calls.getFirst();
        assertThat(start.path()).isEqualTo("/v1beta/models/" + VEO + ":predictLongRunning");
        JsonNode body = start.json();
        assertThat(body.at("/instances/0/prompt").asText()).isEqualTo("a fox in snow");
        assertThat(body.at("/parameters/aspectRatio").asText()).isEqualTo("16:9");
        assertThat(body.at("/parameters/durationSeconds").asInt()).isEqualTo(6);
        assertThat(body.at("/parameters/negativePrompt").asText()).isEqualTo("blurry");
        assertThat(body.at("/parameters/sampleCount").asInt()).isEqualTo(2);
        assertThat(calls.subList(1, 4)).allSatisfy(poll -> assertThat(poll.path())
                .matches("/v1beta/models/" + VEO + "/operations/op\\d+"));
        assertThat(calls.subList(4, 6)).allSatisfy(download -> {
            assertThat(download.path()).matches("/v1beta/files/op\\d+s[01]:download");
            assertThat(download.query()).isEqualTo("alt=media");
        });
        assertThat(calls).allSatisfy(call -> {
            assertThat(call.headers().get("x-goog-api-key")).isEqualTo("gm-ok-veo");
            assertThat(call.query()).doesNotContain("key=");
        });
        assertThat(waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
    }

    @Test
    void withoutALengthVeosDefaultIsBilledAndNothingOptionalIsSent() throws Exception {
        fixture.fake.videoPollsUntilDone(0);
        VideoResponse response = adapter(Duration.ofSeconds(600)).generateVideo(fixture.route("gm-ok-veo", VEO),
                request("a fox", null, null, null, 1));

        assertThat(fixture.fake.requests().getFirst().json().path("parameters").isEmpty()).isTrue();
        assertThat(response.seconds()).isEqualTo(GeminiVideos.DEFAULT_SECONDS);
    }

    @Test
    void clipsTakenBySafetyFiltersAreTheCallersToFix() {
        assertThatThrownBy(() -> adapter(Duration.ofSeconds(600)).generateVideo(fixture.route("gm-ok-veo", VEO),
                request(FakeGeminiProvider.VIDEO_FILTER_PROMPT, null, null, null, 1)))
                .isInstanceOfSatisfying(ProviderFailure.class, f -> {
                    assertThat(f.status()).isEqualTo(400);
                    assertThat(f.error().code()).isEqualTo("content_filter");
                    assertThat(f.error().message()).contains(FakeGeminiProvider.VIDEO_FILTER_REASON);
                });
    }

    @Test
    void aFailedOperationCarriesGooglesMessage() {
        assertThatThrownBy(() -> adapter(Duration.ofSeconds(600)).generateVideo(fixture.route("gm-ok-veo", VEO),
                request(FakeGeminiProvider.VIDEO_FAILURE_PROMPT, null, null, null, 1)))
                .isInstanceOfSatisfying(ProviderFailure.class, f -> {
                    assertThat(f.status()).isEqualTo(502);
                    assertThat(f.error().message()).isEqualTo(FakeGeminiProvider.VIDEO_FAILURE_MESSAGE);
                });
    }

    @Test
    void anOperationThatOutlastsTheTimeoutIsATimeout() {
        fixture.fake.videoPollsUntilDone(1000);
        assertThatThrownBy(() -> adapter(Duration.ofSeconds(20)).generateVideo(fixture.route("gm-ok-veo", VEO),
                request("slow", null, null, null, 1)))
                .isInstanceOfSatisfying(ProviderFailure.class, f -> {
                    assertThat(f.timeout()).isTrue();
                    assertThat(f.getMessage()).contains("did not finish within 20 s");
                });
        assertThat(waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
                Duration.ofSeconds(8), Duration.ofSeconds(5));
    }

    @Test
    void aRefusedLengthIsGooglesInvalidArgument() {
        assertThatThrownBy(() -> adapter(Duration.ofSeconds(600)).generateVideo(fixture.route("gm-ok-veo", VEO),
                request("a fox", 30, null, null, 1)))
                .isInstanceOfSatisfying(ProviderFailure.class, f -> {
                    assertThat(f.status()).isEqualTo(400);
                    assertThat(f.error().message()).contains("durationSeconds");
                });
    }
}
