package io.aigne.hub.billing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.aigne.hub.server.Json;
import io.aigne.hub.store.Ids;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.util.List;
import java.util.Locale;

/**
 * {@code model_rate_history}: one row per change of a rate, written in the same transaction as the change, with
 * the rate before and after it as JSON (see {@link RateJson}) and who made it. Rows are only ever added.
 */
public final class RateHistory {
    /** Why a rate changed. */
    public enum Change {
        CREATE, UPDATE, MANUAL_UPDATE, IMPORT, BULK_MARGIN, DEPRECATE, DELETE;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One recorded change; {@code before} is null for a creation, {@code after} null for a deletion. */
    public record Entry(String id, String rateId, String provider, String model, String type, String changeType,
                        JsonNode before, JsonNode after, String actor, long createdAt) {
    }

    private final Jdbi jdbi;

    public RateHistory(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Records a change; {@code before} or {@code after} may be null, not both. */
    public static void record(Handle h, Change change, ModelRate before, ModelRate after, String actor) {
        recordAll(h, List.of(new RateChanges.Write(change, before, after)), actor);
    }

    /** Records many changes in one batch; each write's {@code after} must be the rate as stored (with its id). */
    static void recordAll(Handle h, List<RateChanges.Write> writes, String actor) {
        if (writes.isEmpty()) {
            return;
        }
        long now = System.currentTimeMillis();
        PreparedBatch batch = h.prepareBatch("""
                INSERT INTO model_rate_history (id, rate_id, provider, model, type, change_type, before_json,
                    after_json, actor, created_at)
                VALUES (:id, :rateId, :provider, :model, :type, :change, :before, :after, :actor, :now)""");
        for (RateChanges.Write w : writes) {
            ModelRate subject = w.after() != null ? w.after() : w.before();
            batch.bind("id", Ids.next()).bind("rateId", subject.id()).bind("provider", subject.provider())
                    .bind("model", subject.model()).bind("type", subject.type().wireName())
                    .bind("change", w.change().wireName()).bind("before", RateJson.text(w.before()))
                    .bind("after", RateJson.text(w.after())).bind("actor", actor).bind("now", now)
                    .add();
        }
        batch.execute();
    }

    /** A rate's changes, newest first (also after the rate itself was deleted). */
    public List<Entry> of(String rateId) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT * FROM model_rate_history WHERE rate_id = :id ORDER BY created_at DESC, id DESC")
                .bind("id", rateId)
                .map((rs, ctx) -> new Entry(rs.getString("id"), rs.getString("rate_id"), rs.getString("provider"),
                        rs.getString("model"), rs.getString("type"), rs.getString("change_type"),
                        json(rs.getString("before_json")), json(rs.getString("after_json")), rs.getString("actor"),
                        rs.getLong("created_at")))
                .list());
    }

    private static JsonNode json(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable JSON in model_rate_history: " + e.getOriginalMessage(), e);
        }
    }
}
