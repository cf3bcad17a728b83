package io.aigne.hub.limits;

/**
 * The limits as this node applies them: read from the database at start, after every change made through this
 * node's API, and periodically (changes made on other nodes), so admission never touches the database.
 */
public final class ActiveLimits {
    private final LimitStore store;
    private volatile LimitTable table = LimitTable.EMPTY;

    public ActiveLimits(LimitStore store) {
        this.store = store;
    }

    public void reload() {
        table = new LimitTable(store.list());
    }

    public LimitTable table() {
        return table;
    }
}
