package io.aigne.hub.web.connect;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * The CLI connect sessions, in memory: a session only lives for the minutes between {@code aigne hub connect}
 * and the browser approval, so a restart merely makes the user run the command again. (Several hub nodes behind
 * one address would need a shared store; the CLI polls whichever node it reaches.)
 *
 * <p>A session id is 128 random bits: whoever holds it can collect the approved key, so it is a secret of the
 * CLI (and of the approval URL it opens). Every session ends {@code ttl} after its creation, whatever its state.
 */
public final class ConnectSessions {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MAX_SESSIONS = 10_000;

    private final Clock clock;
    private final Duration ttl;
    private final Cache<String, ConnectSession> sessions;

    public ConnectSessions(Duration ttl, Clock clock) {
        this.ttl = ttl;
        this.clock = clock;
        this.sessions = Caffeine.newBuilder()
                .maximumSize(MAX_SESSIONS)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .expireAfter(Expiry.<String, ConnectSession>writing((id, s) ->
                        Duration.ofMillis(Math.max(0, s.expiresAt() - clock.millis()))))
                .build();
    }

    Duration ttl() {
        return ttl;
    }

    ConnectSession create() {
        byte[] random = new byte[16];
        RANDOM.nextBytes(random);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        long now = clock.millis();
        ConnectSession session = ConnectSession.pending(id, now, now + ttl.toMillis());
        sessions.put(id, session);
        return session;
    }

    /** The live session with this id; empty when it never existed, has expired or was deleted. */
    Optional<ConnectSession> find(String id) {
        if (id == null || id.isEmpty()) {
            return Optional.empty();
        }
        ConnectSession s = sessions.getIfPresent(id);
        return s == null || s.expired(clock.millis()) ? Optional.empty() : Optional.of(s);
    }

    /**
     * Moves a pending session to its next state, atomically, so that it is approved or declined at most once;
     * the answer is the session as it is afterwards, or empty when it was not (or no longer) pending.
     */
    Optional<ConnectSession> settle(String id, UnaryOperator<ConnectSession> change) {
        ConnectSession[] settled = new ConnectSession[1];
        sessions.asMap().computeIfPresent(id, (key, s) -> {
            if (s.state() != ConnectSession.State.PENDING || s.expired(clock.millis())) {
                return s;
            }
            settled[0] = change.apply(s);
            return settled[0];
        });
        return Optional.ofNullable(settled[0]);
    }

    boolean delete(String id) {
        return id != null && sessions.asMap().remove(id) != null;
    }
}
