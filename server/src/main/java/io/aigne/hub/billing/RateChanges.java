package io.aigne.hub.billing;

import io.aigne.hub.audit.Actor;
import io.aigne.hub.audit.AuditEvent;
import io.aigne.hub.audit.AuditLog;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.JdbiException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Every change of the model rates goes through here: in one transaction with its history rows
 * ({@link RateHistory}) and its audit log entry ({@code rate.*}), and followed by a reload of this node's
 * {@link RateCard} (other nodes pick the change up on their periodic reload). The command line passes no card.
 */
public final class RateChanges {
    /** A rate for the same provider, model and type exists already. */
    public static final class Conflict extends RuntimeException {
        private final ModelRate existing;

        Conflict(ModelRate existing) {
            super("a rate for " + existing.provider() + " / " + existing.model() + " (" + existing.type().wireName()
                    + ") exists already (id " + existing.id() + "); change it with PUT instead");
            this.existing = existing;
        }

        public ModelRate existing() {
            return existing;
        }
    }

    /** One write of a batch: {@code before} null creates, {@code after} null deletes. */
    public record Write(RateHistory.Change change, ModelRate before, ModelRate after) {
    }

    /** What a batch decided: its result for the caller, and the writes to make. */
    public record Batch<T>(T result, List<Write> writes) {
    }

    /**
     * The one audit log entry of a batch (rather than one per rate: an import creates hundreds): its action, such
     * as {@code rate.import}, the target id, and what to record as the change.
     */
    public record Audit<T>(String action, String targetId, Function<T, Object> after) {
    }

    private final RateStore store;
    private final RateCard card;
    private final AuditLog audit;

    public RateChanges(RateStore store, RateCard card, AuditLog audit) {
        this.store = store;
        this.card = card;
        this.audit = audit;
    }

    public RateStore store() {
        return store;
    }

    /** Creates rates, all or none: a {@link Conflict} if any of them exists already. */
    public List<ModelRate> create(List<ModelRate> rates, Actor actor) {
        List<ModelRate> created;
        try {
            created = store.jdbi().inTransaction(h -> {
                List<ModelRate> out = new ArrayList<>();
                for (ModelRate rate : rates) {
                    Optional<ModelRate> existing = RateStore.find(h, rate.provider(), rate.model(), rate.type());
                    if (existing.isPresent()) {
                        throw new Conflict(existing.get());
                    }
                    ModelRate saved = RateStore.save(h, rate);
                    RateHistory.record(h, RateHistory.Change.CREATE, null, saved, actor.reference());
                    audit.record(AuditEvent.of(actor, "rate.create", "rate", saved.id(), null, RateJson.of(saved)));
                    out.add(saved);
                }
                return out;
            });
        } catch (JdbiException e) {
            // Two creations of the same rate at once: the unique key stopped the second one.
            for (ModelRate rate : rates) {
                Optional<ModelRate> existing = store.find(rate.provider(), rate.model(), rate.type());
                if (existing.isPresent()) {
                    throw new Conflict(existing.get());
                }
            }
            throw e;
        }
        reload();
        return created;
    }

    /** Replaces a rate (same id, provider, model and type); empty when it was deleted meanwhile. */
    public Optional<ModelRate> update(ModelRate after, RateHistory.Change change, Actor actor) {
        Optional<ModelRate> saved = store.jdbi().inTransaction(h -> {
            Optional<ModelRate> before = byId(h, after.id());
            if (before.isEmpty()) {
                return Optional.empty();
            }
            ModelRate written = RateStore.save(h, after);
            RateHistory.record(h, change, before.get(), written, actor.reference());
            audit.record(AuditEvent.of(actor, "rate." + change.wireName(), "rate", written.id(),
                    RateJson.of(before.get()), RateJson.of(written)));
            return Optional.of(written);
        });
        reload();
        return saved;
    }

