package io.aigne.hub.gateway;

import io.aigne.hub.gateway.canonical.ChatEvent;
import io.aigne.hub.gateway.canonical.ChatRequest;
import io.aigne.hub.gateway.canonical.ChatResponse;
import io.aigne.hub.gateway.sse.SseWriter;
import io.aigne.hub.provider.ChatEventSource;
import io.aigne.hub.provider.ChatStream;
import io.aigne.hub.provider.ProviderAdapter;
import io.aigne.hub.provider.ProviderFailure;
import io.aigne.hub.provider.UpstreamError;
import io.aigne.hub.routing.Outcome;
import io.aigne.hub.routing.Route;
import io.aigne.hub.routing.Router;
import io.aigne.hub.server.Exchange;
import io.aigne.hub.usage.Usage;
import io.helidon.webserver.http.ServerResponse;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.function.Function;

/**
 * Answers a call through a provider adapter, whatever the caller's protocol: the front door supplies how a whole
 * answer is rendered, or an encoder for streams. A stream that breaks or reports an error before its first event
 * is a {@link ProviderFailure} (the next route is tried); after that the caller has its headers, so the failure is
 * told inside the stream and recorded.
 */
public final class TranslatedCalls {

    /** How the events of a stream reach the caller; translation encodes them, a pass-through copies bytes. */
    public interface StreamRelay {
        /** The body the decoder reads from (a pass-through copies what is read). */
        default InputStream tap(InputStream body) {
            return body;
        }

        /** Called once the first event arrived, before any byte is written: the encoder for the rest. */
        ChatStreamEncoder start(OutputStream out);

        String contentType();
    }

    private final Router router;
    private final StreamWatchdog watchdog;
    private final Duration drainAfterDisconnect;

    public TranslatedCalls(Router router, StreamWatchdog watchdog, Duration drainAfterDisconnect) {
        this.router = router;
        this.watchdog = watchdog;
        this.drainAfterDisconnect = drainAfterDisconnect;
    }

    public void chat(Route route, ProviderAdapter adapter, ChatRequest request, CallTrace trace, ServerResponse res,
                     Function<ChatResponse, byte[]> render) throws ProviderFailure {
        ChatResponse response = adapter.chat(route, request);
        router.report(route, Outcome.SUCCESS);
        trace.firstByteAt(System.nanoTime());
        trace.usage(response.usage());
        trace.answered(response.model(), response.id());
        trace.succeeded(200);
        res.header(Exchange.CALL_ID, trace.id());
        Exchange.json(res, 200, render.apply(response));
    }

    public void stream(Route route, ProviderAdapter adapter, ChatRequest request, CallTrace trace, ServerResponse res,
                       ChatStreamEncoder encoder) throws ProviderFailure {
        pump(route, adapter.stream(route, request), trace, res, new StreamRelay() {
            @Override
            public ChatStreamEncoder start(OutputStream out) {
                return encoder;
            }

            @Override
            public String contentType() {
                return "text/event-stream; charset=utf-8";
            }
        });
    }

