package io.aigne.hub.server;

import io.aigne.hub.server.tls.ServerCertificate;
import io.helidon.common.socket.SocketOptions;
import io.helidon.common.tls.Tls;
import io.helidon.webserver.ListenerConfig;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The HTTP and HTTPS listeners: Helidon on virtual threads, one per request, so handlers are plain blocking code.
 * Both listeners serve the same routes. Errors that escape a handler become JSON errors; unknown paths a JSON
 * 404. Stopping lets in-flight requests and streams finish within the grace period.
 */
public final class HubServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HubServer.class);
    /** A port value meaning "this listener is off". */
    public static final int OFF = -1;
    private static final String HTTPS_SOCKET = "https";

    private final WebServer server;
    private final boolean http;
    private final boolean https;

    /** Plain HTTP only. */
    public HubServer(String host, int port, Duration gracePeriod, List<Consumer<HttpRouting.Builder>> routes) {
        this(host, port, Optional.empty(), 0, gracePeriod, routes);
    }

    /**
     * @param httpPort  the plain HTTP port, 0 for any free one, {@link #OFF} for none
     * @param tls       the certificate for HTTPS on {@code httpsPort}; empty for no HTTPS
     */
    public HubServer(String host, int httpPort, Optional<ServerCertificate> tls, int httpsPort, Duration gracePeriod,
                     List<Consumer<HttpRouting.Builder>> routes) {
        this.http = httpPort != OFF;
        this.https = tls.isPresent();
        if (!http && !https) {
            throw new IllegalArgumentException("a hub needs at least one listener");
        }
        Consumer<HttpRouting.Builder> routing = r -> configureRouting(r, routes);
        WebServerConfig.Builder builder = WebServer.builder().shutdownHook(false);
        // Helidon always has a default listener: plain HTTP when it is on, otherwise the HTTPS one.
        listener(builder, host, http ? httpPort : httpsPort, gracePeriod, routing);
        if (!http) {
            builder.tls(tls(tls.get()));
        } else if (https) {
            builder.putSocket(HTTPS_SOCKET, socket -> {
                listener(socket, host, httpsPort, gracePeriod, routing);
                socket.tls(tls(tls.get()));
            });
        }
        this.server = builder.build().start();
    }

    private static void listener(ListenerConfig.BuilderBase<?, ?> listener, String host, int port,
                                 Duration gracePeriod, Consumer<HttpRouting.Builder> routing) {
        listener.host(host)
                .port(port)
                .backlog(4096)
                // Streams are many small writes, each flushed: without TCP_NODELAY, Nagle's algorithm meets the
                // client's delayed ACK and every token waits ~40 ms.
                .connectionOptions(SocketOptions.builder().tcpNoDelay(true).build())
                .shutdownGracePeriod(gracePeriod)
                .routing(routing);
    }

    private static Tls tls(ServerCertificate certificate) {
        return Tls.builder()
                .privateKey(certificate.key())
                .privateKeyCertChain(certificate.chain())
                .build();
    }

    private static void configureRouting(HttpRouting.Builder routing, List<Consumer<HttpRouting.Builder>> routes) {
        routing.get("/healthz", (req, res) -> Exchange.json(res, 200, Json.object().put("status", "ok")));
        routes.forEach(r -> r.accept(routing));
        routing.any((req, res) -> Exchange.error(res, ApiException.notFound("unknown_endpoint",
                "no such endpoint: " + req.prologue().method().text() + " " + req.path().path())));
        routing.error(ApiException.class, (req, res, e) -> {
            if (!res.isSent()) {
                Exchange.error(res, e);
            }
        });
        routing.error(Throwable.class, (req, res, e) -> {
            LOG.error("unhandled failure on {} {}", req.prologue().method().text(), req.path().path(), e);
            if (!res.isSent()) {
                Exchange.error(res, new ApiException(500, "server_error", "internal_error", null,
                        "the hub failed while handling this request; the failure is logged"));
            }
        });
    }

    /** The plain HTTP port, or {@link #OFF}. */
    public int port() {
        return http ? server.port() : OFF;
    }

    /** The HTTPS port, or {@link #OFF}. */
    public int httpsPort() {
        if (!https) {
            return OFF;
        }
        return http ? server.port(HTTPS_SOCKET) : server.port();
    }

    /** Stops accepting, lets running requests finish within the grace period, then closes. */
    @Override
    public void close() {
        server.stop();
    }
}
