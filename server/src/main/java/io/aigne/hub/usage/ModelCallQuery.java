package io.aigne.hub.usage;

/**
 * Filters for reading the ledger; null fields do not filter. Times are epoch milliseconds, end exclusive.
 * {@code model} is the model as the caller asked for it. {@code minLatencyMillis} keeps calls at least that slow.
 * {@code after} continues a listing after the last row of a previous page (keyset paging); {@code page} is then
 * ignored.
 */
public record ModelCallQuery(String userId, Long fromMillis, Long toMillis, String status, String model, String type,
                             String provider, String appDid, String search, Long minLatencyMillis, Cursor after,
                             int page, int pageSize) {

    public ModelCallQuery(String userId, Long fromMillis, Long toMillis, String status, String model, String type,
                          String provider, String appDid, String search, int page, int pageSize) {
        this(userId, fromMillis, toMillis, status, model, type, provider, appDid, search, null, null, page, pageSize);
    }

    /** The same filters from another position. */
    public ModelCallQuery at(Cursor cursor, int size) {
        return new ModelCallQuery(userId, fromMillis, toMillis, status, model, type, provider, appDid, search,
                minLatencyMillis, cursor, 1, size);
    }

    /**
     * A position in the newest-first order of calls: the time and id of the last row seen. Written as
     * {@code <createdAt>_<id>}.
     */
    public record Cursor(long createdAt, String id) {
        public static Cursor of(CallRecord r) {
            return new Cursor(r.createdAt(), r.id());
        }

        /** Parses {@link #toString()}'s form; throws IllegalArgumentException for anything else. */
        public static Cursor parse(String text) {
            int sep = text.indexOf('_');
            if (sep <= 0 || sep == text.length() - 1) {
                throw new IllegalArgumentException("not a cursor: " + text);
            }
            try {
                return new Cursor(Long.parseLong(text.substring(0, sep)), text.substring(sep + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a cursor: " + text);
            }
        }

        @Override
        public String toString() {
            return createdAt + "_" + id;
        }
    }
}