    /** Deletes a rate; returns it as it was, or empty when there was none. */
    public Optional<ModelRate> delete(String id, Actor actor) {
        Optional<ModelRate> deleted = store.jdbi().inTransaction(h -> {
            Optional<ModelRate> before = byId(h, id);
            before.ifPresent(rate -> {
                h.createUpdate("DELETE FROM model_rates WHERE id = :id").bind("id", id).execute();
                RateHistory.record(h, RateHistory.Change.DELETE, rate, null, actor.reference());
                audit.record(AuditEvent.of(actor, "rate.delete", "rate", rate.id(), RateJson.of(rate), null));
            });
            return before;
        });
        reload();
        return deleted;
    }

    /**
     * A change decided from all current rates at once (an import, a bulk margin update): {@code plan} sees the rates
     * as they are inside the transaction, so nothing changes between the decision and the writes. With
     * {@code write} false (a dry run) nothing is written.
     */
    public <T> T batch(Function<List<ModelRate>, Batch<T>> plan, boolean write, Actor actor, Audit<T> audited) {
        return batch(plan, write, actor, audited, h -> false);
    }

    /**
     * As {@link #batch(Function, boolean, Actor, Audit)}, running {@code alongside} first in the same transaction;
     * it answers whether it changed something, which is then audited even if no rate changes.
     */
    public <T> T batch(Function<List<ModelRate>, Batch<T>> plan, boolean write, Actor actor, Audit<T> audited,
                       Predicate<Handle> alongside) {
        if (!write) {
            return plan.apply(store.all()).result();
        }
        T result = store.jdbi().inTransaction(h -> {
            boolean changedAlongside = alongside.test(h);
            Batch<T> batch = plan.apply(all(h));
            write(h, batch.writes(), actor.reference());
            if (changedAlongside || !batch.writes().isEmpty()) {
                audit.record(AuditEvent.of(actor, audited.action(), "rate", audited.targetId(), null,
                        audited.after().apply(batch.result())));
            }
            return batch.result();
        });
        reload();
        return result;
    }

    /** Records an audit entry in the caller's transaction, for what a batch changes alongside its rates. */
    public void audit(AuditEvent event) {
        audit.record(event);
    }

    /** New rates in one batch (a first import creates hundreds), then each update or deletion. */
    private static void write(Handle h, List<Write> writes, String actor) {
        List<Write> creations = writes.stream().filter(w -> w.before() == null).toList();
        RateStore.insertAll(h, creations.stream().map(Write::after).toList());
        if (!creations.isEmpty()) {
            Map<String, ModelRate> stored = new HashMap<>();
            all(h).forEach(r -> stored.put(key(r), r));
            RateHistory.recordAll(h, creations.stream()
                    .map(w -> new Write(w.change(), null, stored.get(key(w.after())))).toList(), actor);
        }
        for (Write w : writes) {
            if (w.before() == null) {
                continue;
            }
            if (w.after() == null) {
                h.createUpdate("DELETE FROM model_rates WHERE id = :id").bind("id", w.before().id()).execute();
                RateHistory.record(h, w.change(), w.before(), null, actor);
            } else {
                RateHistory.record(h, w.change(), w.before(), RateStore.save(h, w.after()), actor);
            }
        }
    }

    private static String key(ModelRate r) {
        return r.provider() + "\u0000" + r.model() + "\u0000" + r.type().wireName();
    }

    private void reload() {
        if (card != null) {
            card.reload();
        }
    }

    private static Optional<ModelRate> byId(Handle h, String id) {
        return h.createQuery("SELECT * FROM model_rates WHERE id = :id").bind("id", id)
                .map((rs, ctx) -> RateStore.read(rs)).findOne();
    }

    private static List<ModelRate> all(Handle h) {
        return h.createQuery("SELECT * FROM model_rates ORDER BY provider, model, type")
                .map((rs, ctx) -> RateStore.read(rs)).list();
    }
}
