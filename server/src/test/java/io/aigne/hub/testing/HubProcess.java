package io.aigne.hub.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A hub in a process of its own, started from the test class path ({@code io.aigne.hub.Main serve}), for the tests
 * that need what one JVM cannot show: several nodes on one database, and a process killed with SIGKILL.
 */
public final class HubProcess implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Process process;
    private final int port;
    private final StringBuffer output = new StringBuffer();
    private final CountDownLatch started = new CountDownLatch(1);

    private HubProcess(Process process, int port) {
        this.process = process;
        this.port = port;
        Thread pump = Thread.ofPlatform().daemon(true).name("hub-process-output-" + port).start(this::pump);
        pump.setUncaughtExceptionHandler((t, e) -> { });
    }

    /**
     * Starts a hub with this configuration file and these environment overrides (on top of a free port) and waits
     * until it serves.
     */
    public static HubProcess start(Path config, Map<String, String> env) {
        int port = freePort();
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xmx512m",
                "-Dlogback.configurationFile=logback.xml",
                "-cp", System.getProperty("java.class.path"), "io.aigne.hub.Main", "serve", "--config",
                config.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        builder.environment().put("AIGNE_HUB_SERVER_PORT", Integer.toString(port));
        try {
            HubProcess hub = new HubProcess(builder.start(), port);
            if (!hub.started.await(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                hub.kill();
                throw new IllegalStateException("the hub process did not start within " + START_TIMEOUT
                        + "; its output:\n" + hub.output());
            }
            return hub;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Writes a configuration file declaring one OpenAI-wire provider. */
    public static Path configWithProvider(Path dir, String name, String baseUrl, String apiKey) {
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve("aigne-hub.yaml");
            Files.writeString(file, """
                    providers:
                      - name: %s
                        type: openai
                        baseUrl: %s
                        credentials:
                          - name: main
                            apiKey: %s
                    """.formatted(name, baseUrl, apiKey));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** What the process printed so far (standard output and error). */
    public String output() {
        return output.toString();
    }

    /** SIGKILL: the process gets no chance to flush or clean up. */
    public void kill() {
        process.destroyForcibly();
        waitFor();
    }

    /** SIGTERM: the orderly shutdown. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            waitFor();
        }
    }

    private void waitFor() {
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void pump() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                output.append(line).append('\n');
                if (line.contains("AIGNE Hub is running at")) {
                    started.countDown();
                }
            }
        } catch (IOException e) {
            // The process is gone.
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
