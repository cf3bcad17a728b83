package io.aigne.hub.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.aigne.hub.store.Ids;
import org.jdbi.v3.core.Jdbi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Issues, verifies and revokes access keys. A key is {@value #PREFIX} followed by 256 random bits in base64url
 * (no '.', which the AIGNE clients reject). Only its SHA-256 is stored: the keys are high-entropy, so a slow KDF
 * would add nothing but a per-request CPU cost. Verified keys are cached briefly; revocation evicts at once on
 * this node and within the cache lifetime on others. Last-used times are collected in memory and written in
 * batches, never on the request path.
 */
public final class AccessKeys {
    public static final String PREFIX = "blocklet-";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Optional<Principal> UNKNOWN = Optional.empty();

    private final Jdbi jdbi;
    private final Cache<String, Optional<Principal>> byHash;
    private final ConcurrentHashMap<String, Long> lastUsed = new ConcurrentHashMap<>();

    public AccessKeys(Jdbi jdbi, Duration cacheLifetime) {
        this.jdbi = jdbi;
        this.byHash = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(cacheLifetime).build();
    }

    public IssuedKey issue(String userId, String name, String app) {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        long now = System.currentTimeMillis();
        AccessKey key = new AccessKey(Ids.next(), userId, secret.substring(0, PREFIX.length() + 4) + "…",
                name, app, now, null, null);
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO access_keys (id, user_id, key_hash, key_hint, name, app, created_at)
                        VALUES (:id, :userId, :hash, :hint, :name, :app, :now)""")
                .bind("id", key.id()).bind("userId", userId).bind("hash", hash(secret)).bind("hint", key.hint())
                .bind("name", name).bind("app", app).bind("now", now)
                .execute());
        return new IssuedKey(key, secret);
    }

    /** The principal behind a presented key, or empty when the key is unknown, revoked or its user disabled. */
    public Optional<Principal> authenticate(String presented) {
        if (presented == null || presented.isEmpty() || presented.length() > 512) {
            return UNKNOWN;
        }
        String hash = hash(presented);
        Optional<Principal> principal = byHash.get(hash, this::load);
        principal.ifPresent(p -> lastUsed.put(p.accessKeyId(), System.currentTimeMillis()));
        return principal;
    }

    private Optional<Principal> load(String hash) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT k.id AS key_id, k.app, u.id AS user_id, u.name, u.role
                        FROM access_keys k JOIN users u ON u.id = k.user_id
                        WHERE k.key_hash = :hash AND k.revoked_at IS NULL AND u.disabled = 0""")
                .bind("hash", hash)
                .map((rs, ctx) -> new Principal(rs.getString("user_id"), rs.getString("name"),
                        Role.parse(rs.getString("role")), rs.getString("key_id"), rs.getString("app")))
                .findOne());
    }

    public List<AccessKey> listForUser(String userId) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT * FROM access_keys WHERE user_id = :userId ORDER BY created_at")
                .bind("userId", userId).map((rs, ctx) -> map(rs)).list());
    }

    public Optional<AccessKey> byId(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM access_keys WHERE id = :id")
                .bind("id", id).map((rs, ctx) -> map(rs)).findOne());
    }

    public boolean revoke(String id) {
        boolean changed = jdbi.withHandle(h -> h.createUpdate(
                        "UPDATE access_keys SET revoked_at = :now WHERE id = :id AND revoked_at IS NULL")
                .bind("id", id).bind("now", System.currentTimeMillis()).execute()) > 0;
        forgetCached();
        return changed;
    }

    /**
     * Drops every cached verification, e.g. after a key is revoked or a user disabled or given another role. Inside
     * a transaction the cache is dropped again once it commits: a request verified in between would otherwise
     * cache the state from before the change for the whole cache lifetime.
     */
    public void forgetCached() {
        byHash.invalidateAll();
        jdbi.useHandle(h -> {
            if (h.isInTransaction()) {
                h.afterCommit(byHash::invalidateAll);
            }
        });
    }

    /** Writes the collected last-used times; called by a background task. */
    public void flushLastUsed() {
        if (lastUsed.isEmpty()) {
            return;
        }
        Map<String, Long> batch = new HashMap<>();
        for (var it = lastUsed.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            batch.put(e.getKey(), e.getValue());
            it.remove();
        }
        jdbi.useHandle(h -> {
            var stmt = h.prepareBatch("UPDATE access_keys SET last_used_at = :t WHERE id = :id");
            batch.forEach((id, t) -> stmt.bind("id", id).bind("t", t).add());
            stmt.execute();
        });
    }

    static String hash(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static AccessKey map(ResultSet rs) throws SQLException {
        long lastUsedAt = rs.getLong("last_used_at");
        Long lastUsedValue = rs.wasNull() ? null : lastUsedAt;
        long revokedAt = rs.getLong("revoked_at");
        Long revokedValue = rs.wasNull() ? null : revokedAt;
        return new AccessKey(rs.getString("id"), rs.getString("user_id"), rs.getString("key_hint"),
                rs.getString("name"), rs.getString("app"), rs.getLong("created_at"), lastUsedValue, revokedValue);
    }
}
