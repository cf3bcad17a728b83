package io.aigne.hub.web.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.auth.Principal;
import io.aigne.hub.routing.Router;
import io.aigne.hub.server.ApiException;
import io.aigne.hub.server.Authenticator;
import io.aigne.hub.server.Exchange;
import io.aigne.hub.server.Json;
import io.aigne.hub.usage.CallRecord;
import io.aigne.hub.usage.ModelCallQuery;
import io.aigne.hub.usage.ModelCallStore;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.Set;

/**
 * {@code GET /api/user/model-calls}: the caller's own calls, or everyone's with {@code allUsers=true} for owners
 * and admins; filtered and paged as in the original hub (spec §4.2).
 */
public final class ModelCallsApi {
    private static final Set<String> STATUSES = Set.of("success", "failed", "cancelled");
    private static final Set<String> TYPES = Set.of("chat", "embedding", "image");

    private final Authenticator auth;
    private final ModelCallStore store;
    private final Router router;

    public ModelCallsApi(Authenticator auth, ModelCallStore store, Router router) {
        this.auth = auth;
        this.store = store;
        this.router = router;
    }

    public void register(HttpRules rules) {
        rules.get("/api/user/model-calls", this::list);
    }

    private void list(ServerRequest req, ServerResponse res) {
        Principal p = auth.require(req);
        boolean allUsers = "true".equalsIgnoreCase(Fields.query(req, "allUsers"));
        if (allUsers && !p.role().canAdminister()) {
            throw ApiException.forbidden("allUsers=true needs the owner or admin role");
        }
        String status = Fields.query(req, "status");
        if ("all".equals(status)) {
            status = null;
        }
        if (status != null && !STATUSES.contains(status)) {
            throw ApiException.invalid("status", "'status' must be success, failed, cancelled or all");
        }
        String type = normaliseType(Fields.query(req, "type"));
        int page = Fields.queryInt(req, "page", 1, 1, 1_000_000);
        int pageSize = Fields.queryInt(req, "pageSize", 20, 1, 100);
        ModelCallQuery query = new ModelCallQuery(allUsers ? Fields.query(req, "userId") : p.userId(),
                Fields.queryTime(req, "startTime"), Fields.queryTime(req, "endTime"), status, Fields.query(req, "model"),
                type, providerName(Fields.query(req, "providerId")), Fields.query(req, "appDid"), Fields.query(req, "search"),
                page, pageSize);
        ModelCallStore.Page result = store.find(query);
        ObjectNode root = Json.object();
        root.put("count", result.count());
        ArrayNode list = root.putArray("list");
        result.rows().forEach(r -> list.add(view(r)));
        root.putObject("paging").put("page", page).put("pageSize", pageSize);
        Exchange.json(res, 200, root);
    }

    /** Calls record the provider's name; the filter takes its id (as the original hub's UI sends) or its name. */
    private String providerName(String idOrName) {
        if (idOrName == null) {
            return null;
        }
        return router.providers().stream().filter(p -> p.id().equals(idOrName)).map(p -> p.name()).findFirst()
                .orElse(idOrName);
    }

    private static String normaliseType(String type) {
        if (type == null || type.equals("all")) {
            return null;
        }
        String t = switch (type) {
            case "chatCompletion" -> "chat";
            case "imageGeneration" -> "image";
            default -> type;
        };
        if (!TYPES.contains(t)) {
            throw ApiException.invalid("type", "'type' must be chat, embedding or image");
        }
        return t;
    }

    static ObjectNode view(CallRecord r) {
        ObjectNode o = Json.object();
        o.put("id", r.id());
        o.put("createdAt", r.createdAt());
        o.put("callTime", r.createdAt() / 1000);
        o.put("userId", r.userId());
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
        o.put("totalUsage", switch (r.type()) {
            case IMAGE -> r.usage().imageCount();
            case VIDEO -> r.usage().videoSeconds();
            default -> r.usage().totalTokens();
        });
        o.put("attempts", r.attempts());
        o.put("latencyMs", r.latencyMs());
        o.put("duration", r.latencyMs() / 1000.0);
        if (r.ttfbMs() != null) {
            o.put("ttfbMs", r.ttfbMs());
        }
        o.put("upstreamRequestId", r.upstreamRequestId());
        return o;
    }
}
