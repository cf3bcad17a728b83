package io.aigne.hub.server.tls;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigne.hub.testing.NodeScripts;
import io.aigne.hub.testing.TestHub;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real {@code aigne hub status} (@aigne/cli 1.59.0), which always calls {@code https://} on the stored hub's
 * host and port, against a hub with its generated self-signed certificate, trusted the way the startup banner
 * tells users to: {@code NODE_EXTRA_CA_CERTS}.
 */
class AigneHubStatusOverHttpsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @Test
    void hubStatusShowsTheConnectedUserOverHttps() {
        NodeScripts node = NodeScripts.require();
        try (TestHub hub = TestHub.builder()
                .setting("AIGNE_HUB_SERVER_TLS_ENABLED", "true")
                .setting("AIGNE_HUB_SERVER_TLS_PORT", "0")
                .setting("AIGNE_HUB_SERVER_TLS_SELF_SIGNED", "true")
                .start()) {
            ServerCertificate cert = hub.hub().tlsCertificate().orElseThrow();
            String did = TestHub.json(hub.get("/api/user/info", hub.ownerKey())).path("user").path("did").asText();
            NodeScripts.Result run = node.run("scripts/cli-hub-status.mjs", Map.of(
                    "HUB_URL", "https://127.0.0.1:" + hub.hub().httpsPort(),
                    "HUB_KEY", hub.ownerKey(),
                    "NODE_EXTRA_CA_CERTS", cert.file().toAbsolutePath().toString()), TIMEOUT);
            JsonNode result = run.result();

            assertThat(result.path("answered").asBoolean()).as(run.describe("the hub prompt")).isTrue();
            assertThat(result.path("exitCode").asInt()).as(run.describe("exit code")).isZero();
            String stdout = result.path("stdout").asText();
            assertThat(stdout).as(run.describe("status output"))
                    .containsPattern("Hub:\\s+https://127\\.0\\.0\\.1:" + hub.hub().httpsPort())
                    .containsPattern("Status:\\s+Connected")
                    .containsPattern("Name:\\s+Owner")
                    .containsPattern("DID:\\s+" + did);

            // Without the certificate trusted, node refuses the connection and the CLI shows no user: the call
            // above really went through TLS verification.
            JsonNode untrusted = node.run("scripts/cli-hub-status.mjs", Map.of(
                    "HUB_URL", "https://127.0.0.1:" + hub.hub().httpsPort(),
                    "HUB_KEY", hub.ownerKey()), TIMEOUT).result();
            assertThat(untrusted.path("stdout").asText()).containsPattern("Name:\\s*\\n")
                    .doesNotContain("Owner");
        }
    }
}
