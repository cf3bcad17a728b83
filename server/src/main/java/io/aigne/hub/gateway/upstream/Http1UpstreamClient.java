package io.aigne.hub.gateway.upstream;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * An HTTP/1.1 client made for this one job: a request out, a response (often a long stream) back, on the calling
 * virtual thread with plain blocking sockets. Keep-alive connections are pooled per origin; a pooled connection
 * that turns out to have been closed by the provider before it answered is replaced once, transparently.
 *
 * <p>Why not a general client: measured on the hub's hot path, the JDK client spent a quarter of the CPU handing
 * work between its selector thread and the caller, and Helidon's WebClient (a fine general client) spent most of
 * the rest in layers this use does not need. Reads here return as soon as any bytes have arrived, so a token the
 * provider sends is relayed at once.
 */
public final class Http1UpstreamClient implements UpstreamClient {
    private static final int MAX_IDLE_PER_ORIGIN = 256;
    private static final long MAX_IDLE_NANOS = Duration.ofSeconds(50).toNanos();
    private static final int MAX_HEAD_BYTES = 64 * 1024;
    private static final byte[] CRLF = {'\r', '\n'};

    private final int connectTimeoutMillis;
    private final ConcurrentHashMap<String, ConcurrentLinkedDeque<Connection>> idle = new ConcurrentHashMap<>();
    private volatile SSLSocketFactory tls;

