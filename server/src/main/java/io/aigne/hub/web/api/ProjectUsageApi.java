package io.aigne.hub.web.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.analytics.Bucketing;
import io.aigne.hub.analytics.Dimension;
import io.aigne.hub.analytics.MeasureColumns;
import io.aigne.hub.analytics.Measures;
import io.aigne.hub.analytics.RollupReader;
import io.aigne.hub.analytics.UsageFilter;
import io.aigne.hub.auth.Principal;
import io.aigne.hub.server.ApiException;
import io.aigne.hub.server.Authenticator;
import io.aigne.hub.server.Exchange;
import io.aigne.hub.server.Json;
import io.aigne.hub.usage.ModelCallQuery;
import io.aigne.hub.usage.ModelCallStore;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.time.Clock;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Usage per calling application ("project" in the original hub, spec §4.4): the list of apps with their totals,
 * trends grouped by app, one app's trend and one app's calls. Members see their own calls; owners and admins add
 * {@code allUsers=true}. Calls without an app are listed under the app id {@code ""}.
 */
public final class ProjectUsageApi {
    private final Authenticator auth;
    private final RollupReader rollups;
    private final ModelCallStore calls;
    private final Names names;
    private final Clock clock;

    public ProjectUsageApi(Authenticator auth, RollupReader rollups, ModelCallStore calls, Names names, Clock clock) {
        this.auth = auth;
        this.rollups = rollups;
        this.calls = calls;
        this.names = names;
        this.clock = clock;
    }

    public void register(HttpRules rules) {
        rules.get("/api/usage/projects", this::projects)
                .get("/api/usage/projects/group-trends", this::groupTrends)
                .get("/api/usage/projects/trends", this::projectTrends)
                .get("/api/usage/projects/calls", this::projectCalls);
    }

    private void projects(ServerRequest req, ServerResponse res) {
        Principal p = auth.require(req);
        String user = UsageParams.userScope(req, p);
        UsageParams.Range range = UsageParams.range(req, clock, 30);
        UsageParams.timezoneOffset(req); // accepted for the original's clients; totals do not depend on it
        int page = Fields.queryInt(req, "page", 1, 1, 1_000_000);
        int pageSize = Fields.queryInt(req, "pageSize", 20, 1, 100);
        String sortBy = Fields.query(req, "sortBy") == null ? "totalCalls" : Fields.query(req, "sortBy");
        if (!sortBy.equals("totalCalls") && !sortBy.equals("totalCredits")) {
            throw ApiException.invalid("sortBy", "'sortBy' must be totalCalls or totalCredits");
        }
        String order = Fields.query(req, "sortOrder") == null ? "desc" : Fields.query(req, "sortOrder");
        if (!order.equals("asc") && !order.equals("desc")) {
            throw ApiException.invalid("sortOrder", "'sortOrder' must be asc or desc");
        }
        Comparator<RollupReader.Row> comparator = Comparator.comparingLong(
                r -> sortBy.equals("totalCredits") ? r.measures().credits() : r.measures().calls());
        comparator = (order.equals("desc") ? comparator.reversed() : comparator)
                .thenComparing(r -> r.dimensions().getFirst());
        List<RollupReader.Row> apps = rollups.read(UsageFilter.ofUser(user), List.of(Dimension.APP), range.start(),
                range.end(), Bucketing.NONE, false).stream().sorted(comparator).toList();

        ObjectNode root = Json.object();
        ArrayNode projects = root.putArray("projects");
        apps.stream().skip((long) (page - 1) * pageSize).limit(pageSize).forEach(r -> {
            Measures m = r.measures();
            ObjectNode o = project(r.dimensions().getFirst());
            o.put("totalCalls", m.calls());
            o.put("totalCredits", StatsView.credits(m.credits()));
            o.put("avgDuration", StatsView.seconds(m.avgLatencyMillis()));
            o.put("successRate", StatsView.round(m.successRate(), 2));
            o.put("lastCallTime", m.lastCallAt() / 1000);
            projects.add(o);
        });
        root.put("total", apps.size());
        root.put("page", page);
        root.put("pageSize", pageSize);
        Exchange.json(res, 200, root);
    }

