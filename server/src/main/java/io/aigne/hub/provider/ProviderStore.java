package io.aigne.hub.provider;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigne.hub.secret.SecretBox;
import io.aigne.hub.store.Ids;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Providers and their credentials in the database. Secrets are sealed with AES-256-GCM before they reach SQL,
 * bound to their row by the associated data {@code provider_credential:<id>}, and stored with the master key
 * version that sealed them.
 */
public final class ProviderStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<String>> STRING_LIST = new TypeReference<>() {
    };

    private final Jdbi jdbi;
    private final SecretBox box;

    public ProviderStore(Jdbi jdbi, SecretBox box) {
        this.jdbi = jdbi;
        this.box = box;
    }

    public Provider createProvider(String name, ProviderType type, String displayName, String baseUrl, String region,
                                   boolean enabled, List<String> models, String source, String createdBy) {
        long now = System.currentTimeMillis();
        Provider provider = new Provider(Ids.next(), name, type, displayName, baseUrl, region, enabled, models, source,
                now, now);
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO providers (id, name, type, display_name, base_url, region, enabled, models, source,
                                               created_by, created_at, updated_at)
                        VALUES (:id, :name, :type, :displayName, :baseUrl, :region, :enabled, :models, :source,
                                :createdBy, :now, :now)""")
                .bind("id", provider.id()).bind("name", name).bind("type", type.id())
                .bind("displayName", displayName).bind("baseUrl", baseUrl).bind("region", region)
                .bind("enabled", enabled ? 1 : 0).bind("models", toJson(models)).bind("source", source)
                .bind("createdBy", createdBy).bind("now", now)
                .execute());
        return provider;
    }

    public void updateProvider(Provider p) {
        jdbi.useHandle(h -> h.createUpdate("""
                        UPDATE providers SET type = :type, display_name = :displayName, base_url = :baseUrl,
                               region = :region, enabled = :enabled, models = :models, updated_at = :now
                        WHERE id = :id""")
                .bind("id", p.id()).bind("type", p.type().id()).bind("displayName", p.displayName())
                .bind("baseUrl", p.baseUrl()).bind("region", p.region()).bind("enabled", p.enabled() ? 1 : 0)
                .bind("models", toJson(p.models())).bind("now", System.currentTimeMillis())
                .execute());
    }

    public boolean deleteProvider(String id) {
        return jdbi.inTransaction(h -> {
            h.createUpdate("DELETE FROM provider_credentials WHERE provider_id = :id").bind("id", id).execute();
            return h.createUpdate("DELETE FROM providers WHERE id = :id").bind("id", id).execute() > 0;
        });
    }

    public List<Provider> providers() {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM providers ORDER BY name")
                .map((rs, ctx) -> mapProvider(rs)).list());
    }

    public Optional<Provider> provider(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM providers WHERE id = :id")
                .bind("id", id).map((rs, ctx) -> mapProvider(rs)).findOne());
    }

    public Optional<Provider> providerByName(String name) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM providers WHERE name = :name")
                .bind("name", name).map((rs, ctx) -> mapProvider(rs)).findOne());
    }

    public Credential createCredential(String providerId, String name, CredentialKind kind, CredentialSecret secret,
                                       int weight) {
        String id = Ids.next();
        long now = System.currentTimeMillis();
        SecretBox.Sealed sealed = box.seal(toJson(secret), associatedData(id));
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO provider_credentials (id, provider_id, name, kind, sealed_secret, key_version, masked,
                                                          weight, enabled, created_at, updated_at)
                        VALUES (:id, :providerId, :name, :kind, :sealed, :version, :masked, :weight, 1, :now, :now)""")
                .bind("id", id).bind("providerId", providerId).bind("name", name).bind("kind", kind.wireName())
                .bind("sealed", sealed.ciphertext()).bind("version", sealed.keyVersion())
                .bind("masked", secret.masked()).bind("weight", weight).bind("now", now)
                .execute());
        return new Credential(id, providerId, name, kind, secret.masked(), weight, true, sealed.keyVersion(), null,
                null, now, now);
    }

    /** Updates the given fields; a null argument leaves that field as it is. */
    public void updateCredential(String id, String name, CredentialSecret secret, Integer weight, Boolean enabled) {
        jdbi.useHandle(h -> {
            long now = System.currentTimeMillis();
            if (secret != null) {
                SecretBox.Sealed sealed = box.seal(toJson(secret), associatedData(id));
                h.createUpdate("""
                                UPDATE provider_credentials SET sealed_secret = :sealed, key_version = :version,
                                       masked = :masked, last_error = NULL, last_error_at = NULL, updated_at = :now
                                WHERE id = :id""")
                        .bind("id", id).bind("sealed", sealed.ciphertext()).bind("version", sealed.keyVersion())
                        .bind("masked", secret.masked()).bind("now", now).execute();
            }
            h.createUpdate("""
                            UPDATE provider_credentials SET name = COALESCE(:name, name), weight = COALESCE(:weight, weight),
                                   enabled = COALESCE(:enabled, enabled), updated_at = :now
                            WHERE id = :id""")
                    .bind("id", id).bind("name", name).bind("weight", weight)
                    .bind("enabled", enabled == null ? null : (enabled ? 1 : 0)).bind("now", now).execute();
        });
    }

    public boolean deleteCredential(String id) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM provider_credentials WHERE id = :id")
                .bind("id", id).execute()) > 0;
    }

    public List<Credential> credentials(String providerId) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT * FROM provider_credentials WHERE provider_id = :providerId ORDER BY created_at")
                .bind("providerId", providerId).map((rs, ctx) -> mapCredential(rs)).list());
    }

    public List<Credential> allCredentials() {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM provider_credentials ORDER BY created_at")
                .map((rs, ctx) -> mapCredential(rs)).list());
    }

    public Optional<Credential> credential(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM provider_credentials WHERE id = :id")
                .bind("id", id).map((rs, ctx) -> mapCredential(rs)).findOne());
    }

    /** Decrypts a credential's secret; only the routing layer and credential tests call this. */
    public CredentialSecret openSecret(String credentialId) {
        return jdbi.withHandle(h -> {
            var row = h.createQuery("SELECT sealed_secret, key_version FROM provider_credentials WHERE id = :id")
                    .bind("id", credentialId)
                    .map((rs, ctx) -> new SecretBox.Sealed(rs.getInt("key_version"), rs.getString("sealed_secret")))
                    .one();
            return parseSecret(box.open(row, associatedData(credentialId)));
        });
    }

    public void recordError(String credentialId, String error) {
        jdbi.useHandle(h -> h.createUpdate(
                        "UPDATE provider_credentials SET last_error = :error, last_error_at = :now WHERE id = :id")
                .bind("id", credentialId).bind("error", error).bind("now", System.currentTimeMillis()).execute());
    }

    public void clearError(String credentialId) {
        jdbi.useHandle(h -> h.createUpdate(
                        "UPDATE provider_credentials SET last_error = NULL, last_error_at = NULL WHERE id = :id")
                .bind("id", credentialId).execute());
    }

    /**
     * Re-seals every credential under {@code target}'s current master key version in one transaction, and returns
     * how many rows were re-sealed. The rows are read with this store's box, which must know all their versions.
     */
    public int resealAll(SecretBox target) {
        return jdbi.inTransaction(h -> {
            List<String[]> rows = h.createQuery("SELECT id, key_version, sealed_secret FROM provider_credentials")
                    .map((rs, ctx) -> new String[]{rs.getString("id"), rs.getString("key_version"),
                            rs.getString("sealed_secret")})
                    .list();
            for (String[] row : rows) {
                String plain = box.open(new SecretBox.Sealed(Integer.parseInt(row[1]), row[2]), associatedData(row[0]));
                SecretBox.Sealed resealed = target.seal(plain, associatedData(row[0]));
                reseal(h, row[0], resealed);
            }
            return rows.size();
        });
    }

    private static void reseal(Handle h, String id, SecretBox.Sealed sealed) {
        h.createUpdate("UPDATE provider_credentials SET sealed_secret = :s, key_version = :v WHERE id = :id")
                .bind("id", id).bind("s", sealed.ciphertext()).bind("v", sealed.keyVersion()).execute();
    }

    static String associatedData(String credentialId) {
        return "provider_credential:" + credentialId;
    }

    private static CredentialSecret parseSecret(String json) {
        try {
            return JSON.readValue(json, CredentialSecret.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored credential is not readable");
        }
    }

    private static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Provider mapProvider(ResultSet rs) throws SQLException {
        List<String> models;
        try {
            String json = rs.getString("models");
            models = json == null || json.isBlank() ? List.of() : JSON.readValue(json, STRING_LIST);
        } catch (JsonProcessingException e) {
            models = List.of();
        }
        return new Provider(rs.getString("id"), rs.getString("name"),
                ProviderType.byId(rs.getString("type")).orElse(ProviderType.OPENAI), rs.getString("display_name"),
                rs.getString("base_url"), rs.getString("region"), rs.getInt("enabled") != 0, models,
                rs.getString("source"), rs.getLong("created_at"), rs.getLong("updated_at"));
    }

    private static Credential mapCredential(ResultSet rs) throws SQLException {
        long lastErrorAt = rs.getLong("last_error_at");
        Long lastErrorAtValue = rs.wasNull() ? null : lastErrorAt;
        return new Credential(rs.getString("id"), rs.getString("provider_id"), rs.getString("name"),
                CredentialKind.parse(rs.getString("kind")), rs.getString("masked"), rs.getInt("weight"),
                rs.getInt("enabled") != 0, rs.getInt("key_version"), rs.getString("last_error"), lastErrorAtValue,
                rs.getLong("created_at"), rs.getLong("updated_at"));
    }
}
