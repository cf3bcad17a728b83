package io.aigne.hub.server;

import io.helidon.common.socket.SocketOptions;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * The HTTP listener: Helidon on virtual threads, one per request, so handlers are plain blocking code. Errors
 * that escape a handler become JSON errors; unknown paths a JSON 404. Stopping lets in-flight requests and
 * streams finish within the grace period.
 */
public final class HubServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HubServer.class);

    private final WebServer server;

    public HubServer(String host, int port, Duration gracePeriod, List<Consumer<HttpRouting.Builder>> routes) {
        this.server = WebServer.builder()
                .host(host)
                .port(port)
                .backlog(4096)
                // Streams are many small writes, each flushed: without TCP_NODELAY, Nagle's algorithm meets the
                // client's delayed ACK and every token waits ~40 ms.
                .connectionOptions(SocketOptions.builder().tcpNoDelay(true).build())
                .shutdownHook(false)
                .shutdownGracePeriod(gracePeriod)
                .routing(routing -> {
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
                })
                .build()
                .start();
    }

    public int port() {
        return server.port();
    }

    /** Stops accepting, lets running requests finish within the grace period, then closes. */
    @Override
    public void close() {
        server.stop();
    }
}
