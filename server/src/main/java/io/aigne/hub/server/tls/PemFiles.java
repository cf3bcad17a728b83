package io.aigne.hub.server.tls;

import io.helidon.common.configurable.Resource;
import io.helidon.common.pki.Keys;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;

/** Reads and writes the PEM files operators get from certbot, openssl or a CA. */
final class PemFiles {
    private static final Base64.Encoder PEM_BASE64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));

    private PemFiles() {
    }

    /** Every certificate in the file, in file order (server certificate first, as full-chain files are). */
    static List<X509Certificate> readCertificates(Path file) throws IOException, CertificateException {
        byte[] bytes = Files.readAllBytes(file);
        List<X509Certificate> chain = CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(bytes)).stream()
                .map(X509Certificate.class::cast)
                .toList();
        if (chain.isEmpty()) {
            throw new CertificateException("no certificate found");
        }
        return chain;
    }

    /** An unencrypted PKCS#8 or PKCS#1 (RSA) private key; Helidon's reader knows both layouts. */
    static PrivateKey readPrivateKey(Path file) {
        return Keys.builder()
                .pem(pem -> pem.key(Resource.create(file)))
                .build()
                .privateKey()
                .orElseThrow(() -> new IllegalArgumentException("no private key found"));
    }

    static void writeCertificate(Path file, X509Certificate certificate) throws IOException {
        try {
            write(file, "CERTIFICATE", certificate.getEncoded(), false);
        } catch (CertificateEncodingException e) {
            throw new IOException("cannot encode the certificate", e);
        }
    }

    /** Written owner-only where the file system allows, like the master key file. */
    static void writePrivateKey(Path file, PrivateKey key) throws IOException {
        write(file, "PRIVATE KEY", key.getEncoded(), true);
    }

    private static void write(Path file, String label, byte[] der, boolean secret) throws IOException {
        String pem = "-----BEGIN " + label + "-----\n" + PEM_BASE64.encodeToString(der) + "\n-----END " + label
                + "-----\n";
        Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
        try {
            // Temp files start owner-only; a certificate is public, and other local users may need to trust it.
            setPermissions(tmp, secret ? "rw-------" : "rw-r--r--");
            Files.writeString(tmp, pem, StandardCharsets.US_ASCII);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void setPermissions(Path file, String permissions) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the file inherits the data directory's ACL
        }
    }
}
