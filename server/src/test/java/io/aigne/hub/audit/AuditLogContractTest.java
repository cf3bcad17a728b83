package io.aigne.hub.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigne.hub.auth.Role;
import io.aigne.hub.auth.UserStore;
import io.aigne.hub.server.ApiException;
import io.aigne.hub.server.Json;
import io.aigne.hub.store.Ids;
import io.aigne.hub.testing.DatabaseContract;
import io.aigne.hub.testing.DatabaseContract.PostgresVariant;
import io.aigne.hub.testing.DatabaseContract.SqliteVariant;
import org.jdbi.v3.core.JdbiException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The audit log's promises on both databases: what is recorded reads back exactly, filtered and paged newest
 * first; no row can be changed or deleted afterwards; no secret is ever stored; and a change and its record commit
 * or roll back together. The log cannot be emptied between tests (that is the point), so each test works under an
 * actor of its own.
 */
class AuditLogContractTest {

    @SqliteVariant
    class OnSqlite extends Contract {
        @Override
        void refuseInsertsOf(String action) {
            db.jdbi().useHandle(h -> h.execute("CREATE TRIGGER audit_log_test_refusal BEFORE INSERT ON audit_log "
                    + "WHEN NEW.action = '" + action + "' BEGIN SELECT RAISE(ABORT, 'refused for the test'); END"));
        }
    }

    @PostgresVariant
    class OnPostgres extends Contract {
        @Override
        void refuseInsertsOf(String action) {
            db.jdbi().useHandle(h -> {
                h.execute("CREATE FUNCTION audit_log_test_refusal() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                        + "IF NEW.action = '" + action + "' THEN RAISE EXCEPTION 'refused for the test'; END IF; "
                        + "RETURN NEW; END $$");
                h.execute("CREATE TRIGGER audit_log_test_refusal BEFORE INSERT ON audit_log FOR EACH ROW "
                        + "EXECUTE FUNCTION audit_log_test_refusal()");
            });
        }

        @Test
        void truncateAndUpdatesMatchingNothingAreRefusedToo() {
            log.record(AuditEvent.of(actor, "provider.create", "provider", "p1", null, Map.of("name", "a")));

            assertThatThrownBy(() -> db.jdbi().useHandle(h -> h.execute("TRUNCATE audit_log")))
                    .isInstanceOf(JdbiException.class).hasMessageContaining("append-only: TRUNCATE refused");
            assertThatThrownBy(() -> db.jdbi().useHandle(h -> h.execute(
                    "DELETE FROM audit_log WHERE actor_id = 'nobody at all'")))
                    .isInstanceOf(JdbiException.class).hasMessageContaining("append-only: DELETE refused");
            assertThat(mine().count()).isEqualTo(1);
        }
    }

    abstract static class Contract extends DatabaseContract {
        AuditLog log;
        Actor actor;

        /** Makes the database refuse audit rows of {@code action}, to see what a failing audit write does. */
        abstract void refuseInsertsOf(String action);

        @BeforeEach
        final void newActor() {
            log = new AuditLog(db.jdbi());
            actor = Actor.user("u-" + Ids.next(), "alice", "203.0.113.9");
        }

        List<AuditEntry> find(String action, String targetType, String targetId, Long since, Long until) {
            return log.find(new AuditQuery(actor.id(), action, targetType, targetId, since, until, 1, 100)).entries();
        }

        AuditQuery.Page mine() {
            return log.find(new AuditQuery(actor.id(), null, null, null, null, null, 1, 100));
        }

        @Test
        void anEventReadsBackAsItWasRecorded() {
            JsonNode before = Json.object().put("name", "acme").put("enabled", true);
            JsonNode after = Json.object().put("name", "acme").put("enabled", false);

            AuditEntry stored = log.record(new AuditEvent(1_700_000_000_123L, actor, "provider.update", "provider",
                    "p-1", before, after));

            AuditQuery.Page page = mine();
            assertThat(page.count()).isEqualTo(1);
            assertThat(page.entries()).containsExactly(stored);
            AuditEvent read = page.entries().getFirst().event();
            assertThat(read.at()).isEqualTo(1_700_000_000_123L);
            assertThat(read.actor()).isEqualTo(new Actor(Actor.Kind.USER, actor.id(), "alice", "203.0.113.9"));
            assertThat(read.action()).isEqualTo("provider.update");
            assertThat(read.targetType()).isEqualTo("provider");
            assertThat(read.targetId()).isEqualTo("p-1");
            assertThat(read.before()).isEqualTo(before);
            assertThat(read.after()).isEqualTo(after);
        }

