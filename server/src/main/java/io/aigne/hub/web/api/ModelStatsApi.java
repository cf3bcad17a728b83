package io.aigne.hub.web.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.analytics.Bucketing;
import io.aigne.hub.analytics.Dimension;
import io.aigne.hub.analytics.Measures;
import io.aigne.hub.analytics.RollupReader;
import io.aigne.hub.analytics.UsageFilter;
import io.aigne.hub.provider.Provider;
import io.aigne.hub.server.Authenticator;
import io.aigne.hub.server.Exchange;
import io.aigne.hub.server.Json;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.time.Clock;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The most used models (spec §4.2): {@code GET /api/user/usage-stats} for the caller's calls and
 * {@code GET /api/user/admin/user-stats} for everyone's (owners and admins). Both need {@code startTime} and
 * {@code endTime}; {@code limit} (default 5, as in the original) says how many models.
 */
public final class ModelStatsApi {
    private final Authenticator auth;
    private final RollupReader rollups;
    private final Names names;
    private final Clock clock;

    public ModelStatsApi(Authenticator auth, RollupReader rollups, Names names, Clock clock) {
        this.auth = auth;
        this.rollups = rollups;
        this.names = names;
        this.clock = clock;
    }

    public void register(HttpRules rules) {
        rules.get("/api/user/usage-stats", (req, res) -> stats(req, res, auth.require(req).userId()))
                .get("/api/user/admin/user-stats", (req, res) -> stats(req, res, everyone(req)));
    }

    /** Every user's calls, or one user's with {@code userId}. */
    private String everyone(ServerRequest req) {
        auth.requireAdmin(req);
        return Fields.query(req, "userId");
    }

    /** Calls per model; a model served by several providers is shown with the one that served it most. */
    private void stats(ServerRequest req, ServerResponse res, String userId) {
        UsageParams.Range range = UsageParams.requiredRange(req, clock);
        int limit = UsageParams.limit(req, 5, 100);
        List<RollupReader.Row> rows = rollups.read(UsageFilter.ofUser(userId), List.of(Dimension.MODEL,
                Dimension.PROVIDER), range.start(), range.end(), Bucketing.NONE, false);
        Map<String, Measures> byModel = new HashMap<>();
        Map<String, RollupReader.Row> mainProvider = new HashMap<>();
        for (RollupReader.Row r : rows) {
            String model = r.dimensions().get(0);
            byModel.computeIfAbsent(model, k -> new Measures()).merge(r.measures());
            mainProvider.merge(model, r, (a, b) -> a.measures().calls() >= b.measures().calls() ? a : b);
        }
        ObjectNode root = Json.object();
        ObjectNode modelStats = root.putObject("modelStats");
        ArrayNode list = modelStats.putArray("list");
        byModel.entrySet().stream()
                .sorted(Comparator.comparingLong((Map.Entry<String, Measures> e) -> e.getValue().calls()).reversed()
                        .thenComparing(Map.Entry::getKey))
                .limit(limit)
                .forEach(e -> {
                    String providerName = mainProvider.get(e.getKey()).dimensions().get(1);
                    Optional<Provider> provider = names.provider(providerName);
                    String providerId = provider.map(Provider::id).orElse(providerName);
                    ObjectNode item = list.addObject();
                    item.put("providerId", providerId);
                    item.putObject("provider")
                            .put("id", providerId)
                            .put("name", providerName)
                            .put("displayName", provider.map(pr -> pr.displayName() == null ? pr.name()
                                    : pr.displayName()).orElse(providerName));
                    item.put("model", e.getKey());
                    item.put("totalCalls", e.getValue().calls());
                    item.put("successCalls", e.getValue().successCalls());
                    item.put("totalCredits", StatsView.credits(e.getValue().credits()));
                    item.put("totalUsage", e.getValue().totalUsage());
                });
        modelStats.put("totalModelCount", byModel.size());
        Exchange.json(res, 200, root);
    }
}
