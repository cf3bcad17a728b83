package io.aigne.hub.cli;

import io.aigne.hub.Hub;
import io.aigne.hub.audit.Actor;
import io.aigne.hub.audit.AuditEvent;
import io.aigne.hub.audit.AuditLog;
import io.aigne.hub.auth.AccessKey;
import io.aigne.hub.auth.AccessKeys;
import io.aigne.hub.auth.IssuedKey;
import io.aigne.hub.auth.KeyAdmin;
import io.aigne.hub.auth.Passwords;
import io.aigne.hub.auth.Role;
import io.aigne.hub.auth.User;
import io.aigne.hub.auth.UserAdmin;
import io.aigne.hub.auth.UserStore;
import io.aigne.hub.config.HubConfig;
import io.aigne.hub.provider.ProviderStore;
import io.aigne.hub.secret.MasterKeyRing;
import io.aigne.hub.secret.SecretBox;
import io.aigne.hub.server.ApiException;
import io.aigne.hub.store.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Administration straight against the database, for bootstrap and recovery; the HTTP API does the rest. Changes
 * are audited with the actor {@code cli}.
 */
@Command(name = "admin", description = "Manage users, access keys and the master key directly in the database.",
        subcommands = {AdminCommand.CreateKey.class, AdminCommand.ListKeys.class, AdminCommand.RevokeKey.class,
                AdminCommand.CreateUser.class, AdminCommand.ListUsers.class, AdminCommand.SetPassword.class,
                AdminCommand.RotateMasterKey.class, RatesCommand.class, RollupsCommand.class})
public final class AdminCommand implements Runnable {
    @Override
    public void run() {
        System.err.println("choose a subcommand: create-key, list-keys, revoke-key, create-user, list-users, set-password, "
                + "rotate-master-key, rates, rollups");
    }

    abstract static class WithDatabase implements Callable<Integer> {
        @Mixin
        ConfigOptions configOptions;

        HubConfig config;

        @Override
        public final Integer call() {
            config = configOptions.load();
            try (Database db = Database.open(config.database(), Path.of(config.dataDir()))) {
                return run(db);
            } catch (ApiException refused) {
                System.err.println(refused.getMessage());
                return 1;
            }
        }

        abstract int run(Database db);

        static AccessKeys keys(Database db) {
            return new AccessKeys(db.jdbi(), Duration.ofSeconds(1));
        }

        static KeyAdmin keyAdmin(Database db) {
            return new KeyAdmin(keys(db), new AuditLog(db.jdbi()));
        }

        static UserAdmin userAdmin(Database db) {
            return new UserAdmin(new UserStore(db.jdbi()), keys(db), new AuditLog(db.jdbi()));
        }

        User user(UserStore users, String name) {
            return users.byName(name).orElseThrow(() -> new IllegalArgumentException("no user named '" + name
                    + "' (./hub admin list-users shows them)"));
        }
    }

    @Command(name = "create-key", description = "Create an access key for a user and print it once.")
    static final class CreateKey extends WithDatabase {
        @Option(names = "--user", required = true, description = "user name, e.g. owner")
        String user;
        @Option(names = "--name", description = "a name to recognise the key by")
        String name;
        @Option(names = "--app", description = "the application that will use the key")
        String app;

        @Override
        int run(Database db) {
            User u = user(new UserStore(db.jdbi()), user);
            IssuedKey key = keyAdmin(db).issue(u.id(), name, app, Actor.CLI);
            System.out.println("Access key for " + u.name() + " (id " + key.key().id() + "), shown only now:");
            System.out.println(key.secret());
            return 0;
        }
    }

    @Command(name = "list-keys", description = "List a user's access keys (never their secrets).")
    static final class ListKeys extends WithDatabase {
        @Option(names = "--user", required = true)
        String user;

        @Override
        int run(Database db) {
            User u = user(new UserStore(db.jdbi()), user);
            for (AccessKey k : keys(db).listForUser(u.id())) {
                System.out.printf("%s  %-16s %-20s created %s%s%n", k.id(), k.hint(), k.name() == null ? "" : k.name(),
                        Instant.ofEpochMilli(k.createdAt()), k.revoked() ? "  REVOKED" : "");
            }
            return 0;
        }
    }

    @Command(name = "revoke-key", description = "Revoke an access key by id (running hubs stop accepting it "
            + "within security.accessKeyCacheSeconds).")
    static final class RevokeKey extends WithDatabase {
        @Parameters(paramLabel = "KEY_ID")
        String id;

        @Override
        int run(Database db) {
            boolean revoked = keys(db).byId(id).map(k -> keyAdmin(db).revoke(k, Actor.CLI)).orElse(false);
            System.out.println(revoked ? "revoked " + id : "no active key with id " + id);
            return revoked ? 0 : 1;
        }
    }

    @Command(name = "create-user", description = "Create a user.")
    static final class CreateUser extends WithDatabase {
        @Parameters(paramLabel = "NAME")
        String name;
        @Option(names = "--role", defaultValue = "member", description = "owner, admin, member or guest (default member)")
        String role;

        @Override
        int run(Database db) {
            User u = userAdmin(db).create(new UserAdmin.NewUser(name, null, null, Role.parse(role), null), null,
                    Actor.CLI);
            System.out.println("created user " + u.name() + " (" + u.role().wireName() + ", id " + u.id() + ")");
            return 0;
        }
    }

