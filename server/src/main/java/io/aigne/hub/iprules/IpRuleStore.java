package io.aigne.hub.iprules;

import io.aigne.hub.store.Ids;
import org.jdbi.v3.core.Jdbi;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** The hub-wide IP rules in the database ({@code ip_rules}). */
public final class IpRuleStore {
    private final Jdbi jdbi;

    public IpRuleStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public List<IpRule> list() {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM ip_rules ORDER BY created_at, id")
                .map((rs, ctx) -> map(rs)).list());
    }

    public Optional<IpRule> byId(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM ip_rules WHERE id = :id")
                .bind("id", id).map((rs, ctx) -> map(rs)).findOne());
    }

    public Optional<IpRule> find(IpRule.Action action, Cidr cidr) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM ip_rules WHERE action = :action AND cidr = :cidr")
                .bind("action", action.wireName()).bind("cidr", cidr.toString())
                .map((rs, ctx) -> map(rs)).findOne());
    }

    public IpRule create(IpRule.Action action, Cidr cidr, String note, String createdBy) {
        long now = System.currentTimeMillis();
        IpRule rule = new IpRule(Ids.next(), action, cidr, note, createdBy, now, now);
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO ip_rules (id, action, cidr, note, created_by, created_at, updated_at)
                        VALUES (:id, :action, :cidr, :note, :createdBy, :now, :now)""")
                .bind("id", rule.id()).bind("action", action.wireName()).bind("cidr", cidr.toString())
                .bind("note", note).bind("createdBy", createdBy).bind("now", now)
                .execute());
        return rule;
    }

    /** Replaces a rule's action, network and note. */
    public boolean update(IpRule rule) {
        return jdbi.withHandle(h -> h.createUpdate("""
                        UPDATE ip_rules SET action = :action, cidr = :cidr, note = :note, updated_at = :now
                        WHERE id = :id""")
                .bind("id", rule.id()).bind("action", rule.action().wireName()).bind("cidr", rule.cidr().toString())
                .bind("note", rule.note()).bind("now", System.currentTimeMillis())
                .execute()) > 0;
    }

    public boolean delete(String id) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM ip_rules WHERE id = :id").bind("id", id).execute()) > 0;
    }

    private static IpRule map(ResultSet rs) throws SQLException {
        return new IpRule(rs.getString("id"), IpRule.Action.parse(rs.getString("action")),
                Cidr.parse(rs.getString("cidr")), rs.getString("note"), rs.getString("created_by"),
                rs.getLong("created_at"), rs.getLong("updated_at"));
    }
}
