package io.aigne.hub.web.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.analytics.Period;
import io.aigne.hub.analytics.RollupRebuild;
import io.aigne.hub.server.ApiException;
import io.aigne.hub.server.Authenticator;
import io.aigne.hub.server.Exchange;
import io.aigne.hub.server.Json;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * {@code POST /api/usage/stats/backfill {startDate, endDate}} (owners and admins; spec §4.4): recomputes the
 * rollups of those UTC days from the recorded calls, like {@code ./hub admin rollups rebuild}. The original's
 * {@code userDid} is accepted and ignored: a rebuild covers every user of the days.
 */
public final class RollupRebuildApi {
    private static final Logger LOG = LoggerFactory.getLogger(RollupRebuildApi.class);

    private final Authenticator auth;
    private final DataSource dataSource;
    private final long maxBodyBytes;

    public RollupRebuildApi(Authenticator auth, DataSource dataSource, long maxBodyBytes) {
        this.auth = auth;
        this.dataSource = dataSource;
        this.maxBodyBytes = maxBodyBytes;
    }

    public void register(HttpRules rules) {
        rules.post("/api/usage/stats/backfill", this::backfill);
    }

    private void backfill(ServerRequest req, ServerResponse res) {
        auth.requireAdmin(req);
        ObjectNode body = Exchange.jsonBody(req, maxBodyBytes);
        long start = day(body, "startDate");
        long end = day(body, "endDate");
        long from = Math.min(start, end);
        long to = Math.max(start, end) + Period.DAY.millis();
        RollupRebuild.Result result;
        try {
            result = RollupRebuild.rebuild(dataSource, from, to);
        } catch (SQLException e) {
            LOG.error("rebuilding the rollups of {} to {} failed: {}", Instant.ofEpochMilli(from),
                    Instant.ofEpochMilli(to), e.getMessage());
            throw new ApiException(503, "server_error", "rebuild_failed", null,
                    "the rollups could not be rebuilt now (the database refused: it was rolled back); try again");
        }
        ObjectNode root = Json.object();
        long days = (result.toMillis() - result.fromMillis()) / Period.DAY.millis();
        root.put("processed", days);
        ArrayNode ranges = root.putArray("ranges");
        for (long d = result.fromMillis(); d < result.toMillis(); d += Period.DAY.millis()) {
            ranges.addObject().put("startTime", d / 1000).put("endTime", (d + Period.DAY.millis()) / 1000 - 1);
        }
        root.put("calls", result.calls());
        root.put("rows", result.rows());
        LOG.info("rebuilt the usage rollups of {} day(s) from {}: {} calls", days, Instant.ofEpochMilli(from),
                result.calls());
        Exchange.json(res, 200, root);
    }

    /** The UTC day of a date ("2025-01-31") or of an ISO instant, as the start of that day in epoch ms. */
    private static long day(ObjectNode body, String field) {
        String text = Fields.text(body, field);
        if (text == null) {
            throw ApiException.invalid(field, "'" + field + "' is required: a date such as 2025-01-31");
        }
        try {
            if (text.length() == 10) {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            }
            return Period.DAY.floor(Instant.parse(text).toEpochMilli());
        } catch (DateTimeParseException e) {
            throw ApiException.invalid(field, "'" + field + "' must be a date such as 2025-01-31 or an ISO time "
                    + "such as 2025-01-31T00:00:00Z");
        }
    }
}
