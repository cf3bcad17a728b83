package io.aigne.hub.server.tls;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigne.hub.config.ConfigException;
import io.aigne.hub.config.ConfigLoader;
import io.aigne.hub.server.HubServer;
import io.aigne.hub.server.Json;
import io.aigne.hub.testing.TestHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLHandshakeException;

import static io.aigne.hub.server.tls.TestCertificates.get;
import static io.aigne.hub.server.tls.TestCertificates.trusting;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HubHttpsTest {
    @TempDir
    Path tmp;

    private static TestHub.Builder https() {
        return TestHub.builder()
                .setting("AIGNE_HUB_SERVER_TLS_ENABLED", "true")
                .setting("AIGNE_HUB_SERVER_TLS_PORT", "0");
    }

    @Test
    void selfSignedHubAnswersHttpsWithHostnameVerificationForLoopbackNames() throws Exception {
        try (TestHub hub = https().setting("AIGNE_HUB_SERVER_TLS_SELF_SIGNED", "true").start()) {
            int port = hub.hub().httpsPort();
            ServerCertificate served = hub.hub().tlsCertificate().orElseThrow();
            Path certFile = hub.dataDir().resolve("tls").resolve(SelfSignedCertificate.CERTIFICATE_FILE);
            assertThat(served.file()).isEqualTo(certFile);
            assertThat(served.selfSigned()).isTrue();
            X509Certificate trusted = TestCertificates.readCertificate(certFile);
            HttpClient client = trusting(trusted);

            HttpResponse<String> byIp = get(client, "https://127.0.0.1:" + port + "/api/user/info", hub.ownerKey());
            assertThat(byIp.statusCode()).isEqualTo(200);
            assertThat(Json.MAPPER.readTree(byIp.body()).path("user").path("fullName").asText()).isEqualTo("Owner");
            HttpResponse<String> byName = get(client, "https://localhost:" + port + "/healthz", null);
            assertThat(byName.body()).contains("\"ok\"");
            // The discovery document tells clients the origin they used, https included.
            JsonNode blocklet = Json.MAPPER.readTree(
                    get(client, "https://127.0.0.1:" + port + "/__blocklet__.js?type=json", null).body());
            assertThat(blocklet.path("appUrl").asText()).isEqualTo("https://127.0.0.1:" + port);

            // Plain HTTP stays on its own port with the same routes.
            assertThat(hub.hub().port()).isNotEqualTo(port).isPositive();
            assertThat(hub.get("/healthz", null).statusCode()).isEqualTo(200);
            assertThat(served.sha256Fingerprint()).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}")
                    .isEqualTo(ServerCertificate.fingerprint(trusted));
            assertThat(Files.getPosixFilePermissions(certFile.resolveSibling(SelfSignedCertificate.KEY_FILE)))
                    .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
            assertThat(Files.getPosixFilePermissions(certFile)).contains(PosixFilePermission.OTHERS_READ);

            // Hostname verification is really on: a name the certificate does not list is refused.
            TestCertificates.handshake(trusted, port, "localhost");
            assertThatThrownBy(() -> TestCertificates.handshake(trusted, port, "hub.example.test"))
                    .isInstanceOf(SSLHandshakeException.class)
                    .hasMessageContaining("hub.example.test");
            // ...and so is any client that has not been told to trust the certificate.
            assertThatThrownBy(() -> get(HttpClient.newHttpClient(), "https://127.0.0.1:" + port + "/healthz", null))
                    .isInstanceOf(SSLHandshakeException.class);
        }
    }

    @Test
    void selfSignedCertificateSurvivesRestart() throws Exception {
        Path dataDir = tmp.resolve("data");
        String first;
        try (TestHub hub = https().setting("AIGNE_HUB_SERVER_TLS_SELF_SIGNED", "true").dataDir(dataDir).start()) {
            first = hub.hub().tlsCertificate().orElseThrow().sha256Fingerprint();
        }
        try (TestHub hub = https().setting("AIGNE_HUB_SERVER_TLS_SELF_SIGNED", "true").dataDir(dataDir).start()) {
            assertThat(hub.hub().tlsCertificate().orElseThrow().sha256Fingerprint()).isEqualTo(first);
            X509Certificate trusted = TestCertificates.readCertificate(
                    dataDir.resolve("tls").resolve(SelfSignedCertificate.CERTIFICATE_FILE));
            HttpResponse<String> answer = get(trusting(trusted),
                    "https://127.0.0.1:" + hub.hub().httpsPort() + "/healthz", null);
            assertThat(answer.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void selfSignedCertificateCoversTheConfiguredHostAndIsRenewedWhenTheHostChanges() {
        ServerCertificate local = SelfSignedCertificate.loadOrCreate(tmp, "127.0.0.1");
        assertThat(SelfSignedCertificate.covers(local.leaf(), "localhost")).isTrue();
        assertThat(SelfSignedCertificate.covers(local.leaf(), "::1")).isTrue();
        assertThat(SelfSignedCertificate.covers(local.leaf(), "hub.example.test")).isFalse();
        assertThat(SelfSignedCertificate.loadOrCreate(tmp, "0.0.0.0").sha256Fingerprint())
                .as("a wildcard listen address needs no new name").isEqualTo(local.sha256Fingerprint());

        ServerCertificate named = SelfSignedCertificate.loadOrCreate(tmp, "hub.example.test");
        assertThat(named.sha256Fingerprint()).isNotEqualTo(local.sha256Fingerprint());
        assertThat(SelfSignedCertificate.covers(named.leaf(), "hub.example.test")).isTrue();
        assertThat(SelfSignedCertificate.covers(named.leaf(), "127.0.0.1")).isTrue();
        ServerCertificate lan = SelfSignedCertificate.loadOrCreate(tmp, "192.168.10.20");
        assertThat(SelfSignedCertificate.covers(lan.leaf(), "192.168.10.20")).isTrue();
    }

    @Test
    void pemCertificateAndKeyFromTheOperatorAreServed() throws Exception {
        TestCertificates.PemPair pem = TestCertificates.pem(tmp, "RSA");
        try (TestHub hub = https()
                .setting("AIGNE_HUB_SERVER_TLS_CERTIFICATE", pem.certificate().toString())
                .setting("AIGNE_HUB_SERVER_TLS_PRIVATE_KEY", pem.privateKey().toString())
                .start()) {
            ServerCertificate served = hub.hub().tlsCertificate().orElseThrow();
            assertThat(served.selfSigned()).isFalse();
            assertThat(served.sha256Fingerprint()).isEqualTo(ServerCertificate.fingerprint(pem.cert()));
            HttpResponse<String> answer = get(trusting(pem.cert()),
                    "https://localhost:" + hub.hub().httpsPort() + "/api/user/info", hub.ownerKey());
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).contains("\"fullName\":\"Owner\"");
            assertThat(hub.dataDir().resolve("tls")).doesNotExist();
        }
    }

    @Test
    void pkcs12AndJksKeystoresAreServed() throws Exception {
        for (String type : new String[]{"PKCS12", "JKS"}) {
            Path store = TestCertificates.keystore(tmp, "hub-" + type + ".ks", type, "EC", "s3cret-" + type);
            X509Certificate cert = (X509Certificate) java.security.KeyStore
                    .getInstance(store.toFile(), ("s3cret-" + type).toCharArray()).getCertificate(TestCertificates.ALIAS);
            try (TestHub hub = https()
                    .setting("AIGNE_HUB_SERVER_TLS_KEYSTORE", store.toString())
                    .setting("AIGNE_HUB_SERVER_TLS_KEYSTORE_PASSWORD", "s3cret-" + type)
                    .setting("AIGNE_HUB_SERVER_TLS_KEYSTORE_TYPE", type.equals("JKS") ? "JKS" : "")
                    .start()) {
                HttpResponse<String> answer = get(trusting(cert),
                        "https://127.0.0.1:" + hub.hub().httpsPort() + "/healthz", null);
                assertThat(answer.statusCode()).as(type).isEqualTo(200);
                assertThat(hub.hub().tlsCertificate().orElseThrow().file()).isEqualTo(store);
            }
        }
    }

    @Test
    void withHttpOffOnlyTheHttpsPortListens() throws Exception {
        int httpPort;
        try (ServerSocket probe = new ServerSocket(0)) {
            httpPort = probe.getLocalPort();
        }
        try (TestHub hub = https()
                .setting("AIGNE_HUB_SERVER_PORT", String.valueOf(httpPort))
                .setting("AIGNE_HUB_SERVER_TLS_SELF_SIGNED", "true")
                .setting("AIGNE_HUB_SERVER_TLS_HTTP_ENABLED", "false")
                .start()) {
            assertThat(hub.hub().port()).isEqualTo(HubServer.OFF);
            assertThat(TestCertificates.listening(httpPort)).isFalse();
            X509Certificate trusted = hub.hub().tlsCertificate().orElseThrow().leaf();
            HttpResponse<String> answer = get(trusting(trusted),
                    "https://127.0.0.1:" + hub.hub().httpsPort() + "/api/user/info", hub.ownerKey());
            assertThat(answer.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void tlsOffMeansNoHttpsListener() {
        try (TestHub hub = TestHub.builder().start()) {
            assertThat(hub.hub().httpsPort()).isEqualTo(HubServer.OFF);
            assertThat(hub.hub().tlsCertificate()).isEmpty();
        }
    }

    @Test
    void mistakesStopTheStartWithTheSettingNamed() throws Exception {
        assertStartFails(https(), "server.tls.enabled is true but no certificate is configured");
        assertStartFails(https().setting("AIGNE_HUB_SERVER_TLS_CERTIFICATE", tmp.resolve("missing.pem").toString())
                        .setting("AIGNE_HUB_SERVER_TLS_PRIVATE_KEY", tmp.resolve("key.pem").toString()),
                "server.tls.certificate: the file " + tmp.resolve("missing.pem").toAbsolutePath() + " does not exist");
        TestCertificates.PemPair pem = TestCertificates.pem(tmp, "EC");
        assertStartFails(https().setting("AIGNE_HUB_SERVER_TLS_CERTIFICATE", pem.certificate().toString()),
                "server.tls.certificate is set but server.tls.privateKey is not");
        assertStartFails(https().setting("AIGNE_HUB_SERVER_TLS_CERTIFICATE", pem.certificate().toString())
                        .setting("AIGNE_HUB_SERVER_TLS_PRIVATE_KEY", pem.certificate().toString()),
                "server.tls.privateKey: cannot read a private key from " + pem.certificate());
        Path otherDir = Files.createDirectory(tmp.resolve("other"));
        TestCertificates.PemPair other = TestCertificates.pem(otherDir, "EC");
        assertStartFails(https().setting("AIGNE_HUB_SERVER_TLS_CERTIFICATE", pem.certificate().toString())
                        .setting("AIGNE_HUB_SERVER_TLS_PRIVATE_KEY", other.privateKey().toString()),
                "server.tls.privateKey " + other.privateKey() + " does not belong to the first certificate");
        assertStartFails(https().setting("AIGNE_HUB_SERVER_TLS_SELF_SIGNED", "true")
                        .setting("AIGNE_HUB_SERVER_TLS_KEYSTORE", pem.certificate().toString()),
                "server.tls: choose one certificate source, not server.tls.selfSigned and server.tls.keystore");

        Path store = TestCertificates.keystore(tmp, "hub.p12", "PKCS12", "EC", "right-password");
        String wrong = "wrong-password-42";
        ConfigException badPassword = assertStartFails(https()
                        .setting("AIGNE_HUB_SERVER_TLS_KEYSTORE", store.toString())
                        .setting("AIGNE_HUB_SERVER_TLS_KEYSTORE_PASSWORD", wrong),
                "server.tls.keystore: cannot open " + store);
        assertThat(badPassword.getMessage()).contains("server.tls.keystorePassword").doesNotContain(wrong);
        assertStartFails(https().setting("AIGNE_HUB_SERVER_TLS_KEYSTORE", store.toString())
                        .setting("AIGNE_HUB_SERVER_TLS_KEYSTORE_PASSWORD", "right-password")
                        .setting("AIGNE_HUB_SERVER_TLS_KEYSTORE_TYPE", "PEMSTORE"),
                "server.tls.keystoreType 'PEMSTORE' is not a keystore type");
        assertStartFails(https().setting("AIGNE_HUB_SERVER_TLS_KEYSTORE", store.toString())
                        .setting("AIGNE_HUB_SERVER_TLS_KEYSTORE_PASSWORD", "right-password")
                        .setting("AIGNE_HUB_SERVER_TLS_KEYSTORE_ALIAS", "nope"),
                "server.tls.keystoreAlias 'nope' is not a key entry");
        assertStartFails(TestHub.builder().setting("AIGNE_HUB_SERVER_TLS_HTTP_ENABLED", "false"),
                "server.tls.httpEnabled is false while server.tls.enabled is false");
        assertStartFails(https().setting("AIGNE_HUB_SERVER_TLS_SELF_SIGNED", "true")
                        .setting("AIGNE_HUB_SERVER_PORT", "9443").setting("AIGNE_HUB_SERVER_TLS_PORT", "9443"),
                "server.tls.port and server.port are both 9443");
        assertStartFails(https().setting("AIGNE_HUB_SERVER_TLS_SELF_SIGNED", "true")
                        .setting("AIGNE_HUB_SERVER_TLS_PORT", "70000"),
                "server.tls.port must be between 0 and 65535");
    }

    @Test
    void unknownOrMistypedTlsSettingsAreNamedByTheLoader() throws Exception {
        Path file = tmp.resolve("hub.yaml");
        Files.writeString(file, "server:\n  tls:\n    enabled: true\n    selfSigend: true\n");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(file), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown setting 'server.tls.selfSigend'");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("AIGNE_HUB_SERVER_TLS_PORT", "https")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("setting 'server.tls.port'")
                .hasMessageContaining("AIGNE_HUB_SERVER_TLS_PORT=https");
        assertThat(ConfigLoader.load(Optional.empty(), Map.of("AIGNE_HUB_SERVER_TLS_KEYSTORE_PASSWORD", "hunter2"))
                .server().tls().toString()).doesNotContain("hunter2");
    }

    private static ConfigException assertStartFails(TestHub.Builder builder, String message) {
        try (TestHub ignored = builder.start()) {
            throw new AssertionError("the hub started; expected: " + message);
        } catch (ConfigException e) {
            assertThat(e.getMessage()).contains(message);
            return e;
        }
    }
}
