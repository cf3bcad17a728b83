package io.aigne.hub.auth;

import io.aigne.hub.store.Ids;
import org.jdbi.v3.core.Jdbi;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

public final class UserStore {
    private final Jdbi jdbi;

    public UserStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public User create(String name, String displayName, String email, Role role) {
        long now = System.currentTimeMillis();
        User user = new User(Ids.next(), name, displayName, email, role, false, now);
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO users (id, name, display_name, email, role, disabled, created_at, updated_at)
                        VALUES (:id, :name, :displayName, :email, :role, 0, :now, :now)""")
                .bind("id", user.id()).bind("name", name).bind("displayName", displayName).bind("email", email)
                .bind("role", role.wireName()).bind("now", now)
                .execute());
        return user;
    }

    public Optional<User> byId(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM users WHERE id = :id")
                .bind("id", id).map((rs, ctx) -> map(rs)).findOne());
    }

    public Optional<User> byName(String name) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM users WHERE name = :name")
                .bind("name", name).map((rs, ctx) -> map(rs)).findOne());
    }

    public List<User> list() {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM users ORDER BY created_at")
                .map((rs, ctx) -> map(rs)).list());
    }

    public long count() {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM users").mapTo(Long.class).one());
    }

    public Optional<User> owner() {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM users WHERE role = 'owner' ORDER BY created_at")
                .map((rs, ctx) -> map(rs)).findFirst());
    }

    public boolean update(String id, Role role, Boolean disabled, String displayName, String email) {
        return jdbi.withHandle(h -> h.createUpdate("""
                        UPDATE users SET role = COALESCE(:role, role), disabled = COALESCE(:disabled, disabled),
                               display_name = COALESCE(:displayName, display_name), email = COALESCE(:email, email),
                               updated_at = :now
                        WHERE id = :id""")
                .bind("id", id).bind("role", role == null ? null : role.wireName())
                .bind("disabled", disabled == null ? null : (disabled ? 1 : 0))
                .bind("displayName", displayName).bind("email", email)
                .bind("now", System.currentTimeMillis())
                .execute()) > 0;
    }

    /** Sets (or, with null, removes) the user's web sign-in password hash. */
    public boolean setPasswordHash(String id, String passwordHash) {
        return jdbi.withHandle(h -> h.createUpdate(
                        "UPDATE users SET password_hash = :hash, updated_at = :now WHERE id = :id")
                .bind("id", id).bind("hash", passwordHash).bind("now", System.currentTimeMillis())
                .execute()) > 0;
    }

    /** The user's password hash; empty when the user is unknown or has no password. */
    public Optional<String> passwordHash(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT password_hash FROM users WHERE id = :id")
                .bind("id", id).mapTo(String.class).findOne());
    }

    static User map(ResultSet rs) throws SQLException {
        return new User(rs.getString("id"), rs.getString("name"), rs.getString("display_name"),
                rs.getString("email"), Role.parse(rs.getString("role")), rs.getInt("disabled") != 0,
                rs.getLong("created_at"));
    }
}
