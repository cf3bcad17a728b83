package io.aigne.hub.web.session;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.aigne.hub.auth.User;
import org.jdbi.v3.core.Jdbi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Browser sign-in sessions, kept in the database ({@code web_sessions}) so that a restart does not sign anyone out
 * and several hub nodes behind one address share them. Each session has a random 256-bit id (the cookie) and a
 * separate random CSRF token; both expire {@code ttl} after sign-in.
 *
 * <p>Only the SHA-256 of the id is stored: a copy of the database does not let anyone act as a signed-in user.
 * Sessions found are remembered in memory for {@link #CACHE_FOR} so that a page load and the API calls it makes do
 * not each read the database; the price is that a sign-out on another node takes up to that long to reach this
 * one (a sign-out on this node takes effect at once).
 */
public final class WebSessions {
    /** How long a session read from the database is trusted without reading it again. */
    public static final Duration CACHE_FOR = Duration.ofSeconds(5);
    /** {@code last_seen_at} is written at most this often per session, not on every request. */
    private static final long SEEN_EVERY_MILLIS = Duration.ofMinutes(1).toMillis();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Jdbi jdbi;
    private final Clock clock;
    private final Duration ttl;
    /** By id hash; a cached entry may be stale for at most {@link #CACHE_FOR}. */
    private final Cache<String, Cached> recent;

    private record Cached(WebSession session, long lastSeenAt) {
    }

    public WebSessions(Jdbi jdbi, Duration ttl, Clock clock) {
        this.jdbi = jdbi;
        this.ttl = ttl;
        this.clock = clock;
        this.recent = Caffeine.newBuilder()
                .maximumSize(10_000)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .expireAfterWrite(CACHE_FOR)
                .build();
    }

    public Duration ttl() {
        return ttl;
    }

    /** A new session for {@code user}; sign-in always makes a new id, so an id planted beforehand is worthless. */
    public WebSession signIn(User user) {
        long now = clock.millis();
        WebSession session = new WebSession(randomToken(), user.id(), user.name(), randomToken(),
                now + ttl.toMillis());
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO web_sessions (id_hash, user_id, csrf_token, created_at, expires_at, last_seen_at)
                        VALUES (:hash, :user, :csrf, :now, :expires, :now)""")
                .bind("hash", hash(session.id())).bind("user", user.id()).bind("csrf", session.csrfToken())
                .bind("now", now).bind("expires", session.expiresAt())
                .execute());
        recent.put(hash(session.id()), new Cached(session, now));
        return session;
    }

    public Optional<WebSession> find(String id) {
        if (id == null || id.isEmpty() || id.length() > 100) {
            return Optional.empty();
        }
        String hash = hash(id);
        long now = clock.millis();
        Cached cached = recent.getIfPresent(hash);
        if (cached == null) {
            cached = load(id, hash);
            if (cached == null) {
                return Optional.empty();
            }
            recent.put(hash, cached);
        }
        if (now >= cached.session().expiresAt()) {
            return Optional.empty();
        }
        if (now - cached.lastSeenAt() >= SEEN_EVERY_MILLIS) {
            jdbi.useHandle(h -> h.createUpdate("UPDATE web_sessions SET last_seen_at = :now WHERE id_hash = :hash")
                    .bind("now", now).bind("hash", hash).execute());
            recent.put(hash, new Cached(cached.session(), now));
        }
        return Optional.of(cached.session());
    }

    public void signOut(String id) {
        if (id == null || id.isEmpty() || id.length() > 100) {
            return;
        }
        String hash = hash(id);
        recent.invalidate(hash);
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM web_sessions WHERE id_hash = :hash")
                .bind("hash", hash).execute());
    }

    /** Ends every session of a user, e.g. after a password change. */
    public void signOutUser(String userId) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM web_sessions WHERE user_id = :user")
                .bind("user", userId).execute());
        recent.asMap().values().removeIf(c -> c.session().userId().equals(userId));
    }

    /** Deletes the sessions that have expired; run periodically. Returns how many. */
    public int sweepExpired() {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM web_sessions WHERE expires_at <= :now")
                .bind("now", clock.millis()).execute());
    }

    /** Whether a posted form token is this session's, compared in constant time. */
    public static boolean csrfMatches(WebSession session, String presented) {
        return presented != null && MessageDigest.isEqual(session.csrfToken().getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8));
    }

    /** What the database keeps of a session id: its SHA-256, base64url. */
    static String hash(String id) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private Cached load(String id, String hash) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT s.user_id, u.name, s.csrf_token, s.expires_at, s.last_seen_at
                        FROM web_sessions s JOIN users u ON u.id = s.user_id
                        WHERE s.id_hash = :hash""")
                .bind("hash", hash)
                .map((rs, ctx) -> new Cached(new WebSession(id, rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getLong(4)), rs.getLong(5)))
                .findOne().orElse(null));
    }

    private static String randomToken() {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }
}
