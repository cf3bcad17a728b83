package io.aigne.hub.limits;

import java.util.List;
import java.util.function.Supplier;

/**
 * The limits as this node applies them: read from the database at start, after every change made through this
 * node's API, and periodically (changes made on other nodes), so admission never touches the database.
 */
public final class ActiveLimits {
    private final Supplier<List<Limit>> source;
    private volatile LimitTable table = LimitTable.EMPTY;

    /** @param source where the limits are read from, usually {@link LimitStore#list} */
    public ActiveLimits(Supplier<List<Limit>> source) {
        this.source = source;
    }

    public void reload() {
        table = new LimitTable(source.get());
    }

    public LimitTable table() {
        return table;
    }
}
