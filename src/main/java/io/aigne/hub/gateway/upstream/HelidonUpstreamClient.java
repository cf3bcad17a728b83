package io.aigne.hub.gateway.upstream;

import io.helidon.common.socket.SocketOptions;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webclient.api.HttpClientRequest;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;

import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;

/**
 * Helidon's WebClient, blocking on the calling virtual thread: the request is written and the answer read on
 * the same thread that serves the caller, with pooled keep-alive connections and no hand-off to a selector
 * thread (measured: the JDK client's selector hand-offs were a quarter of the hub's CPU per call).
 * The read timeout bounds the wait for the response headers and every later read of a stream.
 */
public final class HelidonUpstreamClient implements UpstreamClient {
    private final WebClient client;

    public HelidonUpstreamClient(Duration connectTimeout) {
        this.client = WebClient.builder()
                .connectTimeout(connectTimeout)
                .followRedirects(false)
                .keepAlive(true)
                .shareConnectionCache(false)
                .connectionCacheSize(1024)
                .socketOptions(SocketOptions.builder().tcpNoDelay(true).connectTimeout(connectTimeout).build())
                .build();
    }

    @Override
    public UpstreamResponse send(UpstreamRequest request) throws UpstreamException {
        HttpClientRequest call = client.method(Method.create(request.method()))
                .uri(request.uri())
                .readTimeout(request.firstByteTimeout());
        request.headers().forEach((name, value) -> call.header(HeaderNames.create(name), value));
        try {
            HttpClientResponse response = request.body() == null ? call.request() : call.submit(request.body());
            return new Response(response);
        } catch (RuntimeException e) {
            throw classify(request, e);
        }
    }

    private static UpstreamException classify(UpstreamRequest request, RuntimeException e) {
        String host = request.uri().getScheme() + "://" + request.uri().getAuthority();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException || t instanceof InterruptedIOException) {
                return new UpstreamException(UpstreamException.Kind.TIMEOUT, host + " sent no response within "
                        + request.firstByteTimeout().toSeconds() + " s", e);
            }
            if (t instanceof ConnectException || t instanceof NoRouteToHostException || t instanceof UnknownHostException
                    || t.getClass().getSimpleName().equals("RuntimeUnknownHostException")) {
                return new UpstreamException(UpstreamException.Kind.CONNECT, "cannot connect to " + host, e);
            }
        }
        String message = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
        return new UpstreamException(UpstreamException.Kind.IO, "connection to " + host + " failed: " + message, e);
    }

    @Override
    public void close() {
        client.closeResource();
    }

    private record Response(HttpClientResponse response) implements UpstreamResponse {
        @Override
        public int status() {
            return response.status().code();
        }

        @Override
        public Optional<String> header(String name) {
            return response.headers().first(HeaderNames.create(name));
        }

        @Override
        public InputStream body() {
            return new CheckedFailures(response.inputStream());
        }

        @Override
        public void close() {
            response.close();
        }
    }

    /** Helidon reports a broken connection as UncheckedIOException; the InputStream contract says IOException. */
    private static final class CheckedFailures extends java.io.FilterInputStream {
        CheckedFailures(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws java.io.IOException {
            try {
                return super.read();
            } catch (java.io.UncheckedIOException e) {
                throw e.getCause();
            } catch (RuntimeException e) {
                throw new java.io.IOException(e.getMessage(), e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws java.io.IOException {
            try {
                return super.read(b, off, len);
            } catch (java.io.UncheckedIOException e) {
                throw e.getCause();
            } catch (RuntimeException e) {
                throw new java.io.IOException(e.getMessage(), e);
            }
        }

        @Override
        public int available() throws java.io.IOException {
            try {
                return super.available();
            } catch (RuntimeException e) {
                return 0;
            }
        }

        @Override
        public void close() throws java.io.IOException {
            try {
                super.close();
            } catch (RuntimeException e) {
                // closing a broken connection: nothing left to release
            }
        }
    }
}