        @Test
        void systemActorsHaveANameAndNoId() {
            String name = "config-" + Ids.next();
            log.record(AuditEvent.of(Actor.system(name), "credential.delete", "credential", "c-1",
                    Map.of("name", "k0"), null));

            AuditQuery.Page page = log.find(new AuditQuery(name, null, null, null, null, null, 1, 10));
            assertThat(page.count()).isEqualTo(1);
            AuditEvent read = page.entries().getFirst().event();
            assertThat(read.actor()).isEqualTo(new Actor(Actor.Kind.SYSTEM, null, name, null));
            assertThat(read.after()).isNull();
            assertThat(read.before().path("name").asText()).isEqualTo("k0");
        }

        @Test
        void rowsCanNeitherBeChangedNorDeleted() {
            AuditEntry stored = log.record(AuditEvent.of(actor, "key.revoke", "access_key", "k-1",
                    Map.of("revoked", false), Map.of("revoked", true)));

            assertThatThrownBy(() -> db.jdbi().useHandle(h -> h.execute(
                    "UPDATE audit_log SET action = 'key.create' WHERE id = ?", stored.id())))
                    .isInstanceOf(JdbiException.class).hasMessageContaining("append-only: UPDATE refused");
            assertThatThrownBy(() -> db.jdbi().useHandle(h -> h.execute(
                    "UPDATE audit_log SET before_json = NULL, after_json = NULL")))
                    .isInstanceOf(JdbiException.class).hasMessageContaining("append-only: UPDATE refused");
            assertThatThrownBy(() -> db.jdbi().useHandle(h -> h.execute(
                    "DELETE FROM audit_log WHERE id = ?", stored.id())))
                    .isInstanceOf(JdbiException.class).hasMessageContaining("append-only: DELETE refused");
            assertThatThrownBy(() -> db.jdbi().useHandle(h -> h.execute("DELETE FROM audit_log")))
                    .isInstanceOf(JdbiException.class).hasMessageContaining("append-only: DELETE refused");

            assertThat(mine().entries()).containsExactly(stored);
        }

        @Test
        void secretsNeverReachTheTable() {
            String apiKey = "sk-live-" + Ids.next();
            String secretAccessKey = "wJalrXUtnFEMI/" + Ids.next();
            String password = "correct horse " + Ids.next();
            String hash = "$argon2id$v=19$m=19456,t=2,p=1$" + Ids.next();
            String keyHash = Ids.next() + Ids.next();
            log.record(AuditEvent.of(actor, "credential.update", "credential", "c-9",
                    Map.of("apiKey", apiKey, "user", Map.of("password", password, "passwordHash", hash)),
                    Map.of("credentialValue", Map.of("secret_access_key", secretAccessKey), "keyHash", keyHash,
                            "note", "was " + apiKey)));

            List<Map<String, Object>> rows = db.jdbi().withHandle(h -> h.createQuery(
                    "SELECT * FROM audit_log WHERE actor_id = :id").bind("id", actor.id()).mapToMap().list());
            assertThat(rows).hasSize(1);
            String raw = rows.toString();
            for (String secret : List.of(apiKey, apiKey.substring(8), secretAccessKey, secretAccessKey.substring(14),
                    password, hash, keyHash)) {
                assertThat(raw).doesNotContain(secret);
            }
            assertThat(raw).contains("sk-l****************" + apiKey.substring(apiKey.length() - 4))
                    .contains(SecretScrubber.REMOVED);
        }

        @Test
        void filtersByActorActionTargetAndTimeNewestFirst() {
            long t0 = 1_700_000_000_000L;
            AuditEntry create = log.record(new AuditEvent(t0, actor, "provider.create", "provider", "p1", null,
                    Json.object().put("name", "a")));
            AuditEntry cred = log.record(new AuditEvent(t0 + 1000, actor, "credential.create", "credential", "c1",
                    null, Json.object().put("name", "k")));
            AuditEntry disable = log.record(new AuditEvent(t0 + 2000, actor, "credential.disable", "credential",
                    "c1", Json.object().put("enabled", true), Json.object().put("enabled", false)));
            AuditEntry update = log.record(new AuditEvent(t0 + 3000, actor, "provider.update", "provider", "p1",
                    Json.object().put("name", "a"), Json.object().put("name", "b")));
            Actor other = Actor.user("u-" + Ids.next(), "bob", null);
            log.record(new AuditEvent(t0 + 1500, other, "provider.delete", "provider", "p1",
                    Json.object().put("name", "a"), null));

            assertThat(mine().entries()).containsExactly(update, disable, cred, create);
            assertThat(find("provider.", null, null, null, null)).containsExactly(update, create);
            assertThat(find("provider.update", null, null, null, null)).containsExactly(update);
            assertThat(find("credential", null, null, null, null)).containsExactly(disable, cred);
            assertThat(find("provider_", null, null, null, null)).as("'_' is no wildcard").isEmpty();
            assertThat(find(null, "credential", "c1", null, null)).containsExactly(disable, cred);
            assertThat(find(null, "provider", "p1", t0 + 1000, t0 + 3000)).isEmpty();
            assertThat(find(null, null, null, t0 + 1000, t0 + 3000)).as("since inclusive, until exclusive")
                    .containsExactly(disable, cred);
            assertThat(log.find(new AuditQuery("alice", null, null, "p1", null, null, 1, 10)).entries())
                    .as("by user name").contains(update, create);
            assertThat(log.find(new AuditQuery(other.id(), null, "provider", "p1", null, null, 1, 10)).entries())
                    .extracting(e -> e.event().action()).containsExactly("provider.delete");
        }

