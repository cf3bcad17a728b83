package io.aigne.hub.auth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.audit.Actor;
import io.aigne.hub.audit.AuditEvent;
import io.aigne.hub.audit.AuditLog;
import io.aigne.hub.server.ApiException;
import io.aigne.hub.server.Json;

import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Creating and changing users under {@link RoleRules}, each step with an audit record in the same transaction.
 * Any change to a user drops the cached key verifications, so that a disabled user's keys stop working at once
 * and a new role applies to the next request.
 */
public final class UserAdmin {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,99}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+");
    private static final int MAX_DISPLAY_NAME = 100;
    private static final int MAX_EMAIL = 254;

    private final UserStore users;
    private final AccessKeys keys;
    private final AuditLog audit;

    public UserAdmin(UserStore users, AccessKeys keys, AuditLog audit) {
        this.users = users;
        this.keys = keys;
        this.audit = audit;
    }

    /** A user to create; {@code role} defaults to member, {@code password} (optional) enables the web sign-in. */
    public record NewUser(String name, String displayName, String email, Role role, String password) {
        @Override
        public String toString() {
            return "NewUser[" + name + ", " + role + "]";
        }
    }

    /**
     * A change; null leaves a field as it is, an empty display name or email clears it. A password is hashed with
     * Argon2id and never kept otherwise.
     */
    public record UserChange(String displayName, String email, Role role, Boolean disabled, String password) {
        @Override
        public String toString() {
            return "UserChange[role=" + role + ", disabled=" + disabled + "]";
        }
    }

    /** @param by the acting user, or null for the operator at the command line */
    public User create(NewUser spec, Principal by, Actor actor) {
        return create(spec, by, actor, u -> { });
    }

    /**
     * Creates a user on the hub's own behalf (e.g. at a first sign-in through an identity provider) and runs
     * {@code alsoInTransaction} in the same transaction, so that the user, its audit record and whatever the caller
     * writes with it commit or roll back together.
     */
    public User createLinked(NewUser spec, Actor actor, java.util.function.Consumer<User> alsoInTransaction) {
        return create(spec, null, actor, alsoInTransaction);
    }

    private User create(NewUser spec, Principal by, Actor actor, java.util.function.Consumer<User> alsoInTransaction) {
        if (spec.name() == null || !NAME.matcher(spec.name()).matches()) {
            throw ApiException.invalid("name", "'name' is required: 1-100 letters, digits, '.', '_', '@' or '-'");
        }
        String displayName = checkDisplayName(spec.displayName());
        String email = checkEmail(spec.email());
        Role role = spec.role() == null ? Role.MEMBER : spec.role();
        RoleRules.checkCreate(by, role);
        // Hashed before the transaction opens: Argon2id takes tens of milliseconds, the database lock should not.
        String hash = spec.password() == null ? null : Passwords.hash(checkPassword(spec.password()));
        return audit.inTransaction(() -> {
            if (users.byName(spec.name()).isPresent()) {
                throw new ApiException(409, "conflict", "already_exists", "name",
                        "a user named '" + spec.name() + "' already exists");
            }
            User user = users.create(spec.name(), emptyToNull(displayName), emptyToNull(email), role);
            if (hash != null) {
                users.setPasswordHash(user.id(), hash);
            }
            audit.record(AuditEvent.of(actor, "user.create", "user", user.id(), null, snapshot(user, hash != null)));
            alsoInTransaction.accept(user);
            return user;
        });
    }

    /**
     * Applies {@code change} as up to four audited steps: profile ({@code user.update}), role ({@code user.role}),
     * disabled flag ({@code user.disable}/{@code user.enable}) and password ({@code user.password}).
     *
     * @param by the acting user, or null for the operator at the command line
     */
    public User update(String id, UserChange change, Principal by, Actor actor) {
        String displayName = checkDisplayName(change.displayName());
        String email = checkEmail(change.email());
        String hash = change.password() == null ? null : Passwords.hash(checkPassword(change.password()));
        User result = audit.inTransaction(() -> {
            if (change.role() != null || change.disabled() != null) {
                users.lockOwners();
            }
            User before = users.byId(id).orElseThrow(() -> ApiException.notFound("not_found", "no user with id " + id));
            RoleRules.checkChange(by, before, change);
            boolean hasPassword = users.passwordHash(id).isPresent();
            User current = before;
            current = step(current, hasPassword, actor, "user.update", u -> new User(u.id(), u.name(),
                    displayName == null ? u.displayName() : emptyToNull(displayName),
                    email == null ? u.email() : emptyToNull(email), u.role(), u.disabled(), u.createdAt()));
            current = step(current, hasPassword, actor, "user.role", u -> change.role() == null ? u
                    : new User(u.id(), u.name(), u.displayName(), u.email(), change.role(), u.disabled(), u.createdAt()));
            String toggle = Boolean.TRUE.equals(change.disabled()) ? "user.disable" : "user.enable";
            current = step(current, hasPassword, actor, toggle, u -> change.disabled() == null ? u
                    : new User(u.id(), u.name(), u.displayName(), u.email(), u.role(), change.disabled(), u.createdAt()));
            RoleRules.checkKeepsAnOwner(before, current, users.activeOwners());
            if (!current.equals(before)) {
                users.save(current);
                keys.forgetCached();
            }
            if (hash != null) {
                users.setPasswordHash(id, hash);
                audit.record(AuditEvent.of(actor, "user.password", "user", id, snapshot(current, hasPassword),
                        snapshot(current, true)));
            }
            return current;
        });
        return result;
    }

    /** Sets or, with null, removes a user's password, as the command line does. */
    public void setPassword(User user, CharSequence password, Actor actor) {
        String hash = password == null ? null : Passwords.hash(password);
        audit.useTransaction(() -> {
            boolean had = users.passwordHash(user.id()).isPresent();
            users.setPasswordHash(user.id(), hash);
            audit.record(AuditEvent.of(actor, "user.password", "user", user.id(), snapshot(user, had),
                    snapshot(user, hash != null)));
        });
    }

    private User step(User current, boolean hasPassword, Actor actor, String action, UnaryOperator<User> change) {
        User next = change.apply(current);
        if (!next.equals(current)) {
            audit.record(AuditEvent.of(actor, action, "user", current.id(), snapshot(current, hasPassword),
                    snapshot(next, hasPassword)));
        }
        return next;
    }

    /** What the audit log shows of a user: whether a password is set, never the password or its hash. */
    static ObjectNode snapshot(User u, boolean hasPassword) {
        ObjectNode o = Json.object();
        o.put("id", u.id());
        o.put("name", u.name());
        o.put("displayName", u.displayName());
        o.put("email", u.email());
        o.put("role", u.role().wireName());
        o.put("disabled", u.disabled());
        o.put("hasPassword", hasPassword);
        return o;
    }

    private static String checkDisplayName(String displayName) {
        if (displayName != null && displayName.strip().length() > MAX_DISPLAY_NAME) {
            throw ApiException.invalid("displayName", "'displayName' has at most " + MAX_DISPLAY_NAME + " characters");
        }
        return displayName == null ? null : displayName.strip();
    }

    private static String checkEmail(String email) {
        if (email == null || email.isBlank()) {
            return email == null ? null : "";
        }
        String trimmed = email.strip();
        if (trimmed.length() > MAX_EMAIL || !EMAIL.matcher(trimmed).matches()) {
            throw ApiException.invalid("email", "'email' must look like name@example.com (or be empty to remove it)");
        }
        return trimmed;
    }

    private static String checkPassword(String password) {
        String weakness = Passwords.weakness(password);
        if (weakness != null) {
            throw ApiException.invalid("password", weakness);
        }
        return password;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
