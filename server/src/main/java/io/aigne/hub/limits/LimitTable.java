package io.aigne.hub.limits;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable snapshot of the configured limits, indexed for admission: for each scope and metric, the limit of a
 * named subject if there is one, else the scope's {@code *} default.
 */
public final class LimitTable {
    public static final LimitTable EMPTY = new LimitTable(List.of());

    private record Key(LimitScope scope, LimitMetric metric, String subject) {
    }

    private final List<Limit> all;
    private final Map<Key, Limit> index = new HashMap<>();

    public LimitTable(List<Limit> limits) {
        this.all = List.copyOf(limits);
        for (Limit l : all) {
            index.put(new Key(l.scope(), l.metric(), l.subject()), l);
        }
    }

    public List<Limit> all() {
        return all;
    }

    public boolean isEmpty() {
        return all.isEmpty();
    }

    /** The limit on {@code metric} for subject {@code id} of {@code scope}: its own, else the scope's default. */
    public Limit resolve(LimitScope scope, String id, LimitMetric metric) {
        Limit own = index.get(new Key(scope, metric, id));
        return own != null ? own : index.get(new Key(scope, metric, Limit.EACH));
    }

    /** Every limit that counts this call, one per scope and metric at most. */
    public List<AppliedLimit> applicable(LimitSubject subject) {
        if (all.isEmpty()) {
            return List.of();
        }
        List<AppliedLimit> out = new ArrayList<>();
        for (LimitScope scope : LimitScope.values()) {
            String id = subject.id(scope);
            if (id == null) {
                continue;
            }
            for (LimitMetric metric : LimitMetric.values()) {
                Limit limit = resolve(scope, id, metric);
                if (limit != null) {
                    out.add(new AppliedLimit(limit, id, subject.label(scope)));
                }
            }
        }
        return out;
    }
}
