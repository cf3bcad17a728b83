package io.aigne.hub.web.connect;

import io.aigne.hub.auth.Passwords;
import io.aigne.hub.auth.Role;
import io.aigne.hub.auth.User;
import io.aigne.hub.testing.NodeScripts;
import io.aigne.hub.testing.FakeOpenAiProvider;
import io.aigne.hub.testing.TestHub;
import io.aigne.hub.usage.CallRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real {@code aigne hub connect http://127.0.0.1:PORT} of {@code @aigne/cli} 1.59.0: the "browser" it opens
 * is a script that hands the approval URL to this test, which signs in and approves over HTTP like a user; the
 * CLI must then store our hub and a working key in {@code ~/.aigne/aigne-hub-connected.yaml}.
 */
class AigneCliConnectTest {
    private static final String PASSWORD = "cli connect password";
    private static final Pattern STORED_KEY = Pattern.compile("AIGNE_HUB_API_KEY: (\\S+)");

    private TestHub hub;
    private FakeOpenAiProvider openai;

    @AfterEach
    void stop() {
        if (hub != null) {
            hub.close();
        }
        if (openai != null) {
            openai.close();
        }
    }

    @Test
    void connectStoresOurHubAndAKeyThatWorks(@TempDir Path dir) throws Exception {
        NodeScripts node = NodeScripts.require();
        openai = FakeOpenAiProvider.start();
        hub = TestHub.builder().openAiProvider("openai", "openai", openai.baseUrl(), List.of(), "sk-ok-connect").start();
        User ada = hub.hub().users().create("ada", "Ada", null, Role.MEMBER);
        hub.hub().users().setPasswordHash(ada.id(), Passwords.hash(PASSWORD));
        // `aigne hub connect` stores into ~/.aigne but, unlike `aigne run`, does not create it: without it the CLI
        // fails with "File store not available" after the approval (CLI 1.59.0; see the README).
        Path home = Files.createDirectories(dir.resolve("home"));
        Files.createDirectories(home.resolve(".aigne"));
        Path urlFile = dir.resolve("approval-url");
        Path browserScript = dir.resolve("browser.sh");
        Files.writeString(browserScript, "#!/bin/sh\nprintf '%s\\n' \"$1\" > '" + urlFile + ".tmp' && mv '"
                + urlFile + ".tmp' '" + urlFile + "'\n");
        Files.setPosixFilePermissions(browserScript, PosixFilePermissions.fromString("rwx------"));

        CompletableFuture<NodeScripts.Result> cli = CompletableFuture.supplyAsync(() -> node.run(
                "scripts/cli-connect.mjs", Map.of("HUB_URL", hub.baseUrl(), "CONNECT_HOME", home.toString(),
                        "CONNECT_BROWSER", browserScript.toString()), Duration.ofSeconds(90)));

        String approvalUrl = awaitApprovalUrl(urlFile, cli);
        assertThat(approvalUrl).startsWith(hub.baseUrl() + ApprovalPage.PATH + "?__token__=");
        Browser browser = new Browser(hub.baseUrl());
        String signInPath = browser.get(approvalUrl).headers().firstValue("Location").orElseThrow();
        String next = Browser.hiddenFields(browser.get(signInPath).body()).get("next");
        assertThat(browser.signIn("ada", PASSWORD, next).statusCode()).isEqualTo(303);
        HttpResponse<String> page = browser.get(approvalUrl);
        assertThat(page.body()).contains("AIGNE CLI");
        Map<String, String> form = new HashMap<>(Browser.hiddenFields(page.body()));
        form.put("decision", "approve");
        assertThat(browser.post(ApprovalPage.PATH, form).statusCode()).isEqualTo(200);

        NodeScripts.Result run = cli.get();
        String stdout = run.result().path("stdout").asText();
        assertThat(run.result().path("exitCode").asInt()).as(run.describe("exit code")).isZero();
        assertThat(stdout).as(run.describe("output")).contains("✓ Hub " + hub.baseUrl() + " connected successfully.");

        Path stored = home.resolve(".aigne/aigne-hub-connected.yaml");
        assertThat(stored).as(run.describe("the CLI's file store")).exists();
        String yaml = Files.readString(stored);
        assertThat(yaml).contains("127.0.0.1:" + hub.hub().port() + ":")
                .contains("AIGNE_HUB_API_URL: " + hub.baseUrl());
        Matcher key = STORED_KEY.matcher(yaml);
        assertThat(key.find()).as(yaml).isTrue();
        assertThat(key.group(1)).startsWith("blocklet-");

        HttpResponse<String> info = hub.get("/api/user/info", key.group(1));
        assertThat(info.statusCode()).isEqualTo(200);
        assertThat(TestHub.json(info).path("user").path("did").asText()).isEqualTo(ada.id());
        assertThat(hub.hub().keys().listForUser(ada.id())).singleElement()
                .satisfies(k -> assertThat(k.name()).isEqualTo("AIGNE CLI (@aigne/cli connect to AIGNE hub)"));

        // `aigne run` in the same HOME, with no hub in its environment: the stored default hub and key serve it.
        NodeScripts.Result aigneRun = node.run("scripts/cli-run.mjs", Map.of("CLI_HOME", home.toString(),
                "HUB_MODEL", "openai/gpt-4o-mini", "HUB_PROMPT", "Say hello"), Duration.ofSeconds(90));
        assertThat(aigneRun.result().path("exitCode").asInt()).as(aigneRun.describe("aigne run exit code")).isZero();
        assertThat(aigneRun.result().path("stdout").asText()).as(aigneRun.describe("aigne run output"))
                .contains("Hello from fake gpt-4o-mini");
        CallRecord call = hub.lastCall();
        assertThat(call.userId()).isEqualTo(ada.id());
        assertThat(call.endpoint()).isEqualTo("/api/v2/chat");
        assertThat(call.provider()).isEqualTo("openai");

        // `aigne hub list` shows our hub as the active one.
        NodeScripts.Result list = node.run("scripts/cli-hub-list.mjs", Map.of("CLI_HOME", home.toString()),
                Duration.ofSeconds(60));
        assertThat(list.result().path("exitCode").asInt()).as(list.describe("aigne hub list exit code")).isZero();
        assertThat(list.result().path("stdout").asText()).as(list.describe("aigne hub list output"))
                .contains("127.0.0.1:" + hub.hub().port()).contains("YES");
    }

    private static String awaitApprovalUrl(Path urlFile, CompletableFuture<NodeScripts.Result> cli) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(urlFile)) {
                return Files.readString(urlFile).strip();
            }
            if (cli.isDone()) {
                throw new AssertionError(cli.get().describe("the CLI ended before opening the approval page"));
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the CLI did not open the approval page within 60 s");
    }
}
