package io.aigne.hub.auth;

import io.aigne.hub.audit.Actor;
import io.aigne.hub.audit.AuditLog;
import io.aigne.hub.audit.AuditQuery;
import io.aigne.hub.server.ApiException;
import io.aigne.hub.testing.DatabaseContract;
import io.aigne.hub.testing.DatabaseContract.PostgresVariant;
import io.aigne.hub.testing.DatabaseContract.SqliteVariant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The hub never loses its last active owner, not even to the operator at the command line, and not when two
 * owners demote each other at the same moment; checked on both databases.
 */
class UserAdminContractTest {

    @SqliteVariant
    class OnSqlite extends Contract {}

    @PostgresVariant
    class OnPostgres extends Contract {}

    abstract static class Contract extends DatabaseContract {
        UserStore users;
        UserAdmin admin;
        AuditLog audit;

        Contract() {
            super("access_keys", "users");
        }

        @BeforeEach
        final void newAdmin() {
            users = new UserStore(db.jdbi());
            audit = new AuditLog(db.jdbi());
            admin = new UserAdmin(users, new AccessKeys(db.jdbi(), Duration.ofMinutes(10)), audit);
        }

        @Test
        void theLastActiveOwnerCanNeitherBeDemotedNorDisabled() {
            User owner = admin.create(new UserAdmin.NewUser("olga", null, null, Role.OWNER, null), null, Actor.CLI);
            long recorded = audit.find(AuditQuery.all(1, 1)).count();

            assertThatThrownBy(() -> admin.update(owner.id(), change(Role.ADMIN, null), null, Actor.CLI))
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(409);
                        assertThat(e.code()).isEqualTo("last_owner");
                        assertThat(e.param()).isEqualTo("role");
                        assertThat(e.getMessage()).contains("'olga' is the hub's last active owner");
                    });
            assertThatThrownBy(() -> admin.update(owner.id(), change(null, true), null, Actor.CLI))
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.param()).isEqualTo("disabled"));
            assertThat(users.byId(owner.id())).contains(owner);
            assertThat(audit.find(AuditQuery.all(1, 1)).count()).as("nothing recorded").isEqualTo(recorded);

            User second = admin.create(new UserAdmin.NewUser("oscar", null, null, Role.OWNER, null), null, Actor.CLI);
            admin.update(owner.id(), change(Role.ADMIN, null), null, Actor.CLI);
            assertThat(users.byId(owner.id()).orElseThrow().role()).isEqualTo(Role.ADMIN);
            assertThat(users.activeOwners()).isEqualTo(1);
            assertThatThrownBy(() -> admin.update(second.id(), change(null, true), null, Actor.CLI))
                    .isInstanceOf(ApiException.class).hasMessageContaining("'oscar' is the hub's last active owner");
        }

        @Test
        void twoOwnersDemotingEachOtherAtOnceLeaveOneOwner() throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                for (int round = 0; round < 8; round++) {
                    db.jdbi().useHandle(h -> h.execute("DELETE FROM users"));
                    User a = admin.create(new UserAdmin.NewUser("a" + round, null, null, Role.OWNER, null), null,
                            Actor.CLI);
                    User b = admin.create(new UserAdmin.NewUser("b" + round, null, null, Role.OWNER, null), null,
                            Actor.CLI);
                    CyclicBarrier together = new CyclicBarrier(2);
                    List<Future<Boolean>> outcomes = new ArrayList<>();
                    for (User[] pair : List.of(new User[]{a, b}, new User[]{b, a})) {
                        Principal by = new Principal(pair[0].id(), pair[0].name(), Role.OWNER, "k", null);
                        outcomes.add(pool.submit(() -> {
                            together.await();
                            try {
                                admin.update(pair[1].id(), change(Role.MEMBER, null), by,
                                        Actor.user(by, "127.0.0.1"));
                                return true;
                            } catch (ApiException e) {
                                assertThat(e.code()).isEqualTo("last_owner");
                                return false;
                            }
                        }));
                    }
                    int succeeded = 0;
                    for (Future<Boolean> outcome : outcomes) {
                        succeeded += outcome.get() ? 1 : 0;
                    }
                    assertThat(succeeded).as("round %d", round).isEqualTo(1);
                    assertThat(users.activeOwners()).as("round %d", round).isEqualTo(1);
                }
            } finally {
                pool.shutdownNow();
            }
        }

        private static UserAdmin.UserChange change(Role role, Boolean disabled) {
            return new UserAdmin.UserChange(null, null, role, disabled, null);
        }
    }
}