    @Command(name = "list-users", description = "List users.")
    static final class ListUsers extends WithDatabase {
        @Override
        int run(Database db) {
            for (User u : new UserStore(db.jdbi()).list()) {
                System.out.printf("%s  %-20s %-7s%s%n", u.id(), u.name(), u.role().wireName(), u.disabled() ? "  DISABLED" : "");
            }
            return 0;
        }
    }

    @Command(name = "set-password", description = "Set the password a user signs in to the hub's web pages with "
            + "(e.g. to approve 'aigne hub connect'). Asks twice on a terminal; otherwise, or with --password-stdin, "
            + "reads the first line of standard input.")
    static final class SetPassword extends WithDatabase {
        @Parameters(paramLabel = "NAME")
        String name;
        @Option(names = "--password-stdin", description = "read the password from the first line of standard input")
        boolean fromStdin;
        @Option(names = "--clear", description = "remove the password: the user can no longer sign in on the web")
        boolean clear;

        @Override
        int run(Database db) {
            UserStore users = new UserStore(db.jdbi());
            User u = user(users, name);
            if (clear) {
                userAdmin(db).setPassword(u, null, Actor.CLI);
                System.out.println("removed the password of " + u.name());
                return 0;
            }
            char[] password = fromStdin || System.console() == null ? firstLineOfStdin() : askTwice();
            if (password == null) {
                return 1;
            }
            try {
                String weakness = Passwords.weakness(CharBuffer.wrap(password));
                if (weakness != null) {
                    System.err.println("not set: " + weakness);
                    return 1;
                }
                userAdmin(db).setPassword(u, CharBuffer.wrap(password), Actor.CLI);
            } finally {
                Arrays.fill(password, '\0');
            }
            System.out.println("set the password of " + u.name() + "; browser sessions already signed in stay "
                    + "signed in until they expire or the hub restarts");
            return 0;
        }

        private static char[] askTwice() {
            char[] first = System.console().readPassword("New password for the hub's web sign-in: ");
            char[] second = System.console().readPassword("Repeat it: ");
            if (first == null || second == null || !Arrays.equals(first, second)) {
                System.err.println("not set: the two entries differ");
                return null;
            }
            Arrays.fill(second, '\0');
            return first;
        }

        private static char[] firstLineOfStdin() {
            try {
                String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                        .readLine();
                if (line == null) {
                    System.err.println("not set: standard input is empty (pipe the password in, e.g. "
                            + "printf '%s\\n' \"$PW\" | ./hub admin set-password NAME --password-stdin)");
                    return null;
                }
                return line.toCharArray();
            } catch (IOException e) {
                System.err.println("not set: could not read standard input: " + e.getMessage());
                return null;
            }
        }
    }

    @Command(name = "rotate-master-key", description = "Re-encrypt every provider credential under a new master key.")
    static final class RotateMasterKey extends WithDatabase {
        @Option(names = "--new-key", description = "with a configured security.masterKey: the new key (base64 of 32 "
                + "bytes); generated when omitted")
        String newKey;

        @Override
        int run(Database db) {
            MasterKeyRing ring = MasterKeyRing.load(config.security(), Path.of(config.dataDir()));
            byte[] key = newKey == null ? MasterKeyRing.newKey() : Base64.getDecoder().decode(newKey.trim());
            if (key.length != 32) {
                System.err.println("--new-key must be base64 of 32 bytes (openssl rand -base64 32)");
                return 1;
            }
            ProviderStore reader = new ProviderStore(db.jdbi(), new SecretBox(ring, Hub.CREDENTIAL_PURPOSE));
            if (ring.fileManaged()) {
                MasterKeyRing next = ring.withNewVersion(key);
                int count = reseal(db, reader, new SecretBox(next, Hub.CREDENTIAL_PURPOSE), next.currentVersion());
                next.withoutOldVersions();
                System.out.println("re-encrypted " + count + " credentials under master key version "
                        + next.currentVersion() + "; the key file now holds only that version");
                return 0;
            }
            Map<Integer, byte[]> versions = new HashMap<>();
            int nextVersion = ring.currentVersion() + 1;
            versions.put(nextVersion, key);
            int count = reseal(db, reader, new SecretBox(MasterKeyRing.of(versions), Hub.CREDENTIAL_PURPOSE),
                    nextVersion);
            System.out.println("re-encrypted " + count + " credentials under master key version " + nextVersion + ".");
            System.out.println("Now set security.masterKey (or AIGNE_HUB_SECURITY_MASTER_KEY) to:");
            System.out.println(MasterKeyRing.format(nextVersion, key));
            System.out.println("and restart the hub; the previous key is no longer needed.");
            return 0;
        }

        /** Re-seals every credential and records it ({@code master_key.rotate}), together or not at all. */
        private static int reseal(Database db, ProviderStore reader, SecretBox target, int version) {
            AuditLog audit = new AuditLog(db.jdbi());
            return audit.inTransaction(() -> {
                int count = reader.resealAll(target);
                audit.record(AuditEvent.of(Actor.CLI, "master_key.rotate", "master_key", Integer.toString(version),
                        null, Map.of("version", version, "credentialsResealed", count)));
                return count;
            });
        }
    }
}
