package io.aigne.hub.web.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.auth.Principal;
import io.aigne.hub.auth.User;
import io.aigne.hub.server.Authenticator;
import io.aigne.hub.server.Exchange;
import io.aigne.hub.server.Json;
import io.aigne.hub.usage.CallRecord;
import io.aigne.hub.usage.ModelCallQuery;
import io.aigne.hub.usage.ModelCallStore;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /api/user/model-calls}: the caller's own calls, or everyone's with {@code allUsers=true} for owners
 * and admins; filtered and paged as in the original hub (spec §4.2). {@code GET /api/user/model-calls/export}: the
 * same calls as CSV, streamed.
 */
public final class ModelCallsApi {
    private static final Logger LOG = LoggerFactory.getLogger(ModelCallsApi.class);
    private static final int EXPORT_BATCH = 1_000;

    private final Authenticator auth;
    private final ModelCallStore store;
    private final Names names;
    private final Clock clock;

    public ModelCallsApi(Authenticator auth, ModelCallStore store, Names names, Clock clock) {
        this.auth = auth;
        this.store = store;
        this.names = names;
        this.clock = clock;
    }

    public void register(HttpRules rules) {
        rules.get("/api/user/model-calls", this::list)
                .get("/api/user/model-calls/export", this::export);
    }

    private void list(ServerRequest req, ServerResponse res) {
        Principal p = auth.require(req);
        ModelCallQuery query = CallQueries.read(req, UsageParams.userScope(req, p), null, null, names);
        ModelCallStore.Page result = store.find(query);
        ObjectNode root = Json.object();
        root.put("count", result.count());
        root.put("countExact", result.countExact());
        ArrayNode list = root.putArray("list");
        Map<String, Optional<User>> users = new HashMap<>();
        result.rows().forEach(r -> {
            ObjectNode row = view(r);
            users.computeIfAbsent(r.userId(), names::user).ifPresent(u -> row.putObject("userInfo")
                    .put("did", u.id()).put("fullName", Names.displayName(u)).put("email", u.email()));
            list.add(row);
        });
        ObjectNode paging = root.putObject("paging").put("page", query.page()).put("pageSize", query.pageSize());
        if (result.next() != null) {
            paging.put("nextCursor", result.next().toString());
        }
        Exchange.json(res, 200, root);
    }

    private void export(ServerRequest req, ServerResponse res) {
        Principal p = auth.require(req);
        ModelCallQuery query = CallQueries.read(req, UsageParams.userScope(req, p), null, null, names);
        CallsCsv csv = new CallsCsv("zh".equalsIgnoreCase(Fields.query(req, "locale")));
        res.status(Status.OK_200);
        res.header(HeaderNames.CONTENT_TYPE, "text/csv; charset=utf-8");
        res.header(HeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"model-calls-"
                + LocalDate.now(clock.withZone(ZoneOffset.UTC)) + ".csv\"");
        Map<String, Optional<User>> users = new HashMap<>();
        try (OutputStream out = new BufferedOutputStream(res.outputStream(), 64 * 1024)) {
            csv.header(out);
            store.forEach(query, EXPORT_BATCH, r -> {
                try {
                    csv.row(out, r, users.computeIfAbsent(r.userId(), names::user).orElse(null));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // The headers are out: the client sees a cut-off download, which is all that can be said now.
            LOG.warn("the call export stopped early: {}", e.getMessage());
        }
    }

    static ObjectNode view(CallRecord r) {
        ObjectNode o = Json.object();
        o.put("id", r.id());
        o.put("createdAt", r.createdAt());
        o.put("callTime", r.createdAt() / 1000);
        o.put("userId", r.userId());
        o.put("userDid", r.userId());
        o.put("accessKeyId", r.accessKeyId());
        o.put("appDid", r.appDid());
        o.put("requestId", r.requestId());
        o.put("endpoint", r.endpoint());
        o.put("type", r.type().wireName());
        o.put("streamed", r.streamed());
        o.put("provider", r.provider());
        o.put("credentialId", r.credentialId());
        o.put("model", r.modelRequested());
        o.put("modelAnswered", r.modelAnswered());
        o.put("status", r.status().wireName());
        if (r.httpStatus() != null) {
            o.put("httpStatus", r.httpStatus());
        }
        o.put("errorReason", r.error());
        ObjectNode usage = o.putObject("usageMetrics");
        usage.put("inputTokens", r.usage().inputTokens());
        usage.put("outputTokens", r.usage().outputTokens());
        usage.put("cachedTokens", r.usage().cachedTokens());
        usage.put("cacheWriteTokens", r.usage().cacheWriteTokens());
        usage.put("reasoningTokens", r.usage().reasoningTokens());
        usage.put("totalTokens", r.usage().totalTokens());
        usage.put("numberOfImageGeneration", r.usage().imageCount());
        usage.put("videoSeconds", r.usage().videoSeconds());
        o.put("totalUsage", totalUsage(r));
        o.put("credits", StatsView.credits(r.credits()));
        o.put("attempts", r.attempts());
        o.put("latencyMs", r.latencyMs());
        o.put("duration", r.latencyMs() / 1000.0);
        if (r.ttfbMs() != null) {
            o.put("ttfbMs", r.ttfbMs());
            o.put("ttfb", r.ttfbMs());
        }
        o.put("upstreamRequestId", r.upstreamRequestId());
        return o;
    }

    /** What the original hub calls totalUsage: tokens for text, the image count for images, seconds for video. */
    static long totalUsage(CallRecord r) {
        return switch (r.type()) {
            case IMAGE -> r.usage().imageCount();
            case VIDEO -> r.usage().videoSeconds();
            default -> r.usage().totalTokens();
        };
    }
}
