package io.aigne.hub.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.aigne.hub.server.Json;
import io.aigne.hub.store.Ids;
import io.aigne.hub.store.Like;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The append-only record of administrative changes (table {@code audit_log}, whose triggers refuse UPDATE and
 * DELETE). Writes are synchronous: admin changes are rare, and a change must not be reported done before its record
 * exists. Run the change and its {@link #record} inside {@link #inTransaction} and they commit or roll back
 * together; the stores' own {@code jdbi} calls join that transaction because JDBI hands nested calls on one thread
 * the same handle.
 */
public final class AuditLog {
    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);

    private final Jdbi jdbi;

    public AuditLog(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * Writes one event, with its secrets masked, in the calling thread's transaction if one is open. A failure is
     * logged with the event and thrown as {@link AuditUnavailable} (503), which rolls that transaction back.
     */
    public AuditEntry record(AuditEvent event) {
        AuditEvent clean = new AuditEvent(event.at(), event.actor(), event.action(), event.targetType(),
                event.targetId(), SecretScrubber.scrub(event.before()), SecretScrubber.scrub(event.after()));
        String id = Ids.next();
        boolean[] inTransaction = {false};
        try {
            jdbi.useHandle(h -> {
                inTransaction[0] = h.isInTransaction();
                insert(h, id, clean);
            });
        } catch (RuntimeException e) {
            LOG.error("the audit log could not record {} of {} {} by {} ({}); {}; before {} after {}",
                    clean.action(), clean.targetType(), clean.targetId(), clean.actor().name(), rootMessage(e),
                    inTransaction[0] ? "the change is rolled back" : "THE CHANGE WAS MADE WITHOUT AN AUDIT RECORD",
                    clean.before(), clean.after());
            throw new AuditUnavailable(inTransaction[0]
                    ? "the change was not made: it could not be written to the audit log (the hub's log says why)"
                    : "the change was made but could not be written to the audit log; the hub's log has the details");
        }
        return new AuditEntry(id, clean);
    }

    /** Runs {@code change} in one database transaction: its writes and its audit records commit together. */
    public <T> T inTransaction(Supplier<T> change) {
        return jdbi.inTransaction(h -> change.get());
    }

    /** {@link #inTransaction} for changes without a result. */
    public void useTransaction(Runnable change) {
        jdbi.useTransaction(h -> change.run());
    }

    /** Matching entries, newest first. */
    public AuditQuery.Page find(AuditQuery q) {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        Map<String, Object> args = new LinkedHashMap<>();
        if (q.actor() != null) {
            where.append(" AND (actor_id = :actor OR actor_name = :actor)");
            args.put("actor", q.actor());
        }
        if (q.actionPrefix() != null) {
            where.append(" AND action LIKE :action" + Like.ESCAPE);
            args.put("action", Like.prefix(q.actionPrefix().toLowerCase(Locale.ROOT)));
        }
        if (q.targetType() != null) {
            where.append(" AND target_type = :targetType");
            args.put("targetType", q.targetType());
        }
        if (q.targetId() != null) {
            where.append(" AND target_id = :targetId");
            args.put("targetId", q.targetId());
        }
        if (q.since() != null) {
            where.append(" AND created_at >= :since");
            args.put("since", q.since());
        }
        if (q.until() != null) {
            where.append(" AND created_at < :until");
            args.put("until", q.until());
        }
        return jdbi.withHandle(h -> {
            long count = bind(h.createQuery("SELECT COUNT(*) FROM audit_log" + where), args)
                    .mapTo(Long.class).one();
            List<AuditEntry> entries = count == 0 ? List.of()
                    : bind(h.createQuery("SELECT * FROM audit_log" + where
                            + " ORDER BY created_at DESC, seq DESC LIMIT :limit OFFSET :offset"), args)
                    .bind("limit", q.pageSize()).bind("offset", (long) (q.page() - 1) * q.pageSize())
                    .map((rs, ctx) -> map(rs)).list();
            return new AuditQuery.Page(count, entries);
        });
    }

    private static void insert(Handle h, String id, AuditEvent e) {
        h.createUpdate("""
                        INSERT INTO audit_log (id, created_at, actor_type, actor_id, actor_name, ip, action, target_type,
                                               target_id, before_json, after_json)
                        VALUES (:id, :at, :actorType, :actorId, :actorName, :ip, :action, :targetType, :targetId,
                                :before, :after)""")
                .bind("id", id).bind("at", e.at())
                .bind("actorType", e.actor().kind().name().toLowerCase(Locale.ROOT))
                .bind("actorId", e.actor().id()).bind("actorName", e.actor().name()).bind("ip", e.actor().ip())
                .bind("action", e.action()).bind("targetType", e.targetType()).bind("targetId", e.targetId())
                .bind("before", text(e.before())).bind("after", text(e.after()))
                .execute();
    }

    private static Query bind(Query query, Map<String, Object> args) {
        args.forEach(query::bind);
        return query;
    }

    private static AuditEntry map(ResultSet rs) throws SQLException {
        Actor actor = new Actor(Actor.Kind.valueOf(rs.getString("actor_type").toUpperCase(Locale.ROOT)),
                rs.getString("actor_id"), rs.getString("actor_name"), rs.getString("ip"));
        return new AuditEntry(rs.getString("id"), new AuditEvent(rs.getLong("created_at"), actor,
                rs.getString("action"), rs.getString("target_type"), rs.getString("target_id"),
                json(rs.getString("before_json")), json(rs.getString("after_json"))));
    }

    private static String text(JsonNode node) {
        return node == null ? null : node.toString();
    }

    private static JsonNode json(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an audit_log row holds malformed JSON", e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
