package io.aigne.hub.audit;

/**
 * A search of the audit log; a null filter matches everything.
 *
 * @param actor        a user id, a user name, or a system actor's name ({@code cli}, {@code config})
 * @param actionPrefix matches actions starting with it: {@code provider.} finds every provider change
 * @param since        epoch ms, inclusive
 * @param until        epoch ms, exclusive
 * @param page         from 1
 */
public record AuditQuery(String actor, String actionPrefix, String targetType, String targetId, Long since,
                         Long until, int page, int pageSize) {
    public AuditQuery {
        if (page < 1 || pageSize < 1) {
            throw new IllegalArgumentException("page and pageSize start at 1");
        }
    }

    public static AuditQuery all(int page, int pageSize) {
        return new AuditQuery(null, null, null, null, null, null, page, pageSize);
    }

    /** A page of matching entries, newest first, and how many match in all. */
    public record Page(long count, java.util.List<AuditEntry> entries) {
    }
}
