package io.aigne.hub.usage;

import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the ledger of model calls with filters and paging, newest first. */
public final class ModelCallStore {
    private final Jdbi jdbi;

    public ModelCallStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public record Page(long count, List<CallRecord> rows) {
    }

    public Page find(ModelCallQuery q) {
        List<String> where = new ArrayList<>();
        Map<String, Object> args = new LinkedHashMap<>();
        add(where, args, "user_id = :userId", "userId", q.userId());
        add(where, args, "created_at >= :from", "from", q.fromMillis());
        add(where, args, "created_at < :to", "to", q.toMillis());
        add(where, args, "status = :status", "status", q.status());
        add(where, args, "(model_requested = :model OR model_answered = :model)", "model", q.model());
        add(where, args, "type = :type", "type", q.type());
        add(where, args, "provider = :provider", "provider", q.provider());
        add(where, args, "app_did = :appDid", "appDid", q.appDid());
        if (q.search() != null) {
            // The term is matched literally: '%' and '_' in it are escaped, not wildcards.
            where.add("(LOWER(model_requested) LIKE :search ESCAPE '!' OR LOWER(model_answered) LIKE :search ESCAPE '!' "
                    + "OR LOWER(COALESCE(error, '')) LIKE :search ESCAPE '!' "
                    + "OR request_id = :searchExact OR id = :searchExact)");
            String literal = q.search().toLowerCase(java.util.Locale.ROOT)
                    .replace("!", "!!").replace("%", "!%").replace("_", "!_");
            args.put("search", "%" + literal + "%");
            args.put("searchExact", q.search());
        }
        String clause = where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where);
        return jdbi.withHandle(h -> {
            Query count = h.createQuery("SELECT COUNT(*) FROM model_calls" + clause);
            args.forEach(count::bind);
            long total = count.mapTo(Long.class).one();
            Query rows = h.createQuery("SELECT * FROM model_calls" + clause
                    + " ORDER BY created_at DESC, id DESC LIMIT :limit OFFSET :offset");
            args.forEach(rows::bind);
            rows.bind("limit", q.pageSize()).bind("offset", (long) (q.page() - 1) * q.pageSize());
            return new Page(total, rows.map((rs, ctx) -> map(rs)).list());
        });
    }

    private static void add(List<String> where, Map<String, Object> args, String sql, String name, Object value) {
        if (value != null) {
            where.add(sql);
            args.put(name, value);
        }
    }

    static CallRecord map(ResultSet rs) throws SQLException {
        long ttfb = rs.getLong("ttfb_ms");
        Long ttfbValue = rs.wasNull() ? null : ttfb;
        int http = rs.getInt("http_status");
        Integer httpValue = rs.wasNull() ? null : http;
        Usage usage = new Usage(rs.getLong("input_tokens"), rs.getLong("output_tokens"), rs.getLong("cached_tokens"),
                rs.getLong("cache_write_tokens"), rs.getLong("reasoning_tokens"), rs.getLong("total_tokens"), rs.getInt("image_count"),
                rs.getInt("video_seconds"));
        return new CallRecord(rs.getString("id"), rs.getLong("created_at"), rs.getString("user_id"),
                rs.getString("access_key_id"), rs.getString("app_did"), rs.getString("request_id"),
                rs.getString("endpoint"), CallType.valueOf(rs.getString("type").toUpperCase(java.util.Locale.ROOT)),
                rs.getInt("streamed") != 0, rs.getString("provider"), rs.getString("credential_id"),
                rs.getString("model_requested"), rs.getString("model_answered"),
                CallStatus.valueOf(rs.getString("status").toUpperCase(java.util.Locale.ROOT)), httpValue,
                rs.getString("error"), usage, rs.getInt("attempts"), rs.getLong("latency_ms"), ttfbValue,
                rs.getString("upstream_request_id"), rs.getLong("credits"), 0, false);
    }
}
