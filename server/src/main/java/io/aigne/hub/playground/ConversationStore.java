package io.aigne.hub.playground;

import io.aigne.hub.store.Ids;
import org.jdbi.v3.core.Jdbi;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * The playground's conversations ({@code playground_conversations}). Every read and write is scoped to one user:
 * a conversation of another user is simply not found, so no caller can reach someone else's chat by its id.
 */
public final class ConversationStore {
    private static final String SUMMARY = "id, user_id, title, model, system_prompt, '' AS messages, created_at, "
            + "updated_at";
    private final Jdbi jdbi;

    public ConversationStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The user's conversations, newest first, without their messages (the list needs titles only). */
    public List<Conversation> list(String userId, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + SUMMARY + " FROM playground_conversations "
                        + "WHERE user_id = :user ORDER BY updated_at DESC, id DESC LIMIT :limit")
                .bind("user", userId).bind("limit", limit).map((rs, ctx) -> map(rs)).list());
    }

    public Optional<Conversation> find(String userId, String id) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT * FROM playground_conversations WHERE id = :id AND user_id = :user")
                .bind("id", id).bind("user", userId).map((rs, ctx) -> map(rs)).findOne());
    }

    public long count(String userId) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT COUNT(*) FROM playground_conversations WHERE user_id = :user")
                .bind("user", userId).mapTo(Long.class).one());
    }

    public Conversation create(String userId, String title, String model, String systemPrompt, String messages) {
        long now = System.currentTimeMillis();
        Conversation c = new Conversation(Ids.next(), userId, title, model, systemPrompt, messages, now, now);
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO playground_conversations (id, user_id, title, model, system_prompt, messages,
                                                              created_at, updated_at)
                        VALUES (:id, :user, :title, :model, :system, :messages, :now, :now)""")
                .bind("id", c.id()).bind("user", userId).bind("title", title).bind("model", model)
                .bind("system", systemPrompt).bind("messages", messages).bind("now", now)
                .execute());
        return c;
    }

    /** Stores the changed fields of a conversation the caller already found; answers it as stored. */
    public Conversation update(Conversation c) {
        return jdbi.inTransaction(h -> {
            // Later than every other conversation of the user, so that the one just saved is at the top of the
            // list even when another was saved within the same millisecond.
            long latest = h.createQuery("SELECT COALESCE(MAX(updated_at), 0) FROM playground_conversations "
                    + "WHERE user_id = :user").bind("user", c.userId()).mapTo(Long.class).one();
            long now = Math.max(System.currentTimeMillis(), latest + 1);
            h.createUpdate("""
                            UPDATE playground_conversations SET title = :title, model = :model,
                                   system_prompt = :system, messages = :messages, updated_at = :now
                            WHERE id = :id AND user_id = :user""")
                    .bind("id", c.id()).bind("user", c.userId()).bind("title", c.title()).bind("model", c.model())
                    .bind("system", c.systemPrompt()).bind("messages", c.messages()).bind("now", now)
                    .execute();
            return new Conversation(c.id(), c.userId(), c.title(), c.model(), c.systemPrompt(), c.messages(),
                    c.createdAt(), now);
        });
    }

    public boolean delete(String userId, String id) {
        return jdbi.withHandle(h -> h.createUpdate(
                        "DELETE FROM playground_conversations WHERE id = :id AND user_id = :user")
                .bind("id", id).bind("user", userId).execute()) > 0;
    }

    private static Conversation map(ResultSet rs) throws SQLException {
        return new Conversation(rs.getString("id"), rs.getString("user_id"), rs.getString("title"),
                rs.getString("model"), rs.getString("system_prompt"), rs.getString("messages"),
                rs.getLong("created_at"), rs.getLong("updated_at"));
    }
}