    /**
     * Trends of the {@code limit} (default 10, at most 50) apps with the most calls in the range; the original
     * returns every app, which for hundreds of apps is neither readable nor cheap.
     */
    private void groupTrends(ServerRequest req, ServerResponse res) {
        Principal p = auth.require(req);
        String user = UsageParams.userScope(req, p);
        UsageParams.Range range = UsageParams.range(req, clock, 30);
        Bucketing bucketing = UsageParams.bucketing(req, range);
        int limit = UsageParams.limit(req, 10, 50);
        List<RollupReader.Row> top = rollups.top(UsageFilter.ofUser(user), Dimension.APP, range.start(),
                range.end(), MeasureColumns.CALLS, limit).top();

        Map<String, Map<Long, Measures>> byApp = new LinkedHashMap<>();
        top.forEach(r -> byApp.put(r.dimensions().getFirst(), new HashMap<>()));
        rollups.readOnly(UsageFilter.ofUser(user), Dimension.APP, List.copyOf(byApp.keySet()), range.start(),
                        range.end(), bucketing, false)
                .forEach(r -> byApp.get(r.dimensions().getFirst()).put(r.bucket(), r.measures()));
        ObjectNode root = Json.object();
        ArrayNode projects = root.putArray("projects");
        top.forEach(r -> projects.add(project(r.dimensions().getFirst())
                .put("lastCallTime", r.measures().lastCallAt() / 1000)));
        ArrayNode trends = root.putArray("trends");
        for (long key : bucketing.keys(range.start(), range.end())) {
            ObjectNode point = trends.addObject().put("timestamp", key / 1000);
            ObjectNode byProject = point.putObject("byProject");
            byApp.forEach((appDid, series) -> byProject.set(appDid,
                    StatsView.projectPoint(series.getOrDefault(key, new Measures()))));
        }
        root.put("granularity", UsageParams.granularity(bucketing));
        Exchange.json(res, 200, root);
    }

    private void projectTrends(ServerRequest req, ServerResponse res) {
        Principal p = auth.require(req);
        String user = UsageParams.userScope(req, p);
        String appDid = requiredApp(req);
        UsageParams.Range range = UsageParams.range(req, clock, 30);
        Bucketing bucketing = UsageParams.bucketing(req, range);
        Map<Long, Measures> series = new HashMap<>();
        rollups.read(UsageFilter.ofUser(user).withApp(appDid), List.of(), range.start(), range.end(), bucketing, true)
                .forEach(r -> series.put(r.bucket(), r.measures()));
        ObjectNode root = Json.object();
        root.set("project", project(appDid));
        ArrayNode trends = root.putArray("trends");
        for (long key : bucketing.keys(range.start(), range.end())) {
            Measures m = series.getOrDefault(key, new Measures());
            ObjectNode point = StatsView.trendPoint(key, m);
            StatsView.putNullable(point, "p50Ttfb", m.ttfbPercentile(50));
            StatsView.putNullable(point, "p95Ttfb", m.ttfbPercentile(95));
            StatsView.putNullable(point, "p95Duration", m.latencyPercentile(95));
            trends.add(point);
        }
        root.put("granularity", UsageParams.granularity(bucketing));
        Exchange.json(res, 200, root);
    }

    /** One app's calls, newest first; the last 30 days unless {@code startTime} says otherwise. */
    private void projectCalls(ServerRequest req, ServerResponse res) {
        Principal p = auth.require(req);
        String user = UsageParams.userScope(req, p);
        String appDid = requiredApp(req);
        ModelCallQuery query = CallQueries.read(req, user, appDid, clock.millis() - 30 * UsageParams.DAY, names);
        ModelCallStore.Page page = calls.find(query);
        ObjectNode root = Json.object();
        ArrayNode list = root.putArray("list");
        page.rows().forEach(r -> list.add(ModelCallsApi.view(r)));
        root.put("count", page.count());
        root.put("countExact", page.countExact());
        root.put("page", query.page());
        root.put("pageSize", query.pageSize());
        if (page.next() != null) {
            root.put("nextCursor", page.next().toString());
        }
        Exchange.json(res, 200, root);
    }

    private static String requiredApp(ServerRequest req) {
        String appDid = Fields.query(req, "appDid");
        if (appDid == null) {
            throw ApiException.invalid("appDid", "'appDid' is required: the app whose usage to show");
        }
        return appDid;
    }

    /** The original's project fields; the hub keeps no app names or logos, so the name is the app id. */
    private static ObjectNode project(String appDid) {
        ObjectNode o = Json.object();
        o.put("appDid", appDid);
        o.put("appName", appDid);
        o.putNull("appLogo");
        o.putNull("appUrl");
        return o;
    }
}
