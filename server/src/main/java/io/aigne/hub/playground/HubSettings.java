package io.aigne.hub.playground;

import org.jdbi.v3.core.Jdbi;

import java.util.Optional;

/**
 * Hub-wide switches set from the console ({@code hub_settings}, key to text value). Read on every use: they change
 * rarely and are read rarely (a playground page load, a guest's model call), and reading through means every node
 * of a multi-node hub sees a change at once.
 */
public final class HubSettings {
    private final Jdbi jdbi;

    public HubSettings(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public Optional<String> get(String key) {
        return jdbi.withHandle(h -> h.createQuery("SELECT value FROM hub_settings WHERE key = :key")
                .bind("key", key).mapTo(String.class).findOne());
    }

    public void put(String key, String value) {
        long now = System.currentTimeMillis();
        // Portable upsert: SQLite and PostgreSQL both take ON CONFLICT ... DO UPDATE.
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO hub_settings (key, value, updated_at) VALUES (:key, :value, :now)
                        ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at""")
                .bind("key", key).bind("value", value).bind("now", now).execute());
    }
}