    /** Reads the provider's events to the end, relays them, and records what the stream taught. */
    public void pump(Route route, ChatStream stream, CallTrace trace, ServerResponse res, StreamRelay relay)
            throws ProviderFailure {
        StreamWatchdog.Watch watch = watchdog.watch(stream.response().body());
        ChatEventSource events = stream.events(relay.tap(new ProgressStream(stream.response().body(), watch)));
        ChatEvent first;
        try {
            first = events.next();
        } catch (IOException | RuntimeException e) {
            watch.close();
            stream.close();
            throw ProviderFailure.broken("broke off the stream before sending anything: " + e.getMessage(),
                    watch.expired());
        }
        if (first == null || first instanceof ChatEvent.Failed) {
            watch.close();
            stream.close();
            if (first == null) {
                throw ProviderFailure.broken("ended the stream without sending anything", false);
            }
            ChatEvent.Failed failed = (ChatEvent.Failed) first;
            throw ProviderFailure.status(new UpstreamError(failed.status(), failed.message(), failed.type(), null,
                    null), null);
        }
        router.report(route, Outcome.SUCCESS);
        Exchange.startEventStream(res, relay.contentType(), trace.id());
        // Events are written in several small pieces; one buffer turns each flush into one chunk on the wire.
        OutputStream raw = new BufferedOutputStream(res.outputStream(), 16 * 1024);
        SseWriter out = new SseWriter(raw);
        ChatStreamEncoder encoder = relay.start(raw);
        State state = new State();
        String broken = null;
        try {
            for (ChatEvent event = first; event != null; event = events.next()) {
                state.learn(event);
                if (event instanceof ChatEvent.Failed) {
                    break;
                }
                state.relay(encoder, event, out, events.hasBuffered());
                if (state.clientGoneAt != 0 && System.nanoTime() - state.clientGoneAt > drainAfterDisconnect.toNanos()) {
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            broken = watch.expired() ? "the provider sent nothing for upstream.streamIdleTimeoutMillis" : e.getMessage();
        } finally {
            watch.close();
            stream.close();
        }
        trace.firstByteAt(state.firstByteNanos);
        trace.answered(state.model, stream.response().header("x-request-id").orElse(state.id));
        trace.usage(state.usage);
        if (state.clientGoneAt != 0) {
            trace.cancelled("client disconnected" + (state.usage == null ? " before usage was reported" : ""));
        } else if (state.failed != null) {
            ChatEvent.Failed failed = state.failed;
            trace.failed(failed.status(), "provider '" + route.provider().name() + "' reported an error mid-stream: "
                    + failed.message());
            router.report(route, new Outcome.Failed("error event mid-stream: " + failed.message()));
            state.finish(() -> encoder.fail(failed.status(), failed.type(), failed.message(), out), out);
        } else if (broken != null || !state.finished) {
            String why = broken != null ? broken : "the stream ended early, without a finish reason";
            trace.failed(502, "stream from provider '" + route.provider().name() + "' broke off: " + why);
            router.report(route, new Outcome.Failed("stream broke: " + why));
            state.finish(() -> encoder.fail(502, "server_error", "the provider's stream broke off: " + why, out), out);
        } else {
            trace.succeeded(200);
            state.finish(() -> encoder.end(out), out);
        }
        try {
            raw.close();
        } catch (IOException | RuntimeException ignored) {
            // the client is gone; the call is recorded all the same
        }
    }

    @FunctionalInterface
    private interface Write {
        void run() throws IOException;
    }

    /** What the stream has said so far, and whether the caller is still listening. */
    private static final class State {
        String model;
        String id;
        Usage usage;
        boolean finished;
        ChatEvent.Failed failed;
        long firstByteNanos;
        long clientGoneAt;

        void learn(ChatEvent event) {
            switch (event) {
                case ChatEvent.Started started -> {
                    model = started.model() != null ? started.model() : model;
                    id = started.id() != null ? started.id() : id;
                }
                case ChatEvent.UsageReport report -> usage = report.usage();
                case ChatEvent.Finished ignored -> finished = true;
                case ChatEvent.Failed f -> failed = f;
                default -> {
                }
            }
        }

        void relay(ChatStreamEncoder encoder, ChatEvent event, SseWriter out, boolean moreBuffered) {
            if (clientGoneAt != 0) {
                return;
            }
            try {
                encoder.write(event, out);
                if (!moreBuffered) {
                    out.flush();
                }
                if (firstByteNanos == 0) {
                    firstByteNanos = System.nanoTime();
                }
            } catch (IOException | UncheckedIOException e) {
                // Keep reading for a while: the provider bills the whole answer, the ledger should know it.
                clientGoneAt = System.nanoTime();
            }
        }

        void finish(Write write, SseWriter out) {
            if (clientGoneAt != 0) {
                return;
            }
            try {
                write.run();
                out.flush();
            } catch (IOException | RuntimeException e) {
                clientGoneAt = System.nanoTime();
            }
        }
    }
}
