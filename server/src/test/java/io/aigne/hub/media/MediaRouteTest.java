package io.aigne.hub.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.aigne.hub.testing.TestHub;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The public media route of a running hub, serving what the hub's store holds. */
class MediaRouteTest {
    private static TestHub hub;
    private static MediaStore store;

    @BeforeAll
    static void start() {
        hub = TestHub.builder().start();
        // The hub's own directory: what is put here is what the route serves.
        store = new MediaStore(hub.dataDir().resolve("media"), 1 << 20, Duration.ofDays(7), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    private static HttpResponse<byte[]> get(String path) {
        try {
            return java.net.http.HttpClient.newHttpClient().send(hub.request(path, null).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aHostedFileIsServedWithoutAKeyWithItsTypeLengthAndCachingHeaders() throws Exception {
        MediaStore.Stored stored = store.put(MediaStoreTest.PNG);

        HttpResponse<byte[]> response = get("/api/media/" + stored.name());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(MediaStoreTest.PNG);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(response.headers().firstValue("Content-Length")).hasValue(
                Integer.toString(MediaStoreTest.PNG.length));
        assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        String cacheControl = response.headers().firstValue("Cache-Control").orElseThrow();
        assertThat(cacheControl).startsWith("public, max-age=").endsWith(", immutable");
        long maxAge = Long.parseLong(cacheControl.replaceAll(".*max-age=(\\d+).*", "$1"));
        assertThat(maxAge).isBetween(Duration.ofDays(7).toSeconds() - 60, Duration.ofDays(7).toSeconds());
    }

    @Test
    void aHeadRequestAnswersTheHeadersOnly() throws Exception {
        MediaStore.Stored stored = store.put(MediaStoreTest.JPEG);

        HttpResponse<String> response = hub.send(hub.request("/api/media/" + stored.name(), null)
                .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody()));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("image/jpeg");
        assertThat(response.body()).isEmpty();
    }

    @Test
    void unknownAndMalformedNamesAre404() {
        for (String name : List.of("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.png", "nope", "hub.db", "master.key")) {
            HttpResponse<String> response = hub.get("/api/media/" + name, null);
            assertThat(response.statusCode()).as(name).isEqualTo(404);
            assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(response.body()).as(name).contains("no such file");
        }
    }

    @Test
    void pathsThatTryToLeaveTheDirectoryAre404() {
        for (String path : List.of("..%2F..%2Fhub.db", "..%2Fmaster.key", "%2e%2e%2fhub.db", "../hub.db",
                "..%5Chub.db")) {
            HttpResponse<String> response = hub.get("/api/media/" + path, null);
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(response.body()).as(path).doesNotContain("SQLite");
        }
    }
}
