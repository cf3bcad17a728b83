package io.aigne.hub.billing;

import io.aigne.hub.store.Database.Dialect;
import io.aigne.hub.store.Ids;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The credit ledger in the database, the one truth every node shares. Each operation is one transaction that keeps
 * {@code credit_accounts.balance} equal to the sum of the user's entries and {@code held} equal to the sum of their
 * open holds:
 * <ul>
 *   <li>a hold succeeds only while balance minus open holds covers it (a conditional UPDATE, atomic on SQLite's
 *       single writer and under PostgreSQL's row lock), so concurrent calls on any number of nodes never reserve
 *       more than the balance;</li>
 *   <li>a settlement claims the call's hold, charges what the call cost (never more than the hold plus what no
 *       other hold reserves, so the balance never goes below zero), spends grants oldest-expiry first, and is
 *       idempotent per call id: a replayed record is never charged twice;</li>
 *   <li>grants with an external id (a purchase event, the new-user grant) are credited once.</li>
 * </ul>
 */
public final class CreditLedger {
    private final Jdbi jdbi;
    private final Dialect dialect;
    private final Supplier<BillingPolicy> policy;

    public CreditLedger(Jdbi jdbi, Dialect dialect, Supplier<BillingPolicy> policy) {
        this.jdbi = jdbi;
        this.dialect = dialect;
        this.policy = policy;
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public CreditAccount account(String userId) {
        return jdbi.inTransaction(h -> {
            ensureAccount(h, userId);
            return h.createQuery("SELECT user_id, balance, held FROM credit_accounts WHERE user_id = :u")
                    .bind("u", userId)
                    .map((rs, ctx) -> new CreditAccount(rs.getString(1), new Credits(rs.getLong(2)),
                            new Credits(rs.getLong(3))))
                    .one();
        });
    }

    /** Adds credit; empty when {@code externalId} was already credited (a redelivered purchase event). */
    public Optional<CreditEntry> grant(String userId, CreditEntry.Kind kind, Credits amount, Long expiresAt,
                                       String externalId, String description, String actor) {
        if (!kind.adds() || !amount.isPositive()) {
            throw new IllegalArgumentException("a grant adds a positive amount");
        }
        return jdbi.inTransaction(h -> {
            ensureAccount(h, userId);
            return insertGrant(h, userId, kind, amount, expiresAt, externalId, description, actor);
        });
    }

    /**
     * Reserves {@code amount} for a call; false when balance minus open holds cannot cover it. The hold is kept in
     * the database under this node's name, so a restart or another node can release it if the call never ends.
     */
    public boolean hold(String callId, String userId, Credits amount, String node, long expiresAt) {
        return jdbi.inTransaction(h -> {
            ensureAccount(h, userId);
            int reserved = h.createUpdate("""
                            UPDATE credit_accounts SET held = held + :a, updated_at = :now
                            WHERE user_id = :u AND balance - held >= :a""")
                    .bind("a", amount.nanos()).bind("u", userId).bind("now", System.currentTimeMillis()).execute();
            if (reserved == 0) {
                return false;
            }
            h.createUpdate("""
                            INSERT INTO credit_holds (call_id, user_id, amount, node, created_at, expires_at)
                            VALUES (:c, :u, :a, :n, :now, :exp)""")
                    .bind("c", callId).bind("u", userId).bind("a", amount.nanos()).bind("n", node)
                    .bind("now", System.currentTimeMillis()).bind("exp", expiresAt).execute();
            return true;
        });
    }

    /** Settles one ended call in its own transaction; see {@link #settle(Handle, Settlement)}. */
    public Credits settle(Settlement s) {
        return jdbi.inTransaction(h -> settle(h, s));
    }

    /** What a call that ended owes: its cost (charged only when {@code charge} is true) and its id. */
    public record Settlement(String callId, String userId, Credits cost, boolean charge) {
    }

    /**
     * Releases the call's hold and charges its cost, inside the caller's transaction. Idempotent: a call already
     * charged is not charged again, a hold already released is not released again. Returns what was charged now.
     */
    public Credits settle(Handle h, Settlement s) {
        Credits held = claimHold(h, s.callId());
        Credits charged = Credits.ZERO;
        if (s.charge() && s.cost().isPositive() && s.userId() != null) {
            ensureAccount(h, s.userId());
            CreditAccount account = lockedAccount(h, s.userId());
            // Other calls' holds stay covered: this call may take its own hold and whatever nobody reserved.
            Credits coverable = account.balance().minus(account.held().minus(held)).max(Credits.ZERO);
            Credits charge = s.cost().min(coverable);
            long now = System.currentTimeMillis();
            int inserted = h.createUpdate("""
                            INSERT INTO credit_entries (id, user_id, kind, amount, remaining, call_id, description,
                                created_at)
                            VALUES (:id, :u, 'charge', :a, 0, :c, :d, :now)
                            ON CONFLICT (call_id) WHERE kind = 'charge' DO NOTHING""")
                    .bind("id", Ids.next()).bind("u", s.userId()).bind("a", -charge.nanos()).bind("c", s.callId())
                    .bind("d", charge.equals(s.cost()) ? null
                            : "cost " + s.cost().toPlainString() + ", charged what the balance covered")
                    .bind("now", now).execute();
            if (inserted == 1) {
                spendGrants(h, s.userId(), charge);
                charged = charge;
            }
            h.createUpdate("UPDATE credit_accounts SET balance = balance - :c, held = held - :h, updated_at = :now "
                            + "WHERE user_id = :u")
                    .bind("c", charged.nanos()).bind("h", held.nanos()).bind("u", s.userId()).bind("now", now)
                    .execute();
        } else if (held.isPositive()) {
            release(h, s.userId(), held);
        }
        return charged;
    }

    /** Releases the holds of calls that died with their node: this node's (after a restart) or any expired one. */
    public int releaseAbandonedHolds(String node, long now) {
        List<String> calls = jdbi.withHandle(h -> h.createQuery(
                        "SELECT call_id FROM credit_holds WHERE node = :n OR expires_at <= :now")
                .bind("n", node).bind("now", now).mapTo(String.class).list());
        int released = 0;
        for (String callId : calls) {
            released += jdbi.inTransaction(h -> {
                String user = h.createQuery("SELECT user_id FROM credit_holds WHERE call_id = :c").bind("c", callId)
                        .mapTo(String.class).findOne().orElse(null);
                Credits held = claimHold(h, callId);
                if (user != null && held.isPositive()) {
                    release(h, user, held);
                    return 1;
                }
                return 0;
            });
        }
        return released;
    }

    /** Removes what is left of grants whose time has come, each once, as an expiry entry. */
    public int expireDue(long now) {
        List<String> due = jdbi.withHandle(h -> h.createQuery(
                        "SELECT id FROM credit_entries WHERE remaining > 0 AND expires_at IS NOT NULL AND expires_at <= :now")
                .bind("now", now).mapTo(String.class).list());
        int expired = 0;
        for (String grantId : due) {
            expired += jdbi.inTransaction(h -> {
                CreditEntry grant = h.createQuery("SELECT * FROM credit_entries WHERE id = :id").bind("id", grantId)
                        .map((rs, ctx) -> entry(rs)).one();
                lockedAccount(h, grant.userId());
                int claimed = h.createUpdate("UPDATE credit_entries SET remaining = 0 WHERE id = :id AND remaining = :r")
                        .bind("id", grantId).bind("r", grant.remaining().nanos()).execute();
                if (claimed == 0 || !grant.remaining().isPositive()) {
                    return 0;
                }
                h.createUpdate("""
                                INSERT INTO credit_entries (id, user_id, kind, amount, remaining, external_id,
                                    description, created_at)
                                VALUES (:id, :u, 'expiry', :a, 0, :x, :d, :now)""")
                        .bind("id", Ids.next()).bind("u", grant.userId()).bind("a", -grant.remaining().nanos())
                        .bind("x", "expiry:" + grantId).bind("d", "unspent credit of a grant that expired")
                        .bind("now", now).execute();
                h.createUpdate("UPDATE credit_accounts SET balance = balance - :a, updated_at = :now WHERE user_id = :u")
                        .bind("a", grant.remaining().nanos()).bind("u", grant.userId()).bind("now", now).execute();
                return 1;
            });
        }
        return expired;
    }

    /** Gives back what a call was charged, once per call. Empty when it was not charged or already refunded. */
    public Optional<CreditEntry> refund(String callId, String reason, String actor) {
        return jdbi.inTransaction(h -> {
            Optional<CreditEntry> charge = h.createQuery(
                            "SELECT * FROM credit_entries WHERE call_id = :c AND kind = 'charge'")
                    .bind("c", callId).map((rs, ctx) -> entry(rs)).findOne();
            if (charge.isEmpty() || !charge.get().amount().isNegative()) {
                return Optional.empty();
            }
            return insertGrant(h, charge.get().userId(), CreditEntry.Kind.REFUND, charge.get().amount().negate(), null,
                    "refund:" + callId, reason, actor);
        });
    }

    /** A user's entries, newest first, optionally of some kinds only, with the total count. */
    public record Page(long count, List<CreditEntry> entries) {
    }

    public Page entries(String userId, List<CreditEntry.Kind> kinds, Long from, Long to, int page, int pageSize) {
        StringBuilder where = new StringBuilder(" WHERE user_id = :u");
        if (kinds != null && !kinds.isEmpty()) {
            where.append(" AND kind IN (<kinds>)");
        }
        if (from != null) {
            where.append(" AND created_at >= :from");
        }
        if (to != null) {
            where.append(" AND created_at < :to");
        }
        return jdbi.withHandle(h -> {
            var count = h.createQuery("SELECT COUNT(*) FROM credit_entries" + where).bind("u", userId);
            var rows = h.createQuery("SELECT * FROM credit_entries" + where
                    + " ORDER BY created_at DESC, id DESC LIMIT :limit OFFSET :offset").bind("u", userId);
            if (kinds != null && !kinds.isEmpty()) {
                List<String> names = kinds.stream().map(CreditEntry.Kind::wireName).toList();
                count.bindList("kinds", names);
                rows.bindList("kinds", names);
            }
            if (from != null) {
                count.bind("from", from);
                rows.bind("from", from);
            }
            if (to != null) {
                count.bind("to", to);
                rows.bind("to", to);
            }
            rows.bind("limit", pageSize).bind("offset", (long) (page - 1) * pageSize);
            return new Page(count.mapTo(Long.class).one(), rows.map((rs, ctx) -> entry(rs)).list());
        });
    }

    /** The sum of a user's entries: what the balance must always equal. */
    public Credits ledgerSum(String userId) {
        return new Credits(jdbi.withHandle(h -> h.createQuery(
                        "SELECT COALESCE(SUM(amount), 0) FROM credit_entries WHERE user_id = :u")
                .bind("u", userId).mapTo(Long.class).one()));
    }

    /** Everything ever added to the user's credit: grants, promotions, purchases and refunds. */
    public Credits granted(String userId) {
        return new Credits(jdbi.withHandle(h -> h.createQuery(
                        "SELECT COALESCE(SUM(amount), 0) FROM credit_entries WHERE user_id = :u AND amount > 0")
                .bind("u", userId).mapTo(Long.class).one()));
    }

    /** What the user spent from {@code since} on (charges net of refunds of them). */
    public Credits spentSince(String userId, long since) {
        return new Credits(-jdbi.withHandle(h -> h.createQuery("""
                        SELECT COALESCE(SUM(amount), 0) FROM credit_entries
                        WHERE user_id = :u AND created_at >= :since AND kind = 'charge'""")
                .bind("u", userId).bind("since", since).mapTo(Long.class).one()));
    }

    /**
     * Creates the user's account on first use. A new account receives the new-user grant when billing is on and
     * one is configured, once per user (its external id makes a second attempt a no-op).
     */
    private void ensureAccount(Handle h, String userId) {
        long now = System.currentTimeMillis();
        int created = h.createUpdate("""
                        INSERT INTO credit_accounts (user_id, balance, held, updated_at) VALUES (:u, 0, 0, :now)
                        ON CONFLICT (user_id) DO NOTHING""")
                .bind("u", userId).bind("now", now).execute();
        BillingPolicy p = policy.get();
        if (created == 1 && p.enabled() && p.newUserGrant().isPositive()) {
            insertGrant(h, userId, CreditEntry.Kind.PROMOTION, p.newUserGrant(), p.grantExpiry(now),
                    "new-user:" + userId, "New user bonus credit", "system");
        }
    }

    private Optional<CreditEntry> insertGrant(Handle h, String userId, CreditEntry.Kind kind, Credits amount,
                                              Long expiresAt, String externalId, String description, String actor) {
        String id = Ids.next();
        long now = System.currentTimeMillis();
        int inserted = h.createUpdate("""
                        INSERT INTO credit_entries (id, user_id, kind, amount, remaining, expires_at, external_id,
                            description, actor, created_at)
                        VALUES (:id, :u, :k, :a, :a, :exp, :x, :d, :actor, :now)
                        ON CONFLICT (external_id) WHERE external_id IS NOT NULL DO NOTHING""")
                .bind("id", id).bind("u", userId).bind("k", kind.wireName()).bind("a", amount.nanos())
                .bind("exp", expiresAt).bind("x", externalId).bind("d", description).bind("actor", actor)
                .bind("now", now).execute();
        if (inserted == 0) {
            return Optional.empty();
        }
        h.createUpdate("UPDATE credit_accounts SET balance = balance + :a, updated_at = :now WHERE user_id = :u")
                .bind("a", amount.nanos()).bind("u", userId).bind("now", now).execute();
        return Optional.of(new CreditEntry(id, userId, kind, amount, amount, expiresAt, null, externalId, description,
                actor, now));
    }

    /** Takes the charge out of the grants that still have credit, those expiring first first. */
    private static void spendGrants(Handle h, String userId, Credits charge) {
        long left = charge.nanos();
        if (left <= 0) {
            return;
        }
        List<CreditEntry> open = h.createQuery("""
                        SELECT * FROM credit_entries WHERE user_id = :u AND remaining > 0
                        ORDER BY CASE WHEN expires_at IS NULL THEN 1 ELSE 0 END, expires_at, created_at, id""")
                .bind("u", userId).map((rs, ctx) -> entry(rs)).list();
        for (CreditEntry grant : open) {
            long take = Math.min(left, grant.remaining().nanos());
            h.createUpdate("UPDATE credit_entries SET remaining = remaining - :t WHERE id = :id")
                    .bind("t", take).bind("id", grant.id()).execute();
            left -= take;
            if (left == 0) {
                return;
            }
        }
    }

    private static Credits claimHold(Handle h, String callId) {
        return new Credits(h.createQuery("DELETE FROM credit_holds WHERE call_id = :c RETURNING amount")
                .bind("c", callId).mapTo(Long.class).findOne().orElse(0L));
    }

    private static void release(Handle h, String userId, Credits held) {
        h.createUpdate("UPDATE credit_accounts SET held = held - :h, updated_at = :now WHERE user_id = :u")
                .bind("h", held.nanos()).bind("u", userId).bind("now", System.currentTimeMillis()).execute();
    }

    private CreditAccount lockedAccount(Handle h, String userId) {
        String lock = dialect == Dialect.POSTGRESQL ? " FOR UPDATE" : "";
        return h.createQuery("SELECT user_id, balance, held FROM credit_accounts WHERE user_id = :u" + lock)
                .bind("u", userId)
                .map((rs, ctx) -> new CreditAccount(rs.getString(1), new Credits(rs.getLong(2)),
                        new Credits(rs.getLong(3))))
                .one();
    }

    static CreditEntry entry(ResultSet rs) throws SQLException {
        return new CreditEntry(rs.getString("id"), rs.getString("user_id"), CreditEntry.Kind.of(rs.getString("kind")),
                new Credits(rs.getLong("amount")), new Credits(rs.getLong("remaining")),
                nullableLong(rs, "expires_at"), rs.getString("call_id"), rs.getString("external_id"),
                rs.getString("description"), rs.getString("actor"), rs.getLong("created_at"));
    }

    private static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }
}
