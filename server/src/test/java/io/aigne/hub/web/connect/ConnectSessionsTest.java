package io.aigne.hub.web.connect;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectSessionsTest {
    private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(now.get());
        }
    };
    private final ConnectSessions sessions = new ConnectSessions(Duration.ofMinutes(30), clock);

    @Test
    void aNewSessionIsPendingWithAnUnguessableIdAndEndsAfterTheTtl() {
        ConnectSession s = sessions.create();

        assertThat(s.id()).matches("[A-Za-z0-9_-]{22}");
        assertThat(s.state()).isEqualTo(ConnectSession.State.PENDING);
        assertThat(s.expiresAt() - s.createdAt()).isEqualTo(Duration.ofMinutes(30).toMillis());
        assertThat(sessions.create().id()).isNotEqualTo(s.id());

        now.addAndGet(Duration.ofMinutes(29).toMillis());
        assertThat(sessions.find(s.id())).isPresent();
        now.addAndGet(Duration.ofMinutes(1).toMillis());
        assertThat(sessions.find(s.id())).isEmpty();
    }

    @Test
    void aSessionIsApprovedAtMostOnce() {
        ConnectSession s = sessions.create();

        assertThat(sessions.settle(s.id(), p -> p.approved("k1", "sealed", "c1"))).get()
                .extracting(ConnectSession::state, ConnectSession::accessKeyId)
                .containsExactly(ConnectSession.State.APPROVED, "k1");
        assertThat(sessions.settle(s.id(), p -> p.approved("k2", "sealed2", "c2"))).isEmpty();
        assertThat(sessions.settle(s.id(), ConnectSession::declined)).isEmpty();
        assertThat(sessions.find(s.id()).orElseThrow().accessKeyId()).isEqualTo("k1");
    }

    @Test
    void anExpiredOrDeletedSessionCannotBeApproved() {
        ConnectSession expired = sessions.create();
        ConnectSession deleted = sessions.create();
        assertThat(sessions.delete(deleted.id())).isTrue();
        now.addAndGet(Duration.ofMinutes(31).toMillis());

        assertThat(sessions.settle(expired.id(), p -> p.approved("k", "s", "c"))).isEmpty();
        assertThat(sessions.settle(deleted.id(), p -> p.approved("k", "s", "c"))).isEmpty();
        assertThat(sessions.settle("never-existed", p -> p.approved("k", "s", "c"))).isEmpty();
        assertThat(sessions.delete(deleted.id())).isFalse();
    }
}
