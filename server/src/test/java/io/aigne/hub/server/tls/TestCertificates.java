package io.aigne.hub.server.tls;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * Certificates an operator would bring (made with the JDK's keytool, independently of the hub's own generator),
 * and an HTTPS client that trusts exactly one certificate, with hostname verification on.
 */
final class TestCertificates {
    static final String ALIAS = "operator";

    private TestCertificates() {
    }

    /** A keystore with one key entry, its certificate issued for localhost and 127.0.0.1. */
    static Path keystore(Path dir, String fileName, String storeType, String keyAlg, String password) {
        Path file = dir.resolve(fileName);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-noprompt", "-alias", ALIAS, "-keyalg", keyAlg,
                "-validity", "30", "-dname", "CN=operator test certificate",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-keystore", file.toString(), "-storetype", storeType,
                "-storepass", password, "-keypass", password));
        if (keyAlg.equals("RSA")) {
            command.addAll(List.of("-keysize", "2048"));
        }
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new AssertionError("keytool failed: " + output);
            }
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("cannot run keytool", e);
        }
        return file;
    }

    /** The key and certificate of {@link #keystore} as the two PEM files certbot or openssl would give. */
    static PemPair pem(Path dir, String keyAlg) {
        try {
            Path store = keystore(dir, "for-pem.p12", "PKCS12", keyAlg, "changeit");
            KeyStore ks = KeyStore.getInstance(store.toFile(), "changeit".toCharArray());
            PrivateKey key = (PrivateKey) ks.getKey(ALIAS, "changeit".toCharArray());
            X509Certificate cert = (X509Certificate) ks.getCertificate(ALIAS);
            Path certFile = dir.resolve("fullchain.pem");
            Path keyFile = dir.resolve("privkey.pem");
            PemFiles.writeCertificate(certFile, cert);
            PemFiles.writePrivateKey(keyFile, key);
            Files.delete(store);
            return new PemPair(certFile, keyFile, cert);
        } catch (Exception e) {
            throw new AssertionError("cannot make PEM test material", e);
        }
    }

    record PemPair(Path certificate, Path privateKey, X509Certificate cert) {
    }

    static X509Certificate readCertificate(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (Exception e) {
            throw new AssertionError("cannot read " + pem, e);
        }
    }

    /** A client that trusts only {@code trusted}; the JDK client verifies the host name against its SANs. */
    static HttpClient trusting(X509Certificate trusted) {
        return HttpClient.newBuilder().sslContext(context(trusted)).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    private static SSLContext context(X509Certificate trusted) {
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("hub", trusted);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /**
     * A TLS handshake with the listener on 127.0.0.1:{@code port} that checks the certificate against
     * {@code peerName}, as a client that reached the hub under that name would.
     */
    static void handshake(X509Certificate trusted, int port, String peerName) throws IOException {
        SSLContext context = context(trusted);
        try (Socket plain = new Socket("127.0.0.1", port);
             SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, peerName, port, true)) {
            SSLParameters parameters = tls.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            tls.setSSLParameters(parameters);
            tls.startHandshake();
        }
    }

    static HttpResponse<String> get(HttpClient client, String url, String bearer) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static boolean listening(int port) {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
