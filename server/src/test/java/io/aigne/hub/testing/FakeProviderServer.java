package io.aigne.hub.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.Header;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * What the in-process provider fakes share: a Helidon {@link WebServer} on a random port of 127.0.0.1
 * and the list of requests it received, each recorded as the fake's own record type {@code R}.
 *
 * <p>A fake builds whatever state its routes need, then calls {@link #startServer} as the last step of
 * its constructor. The server is not started by this class's constructor because the routing is set up
 * (and calls back into the fake) while the server is built, when the fake's fields must be assigned.
 *
 * @param <R> the fake's record of one request
 */
public abstract class FakeProviderServer<R> implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<R> requests = new CopyOnWriteArrayList<>();
    private volatile WebServer server;

    protected FakeProviderServer() {
    }

    /** Starts the server with these routes and no listener options beyond the defaults below. */
    protected final void startServer(Consumer<HttpRouting.Builder> routing) {
        startServer(routing, listener -> { });
    }

    /**
     * Starts the server on a random free port of 127.0.0.1 with these routes; {@code listenerOptions}
     * may set further options (e.g. {@code writeBufferSize}) on the server builder before it is built.
     */
    protected final void startServer(Consumer<HttpRouting.Builder> routing,
                                     Consumer<WebServerConfig.Builder> listenerOptions) {
        if (server != null) {
            throw new IllegalStateException(getClass().getSimpleName() + " is already started");
        }
        WebServerConfig.Builder builder = WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                // Tests start many of these; a JVM shutdown hook per instance would only pile up.
                .shutdownHook(false);
        listenerOptions.accept(builder);
        this.server = builder.routing(routing).build().start();
    }

    /** Adds one request to {@link #requests()}. */
    protected final void record(R request) {
        requests.add(request);
    }

    public int port() {
        return server.port();
    }

    /** Every request received so far, in arrival order (a snapshot). */
    public List<R> requests() {
        return List.copyOf(requests);
    }

    public void clearRequests() {
        requests.clear();
    }

    /** The most recent request; fails loudly when nothing arrived, which reads better in a test than an NPE. */
    public R lastRequest() {
        List<R> snapshot = requests();
        if (snapshot.isEmpty()) {
            throw new NoSuchElementException(getClass().getSimpleName() + " has not received any request");
        }
        return snapshot.getLast();
    }

    @Override
    public void close() {
        WebServer running = server;
        if (running != null && running.isRunning()) {
            running.stop();
        }
    }

    /** The request's headers with lower-case names; repeated headers joined with {@code ", "}. */
    protected static Map<String, String> headersOf(ServerRequest req) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header header : req.headers()) {
            headers.merge(header.name().toLowerCase(Locale.ROOT), String.join(", ", header.allValues()),
                          (first, next) -> first + ", " + next);
        }
        return headers;
    }

    /** The whole request body, empty when there is none. */
    protected static byte[] bodyOf(ServerRequest req) {
        try {
            return req.content().hasEntity() ? req.content().inputStream().readAllBytes() : new byte[0];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A recorded body parsed with Jackson ({@code MissingNode} for an empty body); fails clearly when not JSON. */
    static JsonNode parseJson(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException("Request body is not JSON: " + body, e);
        }
    }

    /** As {@link #parseJson(String)}, for a body recorded as bytes (the message shows it as UTF-8). */
    static JsonNode parseJson(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException("Request body is not JSON: " + new String(body, UTF_8), e);
        }
    }
}
