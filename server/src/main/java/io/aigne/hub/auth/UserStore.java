package io.aigne.hub.auth;

import io.aigne.hub.store.Ids;
import io.aigne.hub.store.Like;
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

    /** Writes a user's display name, email, role and disabled flag as given (null clears the first two). */
    public boolean save(User next) {
        return jdbi.withHandle(h -> h.createUpdate("""
                        UPDATE users SET display_name = :displayName, email = :email, role = :role,
                               disabled = :disabled, updated_at = :now
                        WHERE id = :id""")
                .bind("id", next.id()).bind("displayName", next.displayName()).bind("email", next.email())
                .bind("role", next.role().wireName()).bind("disabled", next.disabled() ? 1 : 0)
                .bind("now", System.currentTimeMillis())
                .execute()) > 0;
    }

    /** A page of users, oldest first, and how many match in all. */
    public record Page(long count, List<User> users) {
    }

    /**
     * Users whose name, display name or email contains {@code text} (case-insensitive, literally), with
     * {@code role} when given.
     */
    public Page search(String text, Role role, int page, int pageSize) {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        if (text != null) {
            where.append(" AND (LOWER(name) LIKE :text" + Like.ESCAPE + " OR LOWER(COALESCE(display_name, '')) LIKE :text"
                    + Like.ESCAPE + " OR LOWER(COALESCE(email, '')) LIKE :text" + Like.ESCAPE + ")");
        }
        if (role != null) {
            where.append(" AND role = :role");
        }
        String pattern = text == null ? null : Like.contains(text.toLowerCase(java.util.Locale.ROOT));
        return jdbi.withHandle(h -> {
            var count = h.createQuery("SELECT COUNT(*) FROM users" + where);
            var rows = h.createQuery("SELECT * FROM users" + where
                    + " ORDER BY created_at, id LIMIT :limit OFFSET :offset");
            if (text != null) {
                count.bind("text", pattern);
                rows.bind("text", pattern);
            }
            if (role != null) {
                count.bind("role", role.wireName());
                rows.bind("role", role.wireName());
            }
            long total = count.mapTo(Long.class).one();
            List<User> users = rows.bind("limit", pageSize).bind("offset", (long) (page - 1) * pageSize)
                    .map((rs, ctx) -> map(rs)).list();
            return new Page(total, users);
        });
    }

    /** Owners that are not disabled: a hub must always keep at least one. */
    public long activeOwners() {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM users WHERE role = 'owner' AND disabled = 0")
                .mapTo(Long.class).one());
    }

    /**
     * Inside a transaction, locks the owners' rows until it ends, so that two concurrent changes cannot each see
     * the other owner still active and together leave the hub without one. (PostgreSQL takes row locks; SQLite
     * already serialises writing transactions.)
     */
    public void lockOwners() {
        jdbi.useHandle(h -> h.createUpdate("UPDATE users SET updated_at = updated_at WHERE role = 'owner'").execute());
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
