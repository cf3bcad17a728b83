package io.aigne.hub.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigne.hub.server.Json;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs the node scripts of {@value #PROJECT_DIR} (real npm clients such as {@code @aigne/aigne-hub}) against a
 * hub, and hands back the JSON object each script prints as its last line of stdout.
 *
 * <p>Tests start with {@link #require()}: when node (20 or newer) or the installed packages are missing they are
 * skipped with the reason, unless {@value #REQUIRE_NODE_ENV}{@code =1} (set by {@code .ci/run} after
 * {@code npm ci}), in which case they fail. Install the packages locally with
 * {@code (cd server/src/test/node && npm ci)}.
 *
 * <p>Scripts run with a small, explicit environment: PATH, HOME and TMPDIR of this JVM plus what the test passes.
 * Nothing else leaks in, so a developer's {@code AIGNE_HUB_API_KEY}, {@code OPENAI_API_KEY} or proxy variables
 * (which the SDK would route loopback calls through) never change what a test sees.
 */
public final class NodeScripts {
    public static final String REQUIRE_NODE_ENV = "AIGNE_HUB_TEST_REQUIRE_NODE";
    /** The node project, relative to the repository root. */
    public static final String PROJECT_DIR = "server/src/test/node";
    public static final int MIN_NODE_MAJOR = 20;
    /** Where each package a script imports is found once installed. */
    private static final List<String> REQUIRED_PACKAGES = List.of("@aigne/aigne-hub", "@aigne/core", "@aigne/cli");
    private static final List<String> INHERITED_ENV = List.of("PATH", "HOME", "TMPDIR");

    private static final AtomicBoolean SKIP_ANNOUNCED = new AtomicBoolean();
    private static volatile Optional<String> problem;

    private final Path projectDir;

    private NodeScripts(Path projectDir) {
        this.projectDir = projectDir;
    }

    /** The scripts, when node and the packages are installed; otherwise the test is skipped or fails. */
    public static NodeScripts require() {
        Path dir = projectDir();
        Optional<String> missing = problem;
        if (missing == null) {
            missing = findProblem(dir);
            problem = missing;
        }
        if (missing.isPresent()) {
            String message = missing.get() + ". Install them with: (cd " + PROJECT_DIR + " && npm ci)";
            if ("1".equals(System.getenv(REQUIRE_NODE_ENV))) {
                Assertions.fail(message + " [" + REQUIRE_NODE_ENV + "=1, so this is a failure, not a skip]");
            }
            if (SKIP_ANNOUNCED.compareAndSet(false, true)) {
                // Build tools count skipped tests (a class skipped in @BeforeAll not even that) but rarely say why.
                System.err.println("[NodeScripts] skipping the node client tests: " + message);
            }
            Assumptions.abort(message);
        }
        return new NodeScripts(dir);
    }

    /**
     * Runs {@code node <script>} in the project directory with {@code env} added to the minimal environment,
     * killing it after {@code timeout}. Fails the test when the script does not end in time or its last line of
     * stdout is not a JSON object; a non-zero exit with a JSON last line is returned as is.
     */
    public Result run(String script, Map<String, String> env, Duration timeout) {
        ProcessBuilder builder = new ProcessBuilder("node", script).directory(projectDir.toFile());
        Map<String, String> processEnv = builder.environment();
        Map<String, String> inherited = new HashMap<>(processEnv);
        processEnv.clear();
        for (String name : INHERITED_ENV) {
            if (inherited.get(name) != null) {
                processEnv.put(name, inherited.get(name));
            }
        }
        processEnv.putAll(env);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start node " + script, e);
        }
        closeStdin(process);
        CompletableFuture<String> stdout = drain(process.getInputStream());
        CompletableFuture<String> stderr = drain(process.getErrorStream());
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
                throw new AssertionError("node " + script + " did not finish within " + timeout
                        + "\n--- stdout ---\n" + stdout.getNow("") + "\n--- stderr ---\n" + stderr.getNow(""));
            }
            return parse(script, process.exitValue(), stdout.join(), stderr.join());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * What a script did: its exit code, its output, and the JSON object of its last stdout line. The scripts print
     * either {@code {"result": …}} or {@code {"error": {"message", "name", "type"?}}} (see lib.mjs).
     */
    public record Result(String script, int exitCode, String stdout, String stderr, JsonNode json) {
        /** The {@code result} object; fails the test with the script's output when the client threw instead. */
        public JsonNode result() {
            if (!json.has("result")) {
                throw new AssertionError(describe("expected a result, the client reported " + json));
            }
            return json.get("result");
        }

        /** The {@code error} the client threw; fails the test with the script's output when it did not. */
        public JsonNode error() {
            if (!json.has("error")) {
                throw new AssertionError(describe("expected an error, the client returned " + json));
            }
            return json.get("error");
        }

        /** Everything the script wrote, for assertion messages. */
        public String describe(String what) {
            return "node " + script + " (exit " + exitCode + "): " + what
                    + "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr;
        }
    }

    private static Result parse(String script, int exitCode, String stdout, String stderr) {
        String[] lines = stdout.strip().split("\n");
        String last = lines[lines.length - 1].strip();
        JsonNode json = null;
        if (last.startsWith("{")) {
            try {
                json = Json.MAPPER.readTree(last);
            } catch (IOException ignored) {
                // reported below with the whole output
            }
        }
        if (json == null || !json.isObject()) {
            throw new AssertionError("node " + script + " (exit " + exitCode + ") did not end with a JSON object line"
                    + "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr);
        }
        return new Result(script, exitCode, stdout, stderr, json);
    }

    private static CompletableFuture<String> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(could not read: " + e + ")";
            }
        });
    }

    private static void closeStdin(Process process) {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // the script never reads stdin
        }
    }

    /** Surefire runs in the module directory (server/); an IDE may run from the repository root. */
    private static Path projectDir() {
        Path fromModule = Path.of("src/test/node");
        if (Files.isRegularFile(fromModule.resolve("package.json"))) {
            return fromModule.toAbsolutePath();
        }
        return Path.of(PROJECT_DIR).toAbsolutePath();
    }

    private static Optional<String> findProblem(Path dir) {
        if (!Files.isRegularFile(dir.resolve("package.json"))) {
            return Optional.of("the node project " + dir + " is missing (run the tests from the repository or server/)");
        }
        String version;
        try {
            Process node = new ProcessBuilder("node", "-p", "process.versions.node").redirectErrorStream(true).start();
            node.getOutputStream().close();
            version = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!node.waitFor(20, TimeUnit.SECONDS) || node.exitValue() != 0) {
                return Optional.of("`node -p process.versions.node` failed: " + version);
            }
        } catch (IOException e) {
            return Optional.of("node (>= " + MIN_NODE_MAJOR + ") is not on the PATH: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted while checking node");
        }
        int major;
        try {
            major = Integer.parseInt(version.split("\\.")[0]);
        } catch (NumberFormatException e) {
            return Optional.of("could not read the node version from `" + version + "`");
        }
        if (major < MIN_NODE_MAJOR) {
            return Optional.of("node " + version + " is too old; the @aigne packages need node >= " + MIN_NODE_MAJOR);
        }
        for (String pkg : REQUIRED_PACKAGES) {
            if (!Files.isRegularFile(dir.resolve("node_modules").resolve(pkg).resolve("package.json"))) {
                return Optional.of("the npm package " + pkg + " is not installed in " + dir.resolve("node_modules"));
            }
        }
        return Optional.empty();
    }
}
