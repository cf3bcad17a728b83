package io.aigne.hub.server.tls;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The key and certificate chain the HTTPS listener presents, with where they came from so the operator can be
 * told what to trust. {@code file} is the PEM certificate, or the keystore, the chain was read from.
 */
public record ServerCertificate(PrivateKey key, List<X509Certificate> chain, Path file, boolean selfSigned) {
    public ServerCertificate {
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a certificate chain needs at least the server certificate");
        }
        chain = List.copyOf(chain);
    }

    public X509Certificate leaf() {
        return chain.getFirst();
    }

    /** The SHA-256 fingerprint of the server certificate, as browsers, openssl and keytool show it (AB:CD:…). */
    public String sha256Fingerprint() {
        return fingerprint(leaf());
    }

    public Instant notAfter() {
        return leaf().getNotAfter().toInstant();
    }

    public static String fingerprint(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").formatHex(digest).toUpperCase(Locale.ROOT);
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot fingerprint the certificate", e);
        }
    }

    @Override
    public String toString() {
        return "ServerCertificate[subject=" + leaf().getSubjectX500Principal().getName() + ", sha256="
                + sha256Fingerprint() + ", file=" + file + ", selfSigned=" + selfSigned + "]";
    }
}
