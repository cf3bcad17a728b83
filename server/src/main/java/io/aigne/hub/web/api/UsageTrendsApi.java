package io.aigne.hub.web.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.analytics.Bucketing;
import io.aigne.hub.analytics.Dimension;
import io.aigne.hub.analytics.Measures;
import io.aigne.hub.analytics.MeasureColumns;
import io.aigne.hub.analytics.RollupReader;
import io.aigne.hub.analytics.UsageFilter;
import io.aigne.hub.auth.Principal;
import io.aigne.hub.server.ApiException;
import io.aigne.hub.server.Authenticator;
import io.aigne.hub.server.Exchange;
import io.aigne.hub.server.Json;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/usage/trends} (the original hub's platform trend, spec §4.4) and {@code GET /api/usage/summary}
 * (the hub's own: totals with latency and TTFB percentiles, a series, and the top groups by a dimension). Both read
 * the rollups only.
 */
public final class UsageTrendsApi {
    private static final Map<String, Dimension> GROUPS = Map.of("model", Dimension.MODEL, "provider",
            Dimension.PROVIDER, "user", Dimension.USER, "app", Dimension.APP, "type", Dimension.TYPE);
    private static final Map<String, Integer> SORTS = Map.of("calls", MeasureColumns.CALLS, "credits",
            MeasureColumns.CREDITS, "tokens", MeasureColumns.TOTAL_TOKENS, "usage", MeasureColumns.TOTAL_USAGE);

    private final Authenticator auth;
    private final RollupReader rollups;
    private final Names names;
    private final Clock clock;

    public UsageTrendsApi(Authenticator auth, RollupReader rollups, Names names, Clock clock) {
        this.auth = auth;
        this.rollups = rollups;
        this.names = names;
        this.clock = clock;
    }

    public void register(HttpRules rules) {
        rules.get("/api/usage/trends", this::trends)
                .get("/api/usage/summary", this::summary);
    }

    /**
     * The original serves this to owners and admins only, for the whole hub; here owners and admins get the whole
     * hub (or one user with {@code userId}) and everyone else their own trend.
     */
    private void trends(ServerRequest req, ServerResponse res) {
        Principal p = auth.require(req);
        if (UsageParams.allUsers(req)) {
            UsageParams.requireAdmin(p);
        }
        String user = p.role().canAdminister() ? Fields.query(req, "userId") : p.userId();
        UsageParams.Range range = UsageParams.range(req, clock, 30);
        Bucketing bucketing = UsageParams.bucketing(req, range);
        UsageFilter filter = new UsageFilter(user, Fields.query(req, "appDid"), null, null, null);
        Map<Long, Measures> byBucket = byBucket(rollups.read(filter, List.of(), range.start(), range.end(),
                bucketing, false));
        ObjectNode root = Json.object();
        ArrayNode trends = root.putArray("trends");
        for (long key : bucketing.keys(range.start(), range.end())) {
            trends.add(StatsView.trendPoint(key, byBucket.getOrDefault(key, new Measures())));
        }
        root.put("granularity", UsageParams.granularity(bucketing));
        Exchange.json(res, 200, root);
    }

    private void summary(ServerRequest req, ServerResponse res) {
        Principal p = auth.require(req);
        String user = UsageParams.userScope(req, p);
        UsageParams.Range range = UsageParams.range(req, clock, 30);
        Bucketing bucketing = UsageParams.bucketing(req, range);
        String groupName = Fields.query(req, "groupBy") == null ? "model" : Fields.query(req, "groupBy");
        Dimension group = GROUPS.get(groupName);
        if (group == null) {
            throw ApiException.invalid("groupBy", "'groupBy' must be model, provider, user, app or type");
        }
        String sortName = Fields.query(req, "sortBy") == null ? "calls" : Fields.query(req, "sortBy");
        Integer sort = SORTS.get(sortName);
        if (sort == null) {
            throw ApiException.invalid("sortBy", "'sortBy' must be calls, credits, tokens or usage");
        }
        int limit = UsageParams.limit(req, 10, 100);
        UsageFilter filter = new UsageFilter(user, Fields.query(req, "appDid"), Fields.query(req, "provider"),
                Fields.query(req, "model"), CallFilters.type(req));

        List<RollupReader.Row> series = rollups.read(filter, List.of(), range.start(), range.end(), bucketing, true);
        RollupReader.Ranked ranked = rollups.top(filter, group, range.start(), range.end(), sort, limit);
        Measures totals = new Measures();
        series.forEach(r -> totals.merge(r.measures()));

        ObjectNode root = Json.object();
        root.put("startTime", range.start() / 1000);
        root.put("endTime", range.end() / 1000);
        root.put("interval", UsageParams.granularity(bucketing));
        root.put("groupBy", groupName);
        root.set("totals", StatsView.full(totals));
        ArrayNode points = root.putArray("series");
        Map<Long, Measures> byBucket = byBucket(series);
        for (long key : bucketing.keys(range.start(), range.end())) {
            ObjectNode point = StatsView.full(byBucket.getOrDefault(key, new Measures()));
            point.put("timestamp", key / 1000);
            points.add(point);
        }
        root.put("groupCount", ranked.groups());
        ArrayNode top = root.putArray("top");
        ranked.top().forEach(r -> {
            ObjectNode item = Json.object();
            String key = r.dimensions().getFirst();
            item.put("key", key);
            String name = names.of(group, key);
            if (name != null) {
                item.put("name", name);
            }
            item.put("share", totals.calls() == 0 ? 0
                    : StatsView.round(100.0 * r.measures().calls() / totals.calls(), 2));
            item.setAll(StatsView.full(r.measures()));
            top.add(item);
        });
        Exchange.json(res, 200, root);
    }

    private static Map<Long, Measures> byBucket(List<RollupReader.Row> rows) {
        Map<Long, Measures> map = new HashMap<>();
        rows.forEach(r -> map.computeIfAbsent(r.bucket(), k -> new Measures()).merge(r.measures()));
        return map;
    }
}