        @Test
        void pagesCountEveryMatch() {
            for (int i = 0; i < 7; i++) {
                log.record(new AuditEvent(1_000L + i, actor, "limit.update", "limit", "l" + i, null,
                        Json.object().put("n", i)));
            }
            AuditQuery.Page first = log.find(new AuditQuery(actor.id(), null, null, null, null, null, 1, 3));
            AuditQuery.Page third = log.find(new AuditQuery(actor.id(), null, null, null, null, null, 3, 3));
            AuditQuery.Page beyond = log.find(new AuditQuery(actor.id(), null, null, null, null, null, 4, 3));

            assertThat(first.count()).isEqualTo(7);
            assertThat(first.entries()).extracting(e -> e.event().targetId()).containsExactly("l6", "l5", "l4");
            assertThat(third.entries()).extracting(e -> e.event().targetId()).containsExactly("l0");
            assertThat(beyond.count()).isEqualTo(7);
            assertThat(beyond.entries()).isEmpty();
        }

        @Test
        void eventsOfTheSameMillisecondKeepTheirOrder() {
            long t = 1_600_000_000_000L;
            for (int i = 0; i < 20; i++) {
                log.record(new AuditEvent(t, actor, "credential.update", "credential", "c" + i, null,
                        Json.object().put("i", i)));
            }
            assertThat(mine().entries()).extracting(e -> e.event().targetId())
                    .containsExactly("c19", "c18", "c17", "c16", "c15", "c14", "c13", "c12", "c11", "c10", "c9", "c8",
                            "c7", "c6", "c5", "c4", "c3", "c2", "c1", "c0");
        }

        @Test
        void aChangeAndItsRecordCommitOrRollBackTogether() {
            UserStore users = new UserStore(db.jdbi());
            String committed = "u" + Ids.next().substring(20);
            log.useTransaction(() -> {
                users.create(committed, null, null, Role.MEMBER);
                log.record(AuditEvent.of(actor, "user.create", "user", committed, null, Map.of("name", committed)));
            });
            assertThat(users.byName(committed)).isPresent();
            assertThat(mine().count()).isEqualTo(1);

            String rolledBack = "u" + Ids.next().substring(20);
            assertThatThrownBy(() -> log.useTransaction(() -> {
                users.create(rolledBack, null, null, Role.MEMBER);
                log.record(AuditEvent.of(actor, "user.create", "user", rolledBack, null, Map.of("name", rolledBack)));
                throw new IllegalStateException("the change failed after its record");
            })).hasMessage("the change failed after its record");
            assertThat(users.byName(rolledBack)).isEmpty();
            assertThat(mine().count()).as("the record went with the change").isEqualTo(1);
        }

        @Test
        void aFailedAuditWriteUndoesTheChange() {
            String action = "test.refused_" + Ids.next().substring(24);
            refuseInsertsOf(action);
            UserStore users = new UserStore(db.jdbi());
            String name = "u" + Ids.next().substring(20);

            assertThatThrownBy(() -> log.useTransaction(() -> {
                users.create(name, null, null, Role.MEMBER);
                log.record(AuditEvent.of(actor, action, "user", name, null, Map.of("name", name)));
            })).isInstanceOfSatisfying(AuditUnavailable.class, e -> {
                assertThat(((ApiException) e).status()).isEqualTo(503);
                assertThat(e.getMessage()).contains("the change was not made");
            });

            assertThat(users.byName(name)).as("no change without its record").isEmpty();
            assertThat(mine().count()).isZero();
        }
    }
}
