package io.aigne.hub.web.api;

import io.aigne.hub.server.ApiException;
import io.aigne.hub.usage.ModelCallQuery;
import io.aigne.hub.usage.ModelCallStore;
import io.helidon.webserver.http.ServerRequest;

/** Reads the call-history filters and paging of a request into a {@link ModelCallQuery}, with 400s naming fields. */
final class CallQueries {
    static final int MAX_SEARCH_CHARS = 200;

    private CallQueries() {
    }

    /**
     * @param userId      whose calls (null: everyone's), already checked against the caller's role
     * @param appDid      the app to keep, or null to read it from the {@code appDid} parameter
     * @param defaultFrom start when {@code startTime} is absent (null: no start)
     * @param names       resolves {@code providerId} (a provider's id, as the original's UI sends, or its name)
     */
    static ModelCallQuery read(ServerRequest req, String userId, String appDid, Long defaultFrom, Names names) {
        int page = Fields.queryInt(req, "page", 1, 1, 1_000_000);
        int pageSize = Fields.queryInt(req, "pageSize", 20, 1, 100);
        ModelCallQuery.Cursor cursor = null;
        String cursorText = Fields.query(req, "cursor");
        if (cursorText != null) {
            try {
                cursor = ModelCallQuery.Cursor.parse(cursorText);
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid("cursor", "'cursor' must be a paging.nextCursor value of an earlier page");
            }
        } else if ((long) (page - 1) * pageSize > ModelCallStore.MAX_OFFSET) {
            throw ApiException.invalid("page", "pages end " + ModelCallStore.MAX_OFFSET + " rows deep; continue with "
                    + "'cursor' (paging.nextCursor of the previous page) or narrow startTime/endTime");
        }
        String search = Fields.query(req, "search");
        if (search != null && search.length() > MAX_SEARCH_CHARS) {
            throw ApiException.invalid("search", "'search' may have at most " + MAX_SEARCH_CHARS + " characters");
        }
        Long from = Fields.queryTime(req, "startTime");
        String provider = Fields.query(req, "providerId") != null ? Fields.query(req, "providerId")
                : Fields.query(req, "provider");
        return new ModelCallQuery(userId, from == null ? defaultFrom : from, Fields.queryTime(req, "endTime"),
                CallFilters.status(req), Fields.query(req, "model"), CallFilters.type(req),
                provider == null ? null : names.provider(provider).map(p -> p.name()).orElse(provider),
                appDid != null ? appDid : Fields.query(req, "appDid"), search, CallFilters.minDurationMillis(req),
                cursor, page, pageSize);
    }
}
