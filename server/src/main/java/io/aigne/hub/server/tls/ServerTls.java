package io.aigne.hub.server.tls;

import io.aigne.hub.config.ConfigException;
import io.aigne.hub.config.HubConfig.ServerConfig;
import io.aigne.hub.config.HubConfig.TlsConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Turns the {@code server.tls} settings into the certificate the HTTPS listener presents, checking them first so
 * that a mistake stops the hub at startup with a sentence naming the setting, not at the first TLS handshake.
 */
public final class ServerTls {
    private ServerTls() {
    }

    /** The certificate to serve, or empty when HTTPS is off. */
    public static Optional<ServerCertificate> load(ServerConfig server, Path dataDir) {
        TlsConfig tls = server.tls();
        validateListeners(server);
        if (!tls.enabled()) {
            return Optional.empty();
        }
        List<String> sources = new ArrayList<>();
        if (tls.selfSigned()) {
            sources.add("server.tls.selfSigned");
        }
        if (!tls.certificate().isEmpty() || !tls.privateKey().isEmpty()) {
            sources.add("server.tls.certificate/privateKey");
        }
        if (!tls.keystore().isEmpty()) {
            sources.add("server.tls.keystore");
        }
        if (sources.isEmpty()) {
            throw new ConfigException("server.tls.enabled is true but no certificate is configured: set "
                    + "server.tls.certificate and server.tls.privateKey (PEM files), or server.tls.keystore, "
                    + "or server.tls.selfSigned: true for a generated local certificate");
        }
        if (sources.size() > 1) {
            throw new ConfigException("server.tls: choose one certificate source, not " + String.join(" and ", sources));
        }
        if (tls.selfSigned()) {
            return Optional.of(SelfSignedCertificate.loadOrCreate(dataDir, server.host()));
        }
        return Optional.of(tls.keystore().isEmpty() ? fromPem(tls) : fromKeystore(tls));
    }

    private static void validateListeners(ServerConfig server) {
        TlsConfig tls = server.tls();
        if (!tls.httpEnabled() && !tls.enabled()) {
            throw new ConfigException("server.tls.httpEnabled is false while server.tls.enabled is false: the hub "
                    + "would listen nowhere; enable HTTPS or set server.tls.httpEnabled: true");
        }
        if (!tls.enabled()) {
            return;
        }
        if (tls.port() < 0 || tls.port() > 65535) {
            throw new ConfigException("server.tls.port must be between 0 and 65535 (0: any free port), got "
                    + tls.port());
        }
        if (tls.httpEnabled() && tls.port() != 0 && tls.port() == server.port()) {
            throw new ConfigException("server.tls.port and server.port are both " + tls.port()
                    + "; HTTPS needs its own port (or set server.tls.httpEnabled: false)");
        }
    }

    private static ServerCertificate fromPem(TlsConfig tls) {
        if (tls.certificate().isEmpty()) {
            throw new ConfigException("server.tls.privateKey is set but server.tls.certificate is not: give the "
                    + "PEM certificate chain file too");
        }
        if (tls.privateKey().isEmpty()) {
            throw new ConfigException("server.tls.certificate is set but server.tls.privateKey is not: give the "
                    + "PEM private key file too");
        }
        Path certFile = readable("server.tls.certificate", tls.certificate());
        Path keyFile = readable("server.tls.privateKey", tls.privateKey());
        List<X509Certificate> chain;
        try {
            chain = PemFiles.readCertificates(certFile);
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException("server.tls.certificate: " + certFile + " is not a PEM certificate chain ("
                    + e.getMessage() + ")");
        }
        PrivateKey key;
        try {
            key = PemFiles.readPrivateKey(keyFile);
        } catch (RuntimeException e) {
            throw new ConfigException("server.tls.privateKey: cannot read a private key from " + keyFile + " ("
                    + e.getMessage() + "); an unencrypted PKCS#8 (BEGIN PRIVATE KEY) or RSA (BEGIN RSA PRIVATE "
                    + "KEY) PEM file is expected; convert others with: openssl pkcs8 -topk8 -nocrypt -in <key>");
        }
        if (!belongTogether(key, chain.getFirst().getPublicKey())) {
            throw new ConfigException("server.tls.privateKey " + keyFile + " does not belong to the first "
                    + "certificate in server.tls.certificate " + certFile);
        }
        return new ServerCertificate(key, chain, certFile, false);
    }

