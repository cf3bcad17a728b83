package io.aigne.hub.limits;

import io.aigne.hub.auth.AccessKey;
import io.aigne.hub.auth.AccessKeys;
import io.aigne.hub.auth.IssuedKey;
import io.aigne.hub.auth.Role;
import io.aigne.hub.auth.User;
import io.aigne.hub.auth.UserStore;
import io.aigne.hub.iprules.Cidr;
import io.aigne.hub.iprules.IpRule;
import io.aigne.hub.iprules.IpRuleStore;
import io.aigne.hub.iprules.IpRules;
import io.aigne.hub.testing.DatabaseContract;
import io.aigne.hub.testing.DatabaseContract.PostgresVariant;
import io.aigne.hub.testing.DatabaseContract.SqliteVariant;
import org.jdbi.v3.core.JdbiException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Limits, hub-wide IP rules and a key's own IP rules as stored by migration V7, on SQLite and PostgreSQL. */
class LimitStorageTest {

    @SqliteVariant
    class Sqlite extends Contract {}

    @PostgresVariant
    class Postgres extends Contract {}

    abstract static class Contract extends DatabaseContract {
        Contract() {
            super("limits", "ip_rules", "access_keys", "users");
        }

        @Test
        void limitsRoundTripAndAreUniquePerScopeSubjectAndMetric() {
            LimitStore store = new LimitStore(db.jdbi());
            long big = 9_000_000_000_000_000_000L; // nanocredits beyond any int, exact
            Limit created = store.create(LimitScope.MODEL, "openai/gpt-4o-mini", LimitMetric.CREDITS_PER_MONTH, big,
                    "cap", "u-admin");

            assertThat(store.byId(created.id())).contains(created);
            assertThat(store.find(LimitScope.MODEL, "openai/gpt-4o-mini", LimitMetric.CREDITS_PER_MONTH))
                    .contains(created);
            assertThatThrownBy(() -> store.create(LimitScope.MODEL, "openai/gpt-4o-mini",
                    LimitMetric.CREDITS_PER_MONTH, 1, null, null)).isInstanceOf(JdbiException.class);

            Limit changed = store.update(new Limit(created.id(), LimitScope.USER, Limit.EACH,
                    LimitMetric.REQUESTS_PER_MINUTE, 60, null, created.createdBy(), created.createdAt(), 0));
            assertThat(store.list()).containsExactly(changed);
            assertThat(changed.createdBy()).isEqualTo("u-admin");

            ActiveLimits active = new ActiveLimits(store::list);
            active.reload();
            assertThat(active.table().resolve(LimitScope.USER, "anyone", LimitMetric.REQUESTS_PER_MINUTE))
                    .isEqualTo(changed);
            assertThat(store.delete(created.id())).isTrue();
            assertThat(store.delete(created.id())).isFalse();
        }

        @Test
        void theSchemaRefusesUnknownScopesMetricsAndNegativeLimits() {
            for (String values : List.of("'x', 'team', '*', 'requests_per_minute', 1",
                    "'y', 'user', '*', 'rpm', 1", "'z', 'user', '*', 'requests_per_minute', -1")) {
                assertThatThrownBy(() -> db.jdbi().useHandle(h -> h.execute("INSERT INTO limits (id, scope, subject, "
                        + "metric, limit_value, created_at, updated_at) VALUES (" + values + ", 0, 0)")))
                        .isInstanceOf(JdbiException.class);
            }
        }

        @Test
        void hubWideIpRulesRoundTrip() {
            IpRuleStore store = new IpRuleStore(db.jdbi());
            IpRule deny = store.create(IpRule.Action.DENY, Cidr.parse("2001:db8::/32"), "lab", "u-admin");
            IpRule allow = store.create(IpRule.Action.ALLOW, Cidr.parse("10.0.0.0/8"), null, "u-admin");

            assertThat(store.list()).extracting(IpRule::id).containsExactlyInAnyOrder(deny.id(), allow.id());
            assertThat(store.find(IpRule.Action.DENY, Cidr.parse("2001:db8:0::/32"))).contains(deny);
            assertThatThrownBy(() -> store.create(IpRule.Action.DENY, Cidr.parse("2001:db8::/32"), null, null))
                    .isInstanceOf(JdbiException.class);

            assertThat(store.update(new IpRule(allow.id(), IpRule.Action.ALLOW, Cidr.parse("10.1.0.0/16"), "narrower",
                    null, 0, 0))).isTrue();
            assertThat(store.byId(allow.id())).hasValueSatisfying(r -> {
                assertThat(r.cidr()).hasToString("10.1.0.0/16");
                assertThat(r.note()).isEqualTo("narrower");
            });
            assertThat(store.delete(deny.id())).isTrue();
            assertThat(store.list()).extracting(IpRule::id).containsExactly(allow.id());
        }

        @Test
        void aKeysIpRulesAreStoredVerifiedAndChanged() {
            User user = new UserStore(db.jdbi()).create("alice", null, null, Role.MEMBER);
            AccessKeys keys = new AccessKeys(db.jdbi(), Duration.ofMinutes(10));
            IpRules rules = IpRules.parse(List.of("198.51.100.0/24", "2001:db8:1::/48"), List.of("198.51.100.66"));
            IssuedKey issued = keys.issue(user.id(), "office", null, rules);
            IssuedKey plain = keys.issue(user.id(), "anywhere", null);

            assertThat(keys.byId(issued.key().id()).map(AccessKey::ipRules)).contains(rules);
            assertThat(keys.byId(plain.key().id()).map(AccessKey::ipRules)).contains(IpRules.NONE);
            assertThat(keys.verify(issued.secret())).hasValueSatisfying(v -> {
                assertThat(v.ipRules()).isEqualTo(rules);
                assertThat(v.principal().keyName()).isEqualTo("office");
            });
            // Another node reads the same rules from the database.
            assertThat(new AccessKeys(db.jdbi(), Duration.ofMinutes(1)).verify(issued.secret()).orElseThrow()
                    .ipRules()).isEqualTo(rules);

            assertThat(keys.update(issued.key().id(), "renamed", null)).isTrue();
            assertThat(keys.byId(issued.key().id())).hasValueSatisfying(k -> {
                assertThat(k.name()).isEqualTo("renamed");
                assertThat(k.ipRules()).isEqualTo(rules);
            });
            IpRules denyOnly = IpRules.parse(List.of(), List.of("203.0.113.0/24"));
            keys.update(issued.key().id(), null, denyOnly);
            assertThat(keys.verify(issued.secret()).orElseThrow().ipRules()).isEqualTo(denyOnly);
            keys.update(issued.key().id(), null, IpRules.NONE);
            assertThat(keys.byId(issued.key().id()).orElseThrow().ipRules().isEmpty()).isTrue();
            assertThat(keys.update("no-such-key", "x", null)).isFalse();
        }
    }
}
