package io.aigne.hub.gateway.upstream;

import javax.net.ssl.SSLContext;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback server for client tests: every accepted connection runs the test's script on its own thread, which
 * reads requests and writes responses byte by byte, so framing and connection behaviour are exactly controlled.
 * Failures inside a script (including its assertions) are rethrown by {@link #close()}.
 */
final class ScriptedServer implements AutoCloseable {
    @FunctionalInterface
    interface Script {
        void run(Conn conn) throws Exception;
    }

    /** A request as the server read it off the wire. */
    record Request(int connection, String line, List<String> headerLines, Map<String, String> headers, byte[] body) {
        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final ServerSocket server;
    private final Script script;
    private final AtomicInteger accepted = new AtomicInteger();
    private final Map<Integer, CountDownLatch> sentinels = new ConcurrentHashMap<>();
    private final Queue<Socket> sockets = new ConcurrentLinkedQueue<>();
    private final Queue<Thread> threads = new ConcurrentLinkedQueue<>();
    private final Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
    private final Queue<Request> requests = new ConcurrentLinkedQueue<>();
    private final Thread acceptor;
    private volatile boolean closed;

    private ScriptedServer(ServerSocket server, Script script) {
        this.server = server;
        this.script = script;
        this.acceptor = Thread.ofPlatform().daemon(true).name("scripted-server-accept").start(this::acceptLoop);
    }

    static ScriptedServer plain(Script script) throws IOException {
        return new ScriptedServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), script);
    }

    static ScriptedServer tls(SSLContext context, Script script) throws IOException {
        return new ScriptedServer(context.getServerSocketFactory().createServerSocket(0, 50,
                InetAddress.getLoopbackAddress()), script);
    }

    int port() {
        return server.getLocalPort();
    }

    /** Requests read by all scripts so far, in the order they were read. */
    List<Request> requests() {
        return List.copyOf(requests);
    }

    /**
     * The number of connections accepted, counting every connection the client opened before this call: a
     * sentinel connection is opened and waited for, and as the backlog is accepted in order, everything the
     * client opened earlier has been accepted by then. The sentinel itself is not counted and runs no script.
     */
    int settledConnections() throws Exception {
        try (Socket sentinel = new Socket()) {
            sentinel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            CountDownLatch seen = new CountDownLatch(1);
            sentinels.put(sentinel.getLocalPort(), seen);
            sentinel.connect(server.getLocalSocketAddress(), 5_000);
            if (!seen.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("the server did not accept the sentinel connection");
            }
        }
        return accepted.get();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    errors.add(e);
                }
                return;
            }
            CountDownLatch sentinel = sentinels.remove(socket.getPort());
            if (sentinel != null) {
                closeQuietly(socket);
                sentinel.countDown();
                continue;
            }
            sockets.add(socket);
            int index = accepted.getAndIncrement();
            threads.add(Thread.ofPlatform().daemon(true).name("scripted-server-" + index).start(() -> {
                try (Socket s = socket) {
                    script.run(new Conn(this, index, s));
                } catch (Throwable t) {
                    if (!closed) {
                        errors.add(t);
                    }
                }
            }));
        }
    }

    @Override
    public void close() throws Exception {
        closed = true;
        closeQuietly(server);
        sockets.forEach(ScriptedServer::closeQuietly);
        acceptor.join(5_000);
        for (Thread t : threads) {
            t.join(5_000);
        }
        if (!errors.isEmpty()) {
            AssertionError failure = new AssertionError("the scripted server failed: " + errors.peek(), errors.peek());
            errors.stream().skip(1).forEach(failure::addSuppressed);
            throw failure;
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // test cleanup
        }
    }

    /** One accepted connection, as seen by its script. */
    static final class Conn {
        private final ScriptedServer server;
        private final int index;
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        Conn(ScriptedServer server, int index, Socket socket) throws IOException {
            this.server = server;
            this.index = index;
            this.socket = socket;
            this.in = new BufferedInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        /** 0 for the first connection the server accepted, 1 for the next, ... */
        int index() {
            return index;
        }

        /** Reads one request (head and Content-Length body); null if the client closed the connection first. */
        Request readRequest() throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                head.write(b);
                byte[] h = head.toByteArray();
                int n = h.length;
                if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
                    break;
                }
            }
            if (b < 0) {
                if (head.size() == 0) {
                    return null;
                }
                throw new IOException("the client closed the connection in the middle of a request head");
            }
            String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
            List<String> headerLines = new ArrayList<>();
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                headerLines.add(lines[i]);
                int colon = lines[i].indexOf(':');
                String previous = headers.put(lines[i].substring(0, colon).toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
                if (previous != null) {
                    throw new AssertionError("header sent twice: " + lines[i]);
                }
            }
            byte[] body = headers.containsKey("content-length")
                    ? in.readNBytes(Integer.parseInt(headers.get("content-length"))) : new byte[0];
            Request request = new Request(index, lines[0], List.copyOf(headerLines), headers, body);
            server.requests.add(request);
            return request;
        }

        /** Reads a request, failing the script if the client closed the connection instead. */
        Request expectRequest() throws IOException {
            Request request = readRequest();
            if (request == null) {
                throw new AssertionError("connection " + index + ": the client closed it instead of sending a request");
            }
            return request;
        }

        void send(String text) throws IOException {
            send(text.getBytes(StandardCharsets.ISO_8859_1));
        }

        void send(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        /** Waits for the client to close this connection; fails the script if the client sends anything instead. */
        void expectClientClose() throws IOException {
            try {
                int b = in.read();
                if (b >= 0) {
                    throw new AssertionError("connection " + index + ": expected the client to close it, but it sent "
                            + "more bytes (it was reused)");
                }
            } catch (SocketException reset) {
                // a reset is a close too
            }
        }

        void close() throws IOException {
            socket.close();
        }
    }
}
