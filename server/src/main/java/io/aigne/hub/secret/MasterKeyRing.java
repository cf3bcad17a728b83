package io.aigne.hub.secret;

import io.aigne.hub.config.ConfigException;
import io.aigne.hub.config.HubConfig.SecurityConfig;

import javax.crypto.KDF;
import javax.crypto.SecretKey;
import javax.crypto.spec.HKDFParameterSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The versioned master keys. Credential ciphertexts carry the version of the key that sealed them, so a rotation
 * adds a version, re-seals every row under it, then drops the old one.
 *
 * <p>Keys come from the configuration ({@code security.masterKey}, written {@code [version:]base64}) or, when none is
 * configured, from {@code <dataDir>/master.key}, which is generated on first start with owner-only permissions.
 * The raw master key is never used directly: each purpose gets its own HKDF-derived subkey.
 */
public final class MasterKeyRing {
    public static final String KEY_FILE = "master.key";
    private static final SecureRandom RANDOM = new SecureRandom();

    private volatile TreeMap<Integer, byte[]> keys;
    private final Path keyFile;

    private MasterKeyRing(TreeMap<Integer, byte[]> keys, Path keyFile) {
        if (keys.isEmpty()) {
            throw new ConfigException("no master key available");
        }
        this.keys = keys;
        this.keyFile = keyFile;
    }

    public static MasterKeyRing load(SecurityConfig config, Path dataDir) {
        if (config.masterKey() != null && !config.masterKey().isBlank()) {
            TreeMap<Integer, byte[]> keys = new TreeMap<>();
            for (String entry : config.previousMasterKeys()) {
                put(keys, entry, "security.previousMasterKeys");
            }
            Map.Entry<Integer, byte[]> current = parse(config.masterKey(), "security.masterKey");
            if (keys.containsKey(current.getKey()) || (!keys.isEmpty() && keys.lastKey() > current.getKey())) {
                throw new ConfigException("security.masterKey must have the highest version of all master keys");
            }
            keys.put(current.getKey(), current.getValue());
            return new MasterKeyRing(keys, null);
        }
        Path file = dataDir.resolve(KEY_FILE);
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(dataDir);
                TreeMap<Integer, byte[]> keys = new TreeMap<>();
                keys.put(1, newKey());
                write(file, keys);
                return new MasterKeyRing(keys, file);
            }
            TreeMap<Integer, byte[]> keys = new TreeMap<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    put(keys, line.trim(), file.toString());
                }
            }
            return new MasterKeyRing(keys, file);
        } catch (IOException e) {
            throw new ConfigException("cannot read or create the master key file " + file + ": " + e.getMessage());
        }
    }

    /** A ring holding exactly the given keys; for tests and for tools that bring their own key. */
    public static MasterKeyRing of(Map<Integer, byte[]> keys) {
        return new MasterKeyRing(new TreeMap<>(keys), null);
    }

    public static byte[] newKey() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return key;
    }

    public int currentVersion() {
        return keys.lastKey();
    }

    public List<Integer> versions() {
        return Collections.unmodifiableList(new ArrayList<>(keys.keySet()));
    }

    public boolean fileManaged() {
        return keyFile != null;
    }

    /** The AES key for a purpose (such as credential sealing) under one master key version. */
    SecretKey subkey(int version, String purpose) {
        byte[] master = keys.get(version);
        if (master == null && keyFile != null && Files.isRegularFile(keyFile)) {
            // Another process (the rotate-master-key command) may have added a version since this ring was read.
            keys = load(new SecurityConfig("", List.of(), 0), keyFile.getParent()).keys;
            master = keys.get(version);
        }
        if (master == null) {
            throw new SecretException("no master key of version " + version + " is configured; add it to "
                    + "security.previousMasterKeys to read data sealed under it");
        }
        try {
            KDF hkdf = KDF.getInstance("HKDF-SHA256");
            return hkdf.deriveKey("AES", HKDFParameterSpec.ofExtract()
                    .addIKM(master)
                    .addSalt("aigne-hub".getBytes(StandardCharsets.UTF_8))
                    .thenExpand(purpose.getBytes(StandardCharsets.UTF_8), 32));
        } catch (GeneralSecurityException e) {
            throw new SecretException("HKDF-SHA256 unavailable in this JDK", e);
        }
    }

    /** Adds a new current version (file-managed rings also persist it) and returns the new ring. */
    public MasterKeyRing withNewVersion(byte[] key) {
        TreeMap<Integer, byte[]> next = new TreeMap<>(keys);
        next.put(keys.lastKey() + 1, key.clone());
        if (keyFile != null) {
            write(keyFile, next);
        }
        return new MasterKeyRing(next, keyFile);
    }

    /** Drops every version but the current one (after all data has been re-sealed). */
    public MasterKeyRing withoutOldVersions() {
        TreeMap<Integer, byte[]> next = new TreeMap<>();
        next.put(keys.lastKey(), keys.lastEntry().getValue());
        if (keyFile != null) {
            write(keyFile, next);
        }
        return new MasterKeyRing(next, keyFile);
    }

    public static String format(int version, byte[] key) {
        return version + ":" + Base64.getEncoder().encodeToString(key);
    }

    private static void put(TreeMap<Integer, byte[]> keys, String text, String where) {
        Map.Entry<Integer, byte[]> entry = parse(text, where);
        if (keys.put(entry.getKey(), entry.getValue()) != null) {
            throw new ConfigException(where + " has two master keys of version " + entry.getKey());
        }
    }

    private static Map.Entry<Integer, byte[]> parse(String text, String where) {
        String value = text.trim();
        int version = 1;
        int colon = value.indexOf(':');
        if (colon > 0) {
            try {
                version = Integer.parseInt(value.substring(0, colon));
            } catch (NumberFormatException e) {
                throw new ConfigException(where + ": the master key version before ':' must be a number");
            }
            value = value.substring(colon + 1);
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where + ": the master key must be base64 of 32 random bytes "
                    + "(generate one with: openssl rand -base64 32)");
        }
        if (key.length != 32) {
            throw new ConfigException(where + ": the master key must be 32 bytes, got " + key.length
                    + " (generate one with: openssl rand -base64 32)");
        }
        if (version < 1) {
            throw new ConfigException(where + ": master key versions start at 1");
        }
        return Map.entry(version, key);
    }

    private static void write(Path file, TreeMap<Integer, byte[]> keys) {
        StringBuilder sb = new StringBuilder("# AIGNE Hub master keys (version:base64). Keep this file secret and backed up:\n"
                + "# without it the provider credentials in the database cannot be decrypted.\n");
        keys.forEach((v, k) -> sb.append(format(v, k)).append('\n'));
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            try {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(tmp);
            }
            Files.writeString(tmp, sb.toString(), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new ConfigException("cannot write the master key file " + file + ": " + e.getMessage());
        }
    }
}