    /**
     * Trusts what the JVM trusts. The default TLS context (and its trust store) is loaded on the first https
     * request, not here, so a hub that only calls plain-http providers never pays for it.
     */
    public Http1UpstreamClient(Duration connectTimeout) {
        this.connectTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis());
    }

    /**
     * Uses {@code tls} for https origins instead of the JVM default, for a private CA or a test certificate;
     * host names are still verified against the certificate. Nothing to load lazily here: the context is given.
     */
    public Http1UpstreamClient(Duration connectTimeout, SSLContext tls) {
        this(connectTimeout);
        this.tls = Objects.requireNonNull(tls, "tls").getSocketFactory();
    }

    @Override
    public UpstreamResponse send(UpstreamRequest request) throws UpstreamException {
        URI uri = request.uri();
        boolean secure = "https".equalsIgnoreCase(uri.getScheme());
        String host = uri.getHost();
        int port = uri.getPort() > 0 ? uri.getPort() : secure ? 443 : 80;
        String origin = (secure ? "https://" : "http://") + host + ":" + port;
        byte[] head = requestHead(request, host, port, secure);
        int timeout = (int) Math.min(Integer.MAX_VALUE, request.firstByteTimeout().toMillis());
        while (true) {
            Connection connection = pooled(origin);
            boolean reused = connection != null;
            if (!reused) {
                connection = connect(origin, host, port, secure, request);
            }
            boolean sent = false;
            try {
                connection.socket.setSoTimeout(timeout);
                connection.out.write(head);
                if (request.body() != null) {
                    connection.out.write(request.body());
                }
                connection.out.flush();
                sent = true;
                return readResponse(connection, request.method());
            } catch (NoResponse | IOException e) {
                connection.close();
                // Stale means the request could not be written or nothing at all came back. A timeout, or an
                // answer that came but is broken, means the provider may have run the request: not sent again.
                boolean stale = reused && (e instanceof NoResponse || !sent);
                if (stale) {
                    // The provider closed this idle connection before our request reached it: nothing was
                    // processed, so the request is sent again on a fresh connection.
                    continue;
                }
                throw classify(origin, request, e instanceof NoResponse nr ? nr.getCause() : (IOException) e);
            }
        }
    }

    @Override
    public void close() {
        idle.values().forEach(deque -> {
            Connection c;
            while ((c = deque.poll()) != null) {
                c.close();
            }
        });
    }

    private Connection pooled(String origin) {
        ConcurrentLinkedDeque<Connection> deque = idle.get(origin);
        if (deque == null) {
            return null;
        }
        Connection c;
        while ((c = deque.pollFirst()) != null) {
            if (System.nanoTime() - c.idleSince < MAX_IDLE_NANOS && !c.socket.isClosed()) {
                return c;
            }
            c.close();
        }
        return null;
    }

    private void release(Connection connection) {
        ConcurrentLinkedDeque<Connection> deque = idle.computeIfAbsent(connection.origin, k -> new ConcurrentLinkedDeque<>());
        if (deque.size() >= MAX_IDLE_PER_ORIGIN) {
            connection.close();
            return;
        }
        connection.idleSince = System.nanoTime();
        deque.offerFirst(connection);
    }

    private Connection connect(String origin, String host, int port, boolean secure, UpstreamRequest request)
            throws UpstreamException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setKeepAlive(true);
            socket.connect(new InetSocketAddress(host, port), connectTimeoutMillis);
            if (secure) {
                SSLSocket ssl = (SSLSocket) tls().createSocket(socket, host, port, true);
                SSLParameters parameters = ssl.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                parameters.setApplicationProtocols(new String[]{"http/1.1"});
                ssl.setSSLParameters(parameters);
                ssl.setSoTimeout(connectTimeoutMillis);
                ssl.startHandshake();
                socket = ssl;
            }
            return new Connection(origin, socket);
        } catch (IOException e) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already failing
            }
            if (e instanceof SocketTimeoutException) {
                throw new UpstreamException(UpstreamException.Kind.CONNECT, "connecting to " + origin + " timed out", e);
            }
            if (e instanceof ConnectException || e instanceof NoRouteToHostException || e instanceof UnknownHostException) {
                throw new UpstreamException(UpstreamException.Kind.CONNECT, "cannot connect to " + origin
                        + (e instanceof UnknownHostException ? " (unknown host)" : ""), e);
            }
            throw new UpstreamException(UpstreamException.Kind.CONNECT, "cannot open a connection to " + origin + ": "
                    + describe(e), e);
        }
    }

    private SSLSocketFactory tls() throws IOException {
        SSLSocketFactory factory = tls;
        if (factory == null) {
            try {
                factory = SSLContext.getDefault().getSocketFactory();
            } catch (NoSuchAlgorithmException e) {
                throw new IOException("TLS is not available in this JVM", e);
            }
            tls = factory;
        }
        return factory;
    }

    private static byte[] requestHead(UpstreamRequest request, String host, int port, boolean secure) {
        StringBuilder sb = new StringBuilder(256);
        String path = request.uri().getRawPath();
        sb.append(request.method()).append(' ').append(path == null || path.isEmpty() ? "/" : path);
        if (request.uri().getRawQuery() != null) {
            sb.append('?').append(request.uri().getRawQuery());
        }
        sb.append(" HTTP/1.1\r\nHost: ").append(host);
        if (port != (secure ? 443 : 80)) {
            sb.append(':').append(port);
        }
        sb.append("\r\nUser-Agent: aigne-hub\r\nAccept-Encoding: identity\r\n");
        request.headers().forEach((name, value) -> {
            if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("header " + name + " contains a line break");
            }
            sb.append(name).append(": ").append(value).append("\r\n");
        });
        if (request.body() != null) {
            sb.append("Content-Length: ").append(request.body().length).append("\r\n");
        }
        sb.append("\r\n");
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Nothing at all came back: the connection was closed or reset before a status line. */
    private static final class NoResponse extends Exception {
        NoResponse(IOException cause) {
            super(cause.getMessage(), cause, false, false);
        }

        @Override
        public synchronized IOException getCause() {
            return (IOException) super.getCause();
        }
    }

    private Response readResponse(Connection c, String method) throws IOException, NoResponse {
        while (true) {
            String statusLine;
            try {
                statusLine = readLine(c.in, MAX_HEAD_BYTES, true);
            } catch (EOFException e) {
                throw new NoResponse(e);
            } catch (IOException e) {
                if (e instanceof SocketTimeoutException) {
                    throw e;
                }
                throw new NoResponse(e);
            }
            if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
                throw new IOException("not an HTTP/1.x status line: " + abbreviate(statusLine));
            }
            int status;
            try {
                status = Integer.parseInt(statusLine.substring(9, 12));
            } catch (NumberFormatException e) {
                throw new IOException("bad status line: " + abbreviate(statusLine));
            }
            Map<String, String> headers = new HashMap<>();
            int total = statusLine.length();
            String line;
            while (!(line = readLine(c.in, MAX_HEAD_BYTES - total, false)).isEmpty()) {
                total += line.length();
                int colon = line.indexOf(':');
                if (colon > 0) {
                    headers.putIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                            line.substring(colon + 1).trim());
                }
            }
            if (status >= 100 && status < 200 && status != 101) {
                continue; // interim answers such as 100 Continue
            }
            boolean http10 = statusLine.startsWith("HTTP/1.0");
            String connection = headers.getOrDefault("connection", "").toLowerCase(Locale.ROOT);
            boolean keepAlive = http10 ? connection.contains("keep-alive") : !connection.contains("close");
            Body body;
            if ("HEAD".equals(method) || status == 204 || status == 304) {
                body = new FixedBody(c, 0);
            } else if (headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT).contains("chunked")) {
                body = new ChunkedBody(c);
            } else if (headers.containsKey("content-length")) {
                long length;
                try {
                    length = Long.parseLong(headers.get("content-length"));
                } catch (NumberFormatException e) {
                    throw new IOException("bad Content-Length: " + abbreviate(headers.get("content-length")));
                }
                body = new FixedBody(c, length);
            } else {
                body = new UntilCloseBody(c);
                keepAlive = false;
            }
            return new Response(this, c, status, headers, body, keepAlive);
        }
    }

    private static String readLine(Wire in, int max, boolean first) throws IOException {
        return in.readLine(max, first);
    }

    private static UpstreamException classify(String origin, UpstreamRequest request, IOException e) {
        if (e instanceof SocketTimeoutException) {
            return new UpstreamException(UpstreamException.Kind.TIMEOUT, origin + " sent nothing for "
                    + readable(request.firstByteTimeout()), e);
        }
        return new UpstreamException(UpstreamException.Kind.IO, "connection to " + origin + " failed: " + describe(e), e);
    }

    private static String readable(Duration d) {
        return d.toMillis() < 1000 ? d.toMillis() + " ms" : d.toSeconds() + " s";
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }

    /**
     * The connection's read side: one buffer, scanned in place for line ends. (BufferedInputStream takes a lock
     * per call, which for a response head read byte by byte was a tenth of the hub's CPU.) Reads of body bytes
     * return what is buffered, or block for at most one read of the socket, never for more.
     */
    static final class Wire {
        private final InputStream socket;
        private final byte[] buffer = new byte[16 * 1024];
        private int position;
        private int limit;

        Wire(InputStream socket) {
            this.socket = socket;
        }

        private boolean fill() throws IOException {
            if (position == limit) {
                position = 0;
                limit = 0;
            } else if (limit == buffer.length) {
                System.arraycopy(buffer, position, buffer, 0, limit - position);
                limit -= position;
                position = 0;
            }
            int n = socket.read(buffer, limit, buffer.length - limit);
            if (n <= 0) {
                return false;
            }
            limit += n;
            return true;
        }

        String readLine(int max, boolean first) throws IOException {
            int scanned = position;
            while (true) {
                for (int i = scanned; i < limit; i++) {
                    if (buffer[i] == '\n') {
                        int end = i > position && buffer[i - 1] == '\r' ? i - 1 : i;
                        String line = new String(buffer, position, end - position, StandardCharsets.ISO_8859_1);
                        position = i + 1;
                        return line;
                    }
                }
                if (limit - position > max || (position == 0 && limit == buffer.length)) {
                    throw new IOException("response head line longer than " + Math.min(max, buffer.length) + " bytes");
                }
                scanned = limit - position;
                if (!fill()) {
                    throw new EOFException(first && limit == position ? "connection closed before any response"
                            : "connection closed in the middle of the response head");
                }
                scanned += position;
            }
        }

        int read() throws IOException {
            if (position == limit && !fill()) {
                return -1;
            }
            return buffer[position++] & 0xff;
        }

        int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (position == limit) {
                if (len >= buffer.length) {
                    return socket.read(b, off, len);
                }
                if (!fill()) {
                    return -1;
                }
            }
            int n = Math.min(len, limit - position);
            System.arraycopy(buffer, position, b, off, n);
            position += n;
            return n;
        }

        int available() throws IOException {
            return limit - position > 0 ? limit - position : socket.available();
        }

        /** Whether the buffer holds a complete chunk head: [CRLF] size-line CRLF (and the final CRLF after "0"). */
        boolean holdsChunkHead(boolean afterChunk) {
            int i = position;
            if (afterChunk) {
                if (limit - i < 2 || buffer[i] != '\r' || buffer[i + 1] != '\n') {
                    return false;
                }
                i += 2;
            }
            int start = i;
            while (i < limit && buffer[i] != '\n') {
                i++;
            }
            if (i >= limit) {
                return false;
            }
            boolean last = i - start >= 1 && buffer[start] == '0' && (i - start == 1 || buffer[start + 1] == '\r'
                    || buffer[start + 1] == ';');
            return !last || (limit - (i + 1) >= 2 && buffer[i + 1] == '\r' && buffer[i + 2] == '\n');
        }
    }

    private static final class Connection {
        final String origin;
        final Socket socket;
        final Wire in;
        final OutputStream out;
        long idleSince;

        Connection(String origin, Socket socket) throws IOException {
            this.origin = origin;
            this.socket = socket;
            this.in = new Wire(socket.getInputStream());
            this.out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing: nothing left to do with it
            }
        }
    }

    /** A response body; {@code complete()} once all of it has been read, so the connection can be reused. */
    private abstract static class Body extends InputStream {
        final Connection c;
        boolean complete;

        Body(Connection c) {
            this.c = c;
        }

        /** Closing an unfinished body closes its connection, which also ends a read blocked on it. */
        @Override
        public void close() {
            if (!complete) {
                c.close();
            }
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }
    }

    private static final class FixedBody extends Body {
        private long remaining;

        FixedBody(Connection c, long length) {
            super(c);
            this.remaining = length;
            this.complete = length == 0;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = c.in.read(b, off, (int) Math.min(len, remaining));
            if (n < 0) {
                throw new EOFException("the provider closed the connection with " + remaining + " bytes of the body unsent");
            }
            remaining -= n;
            complete = remaining == 0;
            return n;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(remaining, c.in.available());
        }
    }

    private static final class ChunkedBody extends Body {
        private long inChunk;
        private boolean started;

        ChunkedBody(Connection c) {
            super(c);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0; // as InputStream requires; at a chunk boundary, reading the next size line would block
            }
            if (complete) {
                return -1;
            }
            if (inChunk == 0) {
                if (started) {
                    expectCrlf();
                }
                started = true;
                inChunk = nextChunkSize();
                if (inChunk == 0) {
                    while (!readLine(c.in, MAX_HEAD_BYTES, false).isEmpty()) {
                        // trailers are not used by any provider; skip them
                    }
                    complete = true;
                    return -1;
                }
            }
            int n = c.in.read(b, off, (int) Math.min(len, inChunk));
            if (n < 0) {
                throw new EOFException("the provider closed the connection in the middle of a chunk");
            }
            inChunk -= n;
            return n;
        }

        /**
         * Inside a chunk: its buffered bytes. At a boundary: 1 if the next chunk's size line (and, for the last
         * chunk, the end of the body) is already buffered, so a read will not block. A relay flushes when this is
         * 0, so a burst of small chunks is sent on in one write, while a lone token is flushed at once.
         */
        @Override
        public int available() throws IOException {
            if (complete) {
                return 0;
            }
            return inChunk == 0 ? (c.in.holdsChunkHead(started) ? 1 : 0) : (int) Math.min(inChunk, c.in.available());
        }

        private long nextChunkSize() throws IOException {
            String line;
            try {
                line = readLine(c.in, 1024, false);
            } catch (EOFException e) {
                throw new EOFException("the provider closed the connection before the end of the stream");
            }
            int semicolon = line.indexOf(';');
            String hex = (semicolon >= 0 ? line.substring(0, semicolon) : line).trim();
            try {
                long size = Long.parseLong(hex, 16);
                if (size < 0) {
                    throw new NumberFormatException();
                }
                return size;
            } catch (NumberFormatException e) {
                throw new IOException("bad chunk size: " + abbreviate(line));
            }
        }

        private void expectCrlf() throws IOException {
            int cr = c.in.read();
            int lf = c.in.read();
            if (cr != CRLF[0] || lf != CRLF[1]) {
                throw new IOException(cr < 0 || lf < 0 ? "the provider closed the connection in the middle of the stream"
                        : "malformed chunked body");
            }
        }
    }

    private static final class UntilCloseBody extends Body {
        UntilCloseBody(Connection c) {
            super(c);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = c.in.read(b, off, len);
            if (n < 0) {
                complete = true;
            }
            return n;
        }

        @Override
        public int available() throws IOException {
            return c.in.available();
        }
    }

    private static final class Response implements UpstreamResponse {
        private final Http1UpstreamClient client;
        private final Connection connection;
        private final int status;
        private final Map<String, String> headers;
        private final Body body;
        private final boolean keepAlive;
        private boolean closed;

        Response(Http1UpstreamClient client, Connection connection, int status, Map<String, String> headers, Body body,
                 boolean keepAlive) {
            this.client = client;
            this.connection = connection;
            this.status = status;
            this.headers = headers;
            this.body = body;
            this.keepAlive = keepAlive;
        }

        @Override
        public int status() {
            return status;
        }

        @Override
        public Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
        }

        @Override
        public InputStream body() {
            return body;
        }

        /** Returns the connection to the pool when the body was read to its end, else closes it. */
        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (keepAlive && body.complete) {
                client.release(connection);
            } else {
                connection.close();
            }
        }
    }
}
