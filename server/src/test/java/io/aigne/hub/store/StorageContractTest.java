package io.aigne.hub.store;

import io.aigne.hub.Hub;
import io.aigne.hub.auth.AccessKey;
import io.aigne.hub.auth.AccessKeys;
import io.aigne.hub.auth.IssuedKey;
import io.aigne.hub.auth.Principal;
import io.aigne.hub.auth.Role;
import io.aigne.hub.auth.User;
import io.aigne.hub.auth.UserStore;
import io.aigne.hub.provider.Credential;
import io.aigne.hub.provider.CredentialKind;
import io.aigne.hub.provider.CredentialSecret;
import io.aigne.hub.provider.Provider;
import io.aigne.hub.provider.ProviderStore;
import io.aigne.hub.provider.ProviderType;
import io.aigne.hub.secret.MasterKeyRing;
import io.aigne.hub.secret.SecretBox;
import io.aigne.hub.secret.SecretException;
import io.aigne.hub.testing.DatabaseContract;
import io.aigne.hub.testing.DatabaseContract.PostgresVariant;
import io.aigne.hub.testing.DatabaseContract.SqliteVariant;
import io.aigne.hub.testing.TestDatabases;
import io.aigne.hub.usage.CallRecord;
import io.aigne.hub.usage.CallStatus;
import io.aigne.hub.usage.CallType;
import io.aigne.hub.usage.ModelCallQuery;
import io.aigne.hub.usage.ModelCallStore;
import io.aigne.hub.usage.Usage;
import io.aigne.hub.usage.UsageLedger;
import org.flywaydb.core.api.output.MigrateResult;
import org.jdbi.v3.core.JdbiException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the hub's users rely on from storage, checked on both supported databases: the same contract runs on the
 * embedded SQLite database and on PostgreSQL (skipped with its reason when no server answers; see
 * {@link TestDatabases#assumePostgres()}). Each database is migrated fresh once per class; every test starts from
 * empty tables.
 */
class StorageContractTest {

    @SqliteVariant
    class SqliteStorageTest extends Contract {}

    @PostgresVariant
    class PostgresStorageTest extends Contract {}

    abstract static class Contract extends DatabaseContract {
        private static final String API_KEY = "sk-test-abcdefghijklmnop";
        private static final long T0 = 1_700_000_000_000L;

        UserStore users;
        AccessKeys keys;

        Contract() {
            super("usage_rollups", "model_calls", "provider_credentials", "providers", "access_keys", "users");
        }

        @BeforeEach
        final void newStores() {
            users = new UserStore(db.jdbi());
            // Long enough that a stale cache entry would still be served: eviction must be explicit.
            keys = new AccessKeys(db.jdbi(), Duration.ofMinutes(10));
        }

        // ---------------------------------------------------------------- migrations

        @Test
        void migratesAFreshDatabaseAndMigratingAgainDoesNothing() {
            List<Map<String, Object>> history = db.jdbi().withHandle(h -> h.createQuery(
                            "SELECT version, success FROM schema_history WHERE version IS NOT NULL ORDER BY installed_rank")
                    .map((rs, ctx) -> Map.<String, Object>of("version", rs.getString("version"),
                            "success", rs.getBoolean("success")))
                    .list());
            assertThat(history).isNotEmpty().allSatisfy(row -> assertThat(row.get("success")).isEqualTo(true));
            assertThat(history.getFirst().get("version")).isEqualTo("1");
            for (String table : List.of("users", "access_keys", "providers", "provider_credentials", "model_calls")) {
                assertThat(count("SELECT COUNT(*) FROM " + table)).as(table).isZero();
            }

            MigrateResult again = db.migrate();

            assertThat(again.success).isTrue();
            assertThat(again.migrationsExecuted).isZero();
            assertThat(count("SELECT COUNT(*) FROM schema_history WHERE version IS NOT NULL")).isEqualTo(history.size());
        }

        // ---------------------------------------------------------------- users

        @Test
        void usersAreCreatedAndFound() {
            assertThat(users.count()).isZero();
            assertThat(users.owner()).isEmpty();

            User admin = users.create("alice", "Alice", "alice@example.com", Role.ADMIN);
            User owner = users.create("olga", null, null, Role.OWNER);
            User member = users.create("bob", "Bob", null, Role.MEMBER);

            assertThat(users.count()).isEqualTo(3);
            assertThat(users.byName("alice")).contains(admin);
            assertThat(users.byId(member.id())).contains(member);
            assertThat(users.byId(owner.id()).orElseThrow().displayName()).isNull();
            assertThat(users.byName("nobody")).isEmpty();
            assertThat(users.byId("no-such-id")).isEmpty();
            assertThat(users.list()).containsExactlyInAnyOrder(admin, owner, member);
            assertThat(users.list()).isSortedAccordingTo(Comparator.comparingLong(User::createdAt));
            assertThat(users.owner()).contains(owner);
            assertThat(admin.disabled()).isFalse();
        }

        @Test
        void userNamesAreUnique() {
            users.create("alice", null, null, Role.MEMBER);

            assertThatThrownBy(() -> users.create("alice", null, null, Role.ADMIN)).isInstanceOf(JdbiException.class);
            assertThat(users.count()).isEqualTo(1);
        }

        @Test
        void roleCheckConstraintRejectsUnknownRoles() {
            User user = users.create("alice", null, null, Role.MEMBER);

            assertThatThrownBy(() -> db.jdbi().useHandle(h -> h.execute("""
                    INSERT INTO users (id, name, role, disabled, created_at, updated_at)
                    VALUES ('raw-1', 'mallory', 'superuser', 0, 1, 1)""")))
                    .isInstanceOf(JdbiException.class);
            assertThatThrownBy(() -> db.jdbi().useHandle(h -> h.execute(
                    "UPDATE users SET role = 'root' WHERE id = ?", user.id())))
                    .isInstanceOf(JdbiException.class);
            assertThat(users.byId(user.id()).orElseThrow().role()).isEqualTo(Role.MEMBER);
            assertThat(users.count()).isEqualTo(1);
        }

        @Test
        void updateChangesOnlyTheGivenFields() {
            User user = users.create("alice", "Alice", "alice@example.com", Role.MEMBER);

            assertThat(users.update(user.id(), Role.ADMIN, null, null, null)).isTrue();
            assertThat(users.byId(user.id())).contains(
                    new User(user.id(), "alice", "Alice", "alice@example.com", Role.ADMIN, false, user.createdAt()));

            assertThat(users.update(user.id(), null, true, null, null)).isTrue();
            assertThat(users.byId(user.id())).contains(
                    new User(user.id(), "alice", "Alice", "alice@example.com", Role.ADMIN, true, user.createdAt()));

            assertThat(users.update(user.id(), null, false, "Alice A.", "a@example.org")).isTrue();
            assertThat(users.byId(user.id())).contains(
                    new User(user.id(), "alice", "Alice A.", "a@example.org", Role.ADMIN, false, user.createdAt()));

            assertThat(users.update("no-such-id", Role.GUEST, null, null, null)).isFalse();
        }

        // ---------------------------------------------------------------- access keys

        @Test
        void issuedKeyIsHighEntropyAndOnlyItsHashIsStored() throws Exception {
            User user = users.create("alice", null, null, Role.MEMBER);

            IssuedKey issued = keys.issue(user.id(), "laptop", "did:app:1");

            String secret = issued.secret();
            assertThat(secret).startsWith(AccessKeys.PREFIX).startsWith("blocklet-").doesNotContain(".");
            assertThat(secret.substring("blocklet-".length())).matches("[A-Za-z0-9_-]{43,}");
            assertThat(issued.toString()).doesNotContain(secret);

            List<Map<String, String>> rows = db.jdbi().withHandle(h -> h.createQuery("SELECT * FROM access_keys")
                    .map((rs, ctx) -> {
                        Map<String, String> row = new LinkedHashMap<>();
                        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                            row.put(rs.getMetaData().getColumnName(i).toLowerCase(), rs.getString(i));
                        }
                        return row;
                    })
                    .list());
            assertThat(rows).hasSize(1);
            Map<String, String> row = rows.getFirst();
            assertThat(row.get("key_hash")).isEqualTo(sha256Hex(secret)).matches("[0-9a-f]{64}");
            String randomPart = secret.substring("blocklet-".length());
            assertThat(row.values()).allSatisfy(value -> {
                if (value != null) {
                    assertThat(value).doesNotContain(secret).doesNotContain(randomPart);
                }
            });

            AccessKey shown = keys.byId(issued.key().id()).orElseThrow();
            assertThat(shown.hint()).startsWith("blocklet-").hasSizeLessThan(16);
            assertThat(shown).isEqualTo(issued.key());
            assertThat(keys.listForUser(user.id())).containsExactly(issued.key());
        }

        @Test
        void authenticateReturnsThePrincipalOfAKnownKeyOnly() {
            User user = users.create("alice", null, null, Role.ADMIN);
            IssuedKey issued = keys.issue(user.id(), "laptop", "did:app:1");

            assertThat(keys.authenticate(issued.secret()))
                    .contains(new Principal(user.id(), "alice", Role.ADMIN, issued.key().id(), "did:app:1", "laptop"));
            // A fresh instance (another node, or after a restart) reads the same from the database.
            assertThat(new AccessKeys(db.jdbi(), Duration.ofMinutes(10)).authenticate(issued.secret()))
                    .contains(new Principal(user.id(), "alice", Role.ADMIN, issued.key().id(), "did:app:1", "laptop"));

            String other = issued.secret().substring(0, issued.secret().length() - 1)
                    + (issued.secret().endsWith("A") ? "B" : "A");
            assertThat(keys.authenticate(other)).isEmpty();
            assertThat(keys.authenticate("blocklet-unknown")).isEmpty();
            assertThat(keys.authenticate("")).isEmpty();
            assertThat(keys.authenticate(null)).isEmpty();
        }

        @Test
        void revokedKeyNoLongerAuthenticates() {
            User user = users.create("alice", null, null, Role.MEMBER);
            IssuedKey revoked = keys.issue(user.id(), "old", null);
            IssuedKey kept = keys.issue(user.id(), "new", null);
            assertThat(keys.authenticate(revoked.secret())).isPresent(); // now cached

            assertThat(keys.revoke(revoked.key().id())).isTrue();

            assertThat(keys.authenticate(revoked.secret())).isEmpty();
            assertThat(keys.authenticate(kept.secret())).isPresent();
            assertThat(keys.byId(revoked.key().id()).orElseThrow().revoked()).isTrue();
            assertThat(keys.byId(kept.key().id()).orElseThrow().revoked()).isFalse();
            assertThat(keys.revoke(revoked.key().id())).as("revoking twice").isFalse();
            assertThat(keys.revoke("no-such-id")).isFalse();
        }

        @Test
        void disabledUsersKeysStopWorkingOnceTheCacheIsDropped() {
            User user = users.create("alice", null, null, Role.MEMBER);
            IssuedKey issued = keys.issue(user.id(), "laptop", null);
            assertThat(keys.authenticate(issued.secret())).isPresent();

            users.update(user.id(), null, true, null, null);
            keys.forgetCached();
            assertThat(keys.authenticate(issued.secret())).isEmpty();

            users.update(user.id(), null, false, null, null);
            keys.forgetCached();
            assertThat(keys.authenticate(issued.secret())).isPresent();
        }

        @Test
        void flushLastUsedWritesTheLastUseTime() {
            User user = users.create("alice", null, null, Role.MEMBER);
            IssuedKey used = keys.issue(user.id(), "used", null);
            IssuedKey unused = keys.issue(user.id(), "unused", null);
            keys.flushLastUsed(); // nothing collected yet: a no-op
            assertThat(keys.byId(used.key().id()).orElseThrow().lastUsedAt()).isNull();

            long before = System.currentTimeMillis();
            keys.authenticate(used.secret());
            keys.flushLastUsed();

            assertThat(keys.byId(used.key().id()).orElseThrow().lastUsedAt())
                    .isBetween(before, System.currentTimeMillis());
            assertThat(keys.byId(unused.key().id()).orElseThrow().lastUsedAt()).isNull();
        }

        // ---------------------------------------------------------------- providers and credentials

        @Test
        void credentialSecretIsSealedMaskedAndOpensAgain() {
            ProviderStore store = providerStore(ring(1));
            Provider provider = openai(store, "openai");

            Credential credential = store.createCredential(provider.id(), "primary", CredentialKind.API_KEY,
                    CredentialSecret.apiKey(API_KEY), 100);

            String sealed = sealedSecret(credential.id());
            assertThat(sealed).doesNotContain(API_KEY);
            for (int i = 0; i + 8 <= API_KEY.length(); i++) {
                assertThat(sealed).doesNotContain(API_KEY.substring(i, i + 8));
            }
            assertThat(credential.masked()).isEqualTo("sk-t" + "*".repeat(16) + "mnop");
            assertThat(store.credential(credential.id())).contains(credential);
            assertThat(store.credentials(provider.id())).containsExactly(credential);
            assertThat(credential.keyVersion()).isEqualTo(1);
            assertThat(store.openSecret(credential.id())).isEqualTo(CredentialSecret.apiKey(API_KEY));
            assertThat(store.provider(provider.id())).contains(provider);
            assertThat(store.providerByName("openai")).contains(provider);
        }

        @Test
        void sealedSecretIsBoundToItsRow() {
            ProviderStore store = providerStore(ring(1));
            Provider provider = openai(store, "openai");
            Credential a = store.createCredential(provider.id(), "a", CredentialKind.API_KEY,
                    CredentialSecret.apiKey(API_KEY), 100);
            Credential b = store.createCredential(provider.id(), "b", CredentialKind.API_KEY,
                    CredentialSecret.apiKey("sk-other-0123456789abcdef"), 100);

            db.jdbi().useHandle(h -> h.execute("""
                    UPDATE provider_credentials
                    SET sealed_secret = (SELECT sealed_secret FROM provider_credentials WHERE id = ?)
                    WHERE id = ?""", a.id(), b.id()));

            assertThat(sealedSecret(b.id())).isEqualTo(sealedSecret(a.id()));
            assertThatThrownBy(() -> store.openSecret(b.id())).isInstanceOf(SecretException.class);
            assertThat(store.openSecret(a.id())).isEqualTo(CredentialSecret.apiKey(API_KEY));
        }

        @Test
        void updateCredentialReSealsANewSecretAndLeavesNullFieldsAlone() {
            ProviderStore store = providerStore(ring(1));
            Provider provider = openai(store, "openai");
            Credential credential = store.createCredential(provider.id(), "primary", CredentialKind.API_KEY,
                    CredentialSecret.apiKey(API_KEY), 100);
            String sealedBefore = sealedSecret(credential.id());
            store.recordError(credential.id(), "401 invalid key");
            assertThat(store.credential(credential.id()).orElseThrow().lastError()).isEqualTo("401 invalid key");

            store.updateCredential(credential.id(), null, null, 40, false);
            Credential reweighted = store.credential(credential.id()).orElseThrow();
            assertThat(reweighted.name()).isEqualTo("primary");
            assertThat(reweighted.weight()).isEqualTo(40);
            assertThat(reweighted.enabled()).isFalse();
            assertThat(sealedSecret(credential.id())).isEqualTo(sealedBefore);

            String newKey = "sk-live-ZYXWVUTSRQPONMLK";
            store.updateCredential(credential.id(), "renamed", CredentialSecret.apiKey(newKey), null, null);

            Credential updated = store.credential(credential.id()).orElseThrow();
            assertThat(updated.name()).isEqualTo("renamed");
            assertThat(updated.weight()).isEqualTo(40);
            assertThat(updated.enabled()).isFalse();
            assertThat(updated.masked()).isEqualTo("sk-l" + "*".repeat(16) + "NMLK");
            assertThat(updated.lastError()).isNull();
            assertThat(updated.lastErrorAt()).isNull();
            assertThat(sealedSecret(credential.id())).isNotEqualTo(sealedBefore).doesNotContain(newKey);
            assertThat(store.openSecret(credential.id())).isEqualTo(CredentialSecret.apiKey(newKey));
        }

        @Test
        void resealAllMovesEveryCredentialToTheNewMasterKey() {
            MasterKeyRing v1 = ring(1);
            ProviderStore store = providerStore(v1);
            Provider openai = openai(store, "openai");
            Provider other = openai(store, "openai-compatible");
            Map<String, CredentialSecret> secrets = new LinkedHashMap<>();
            for (int i = 0; i < 3; i++) {
                CredentialSecret secret = CredentialSecret.apiKey(API_KEY + "-" + i);
                secrets.put(store.createCredential(i == 2 ? other.id() : openai.id(), "key-" + i,
                        CredentialKind.API_KEY, secret, 100).id(), secret);
            }
            CredentialSecret pair = new CredentialSecret(null, "AKIAEXAMPLEEXAMPLE", "wJalrXUtnFEMI/K7MDENG", "token");
            secrets.put(store.createCredential(other.id(), "pair", CredentialKind.ACCESS_KEY_PAIR, pair, 10).id(), pair);
            Map<String, String> sealedBefore = new LinkedHashMap<>();
            secrets.keySet().forEach(id -> sealedBefore.put(id, sealedSecret(id)));

            MasterKeyRing v2 = v1.withNewVersion(MasterKeyRing.newKey());
            int resealed = store.resealAll(new SecretBox(v2, Hub.CREDENTIAL_PURPOSE));

            assertThat(resealed).isEqualTo(secrets.size());
            List<Integer> versions = db.jdbi().withHandle(h -> h.createQuery(
                    "SELECT key_version FROM provider_credentials").mapTo(Integer.class).list());
            assertThat(versions).hasSize(secrets.size()).containsOnly(2);
            ProviderStore onlyNewKey = providerStore(v2.withoutOldVersions());
            secrets.forEach((id, secret) -> {
                assertThat(sealedSecret(id)).isNotEqualTo(sealedBefore.get(id));
                assertThat(onlyNewKey.openSecret(id)).isEqualTo(secret);
                assertThat(onlyNewKey.credential(id).orElseThrow().keyVersion()).isEqualTo(2);
            });
            String any = secrets.keySet().iterator().next();
            assertThatThrownBy(() -> store.openSecret(any)).as("a ring without version 2")
                    .isInstanceOf(SecretException.class);
        }

        @Test
        void deletingAProviderDeletesItsCredentials() {
            ProviderStore store = providerStore(ring(1));
            Provider doomed = openai(store, "doomed");
            Provider kept = openai(store, "kept");
            store.createCredential(doomed.id(), "a", CredentialKind.API_KEY, CredentialSecret.apiKey(API_KEY), 1);
            store.createCredential(doomed.id(), "b", CredentialKind.API_KEY, CredentialSecret.apiKey(API_KEY), 1);
            Credential survivor = store.createCredential(kept.id(), "a", CredentialKind.API_KEY,
                    CredentialSecret.apiKey(API_KEY), 1);

            assertThat(store.deleteProvider(doomed.id())).isTrue();

            assertThat(store.provider(doomed.id())).isEmpty();
            assertThat(store.credentials(doomed.id())).isEmpty();
            assertThat(count("SELECT COUNT(*) FROM provider_credentials WHERE provider_id = ?", doomed.id())).isZero();
            assertThat(store.allCredentials()).containsExactly(survivor);
            assertThat(store.providers()).containsExactly(kept);
            assertThat(store.deleteProvider(doomed.id())).isFalse();
        }

        @Test
        void foreignKeysCascadeFromProvidersToCredentials() {
            ProviderStore store = providerStore(ring(1));
            Provider provider = openai(store, "openai");
            store.createCredential(provider.id(), "a", CredentialKind.API_KEY, CredentialSecret.apiKey(API_KEY), 1);

            db.jdbi().useHandle(h -> h.execute("DELETE FROM providers WHERE id = ?", provider.id()));

            assertThat(count("SELECT COUNT(*) FROM provider_credentials")).isZero();
            assertThatThrownBy(() -> store.createCredential("no-such-provider", "a", CredentialKind.API_KEY,
                    CredentialSecret.apiKey(API_KEY), 1)).isInstanceOf(JdbiException.class);
        }

        @Test
        void credentialNamesAreUniquePerProviderAndProviderNamesAreUnique() {
            ProviderStore store = providerStore(ring(1));
            Provider first = openai(store, "first");
            Provider second = openai(store, "second");
            store.createCredential(first.id(), "primary", CredentialKind.API_KEY, CredentialSecret.apiKey(API_KEY), 1);

            assertThatThrownBy(() -> store.createCredential(first.id(), "primary", CredentialKind.API_KEY,
                    CredentialSecret.apiKey(API_KEY), 1)).isInstanceOf(JdbiException.class);
            store.createCredential(second.id(), "primary", CredentialKind.API_KEY, CredentialSecret.apiKey(API_KEY), 1);
            assertThatThrownBy(() -> openai(store, "first")).isInstanceOf(JdbiException.class);

            assertThat(store.credentials(first.id())).hasSize(1);
            assertThat(store.credentials(second.id())).hasSize(1);
        }

        // ---------------------------------------------------------------- usage ledger

        @Test
        void ledgerWritesEveryRecordFromConcurrentCallers() throws Exception {
            int threads = 8;
            int perThread = 125;
            List<CallRecord> recorded;
            try (UsageLedger ledger = new UsageLedger(db.dataSource(), null, 50, Duration.ofMillis(50));
                 ExecutorService pool = Executors.newFixedThreadPool(threads)) {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<List<CallRecord>>> futures = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    futures.add(pool.submit(() -> {
                        start.await();
                        List<CallRecord> mine = new ArrayList<>();
                        for (int i = 0; i < perThread; i++) {
                            CallRecord r = call(T0 + thread * 1_000L + i, "user-" + thread, thread * perThread + i);
                            ledger.record(r);
                            mine.add(r);
                        }
                        return mine;
                    }));
                }
                start.countDown();
                recorded = new ArrayList<>();
                for (Future<List<CallRecord>> f : futures) {
                    recorded.addAll(f.get());
                }

                assertThat(ledger.awaitFlushed(Duration.ofSeconds(10))).isTrue();

                assertThat(ledger.written()).isEqualTo(1000);
            }
            assertThat(count("SELECT COUNT(*) FROM model_calls")).isEqualTo(1000);
            assertThat(count("SELECT SUM(input_tokens) FROM model_calls"))
                    .isEqualTo(recorded.stream().mapToLong(r -> r.usage().inputTokens()).sum());
            assertThat(count("SELECT SUM(output_tokens) FROM model_calls"))
                    .isEqualTo(recorded.stream().mapToLong(r -> r.usage().outputTokens()).sum());
            assertThat(count("SELECT SUM(total_tokens) FROM model_calls"))
                    .isEqualTo(recorded.stream().mapToLong(r -> r.usage().totalTokens()).sum());
            assertThat(count("SELECT COUNT(*) FROM model_calls WHERE user_id = 'user-3'")).isEqualTo(perThread);
        }

        @Test
        void closingTheLedgerDrainsWhatWasJustRecorded() {
            UsageLedger ledger = new UsageLedger(db.dataSource(), null, 50, Duration.ofMillis(50));
            for (int i = 0; i < 200; i++) {
                ledger.record(call(T0 + i, "alice", i));
            }

            ledger.close();

            assertThat(ledger.written()).isEqualTo(200);
            assertThat(count("SELECT COUNT(*) FROM model_calls")).isEqualTo(200);
        }

        @Test
        void aRowTheDatabaseRefusesIsSetAsideWithoutBlockingTheOthers(@TempDir Path dir)
                throws Exception {
            Path deadLetter = dir.resolve("ledger-rejected.jsonl");
            CallRecord good = call(T0, "alice", 1);
            CallRecord bad = new CallRecord("bad-row", T0 + 1, "alice", null, null, null, null /* endpoint NOT NULL */,
                    good.type(), false, null, null, null, null, good.status(), null, null, good.usage(), 1, 5, null, null);
            CallRecord later = call(T0 + 2, "alice", 3);
            try (UsageLedger ledger = new UsageLedger(db.dataSource(), deadLetter, 50, Duration.ofMillis(20))) {
                ledger.record(good);
                ledger.record(bad);
                ledger.record(later);
                assertThat(ledger.awaitFlushed(Duration.ofSeconds(10))).isTrue();
            }
            assertThat(count("SELECT COUNT(*) FROM model_calls")).isEqualTo(2);
            assertThat(java.nio.file.Files.readString(deadLetter)).contains("\"id\":\"bad-row\"");
        }

        // ---------------------------------------------------------------- model call queries

        @Test
        void storedCallsReadBackFieldForField() {
            List<CallRecord> calls = fixture();
            write(calls);

            ModelCallStore.Page all = new ModelCallStore(db.jdbi()).find(query().pageSize(100).build());

            assertThat(all.count()).isEqualTo(calls.size());
            assertThat(all.rows()).containsExactlyElementsOf(newestFirst(calls, c -> true));
        }

        @Test
        void findFiltersByEachCriterion() {
            List<CallRecord> calls = fixture();
            write(calls);

            assertFound(query().userId("u1"), calls, c -> "u1".equals(c.userId()), 25);
            assertFound(query().userId("nobody"), calls, c -> false, 0);
            assertFound(query().from(T0 + 5_000).to(T0 + 10_000), calls,
                    c -> c.createdAt() >= T0 + 5_000 && c.createdAt() < T0 + 10_000, 7);
            assertFound(query().from(T0 + 24_000), calls, c -> c.createdAt() >= T0 + 24_000, 1);
            assertFound(query().to(T0), calls, c -> false, 0);
            assertFound(query().status("failed"), calls, c -> c.status() == CallStatus.FAILED, 1);
            assertFound(query().status("cancelled"), calls, c -> c.status() == CallStatus.CANCELLED, 1);
            assertFound(query().status("success"), calls, c -> c.status() == CallStatus.SUCCESS, 25);
            assertFound(query().type("embedding"), calls, c -> c.type() == CallType.EMBEDDING, 1);
            assertFound(query().type("image"), calls, c -> c.type() == CallType.IMAGE, 1);
            assertFound(query().type("chat"), calls, c -> c.type() == CallType.CHAT, 25);
            assertFound(query().model("gpt-4o"), calls, c -> "gpt-4o".equals(c.modelRequested()), 25);
            // The model filter is the model as asked for (the analytics dimension); search finds answered names.
            assertFound(query().model("gpt-4o-2024-08-06"), calls, c -> false, 0);
            assertFound(query().model("claude-alias"), calls, c -> "claude-alias".equals(c.modelRequested()), 1);
            assertFound(query().model("gpt"), calls, c -> false, 0);
            assertFound(query().provider("anthropic"), calls, c -> "anthropic".equals(c.provider()), 2);
            assertFound(query().appDid("app-a"), calls, c -> "app-a".equals(c.appDid()), 13);
            assertFound(query().userId("u1").appDid("app-b").from(T0 + 10_000).to(T0 + 20_000), calls,
                    c -> "u1".equals(c.userId()) && "app-b".equals(c.appDid())
                            && c.createdAt() >= T0 + 10_000 && c.createdAt() < T0 + 20_000, 5);
        }

        @Test
        void searchMatchesModelAndErrorCaseInsensitivelyAndRequestIdExactly() {
            List<CallRecord> calls = fixture();
            write(calls);

            assertFound(query().search("GPT-4O"), calls, c -> "gpt-4o".equals(c.modelRequested()), 25);
            assertFound(query().search("2024-08-06"), calls, c -> "gpt-4o".equals(c.modelRequested()), 25);
            assertFound(query().search("embedding-3"), calls, c -> c.type() == CallType.EMBEDDING, 1);
            assertFound(query().search("rate limit"), calls, c -> c.status() == CallStatus.FAILED, 1);
            assertFound(query().search("REQ-Special"), calls, c -> "REQ-Special".equals(c.requestId()), 1);
            assertFound(query().search("req-special"), calls, c -> false, 0);
            assertFound(query().search("req-1"), calls, c -> "req-1".equals(c.requestId()), 1);
            assertFound(query().search("req-"), calls, c -> false, 0);
            assertFound(query().search("claude").userId("u1"), calls, c -> false, 0);
            assertFound(query().search("%"), calls, c -> false, 0);
            assertFound(query().search("_"), calls, c -> false, 0);
        }

        @Test
        void pagesAreNewestFirstAndCountIgnoresThePage() {
            List<CallRecord> calls = fixture();
            write(calls);
            ModelCallStore store = new ModelCallStore(db.jdbi());
            List<CallRecord> u1 = newestFirst(calls, c -> "u1".equals(c.userId()));

            ModelCallStore.Page first = store.find(query().userId("u1").page(1).pageSize(10).build());
            ModelCallStore.Page second = store.find(query().userId("u1").page(2).pageSize(10).build());
            ModelCallStore.Page third = store.find(query().userId("u1").page(3).pageSize(10).build());
            ModelCallStore.Page beyond = store.find(query().userId("u1").page(4).pageSize(10).build());

            assertThat(first.rows()).containsExactlyElementsOf(u1.subList(0, 10));
            assertThat(second.rows()).containsExactlyElementsOf(u1.subList(10, 20));
            assertThat(third.rows()).containsExactlyElementsOf(u1.subList(20, 25));
            assertThat(beyond.rows()).isEmpty();
            assertThat(List.of(first, second, third, beyond)).allSatisfy(p -> assertThat(p.count()).isEqualTo(25));
            assertThat(first.rows().getFirst().createdAt()).isEqualTo(T0 + 24_000);
        }

        // ---------------------------------------------------------------- helpers

        private long count(String sql, Object... args) {
            return db.jdbi().withHandle(h -> {
                var query = h.createQuery(sql);
                for (int i = 0; i < args.length; i++) {
                    query.bind(i, args[i]);
                }
                return query.mapTo(Long.class).one();
            });
        }

        private String sealedSecret(String credentialId) {
            return db.jdbi().withHandle(h -> h.createQuery(
                            "SELECT sealed_secret FROM provider_credentials WHERE id = :id")
                    .bind("id", credentialId).mapTo(String.class).one());
        }

        private static MasterKeyRing ring(int version) {
            return MasterKeyRing.of(Map.of(version, MasterKeyRing.newKey()));
        }

        private ProviderStore providerStore(MasterKeyRing ring) {
            return new ProviderStore(db.jdbi(), new SecretBox(ring, Hub.CREDENTIAL_PURPOSE));
        }

        private static Provider openai(ProviderStore store, String name) {
            return store.createProvider(name, ProviderType.OPENAI, "OpenAI " + name, null, null, true,
                    List.of("gpt-4o", "gpt-4o-mini"), "api", null);
        }

        private static String sha256Hex(String text) throws Exception {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        }

        private static CallRecord call(long createdAt, String userId, long n) {
            return new CallRecord(Ids.next(), createdAt, userId, "key-" + userId, null, "req-" + n,
                    "/api/v2/chat/completions", CallType.CHAT, n % 2 == 0, "openai", "cred-1", "gpt-4o", "gpt-4o",
                    CallStatus.SUCCESS, 200, null, new Usage(n, 2 * n + 1, 0, 0, 3 * n + 1, 0), 1, 10 + n % 7,
                    n % 3 == 0 ? null : 5L, "up-" + n);
        }

        /**
         * 25 chat calls of u1, one a second from T0, alternating apps; plus a failed embedding and a cancelled image
         * call of u2 in the middle of that range.
         */
        private static List<CallRecord> fixture() {
            List<CallRecord> calls = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                calls.add(new CallRecord(Ids.next(), T0 + i * 1_000L, "u1", "k1", i % 2 == 0 ? "app-a" : "app-b",
                        "req-" + i, "/api/v2/chat/completions", CallType.CHAT, i % 2 == 0, "openai", "cred-1", "gpt-4o",
                        "gpt-4o-2024-08-06", CallStatus.SUCCESS, 200, null, new Usage(10 + i, 20 + i, i, i % 3, 0, 30 + 2 * i, 0),
                        1, 100 + i, i % 2 == 0 ? 40L + i : null, "chatcmpl-" + i));
            }
            calls.add(new CallRecord(Ids.next(), T0 + 5_000, "u2", "k2", null, "REQ-Special", "/api/v2/embeddings",
                    CallType.EMBEDDING, false, "anthropic", null, "text-embedding-3-small", null, CallStatus.FAILED, 429,
                    "Upstream Rate LIMIT exceeded", Usage.NONE, 3, 900, null, null));
            calls.add(new CallRecord(Ids.next(), T0 + 6_000, "u2", "k2", null, "req-image", "/api/v2/image",
                    CallType.IMAGE, false, "anthropic", "cred-2", "claude-alias", "claude-sonnet-4",
                    CallStatus.CANCELLED, null, "client went away", new Usage(0, 0, 0, 0, 0, 2), 1, 50, null, null));
            return calls;
        }

        private void write(List<CallRecord> calls) {
            try (UsageLedger ledger = new UsageLedger(db.dataSource(), null, 50, Duration.ofMillis(50))) {
                calls.forEach(ledger::record);
            }
        }

        private static List<CallRecord> newestFirst(List<CallRecord> calls, Predicate<CallRecord> filter) {
            return calls.stream().filter(filter)
                    .sorted(Comparator.comparingLong(CallRecord::createdAt).thenComparing(CallRecord::id).reversed())
                    .toList();
        }

        private void assertFound(QueryBuilder query, List<CallRecord> calls, Predicate<CallRecord> expected,
                                 int expectedCount) {
            ModelCallStore.Page page = new ModelCallStore(db.jdbi()).find(query.pageSize(100).build());
            List<CallRecord> want = newestFirst(calls, expected);
            assertThat(want).as("fixture sanity for %s", query).hasSize(expectedCount);
            assertThat(page.count()).as("count for %s", query).isEqualTo(expectedCount);
            assertThat(page.rows()).as("rows for %s", query).containsExactlyElementsOf(want);
        }

        private static QueryBuilder query() {
            return new QueryBuilder();
        }
    }

    /** {@link ModelCallQuery} with named setters; every filter starts unset, page 1 of 20. */
    private static final class QueryBuilder {
        private String userId;
        private Long from;
        private Long to;
        private String status;
        private String model;
        private String type;
        private String provider;
        private String appDid;
        private String search;
        private int page = 1;
        private int pageSize = 20;

        QueryBuilder userId(String v) { userId = v; return this; }
        QueryBuilder from(long v) { from = v; return this; }
        QueryBuilder to(long v) { to = v; return this; }
        QueryBuilder status(String v) { status = v; return this; }
        QueryBuilder model(String v) { model = v; return this; }
        QueryBuilder type(String v) { type = v; return this; }
        QueryBuilder provider(String v) { provider = v; return this; }
        QueryBuilder appDid(String v) { appDid = v; return this; }
        QueryBuilder search(String v) { search = v; return this; }
        QueryBuilder page(int v) { page = v; return this; }
        QueryBuilder pageSize(int v) { pageSize = v; return this; }

        ModelCallQuery build() {
            return new ModelCallQuery(userId, from, to, status, model, type, provider, appDid, search, page, pageSize);
        }

        @Override
        public String toString() {
            return build().toString();
        }
    }
}
