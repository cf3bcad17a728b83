package io.aigne.hub.web.session;

import io.aigne.hub.auth.Role;
import io.aigne.hub.auth.User;
import io.aigne.hub.auth.UserStore;
import io.aigne.hub.testing.DatabaseContract;
import io.aigne.hub.testing.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Browser sessions kept in the database, on every database the hub supports. */
class WebSessionsTest {
    @DatabaseContract.SqliteVariant
    class Sqlite extends Contract {
    }

    @DatabaseContract.PostgresVariant
    class Postgres extends Contract {
    }

    abstract static class Contract extends DatabaseContract {
        private static final Duration TTL = Duration.ofHours(12);
        private final MutableClock clock = new MutableClock(Instant.parse("2025-06-01T10:00:00Z"));
        private User ada;
        private User bob;

        Contract() {
            super("web_sessions", "users");
        }

        @BeforeEach
        void users() {
            UserStore users = new UserStore(db.jdbi());
            ada = users.create("ada", null, null, Role.ADMIN);
            bob = users.create("bob", null, null, Role.MEMBER);
        }

        private WebSessions sessions() {
            return new WebSessions(db.jdbi(), TTL, clock);
        }

        @Test
        void aSessionSurvivesANewInstanceAsAfterARestart() {
            WebSession session = sessions().signIn(ada);

            WebSession found = sessions().find(session.id()).orElseThrow();

            assertThat(found.userId()).isEqualTo(ada.id());
            assertThat(found.userName()).isEqualTo("ada");
            assertThat(found.csrfToken()).isEqualTo(session.csrfToken());
            assertThat(found.expiresAt()).isEqualTo(clock.millis() + TTL.toMillis());
            assertThat(sessions().find("not-a-session")).isEmpty();
        }

        @Test
        void onlyTheHashOfTheSessionIdIsStored() {
            WebSession session = sessions().signIn(ada);

            List<String> stored = db.jdbi().withHandle(h -> h.createQuery("SELECT id_hash FROM web_sessions")
                    .mapTo(String.class).list());

            assertThat(stored).containsExactly(WebSessions.hash(session.id())).doesNotContain(session.id());
            String everything = db.jdbi().withHandle(h -> h.createQuery(
                            "SELECT id_hash || user_id || csrf_token FROM web_sessions").mapTo(String.class).one());
            assertThat(everything).doesNotContain(session.id());
        }

        @Test
        void aSessionExpiresAfterItsTtlAndIsSweptAway() {
            WebSessions sessions = sessions();
            WebSession session = sessions.signIn(ada);
            clock.advance(TTL.minusSeconds(1));
            assertThat(sessions.find(session.id())).isPresent();

            clock.advance(Duration.ofSeconds(1));

            assertThat(sessions.find(session.id())).isEmpty();
            assertThat(sessions().find(session.id())).isEmpty();
            assertThat(sessions.sweepExpired()).isEqualTo(1);
            assertThat(count()).isZero();
        }

        @Test
        void signOutEndsTheSessionEverywhere() {
            WebSessions node1 = sessions();
            WebSessions node2 = sessions();
            WebSession session = node1.signIn(ada);
            WebSession other = node1.signIn(ada);

            node1.signOut(session.id());

            assertThat(node1.find(session.id())).isEmpty();
            assertThat(node2.find(session.id())).isEmpty();
            assertThat(node2.find(other.id())).isPresent();
        }

        @Test
        void signOutUserDeletesAllOfTheUsersSessionsOnly() {
            WebSessions sessions = sessions();
            WebSession a1 = sessions.signIn(ada);
            WebSession a2 = sessions.signIn(ada);
            WebSession b = sessions.signIn(bob);

            sessions.signOutUser(ada.id());

            assertThat(sessions.find(a1.id())).isEmpty();
            assertThat(sessions.find(a2.id())).isEmpty();
            assertThat(sessions.find(b.id())).isPresent();
            assertThat(count()).isEqualTo(1);
        }

        @Test
        void aSignOutOnAnotherNodeReachesThisOneWithinTheCacheTime() {
            WebSessions node1 = sessions();
            WebSessions node2 = sessions();
            WebSession session = node1.signIn(ada);
            assertThat(node2.find(session.id())).isPresent();

            node1.signOut(session.id());
            clock.advance(WebSessions.CACHE_FOR);

            assertThat(node2.find(session.id())).isEmpty();
        }

        private long count() {
            return db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM web_sessions")
                    .mapTo(Long.class).one());
        }
    }
}
