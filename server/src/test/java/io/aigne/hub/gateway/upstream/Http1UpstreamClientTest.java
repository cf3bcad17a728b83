package io.aigne.hub.gateway.upstream;

import io.aigne.hub.gateway.upstream.ScriptedServer.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The upstream client against scripted loopback servers: response framing, connection reuse and its limits,
 * failure classification, request framing and TLS. No test waits on the clock except the one read timeout.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class Http1UpstreamClientTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String OK_EMPTY = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";

    private final Http1UpstreamClient client = new Http1UpstreamClient(Duration.ofSeconds(5));

    @AfterEach
    void closeClient() {
        client.close();
    }

    // ---- response framing and connection reuse -----------------------------------------------------------

    @Test
    void contentLengthResponseIsReadExactlyAndTheConnectionReused() throws Exception {
        byte[] binary = new byte[3000];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) (i * 31);
        }
        try (ScriptedServer server = ScriptedServer.plain(c -> {
            c.expectRequest();
            c.send("HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nX-Request-Id: req-1\r\n"
                    + "Content-Length: " + binary.length + "\r\n\r\n");
            c.send(binary);
            c.expectRequest();
            c.send("HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nagain");
            c.expectClientClose();
        })) {
            try (UpstreamResponse r = client.send(get(server, "/first"))) {
                assertThat(r.status()).isEqualTo(201);
                assertThat(r.header("content-type")).contains("application/json");
                assertThat(r.header("CONTENT-TYPE")).contains("application/json");
                assertThat(r.header("x-request-id")).contains("req-1");
                assertThat(r.header("X-Missing")).isEmpty();
                assertThat(r.body().readAllBytes()).isEqualTo(binary);
                assertThat(r.body().read()).isEqualTo(-1);
            }
            try (UpstreamResponse r = client.send(get(server, "/second"))) {
                assertThat(r.status()).isEqualTo(200);
                assertThat(text(r)).isEqualTo("again");
            }
            client.close();
            assertThat(server.settledConnections()).isEqualTo(1);
            assertThat(server.requests()).extracting(Request::line)
                    .containsExactly("GET /first HTTP/1.1", "GET /second HTTP/1.1");
        }
    }

    @Test
    void chunkedResponseIsRelayedChunkByChunkAndTheConnectionReused() throws Exception {
        CountDownLatch firstChunkRead = new CountDownLatch(1);
        CountDownLatch boundaryChecked = new CountDownLatch(1);
        StringBuilder many = new StringBuilder();
        StringBuilder manyWire = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            String piece = "t" + (i % 7 == 0 ? "" : "ok" + i % 10);
            many.append(piece);
            manyWire.append(Integer.toHexString(piece.length()).toUpperCase())
                    .append(i % 3 == 0 ? ";ext=" + i : i % 3 == 1 ? "; name=\"quoted;value\"" : "")
                    .append("\r\n").append(piece).append("\r\n");
        }
        try (ScriptedServer server = ScriptedServer.plain(c -> {
            c.expectRequest();
            c.send("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5;foo=bar\r\nhello\r\n");
            if (!firstChunkRead.await(10, TimeUnit.SECONDS)) {
                c.close(); // unblocks the client so that the test ends, with this failure
                throw new AssertionError("the client did not return the first chunk before the next one was sent");
            }
            // chunk 2 and chunk 3 in one write: the client's buffer holds both
            c.send("6\r\n world\r\na\r\n0123456789\r\n");
            if (!boundaryChecked.await(10, TimeUnit.SECONDS)) {
                c.close();
                throw new AssertionError("the client did not read chunks 2 and 3");
            }
            c.send(manyWire + "0\r\nX-Trailer: t\r\nX-Other-Trailer: u\r\n\r\n");
            c.expectRequest();
            c.send("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nnext");
            c.expectClientClose();
        })) {
            try (UpstreamResponse r = client.send(get(server, "/stream"))) {
                InputStream body = r.body();
                assertThat(r.header("transfer-encoding")).contains("chunked");
                byte[] buffer = new byte[8192];

                int n = body.read(buffer); // must return with chunk 1 alone: chunk 2 is not sent until it does
                assertThat(new String(buffer, 0, n, UTF_8)).isEqualTo("hello");
                assertThat(body.available()).isZero();
                firstChunkRead.countDown();

                assertThat(body.read()).isEqualTo(' ');
                // the rest of chunk 2 is buffered, and so is all of chunk 3: available() counts only chunk 2
                await().atMost(WAIT).until(body::available, a -> a == 5);
                assertThat(body.readNBytes(5)).asString(UTF_8).isEqualTo("world");
                // at a chunk boundary with the whole next chunk buffered, a read will not block
                assertThat(body.available()).as("at a chunk boundary, next chunk buffered").isPositive();
                assertThat(body.readNBytes(10)).asString(UTF_8).isEqualTo("0123456789");
                assertThat(body.available()).as("at a chunk boundary, nothing more buffered").isZero();
                boundaryChecked.countDown();

                assertThat(body.readAllBytes()).asString(UTF_8).isEqualTo(many.toString());
                assertThat(body.read()).isEqualTo(-1);
                assertThat(body.available()).isZero();
            }
            try (UpstreamResponse r = client.send(get(server, "/after-trailers"))) {
                assertThat(text(r)).isEqualTo("next");
            }
            client.close();
            assertThat(server.settledConnections()).isEqualTo(1);
        }
    }

    /** {@code InputStream.readNBytes(n)} asks for 0 bytes once it has n: at a chunk boundary that must not block. */
    @Test
    void aZeroLengthReadAtAChunkBoundaryReturnsAtOnce() throws Exception {
        try (ScriptedServer server = ScriptedServer.plain(c -> {
            c.expectRequest();
            c.send("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n");
            c.expectClientClose(); // then goes silent
        })) {
            try (UpstreamResponse r = client.send(get(server, "/silent"))) {
                InputStream body = r.body();
                assertThat(assertTimeoutPreemptively(WAIT, () -> body.read(new byte[1], 0, 0))).isZero();
                assertThat(assertTimeoutPreemptively(WAIT, () -> body.readNBytes(3))).asString(UTF_8).isEqualTo("abc");
                assertThat(assertTimeoutPreemptively(WAIT, () -> body.read(new byte[1], 0, 0))).isZero();
            }
        }
    }

    @Test
    void bodyUntilCloseIsReadCompletelyAndTheConnectionNotReused() throws Exception {
        try (ScriptedServer server = ScriptedServer.plain(c -> {
            c.expectRequest();
            if (c.index() == 0) {
                c.send("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nno length,");
                c.send(" read until the server closes");
                c.close();
            } else {
                c.send("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nnew");
                c.expectClientClose();
            }
        })) {
            try (UpstreamResponse r = client.send(get(server, "/a"))) {
                assertThat(text(r)).isEqualTo("no length, read until the server closes");
            }
            try (UpstreamResponse r = client.send(get(server, "/b"))) {
                assertThat(text(r)).isEqualTo("new");
            }
            client.close();
            assertThat(server.settledConnections()).isEqualTo(2);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok",
            "HTTP/1.1 200 OK\r\nConnection: Close\r\nContent-Length: 2\r\n\r\nok",
            "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok",
    })
    void responsesThatEndTheConnectionAreNotReused(String response) throws Exception {
        try (ScriptedServer server = ScriptedServer.plain(c -> {
            c.expectRequest();
            if (c.index() == 0) {
                c.send(response);
                c.expectClientClose(); // the server leaves it open: the client must close it, not pool it
            } else {
                c.send("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nnew");
                c.expectClientClose();
            }
        })) {
            try (UpstreamResponse r = client.send(get(server, "/a"))) {
                assertThat(text(r)).isEqualTo("ok");
            }
            try (UpstreamResponse r = client.send(get(server, "/b"))) {
                assertThat(text(r)).isEqualTo("new");
            }
            client.close();
            assertThat(server.settledConnections()).isEqualTo(2);
        }
    }

    @Test
    void http10KeepAliveResponseIsReused() throws Exception {
        try (ScriptedServer server = ScriptedServer.plain(c -> {
            for (int i = 0; i < 2; i++) {
                c.expectRequest();
                c.send("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nok");
            }
            c.expectClientClose();
        })) {
            for (int i = 0; i < 2; i++) {
                try (UpstreamResponse r = client.send(get(server, "/"))) {
                    assertThat(text(r)).isEqualTo("ok");
                }
            }
            client.close();
            assertThat(server.settledConnections()).isEqualTo(1);
        }
    }

    @Test
    void bodilessResponsesLeaveTheConnectionReusable() throws Exception {
        try (ScriptedServer server = ScriptedServer.plain(c -> {
            c.expectRequest();
            c.send("HTTP/1.1 204 No Content\r\n\r\n");
            c.expectRequest();
            c.send("HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n"); // a HEAD answer: the length, no body
            c.expectRequest();
            c.send("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nlast");
            c.expectClientClose();
        })) {
            try (UpstreamResponse r = client.send(get(server, "/a"))) {
                assertThat(r.status()).isEqualTo(204);
                assertThat(r.body().read()).isEqualTo(-1);
            }
            try (UpstreamResponse r = client.send(request("HEAD", server, "/b", Map.of(), null))) {
                assertThat(r.header("content-length")).contains("1234");
                assertThat(r.body().read()).isEqualTo(-1);
            }
            try (UpstreamResponse r = client.send(get(server, "/c"))) {
                assertThat(text(r)).isEqualTo("last");
            }
            client.close();
            assertThat(server.settledConnections()).isEqualTo(1);
        }
    }

    @Test
    void interimResponsesAreSkipped() throws Exception {
        try (ScriptedServer server = ScriptedServer.plain(c -> {
            c.expectRequest();
            c.send("HTTP/1.1 100 Continue\r\n\r\n");
            c.send("HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n");
            c.send("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfinal");
            c.expectRequest();
            c.send(OK_EMPTY);
            c.expectClientClose();
        })) {
            try (UpstreamResponse r = client.send(post(server, "/v1/chat/completions", "{}"))) {
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.header("link")).as("headers of an interim response").isEmpty();
                assertThat(text(r)).isEqualTo("final");
            }
            try (UpstreamResponse r = client.send(get(server, "/again"))) {
                assertThat(r.status()).isEqualTo(200);
            }
            client.close();
            assertThat(server.settledConnections()).isEqualTo(1);
        }
    }

    @Test
    void twoResponsesInFlightUseTwoConnections() throws Exception {
        try (ScriptedServer server = ScriptedServer.plain(c -> {
            c.expectRequest();
            c.send("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n" + c.index() + "!");
            c.expectClientClose();
        })) {
            try (UpstreamResponse first = client.send(get(server, "/1"));
                 UpstreamResponse second = client.send(get(server, "/2"))) {
                assertThat(text(second)).isEqualTo("1!");
                assertThat(text(first)).isEqualTo("0!");
            }
            client.close();
            assertThat(server.settledConnections()).isEqualTo(2);
        }
    }

    // ---- stale connections and failures ------------------------------------------------------------------

    @Test
    void aPooledConnectionTheServerClosedIsReplacedTransparently() throws Exception {
        CountDownLatch released = new CountDownLatch(1);
        CountDownLatch serverClosed = new CountDownLatch(1);
        try (ScriptedServer server = ScriptedServer.plain(c -> {
            c.expectRequest();
            if (c.index() == 0) {
                c.send("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirst");
                if (!released.await(10, TimeUnit.SECONDS)) {
                    throw new AssertionError("the client did not finish the first response");
                }
                c.close(); // the provider drops the idle connection
                serverClosed.countDown();
            } else {
                c.send("HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nsecond");
                c.expectClientClose();
            }
        })) {
            try (UpstreamResponse r = client.send(get(server, "/1"))) {
                assertThat(text(r)).isEqualTo("first");
            }
            released.countDown();
            assertThat(serverClosed.await(10, TimeUnit.SECONDS)).isTrue();

            try (UpstreamResponse r = client.send(post(server, "/2", "{\"model\":\"m\"}"))) {
                assertThat(r.status()).isEqualTo(200);
                assertThat(text(r)).isEqualTo("second");
            }
            client.close();
            assertThat(server.settledConnections()).isEqualTo(2);
            List<Request> requests = server.requests();
            assertThat(requests).hasSize(2);
            assertThat(requests.get(1).connection()).isEqualTo(1);
            assertThat(requests.get(1).line()).isEqualTo("POST /2 HTTP/1.1");
            assertThat(requests.get(1).bodyText()).isEqualTo("{\"model\":\"m\"}");
        }
    }

    @Test
    void aFreshConnectionClosedBeforeAnyResponseFailsWithoutRetrying() throws Exception {
        try (ScriptedServer server = ScriptedServer.plain(c -> {
            c.expectRequest();
            if (c.index() == 0) {
                c.close();
            } else {
                c.send(OK_EMPTY); // only reached if the client wrongly tried again
                c.expectClientClose();
            }
        })) {
            UpstreamException e = catchThrowableOfType(UpstreamException.class,
                    () -> client.send(post(server, "/v1/chat/completions", "{}")));
            assertThat(e).isNotNull();
            assertThat(e.kind()).isEqualTo(UpstreamException.Kind.IO);
            assertThat(e.getMessage()).contains("http://127.0.0.1:" + server.port());
            assertThat(server.settledConnections()).isEqualTo(1);
            assertThat(server.requests()).hasSize(1);
        }
    }

    /**
     * A pooled connection may only be replaced when the provider answered nothing. An answer that is present but
     * unusable means the request was processed: sending it again would run (and bill) a completion twice.
     */
    @ParameterizedTest
    @ValueSource(strings = {
            "HTTP/1.1 200 OK\r\nContent-Length: nope\r\n\r\n",
            "SSH-2.0-OpenSSH_9.6\r\n",
            "HTTP/1.1 200 OK\r\nContent-Type: text/ev",
    })
    void aBrokenAnswerOnAPooledConnectionIsNotSentAgain(String brokenAnswer) throws Exception {
        try (ScriptedServer server = ScriptedServer.plain(c -> {
            c.expectRequest();
            if (c.index() == 0) {
                c.send(OK_EMPTY);
                c.expectRequest();
                c.send(brokenAnswer);
                c.close();
            } else {
                c.send("HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\nreplayed"); // only if the client sent it again
                c.expectClientClose();
            }
        })) {
            try (UpstreamResponse r = client.send(get(server, "/warm-up"))) {
                assertThat(r.status()).isEqualTo(200);
            }
            UpstreamException e = catchThrowableOfType(UpstreamException.class,
                    () -> client.send(post(server, "/v1/chat/completions", "{}")).close());
            assertThat(e).as("the request was sent again instead of failing").isNotNull();
            assertThat(e.kind()).isEqualTo(UpstreamException.Kind.IO);
            assertThat(server.settledConnections()).isEqualTo(1);
            assertThat(server.requests()).hasSize(2);
        }
    }

    @Test
    void connectionRefusedIsAConnectFailureNamingTheOrigin() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        UpstreamException e = catchThrowableOfType(UpstreamException.class,
                () -> client.send(request("GET", URI.create("http://127.0.0.1:" + port + "/v1/models"))));
        assertThat(e).isNotNull();
        assertThat(e.kind()).isEqualTo(UpstreamException.Kind.CONNECT);
        assertThat(e.getMessage()).contains("http://127.0.0.1:" + port);
    }

    @Test
    void noStatusLineWithinTheFirstByteTimeoutIsATimeout() throws Exception {
        try (ScriptedServer server = ScriptedServer.plain(c -> {
            c.expectRequest();
            c.expectClientClose(); // never answers
        })) {
            UpstreamRequest slow = new UpstreamRequest("POST", uri(server, "/v1/chat/completions"), Map.of(),
                    "{}".getBytes(UTF_8), Duration.ofMillis(300));
            UpstreamException e = catchThrowableOfType(UpstreamException.class, () -> client.send(slow));
            assertThat(e).isNotNull();
            assertThat(e.kind()).isEqualTo(UpstreamException.Kind.TIMEOUT);
            assertThat(e.getMessage()).contains("http://127.0.0.1:" + server.port());
            assertThat(server.settledConnections()).isEqualTo(1);
        }
    }

    @Test
    void aTimeoutOnAPooledConnectionIsNotRetried() throws Exception {
        try (ScriptedServer server = ScriptedServer.plain(c -> {
            c.expectRequest();
            if (c.index() == 0) {
                c.send(OK_EMPTY);
                c.expectRequest();
                c.expectClientClose(); // never answers the second request
            } else {
                c.send(OK_EMPTY); // only if the client sent it again
                c.expectClientClose();
            }
        })) {
            client.send(get(server, "/warm-up")).close();
            UpstreamRequest slow = new UpstreamRequest("POST", uri(server, "/v1/chat/completions"), Map.of(),
                    "{}".getBytes(UTF_8), Duration.ofMillis(300));
            UpstreamException e = catchThrowableOfType(UpstreamException.class, () -> client.send(slow));
            assertThat(e).isNotNull();
            assertThat(e.kind()).isEqualTo(UpstreamException.Kind.TIMEOUT);
            assertThat(server.settledConnections()).isEqualTo(1);
        }
    }

    @Test
    void aBodyClosedEarlyClosesItsConnectionAtOnce() throws Exception {
        try (ScriptedServer server = ScriptedServer.plain(c -> {
            c.expectRequest();
            if (c.index() == 0) {
                c.send("HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n0123456789");
                c.expectClientClose(); // the rest never comes: closing must not wait for it
            } else {
                c.send("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nnew");
                c.expectClientClose();
            }
        })) {
            UpstreamResponse r = client.send(get(server, "/big"));
            assertThat(r.body().readNBytes(4)).asString(UTF_8).isEqualTo("0123");
            assertTimeoutPreemptively(WAIT, r::close);
            try (UpstreamResponse again = client.send(get(server, "/next"))) {
                assertThat(text(again)).isEqualTo("new");
            }
            client.close();
            assertThat(server.settledConnections()).isEqualTo(2);
        }
    }

    @Test
    void closingTheBodyFromAnotherThreadEndsABlockedRead() throws Exception {
        try (ScriptedServer server = ScriptedServer.plain(c -> {
            c.expectRequest();
            c.send("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n");
            c.expectClientClose(); // then goes silent
        })) {
            blockedReadEndsOnClose(client.send(get(server, "/silent")));
        }
    }

    /** What the stream watchdog relies on: a read blocked on a silent provider fails once the body is closed. */
    private static void blockedReadEndsOnClose(UpstreamResponse r) throws Exception {
        try (r) {
            InputStream body = r.body();
            assertThat(body.readNBytes(3)).asString(UTF_8).isEqualTo("abc");
            CompletableFuture<Integer> read = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    read.complete(body.read(new byte[100]));
                } catch (Throwable t) {
                    read.completeExceptionally(t);
                }
            });
            body.close();
            ExecutionException failure = catchThrowableOfType(ExecutionException.class,
                    () -> read.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            assertThat(failure).as("the blocked read returned instead of failing").isNotNull();
            assertThat(failure.getCause()).isInstanceOf(IOException.class);
        }
    }

    @Test
    void aTruncatedContentLengthBodyFailsNamingWhatIsMissing() throws Exception {
        try (ScriptedServer server = ScriptedServer.plain(c -> {
            c.expectRequest();
            c.send("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
            c.close();
        })) {
            try (UpstreamResponse r = client.send(get(server, "/"))) {
                assertThat(r.body().readNBytes(3)).asString(UTF_8).isEqualTo("abc");
                assertThatThrownBy(() -> r.body().read())
                        .isInstanceOf(EOFException.class)
                        .hasMessageContaining("7 bytes of the body");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "5\r\nhel",                // inside a chunk
            "5\r\nhello",              // before the chunk's CRLF
            "5\r\nhello\r\n",          // between chunks
            "5\r\nhello\r\n0\r\n",     // inside the trailers
    })
    void aTruncatedChunkedStreamFails(String truncated) throws Exception {
        try (ScriptedServer server = ScriptedServer.plain(c -> {
            c.expectRequest();
            c.send("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + truncated);
            c.close();
        })) {
            try (UpstreamResponse r = client.send(get(server, "/"))) {
                assertThatThrownBy(() -> r.body().readAllBytes()).isInstanceOf(IOException.class);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"zz\r\n", "-5\r\n", "\r\n"})
    void aMalformedChunkSizeFails(String sizeLine) throws Exception {
        try (ScriptedServer server = ScriptedServer.plain(c -> {
            c.expectRequest();
            c.send("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + sizeLine + "data\r\n0\r\n\r\n");
            c.expectClientClose();
        })) {
            try (UpstreamResponse r = client.send(get(server, "/"))) {
                assertThatThrownBy(() -> r.body().readAllBytes())
                        .isInstanceOf(IOException.class)
                        .hasMessageContaining("bad chunk size");
            }
        }
    }

    // ---- request framing ---------------------------------------------------------------------------------

    @Test
    void theRequestIsFramedExactly() throws Exception {
        try (ScriptedServer server = ScriptedServer.plain(c -> {
            c.expectRequest();
            c.send(OK_EMPTY);
            c.expectRequest();
            c.send(OK_EMPTY);
            c.expectClientClose();
        })) {
            byte[] body = "{\"model\":\"gpt-4o\",\"messages\":[{\"content\":\"héllo ✓\"}]}".getBytes(UTF_8);
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Authorization", "Bearer sk-test");
            headers.put("Content-Type", "application/json");
            headers.put("OpenAI-Organization", "org-1");
            UpstreamRequest post = new UpstreamRequest("POST",
                    uri(server, "/v1/chat/completions?api-version=2024-10-21&q=a%20b%2Fc"), headers, body, WAIT);
            client.send(post).close();
            client.send(request("GET", URI.create("http://127.0.0.1:" + server.port()))).close();

            List<Request> requests = server.requests();
            Request sent = requests.get(0);
            assertThat(sent.line()).isEqualTo("POST /v1/chat/completions?api-version=2024-10-21&q=a%20b%2Fc HTTP/1.1");
            assertThat(sent.headers())
                    .containsEntry("host", "127.0.0.1:" + server.port())
                    .containsEntry("content-length", String.valueOf(body.length))
                    .containsEntry("authorization", "Bearer sk-test")
                    .containsEntry("content-type", "application/json")
                    .containsEntry("openai-organization", "org-1");
            assertThat(sent.headerLines()).contains("Authorization: Bearer sk-test");
            assertThat(sent.body()).isEqualTo(body);

            Request bare = requests.get(1);
            assertThat(bare.line()).isEqualTo("GET / HTTP/1.1");
            assertThat(bare.headers()).doesNotContainKey("content-length").containsKey("host");
            assertThat(bare.body()).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\r\nX-Injected: 1", "a\nX-Injected: 1", "a\rb"})
    void aHeaderValueWithALineBreakIsRefusedBeforeAnythingIsSent(String value) throws Exception {
        try (ScriptedServer server = ScriptedServer.plain(c -> {
            c.readRequest();
            c.send(OK_EMPTY);
        })) {
            UpstreamRequest bad = new UpstreamRequest("POST", uri(server, "/v1/chat/completions"),
                    Map.of("X-Custom", value), "{}".getBytes(UTF_8), WAIT);
            assertThatThrownBy(() -> client.send(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("X-Custom");
            assertThat(server.settledConnections()).isZero();
        }
    }

    // ---- TLS -----------------------------------------------------------------------------------------------

    @Nested
    class Tls {
        private static final char[] PASSWORD = "changeit".toCharArray();

        @TempDir
        static Path dir;
        private static KeyStore localhostKeys;
        private static KeyStore otherHostKeys;
        private static SSLContext trustingBoth;

        @BeforeAll
        static void makeCertificates() throws Exception {
            localhostKeys = selfSigned("localhost.p12", "SAN=dns:localhost,ip:127.0.0.1");
            otherHostKeys = selfSigned("other.p12", "SAN=dns:other.example");
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("localhost", certificate(localhostKeys));
            trust.setCertificateEntry("other", certificate(otherHostKeys));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            trustingBoth = SSLContext.getInstance("TLS");
            trustingBoth.init(null, tmf.getTrustManagers(), null);
        }

        private static KeyStore selfSigned(String file, String san) throws Exception {
            Path keystore = dir.resolve(file);
            Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
            Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "server", "-keyalg", "EC",
                    "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", san, "-validity", "2",
                    "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", "changeit",
                    "-keypass", "changeit")
                    .redirectErrorStream(true)
                    .start();
            p.getOutputStream().close();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("keytool: " + output).isZero();
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keystore)) {
                keys.load(in, PASSWORD);
            }
            return keys;
        }

        private static Certificate certificate(KeyStore keys) throws Exception {
            return keys.getCertificate("server");
        }

        private static ScriptedServer https(KeyStore keys, ScriptedServer.Script script) throws Exception {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, PASSWORD);
            SSLContext server = SSLContext.getInstance("TLS");
            server.init(kmf.getKeyManagers(), null, null);
            return ScriptedServer.tls(server, script);
        }

        /** Answers every request on the connection with its own request line, until the client closes. */
        private static void echoLines(ScriptedServer.Conn c) throws IOException {
            Request request;
            while ((request = c.readRequest()) != null) {
                byte[] line = request.line().getBytes(UTF_8);
                c.send("HTTP/1.1 200 OK\r\nContent-Length: " + line.length + "\r\n\r\n" + request.line());
            }
        }

        /** The handshake is expected to fail: the client refuses the certificate. */
        private static void expectRefusal(ScriptedServer.Conn c) {
            try {
                c.readRequest();
                throw new AssertionError("the client sent a request over an untrusted connection");
            } catch (IOException expected) {
                // the handshake failed
            }
        }

        @Test
        void httpsToLocalhostWorksAndTheConnectionIsReused() throws Exception {
            try (ScriptedServer server = https(localhostKeys, Tls::echoLines);
                 Http1UpstreamClient tlsClient = new Http1UpstreamClient(Duration.ofSeconds(5), trustingBoth)) {
                for (String path : List.of("/v1/models", "/v1/chat/completions?x=1")) {
                    try (UpstreamResponse r = tlsClient.send(request("GET",
                            URI.create("https://localhost:" + server.port() + path)))) {
                        assertThat(r.status()).isEqualTo(200);
                        assertThat(text(r)).isEqualTo("GET " + path + " HTTP/1.1");
                    }
                }
                tlsClient.close();
                assertThat(server.settledConnections()).isEqualTo(1);
                assertThat(server.requests()).allSatisfy(r ->
                        assertThat(r.headers()).containsEntry("host", "localhost:" + server.port()));
            }
        }

        @Test
        void httpsToAnIpAddressIsVerifiedAgainstTheIpSan() throws Exception {
            try (ScriptedServer server = https(localhostKeys, Tls::echoLines);
                 Http1UpstreamClient tlsClient = new Http1UpstreamClient(Duration.ofSeconds(5), trustingBoth)) {
                try (UpstreamResponse r = tlsClient.send(request("GET",
                        URI.create("https://127.0.0.1:" + server.port() + "/v1/models")))) {
                    assertThat(text(r)).isEqualTo("GET /v1/models HTTP/1.1");
                }
            }
        }

        @Test
        void aTrustedCertificateForAnotherHostIsRefused() throws Exception {
            try (ScriptedServer server = https(otherHostKeys, Tls::expectRefusal);
                 Http1UpstreamClient tlsClient = new Http1UpstreamClient(Duration.ofSeconds(5), trustingBoth)) {
                UpstreamException e = catchThrowableOfType(UpstreamException.class, () -> tlsClient.send(
                        request("GET", URI.create("https://localhost:" + server.port() + "/v1/models"))));
                assertThat(e).as("hostname verification is off").isNotNull();
                assertThat(e.kind()).isEqualTo(UpstreamException.Kind.CONNECT);
                assertThat(e.getMessage()).contains("https://localhost:" + server.port());
                assertThat(e).hasRootCauseInstanceOf(java.security.cert.CertificateException.class);
                assertThat(e.getCause()).isInstanceOf(SSLHandshakeException.class)
                        .hasMessageContaining("localhost");
                assertThat(server.requests()).isEmpty();
            }
        }

        @Test
        void theDefaultClientRefusesASelfSignedCertificate() throws Exception {
            try (ScriptedServer server = https(localhostKeys, Tls::expectRefusal)) {
                UpstreamException e = catchThrowableOfType(UpstreamException.class, () -> client.send(
                        request("GET", URI.create("https://localhost:" + server.port() + "/v1/models"))));
                assertThat(e).isNotNull();
                assertThat(e.kind()).isEqualTo(UpstreamException.Kind.CONNECT);
                assertThat(e.getCause()).isInstanceOf(SSLHandshakeException.class);
                assertThat(server.requests()).isEmpty();
            }
        }

        @Test
        void closingTheBodyFromAnotherThreadEndsABlockedTlsRead() throws Exception {
            try (ScriptedServer server = https(localhostKeys, c -> {
                c.expectRequest();
                c.send("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc");
                c.expectClientClose(); // then goes silent
            });
                 Http1UpstreamClient tlsClient = new Http1UpstreamClient(Duration.ofSeconds(5), trustingBoth)) {
                blockedReadEndsOnClose(tlsClient.send(request("GET",
                        URI.create("https://localhost:" + server.port() + "/v1/chat/completions"))));
            }
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private static URI uri(ScriptedServer server, String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.port() + pathAndQuery);
    }

    private static UpstreamRequest get(ScriptedServer server, String path) {
        return request("GET", uri(server, path));
    }

    private static UpstreamRequest post(ScriptedServer server, String path, String json) {
        return request("POST", server, path, Map.of("Content-Type", "application/json"), json.getBytes(UTF_8));
    }

    private static UpstreamRequest request(String method, URI uri) {
        return new UpstreamRequest(method, uri, Map.of(), null, WAIT);
    }

    private static UpstreamRequest request(String method, ScriptedServer server, String path,
                                           Map<String, String> headers, byte[] body) {
        return new UpstreamRequest(method, uri(server, path), headers, body, WAIT);
    }

    private static String text(UpstreamResponse response) throws IOException {
        return new String(response.body().readAllBytes(), UTF_8);
    }
}
