package io.aigne.hub.limits;

import io.aigne.hub.store.Ids;
import org.jdbi.v3.core.Jdbi;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** The configured limits in the database ({@code limits}). */
public final class LimitStore {
    private final Jdbi jdbi;

    public LimitStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public List<Limit> list() {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM limits ORDER BY scope, subject, metric")
                .map((rs, ctx) -> map(rs)).list());
    }

    public Optional<Limit> byId(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM limits WHERE id = :id")
                .bind("id", id).map((rs, ctx) -> map(rs)).findOne());
    }

    public Optional<Limit> find(LimitScope scope, String subject, LimitMetric metric) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT * FROM limits WHERE scope = :scope AND subject = :subject AND metric = :metric")
                .bind("scope", scope.wireName()).bind("subject", subject).bind("metric", metric.wireName())
                .map((rs, ctx) -> map(rs)).findOne());
    }

    public Limit create(LimitScope scope, String subject, LimitMetric metric, long value, String note,
                        String createdBy) {
        long now = System.currentTimeMillis();
        Limit limit = new Limit(Ids.next(), scope, subject, metric, value, note, createdBy, now, now);
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO limits (id, scope, subject, metric, limit_value, note, created_by, created_at,
                                            updated_at)
                        VALUES (:id, :scope, :subject, :metric, :value, :note, :createdBy, :now, :now)""")
                .bind("id", limit.id()).bind("scope", scope.wireName()).bind("subject", subject)
                .bind("metric", metric.wireName()).bind("value", value).bind("note", note)
                .bind("createdBy", createdBy).bind("now", now)
                .execute());
        return limit;
    }

    /** Replaces everything but the id and creation fields; the stored row after the change. */
    public Limit update(Limit limit) {
        long now = System.currentTimeMillis();
        jdbi.useHandle(h -> h.createUpdate("""
                        UPDATE limits SET scope = :scope, subject = :subject, metric = :metric, limit_value = :value,
                               note = :note, updated_at = :now
                        WHERE id = :id""")
                .bind("id", limit.id()).bind("scope", limit.scope().wireName()).bind("subject", limit.subject())
                .bind("metric", limit.metric().wireName()).bind("value", limit.value()).bind("note", limit.note())
                .bind("now", now)
                .execute());
        return new Limit(limit.id(), limit.scope(), limit.subject(), limit.metric(), limit.value(), limit.note(),
                limit.createdBy(), limit.createdAt(), now);
    }

    public boolean delete(String id) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM limits WHERE id = :id").bind("id", id).execute()) > 0;
    }

    private static Limit map(ResultSet rs) throws SQLException {
        return new Limit(rs.getString("id"), LimitScope.parse(rs.getString("scope")), rs.getString("subject"),
                LimitMetric.parse(rs.getString("metric")), rs.getLong("limit_value"), rs.getString("note"),
                rs.getString("created_by"), rs.getLong("created_at"), rs.getLong("updated_at"));
    }
}
