package io.aigne.hub.web.session;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.aigne.hub.auth.User;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Browser sign-in sessions, kept in memory (Caffeine) for now: a restart signs everyone out, and several hub nodes
 * would each need their own sign-in. Enough for approving CLI connections; a persistent store belongs with the
 * web console. Each session has a random 256-bit id (the cookie) and a separate random CSRF token; both expire
 * {@code ttl} after sign-in.
 */
public final class WebSessions {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Clock clock;
    private final Duration ttl;
    private final Cache<String, WebSession> sessions;

    public WebSessions(Duration ttl, Clock clock) {
        this.ttl = ttl;
        this.clock = clock;
        this.sessions = Caffeine.newBuilder()
                .maximumSize(100_000)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .expireAfterWrite(ttl)
                .build();
    }

    public Duration ttl() {
        return ttl;
    }

    /** A new session for {@code user}; sign-in always makes a new id, so an id planted beforehand is worthless. */
    public WebSession signIn(User user) {
        WebSession session = new WebSession(randomToken(), user.id(), user.name(), randomToken(),
                clock.millis() + ttl.toMillis());
        sessions.put(session.id(), session);
        return session;
    }

    public Optional<WebSession> find(String id) {
        if (id == null || id.isEmpty() || id.length() > 100) {
            return Optional.empty();
        }
        WebSession s = sessions.getIfPresent(id);
        return s == null || clock.millis() >= s.expiresAt() ? Optional.empty() : Optional.of(s);
    }

    public void signOut(String id) {
        if (id != null) {
            sessions.invalidate(id);
        }
    }

    /** Ends every session of a user, e.g. after a password change. */
    public void signOutUser(String userId) {
        sessions.asMap().values().removeIf(s -> s.userId().equals(userId));
    }

    /** Whether a posted form token is this session's, compared in constant time. */
    public static boolean csrfMatches(WebSession session, String presented) {
        return presented != null && MessageDigest.isEqual(session.csrfToken().getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8));
    }

    private static String randomToken() {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }
}
