package io.aigne.hub.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aigne.hub.gateway.canonical.VideoRequest;
import io.aigne.hub.gateway.canonical.VideoResponse;
import io.aigne.hub.gateway.upstream.Http1UpstreamClient;
import io.aigne.hub.provider.CredentialSecret;
import io.aigne.hub.provider.Provider;
import io.aigne.hub.provider.ProviderFailure;
import io.aigne.hub.provider.ProviderHttp;
import io.aigne.hub.provider.ProviderType;
import io.aigne.hub.provider.VideoPolling;
import io.aigne.hub.routing.Route;
import io.aigne.hub.testing.FakeOpenAiProvider;
import io.aigne.hub.testing.FakeOpenAiProvider.RecordedRequest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Sora through the OpenAI adapter: the form it sends, how it waits for the job, the download, and failures. */
class OpenAiVideosTest {
    private static FakeOpenAiProvider fake;
    private static ProviderHttp http;
    private static OpenAiUpstream upstream;
    private final List<Duration> waits = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        fake = FakeOpenAiProvider.start();
        Http1UpstreamClient client = new Http1UpstreamClient(Duration.ofSeconds(5));
        http = new ProviderHttp(client, Duration.ofSeconds(30), 64L << 20);
        upstream = new OpenAiUpstream(client, Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        fake.close();
    }

    @BeforeEach
    void reset() {
        fake.clearRequests();
        fake.videoPollsUntilDone(2);
    }

    private OpenAiAdapter adapter(Duration timeout) {
        return new OpenAiAdapter(http, upstream, new VideoPolling(timeout, Duration.ofSeconds(1),
                Duration.ofSeconds(10), waits::add));
    }

    private static Route route(String key) {
        Provider provider = new Provider("p1", "openai", ProviderType.OPENAI, "OpenAI", fake.baseUrl(), null, true,
                List.of(), "test", 0, 0);
        return new Route(provider, null, CredentialSecret.apiKey(key), "sora-2");
    }

    private static VideoRequest request(String prompt, Integer seconds, String size, String aspectRatio) {
        return new VideoRequest("openai/sora-2", prompt, seconds, size, aspectRatio, 1, null, null);
    }

    @Test
    void createsAJobAsAFormPollsItWithGrowingWaitsAndDownloadsTheMp4() throws Exception {
        VideoResponse response = adapter(Duration.ofSeconds(600))
                .generateVideo(route("sk-ok-video"), request("a lighthouse at dusk", 8, "1280x720", null));

        assertThat(response.videos()).hasSize(1);
        assertThat(Base64.getDecoder().decode(response.videos().getFirst().base64()))
                .isEqualTo(FakeOpenAiProvider.TINY_MP4);
        assertThat(response.videos().getFirst().mediaType()).isEqualTo("video/mp4");
        assertThat(response.seconds()).isEqualTo(8);
        assertThat(response.usage().videoSeconds()).isEqualTo(8);

        List<RecordedRequest> calls = fake.requests();
        assertThat(calls).extracting(RecordedRequest::method, RecordedRequest::path).containsExactly(
                org.assertj.core.groups.Tuple.tuple("POST", "/v1/videos"),
                org.assertj.core.groups.Tuple.tuple("GET", "/v1/videos/video_fake_" + idOf(calls.get(1))),
                org.assertj.core.groups.Tuple.tuple("GET", calls.get(1).path()),
                org.assertj.core.groups.Tuple.tuple("GET", calls.get(1).path()),
                org.assertj.core.groups.Tuple.tuple("GET", calls.get(1).path() + "/content"));
        RecordedRequest create = calls.getFirst();
        assertThat(create.headers().get("content-type")).startsWith("multipart/form-data; boundary=");
        assertThat(create.body()).contains("name=\"model\"\r\n\r\nsora-2\r\n")
                .contains("name=\"prompt\"\r\n\r\na lighthouse at dusk\r\n")
                .contains("name=\"seconds\"\r\n\r\n8\r\n")
                .contains("name=\"size\"\r\n\r\n1280x720\r\n");
        assertThat(calls).allSatisfy(call -> assertThat(call.bearer()).isEqualTo("sk-ok-video"));
        assertThat(waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
    }

    private static String idOf(RecordedRequest poll) {
        return poll.path().substring(poll.path().lastIndexOf('_') + 1);
    }

    @Test
    void leavesOutWhatTheCallerDidNotSetAndBillsSorasDefaultLength() throws Exception {
        fake.videoPollsUntilDone(0);
        VideoResponse response = adapter(Duration.ofSeconds(600))
                .generateVideo(route("sk-ok-video"), request("a cat", null, null, "9:16"));

        String form = fake.requests().getFirst().body();
        assertThat(form).doesNotContain("name=\"seconds\"").contains("name=\"size\"\r\n\r\n720x1280\r\n");
        assertThat(response.seconds()).isEqualTo(4);
    }

    @Test
    void aModeratedPromptIsTheCallersMistakeWithSorasMessage() {
        assertThatThrownBy(() -> adapter(Duration.ofSeconds(600)).generateVideo(route("sk-ok-video"),
                request("please " + FakeOpenAiProvider.VIDEO_MODERATION_PROMPT, null, null, null)))
                .isInstanceOfSatisfying(ProviderFailure.class, f -> {
                    assertThat(f.kind()).isEqualTo(ProviderFailure.Kind.STATUS);
                    assertThat(f.status()).isEqualTo(400);
                    assertThat(f.error().message()).isEqualTo(FakeOpenAiProvider.VIDEO_MODERATION_MESSAGE);
                    assertThat(f.error().code()).isEqualTo("moderation_blocked");
                });
        assertThat(fake.requests()).noneMatch(r -> r.path().endsWith("/content"));
    }

    @Test
    void anyOtherFailedJobIsTheProvidersFault() {
        assertThatThrownBy(() -> adapter(Duration.ofSeconds(600)).generateVideo(route("sk-ok-video"),
                request(FakeOpenAiProvider.VIDEO_FAILURE_PROMPT, null, null, null)))
                .isInstanceOfSatisfying(ProviderFailure.class, f -> {
                    assertThat(f.status()).isEqualTo(502);
                    assertThat(f.error().message()).isEqualTo(FakeOpenAiProvider.VIDEO_FAILURE_MESSAGE);
                });
    }

    @Test
    void aJobThatOutlastsTheTimeoutIsATimeout() {
        fake.videoPollsUntilDone(1000);
        assertThatThrownBy(() -> adapter(Duration.ofSeconds(5)).generateVideo(route("sk-ok-video"),
                request("slow", null, null, null)))
                .isInstanceOfSatisfying(ProviderFailure.class, f -> {
                    assertThat(f.kind()).isEqualTo(ProviderFailure.Kind.BROKEN);
                    assertThat(f.timeout()).isTrue();
                    assertThat(f.getMessage()).contains("did not finish within 5 s");
                });
        assertThat(waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(2));
    }

    @Test
    void sorasRefusalOfALengthComesBackAsA400() {
        assertThatThrownBy(() -> adapter(Duration.ofSeconds(600)).generateVideo(route("sk-ok-video"),
                request("a cat", 5, null, null)))
                .isInstanceOfSatisfying(ProviderFailure.class, f -> {
                    assertThat(f.status()).isEqualTo(400);
                    assertThat(f.error().param()).isEqualTo("seconds");
                });
    }
}