    private static ServerCertificate fromKeystore(TlsConfig tls) {
        Path file = readable("server.tls.keystore", tls.keystore());
        char[] password = tls.keystorePassword().toCharArray();
        KeyStore store;
        try {
            if (tls.keystoreType().isEmpty()) {
                store = KeyStore.getInstance(file.toFile(), password);
            } else {
                store = KeyStore.getInstance(tls.keystoreType());
                try (var in = Files.newInputStream(file)) {
                    store.load(in, password);
                }
            }
        } catch (KeyStoreException e) {
            throw new ConfigException(tls.keystoreType().isEmpty()
                    ? "server.tls.keystore: " + file + " is not a PKCS#12 or JKS keystore"
                    : "server.tls.keystoreType '" + tls.keystoreType() + "' is not a keystore type this JDK "
                    + "knows (use PKCS12 or JKS, or leave it empty to detect it)");
        } catch (IOException | GeneralSecurityException e) {
            // A wrong password surfaces as an IOException whose cause is an UnrecoverableKeyException.
            throw new ConfigException("server.tls.keystore: cannot open " + file + " (" + e.getMessage()
                    + "); check server.tls.keystorePassword and server.tls.keystoreType");
        }
        try {
            String alias = keyAlias(store, tls.keystoreAlias(), file);
            PrivateKey key = (PrivateKey) store.getKey(alias, password);
            Certificate[] certs = store.getCertificateChain(alias);
            if (certs == null || certs.length == 0) {
                throw new ConfigException("server.tls.keystore: the key '" + alias + "' in " + file
                        + " has no certificate chain");
            }
            List<X509Certificate> chain = Arrays.stream(certs).map(X509Certificate.class::cast).toList();
            return new ServerCertificate(key, chain, file, false);
        } catch (GeneralSecurityException e) {
            throw new ConfigException("server.tls.keystorePassword does not unlock the key in " + file + " ("
                    + e.getMessage() + "); the key must have the keystore's password");
        }
    }

    private static String keyAlias(KeyStore store, String wanted, Path file) throws KeyStoreException {
        List<String> keyAliases = new ArrayList<>();
        for (String alias : Collections.list(store.aliases())) {
            if (store.isKeyEntry(alias)) {
                keyAliases.add(alias);
            }
        }
        if (!wanted.isEmpty()) {
            if (!keyAliases.contains(wanted)) {
                throw new ConfigException("server.tls.keystoreAlias '" + wanted + "' is not a key entry in " + file
                        + "; key entries: " + keyAliases);
            }
            return wanted;
        }
        if (keyAliases.size() != 1) {
            throw new ConfigException("server.tls.keystore " + file + " has " + keyAliases.size()
                    + " key entries " + keyAliases + "; set server.tls.keystoreAlias to the one to serve");
        }
        return keyAliases.getFirst();
    }

    private static Path readable(String setting, String value) {
        Path path = Path.of(value);
        if (!Files.isRegularFile(path)) {
            throw new ConfigException(setting + ": the file " + path.toAbsolutePath() + " does not exist");
        }
        if (!Files.isReadable(path)) {
            throw new ConfigException(setting + ": the file " + path.toAbsolutePath() + " is not readable by the hub");
        }
        return path;
    }

    /** Signs a probe with the key and verifies it with the certificate's public key. */
    private static boolean belongTogether(PrivateKey key, PublicKey certificateKey) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (algorithm == null) {
            return true;
        }
        try {
            byte[] probe = "aigne-hub".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificateKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
