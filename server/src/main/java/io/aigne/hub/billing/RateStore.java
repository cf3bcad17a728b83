package io.aigne.hub.billing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.aigne.hub.server.Json;
import io.aigne.hub.store.Ids;
import io.aigne.hub.usage.CallType;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.SqlStatement;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@code model_rates} table: rates are kept as decimal strings and read back as {@link BigDecimal}. */
public final class RateStore {
    private static final String INSERT = """
            INSERT INTO model_rates (id, provider, model, type, display_name, input_rate, output_rate,
                cache_read_rate, cache_write_rate, image_rate, image_rates, video_second_rate, unit_costs,
                source, deprecated, deprecated_reason, deprecated_at, metadata, created_at, updated_at)
            VALUES (:id, :provider, :model, :type, :displayName, :input, :output, :cacheRead, :cacheWrite,
                :image, :imageRates, :video, :unitCosts, :source, :deprecated, :deprecatedReason,
                :deprecatedAt, :metadata, :createdAt, :updatedAt)""";
    private final Jdbi jdbi;

    public RateStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public List<ModelRate> all() {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM model_rates ORDER BY provider, model, type")
                .map((rs, ctx) -> read(rs)).list());
    }

    public Optional<ModelRate> find(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM model_rates WHERE id = :id").bind("id", id)
                .map((rs, ctx) -> read(rs)).findOne());
    }

    public Optional<ModelRate> find(String provider, String model, CallType type) {
        return jdbi.withHandle(h -> find(h, provider, model, type));
    }

    public static Optional<ModelRate> find(Handle h, String provider, String model, CallType type) {
        return h.createQuery("SELECT * FROM model_rates WHERE provider = :p AND model = :m AND type = :t")
                .bind("p", provider).bind("m", model).bind("t", type.wireName())
                .map((rs, ctx) -> read(rs)).findOne();
    }

    /** Inserts the rate, or replaces the one with the same provider, model and type; returns it as stored. */
    public ModelRate save(ModelRate rate) {
        return jdbi.inTransaction(h -> save(h, rate));
    }

    public static ModelRate save(Handle h, ModelRate rate) {
        long now = System.currentTimeMillis();
        Optional<ModelRate> existing = find(h, rate.provider(), rate.model(), rate.type());
        String id = existing.map(ModelRate::id).orElse(rate.id() != null ? rate.id() : Ids.next());
        long createdAt = existing.map(ModelRate::createdAt).orElse(now);
        h.createUpdate("DELETE FROM model_rates WHERE id = :id").bind("id", id).execute();
        bind(h.createUpdate(INSERT), rate, id, createdAt, now).execute();
        return find(h, rate.provider(), rate.model(), rate.type()).orElseThrow();
    }

    /**
     * Inserts new rates in one batch (an import's creations: one round trip instead of several per rate). None of
     * them may exist yet; the unique key refuses duplicates.
     */
    public static void insertAll(Handle h, List<ModelRate> rates) {
        if (rates.isEmpty()) {
            return;
        }
        long now = System.currentTimeMillis();
        PreparedBatch batch = h.prepareBatch(INSERT);
        for (ModelRate rate : rates) {
            bind(batch, rate, rate.id() != null ? rate.id() : Ids.next(), now, now).add();
        }
        batch.execute();
    }

    private static <S extends SqlStatement<S>> S bind(S statement, ModelRate rate, String id, long createdAt,
                                                      long now) {
        return statement.bind("id", id).bind("provider", rate.provider()).bind("model", rate.model())
                .bind("type", rate.type().wireName()).bind("displayName", rate.displayName())
                .bind("input", plain(rate.inputRate())).bind("output", plain(rate.outputRate()))
                .bind("cacheRead", plain(rate.cacheReadRate())).bind("cacheWrite", plain(rate.cacheWriteRate()))
                .bind("image", plain(rate.imageRate()))
                .bind("imageRates", rate.imageRates().isEmpty() ? null : json(plainValues(rate.imageRates())))
                .bind("video", plain(rate.videoSecondRate()))
                .bind("unitCosts", rate.unitCosts() == null ? null : json(rate.unitCosts()))
                .bind("source", rate.source().wireName()).bind("deprecated", rate.deprecated() ? 1 : 0)
                .bind("deprecatedReason", rate.deprecatedReason()).bind("deprecatedAt", rate.deprecatedAt())
                .bind("metadata", rate.metadata()).bind("createdAt", createdAt).bind("updatedAt", now);
    }

    public boolean delete(String id) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM model_rates WHERE id = :id").bind("id", id).execute()) > 0;
    }

    static ModelRate read(ResultSet rs) throws SQLException {
        return new ModelRate(rs.getString("id"), rs.getString("provider"), rs.getString("model"),
                type(rs.getString("type")), rs.getString("display_name"), decimal(rs.getString("input_rate")),
                decimal(rs.getString("output_rate")), decimal(rs.getString("cache_read_rate")),
                decimal(rs.getString("cache_write_rate")), decimal(rs.getString("image_rate")),
                imageRates(rs.getString("image_rates")), decimal(rs.getString("video_second_rate")),
                unitCosts(rs.getString("unit_costs")), ModelRate.Source.of(rs.getString("source")),
                rs.getInt("deprecated") != 0, rs.getString("deprecated_reason"),
                nullableLong(rs, "deprecated_at"), rs.getString("metadata"),
                rs.getLong("created_at"), rs.getLong("updated_at"));
    }

    public static CallType type(String wire) {
        for (CallType t : CallType.values()) {
            if (t.wireName().equals(wire)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown call type " + wire);
    }

    private static BigDecimal decimal(String s) {
        return s == null || s.isBlank() ? null : new BigDecimal(s);
    }

    private static String plain(BigDecimal d) {
        return d == null ? null : d.stripTrailingZeros().toPlainString();
    }

    private static Map<String, String> plainValues(Map<String, BigDecimal> rates) {
        Map<String, String> out = new LinkedHashMap<>();
        rates.forEach((k, v) -> out.put(k, plain(v)));
        return out;
    }

    private static Map<String, BigDecimal> imageRates(String json) {
        if (json == null || json.isBlank()) {
            return Map.of();
        }
        Map<String, String> raw = parse(json, new TypeReference<>() { });
        Map<String, BigDecimal> out = new LinkedHashMap<>();
        raw.forEach((k, v) -> out.put(k, new BigDecimal(v)));
        return out;
    }

    private static ModelRate.UnitCosts unitCosts(String json) {
        return json == null || json.isBlank() ? null : parse(json, new TypeReference<>() { });
    }

    private static <T> T parse(String json, TypeReference<T> type) {
        try {
            return Json.MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable JSON in model_rates: " + e.getOriginalMessage(), e);
        }
    }

    private static String json(Object value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }
}
