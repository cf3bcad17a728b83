package io.aigne.hub.web.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigne.hub.analytics.Histogram;
import io.aigne.hub.auth.Role;
import io.aigne.hub.auth.User;
import io.aigne.hub.store.Ids;
import io.aigne.hub.testing.TestDatabases;
import io.aigne.hub.testing.TestHub;
import io.aigne.hub.usage.CallRecord;
import io.aigne.hub.usage.CallStatus;
import io.aigne.hub.usage.CallType;
import io.aigne.hub.usage.Usage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The usage APIs over HTTP on a real hub, with calls written by its own ledger: shapes of the original hub,
 * exact numbers (credits as decimal strings, success rates, averages, percentiles within a histogram bucket),
 * who may see what, time zones, history filters and paging, and the CSV export.
 */
class UsageApiTest {
    @Nested
    @DisplayName("SQLite")
    class OnSqlite extends Contract {
        @Override
        TestHub start() {
            return TestHub.builder().start();
        }
    }

    @Nested
    @DisplayName("PostgreSQL")
    class OnPostgres extends Contract {
        private TestDatabases.PgDatabase pg;

        @Override
        TestHub start() {
            if (TestDatabases.postgresUrl().isEmpty()) {
                return null;
            }
            pg = TestDatabases.postgres();
            return TestHub.builder().postgres(pg.schemaUrl()).start();
        }

        @Override
        void assumeAvailable() {
            TestDatabases.assumePostgres();
        }

        @Override
        void stopped() {
            if (pg != null) {
                pg.close();
            }
        }
    }

    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    abstract static class Contract {
        /** 2024-03-01T00:00:00Z */
        static final long DAY0 = 1_709_251_200_000L;
        static final long H = 3_600_000L;
        static final long D = 86_400_000L;
        static final long CREDIT = 1_000_000_000L;

        TestHub hub;
        String owner;
        String ownerId;
        User bob;
        String bobKey;
        User carol;
        CallRecord c1;
        CallRecord c2;
        CallRecord c3;
        CallRecord c4;
        CallRecord c5;
        CallRecord c6;

        abstract TestHub start();

        void assumeAvailable() {
        }

        void stopped() {
        }

        @BeforeAll
        void startHub() throws Exception {
            hub = start();
            if (hub == null) {
                return;
            }
            owner = hub.ownerKey();
            ownerId = hub.hub().users().owner().orElseThrow().id();
            bob = hub.hub().users().create("bob", null, "bob@example.com", Role.MEMBER);
            bobKey = hub.hub().keys().issue(bob.id(), "bob's key", null).secret();
            carol = hub.hub().users().create("carol", "Carol, \"CJ\"", "carol@example.com", Role.MEMBER);
            c1 = call(DAY0 + 10 * H + 15 * 60_000, bob.id(), "app-a", "openai", "gpt-4o", CallType.CHAT,
                    CallStatus.SUCCESS, Usage.tokens(100, 50, 0, 0, 0), 1_000, 200L, 3 * CREDIT / 2);
            c2 = call(DAY0 + 10 * H + 40 * 60_000, bob.id(), "app-a", "openai", "gpt-4o", CallType.CHAT,
                    CallStatus.FAILED, Usage.NONE, 300, null, 0);
            c3 = call(DAY0 + D + 2 * H, bob.id(), "app-b", "anthropic", "claude-sonnet-4", CallType.CHAT,
                    CallStatus.SUCCESS, Usage.tokens(200, 100, 0, 0, 0), 2_000, 400L, CREDIT / 4);
            c4 = call(DAY0 + D + 17 * H + 30 * 60_000, carol.id(), "app-a", "openai", "gpt-image-1", CallType.IMAGE,
                    CallStatus.SUCCESS, Usage.NONE.withImageCount(2), 5_000, null, 80_000_000);
            c5 = call(DAY0 + 2 * D + 5 * H, ownerId, null, "openai", "gpt-4o", CallType.CHAT, CallStatus.CANCELLED,
                    Usage.NONE, 50, null, 0);
            c6 = call(DAY0 + 2 * D + 6 * H, carol.id(), "@evil,\"app\"", "openai", "=HYPERLINK(\"http://x\")",
                    CallType.CHAT, CallStatus.SUCCESS, Usage.tokens(4, 6, 0, 0, 0), 1_234, null, 1);
            List<CallRecord> all = new ArrayList<>(List.of(c1, c2, c3, c4, c5, c6));
            // 200 quick calls of bob in one hour of day 4: latencies 10, 20, … 2000 ms, 0.01 credits each.
            for (int i = 1; i <= 200; i++) {
                all.add(call(DAY0 + 4 * D + i * 10_000L, bob.id(), "app-c", "openai", "gpt-4o-mini", CallType.CHAT,
                        CallStatus.SUCCESS, Usage.tokens(10, 10, 0, 0, 0), 10L * i, 5L * i, CREDIT / 100));
            }
            all.forEach(hub.hub().ledger()::record);
            assertThat(hub.hub().ledger().awaitFlushed(Duration.ofSeconds(20))).isTrue();
        }

        @BeforeEach
        void available() {
            assumeAvailable();
        }

        @AfterAll
        void stopHub() {
            if (hub != null) {
                hub.close();
            }
            stopped();
        }

        // ---------------------------------------------------------------- trends

        @Test
        void trendsHaveTheOriginalShapeWithExactCreditsAndRates() {
            JsonNode body = ok(hub.get("/api/usage/trends?startTime=" + DAY0 / 1000 + "&endTime="
                    + (DAY0 + 3 * D) / 1000 + "&granularity=day", owner));

            assertThat(body.path("granularity").asText()).isEqualTo("day");
            JsonNode t = body.path("trends");
            assertThat(t).hasSize(3);
            assertPoint(t.get(0), DAY0, 2, 1, 50.0, 1.0, 0.2, "1.5", 150);
            assertPoint(t.get(1), DAY0 + D, 2, 2, 100.0, 3.5, 0.4, "0.33", 302);
            assertPoint(t.get(2), DAY0 + 2 * D, 2, 1, 50.0, 1.2, 0.0, "0.000000001", 10);
            assertThat(t.get(0).path("totalCredits").isTextual()).isTrue();
        }

        @Test
        void membersSeeTheirOwnTrendAndMayNotAskForEveryone() {
            JsonNode body = ok(hub.get("/api/usage/trends?startTime=" + DAY0 / 1000 + "&endTime="
                    + (DAY0 + 3 * D) / 1000, bobKey));
            assertThat(body.path("trends").findValuesAsText("calls")).containsExactly("2", "1", "0");

            HttpResponse<String> refused = hub.get("/api/usage/trends?allUsers=true", bobKey);
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(TestHub.json(refused).path("error").path("message").asText()).contains("owner or admin");
        }

        @Test
        void hourlyTrendsCoverEveryHourOfTheRange() {
            JsonNode t = ok(hub.get("/api/usage/trends?startTime=" + DAY0 + "&endTime=" + (DAY0 + D), owner))
                    .path("trends");
            assertThat(t).hasSize(24);
            assertThat(t.get(10).path("timestamp").asLong()).isEqualTo((DAY0 + 10 * H) / 1000);
            assertThat(t.get(10).path("calls").asLong()).isEqualTo(2);
            assertThat(t.get(11).path("calls").asLong()).isZero();
        }

        @Test
        void dayBucketsFollowTheClientsTimeZone() {
            String range = "&startTime=" + (DAY0 + 16 * H) + "&endTime=" + (DAY0 + 2 * D + 16 * H)
                    + "&granularity=day&userId=" + carol.id();
            // UTC+8 (timezoneOffset -480): local days start at 16:00 UTC; carol's calls at 17:30 and 06:00 UTC the
            // next day are both on March 3rd there.
            JsonNode local = ok(hub.get("/api/usage/trends?timezoneOffset=-480" + range, owner)).path("trends");
            assertThat(local.findValuesAsText("timestamp")).containsExactly(
                    Long.toString((DAY0 + 16 * H) / 1000), Long.toString((DAY0 + D + 16 * H) / 1000));
            assertThat(local.findValuesAsText("calls")).containsExactly("0", "2");

            JsonNode utc = ok(hub.get("/api/usage/trends?timezoneOffset=0" + range, owner)).path("trends");
            assertThat(utc.findValuesAsText("timestamp")).containsExactly(Long.toString(DAY0 / 1000),
                    Long.toString((DAY0 + D) / 1000), Long.toString((DAY0 + 2 * D) / 1000));
            assertThat(utc.findValuesAsText("calls")).containsExactly("0", "1", "1");
        }

        @Test
        void badParametersAreNamed() {
            assertBad(hub.get("/api/usage/trends?startTime=" + DAY0 + "&endTime=" + (DAY0 + 60 * D)
                    + "&granularity=hour", owner), "granularity", "at most 31 days");
            assertBad(hub.get("/api/usage/trends?granularity=week", owner), "granularity", "hour or day");
            assertBad(hub.get("/api/usage/trends?startTime=" + (DAY0 + D) + "&endTime=" + DAY0, owner),
                    "startTime", "before");
            assertBad(hub.get("/api/usage/trends?timezoneOffset=east", owner), "timezoneOffset", "integer");
            assertBad(hub.get("/api/usage/summary?groupBy=color", owner), "groupBy", "model, provider");
            assertBad(hub.get("/api/usage/projects?sortBy=name", owner), "sortBy", "totalCalls");
            assertBad(hub.get("/api/usage/projects/trends", owner), "appDid", "required");
            assertBad(hub.get("/api/user/usage-stats?startTime=" + DAY0, bobKey), "endTime", "required");
            assertBad(hub.get("/api/user/model-calls?cursor=nonsense", bobKey), "cursor", "nextCursor");
            assertBad(hub.get("/api/user/model-calls?page=202&pageSize=50", bobKey), "page", "cursor");
            assertBad(hub.get("/api/user/model-calls?minDurationSeconds=-1", bobKey), "minDurationSeconds",
                    "between");
            assertThat(hub.get("/api/usage/summary", null).statusCode()).isEqualTo(401);
        }

        // ---------------------------------------------------------------- summary

        @Test
        void summaryGivesTotalsPercentilesWithinABucketAndTopGroups() {
            JsonNode body = ok(hub.get("/api/usage/summary?startTime=" + (DAY0 + 4 * D) + "&endTime="
                    + (DAY0 + 5 * D) + "&groupBy=model&interval=hour", bobKey));

            JsonNode totals = body.path("totals");
            assertThat(totals.path("calls").asLong()).isEqualTo(200);
            assertThat(totals.path("successRate").asDouble()).isEqualTo(100.0);
            assertThat(totals.path("totalCredits").asText()).isEqualTo("2");
            assertThat(totals.path("inputTokens").asLong()).isEqualTo(2_000);
            assertThat(totals.path("latency").path("avgMs").asDouble()).isEqualTo(1_005.0);
            assertThat(totals.path("latency").path("maxMs").asLong()).isEqualTo(2_000);
            // Exact p50 is 1000 ms, p95 1900 ms: the estimates lie in the buckets holding them.
            assertWithinBucket(totals.path("latency").path("p50Ms").asLong(), 1_000);
            assertWithinBucket(totals.path("latency").path("p95Ms").asLong(), 1_900);
            assertWithinBucket(totals.path("ttfb").path("p95Ms").asLong(), 950);
            assertThat(body.path("series")).hasSize(24);
            assertThat(body.path("series").get(0).path("calls").asLong()).isEqualTo(200);
            JsonNode top = body.path("top");
            assertThat(top).hasSize(1);
            assertThat(top.get(0).path("key").asText()).isEqualTo("gpt-4o-mini");
            assertThat(top.get(0).path("share").asDouble()).isEqualTo(100.0);
            assertThat(body.path("groupCount").asInt()).isEqualTo(1);
        }

        @Test
        void summaryIsTheCallersOwnUnlessAnAdminAsksForEveryone() {
            String range = "?startTime=" + DAY0 + "&endTime=" + (DAY0 + 5 * D);
            assertThat(ok(hub.get("/api/usage/summary" + range, bobKey)).path("totals").path("calls").asLong())
                    .isEqualTo(203);
            assertThat(ok(hub.get("/api/usage/summary" + range, owner)).path("totals").path("calls").asLong())
                    .isEqualTo(1);
            JsonNode everyone = ok(hub.get("/api/usage/summary" + range + "&allUsers=true&groupBy=user&sortBy=credits",
                    owner));
            assertThat(everyone.path("totals").path("calls").asLong()).isEqualTo(206);
            assertThat(everyone.path("top").findValuesAsText("key")).containsExactly(bob.id(), carol.id(), ownerId);
            assertThat(everyone.path("top").get(0).path("name").asText()).isEqualTo("bob");
            assertThat(everyone.path("top").get(0).path("totalCredits").asText()).isEqualTo("3.75");
            assertThat(everyone.path("top").get(1).path("name").asText()).isEqualTo("Carol, \"CJ\"");
            assertThat(hub.get("/api/usage/summary" + range + "&allUsers=true", bobKey).statusCode())
                    .isEqualTo(403);
        }

        // ---------------------------------------------------------------- projects

        @Test
        void projectsAreTheCallersAppsSortedAndPaged() {
            String range = "?startTime=" + DAY0 + "&endTime=" + (DAY0 + 5 * D);
            JsonNode body = ok(hub.get("/api/usage/projects" + range, bobKey));
            assertThat(body.path("total").asInt()).isEqualTo(3);
            assertThat(body.path("projects").findValuesAsText("appDid")).containsExactly("app-c", "app-a", "app-b");
            JsonNode appA = body.path("projects").get(1);
            assertThat(appA.path("totalCalls").asLong()).isEqualTo(2);
            assertThat(appA.path("totalCredits").asText()).isEqualTo("1.5");
            assertThat(appA.path("successRate").asDouble()).isEqualTo(50.0);
            assertThat(appA.path("avgDuration").asDouble()).isEqualTo(1.0);
            assertThat(appA.path("lastCallTime").asLong()).isEqualTo(c2.createdAt() / 1000);
            assertThat(appA.path("appName").asText()).isEqualTo("app-a");

            JsonNode byCredits = ok(hub.get("/api/usage/projects" + range + "&sortBy=totalCredits&sortOrder=asc",
                    bobKey));
            assertThat(byCredits.path("projects").findValuesAsText("appDid")).containsExactly("app-b", "app-a",
                    "app-c");
            JsonNode page2 = ok(hub.get("/api/usage/projects" + range + "&pageSize=1&page=2", bobKey));
            assertThat(page2.path("projects").findValuesAsText("appDid")).containsExactly("app-a");
            assertThat(page2.path("total").asInt()).isEqualTo(3);
            assertThat(page2.path("pageSize").asInt()).isEqualTo(1);
        }

        @Test
        void groupTrendsShowTheBusiestAppsPerBucket() {
            JsonNode body = ok(hub.get("/api/usage/projects/group-trends?allUsers=true&limit=2&granularity=day"
                    + "&startTime=" + DAY0 + "&endTime=" + (DAY0 + 3 * D), owner));
            assertThat(body.path("projects").findValuesAsText("appDid")).containsExactly("app-a", "");
            assertThat(body.path("granularity").asText()).isEqualTo("day");
            JsonNode trends = body.path("trends");
            assertThat(trends).hasSize(3);
            JsonNode day0 = trends.get(0).path("byProject").path("app-a");
            assertThat(day0.path("totalCalls").asLong()).isEqualTo(2);
            assertThat(day0.path("successCalls").asLong()).isEqualTo(1);
            assertThat(day0.path("totalCredits").asText()).isEqualTo("1.5");
            assertThat(trends.get(2).path("byProject").path("").path("totalCalls").asLong()).isEqualTo(1);
            assertThat(trends.get(1).path("byProject").path("").path("totalCalls").asLong()).isZero();
        }

        @Test
        void oneProjectsTrendAndCalls() {
            JsonNode trend = ok(hub.get("/api/usage/projects/trends?appDid=app-a&allUsers=true&granularity=day"
                    + "&startTime=" + DAY0 + "&endTime=" + (DAY0 + 3 * D), owner));
            assertThat(trend.path("project").path("appDid").asText()).isEqualTo("app-a");
            assertThat(trend.path("trends").findValuesAsText("calls")).containsExactly("2", "1", "0");
            assertWithinBucket(trend.path("trends").get(0).path("p95Ttfb").asLong(), 200);
            assertThat(trend.path("trends").get(1).path("p95Ttfb").isNull()).isTrue();

            JsonNode calls = ok(hub.get("/api/usage/projects/calls?appDid=app-a&startTime=" + DAY0, bobKey));
            assertThat(calls.path("count").asLong()).isEqualTo(2);
            assertThat(calls.path("list").findValuesAsText("id")).containsExactly(c2.id(), c1.id());
            assertThat(calls.path("list").get(1).path("credits").asText()).isEqualTo("1.5");
            assertThat(calls.path("list").get(1).path("userDid").asText()).isEqualTo(bob.id());
            assertThat(calls.path("page").asInt()).isEqualTo(1);
        }

        // ---------------------------------------------------------------- top models

        @Test
        void usageStatsRankTheCallersModelsAndAdminsSeeEveryone() {
            String range = "?startTime=" + DAY0 / 1000 + "&endTime=" + (DAY0 + 5 * D) / 1000;
            JsonNode mine = ok(hub.get("/api/user/usage-stats" + range, bobKey)).path("modelStats");
            assertThat(mine.path("totalModelCount").asInt()).isEqualTo(3);
            assertThat(mine.path("list").findValuesAsText("model")).containsExactly("gpt-4o-mini", "gpt-4o",
                    "claude-sonnet-4");
            assertThat(mine.path("list").get(0).path("totalCalls").asLong()).isEqualTo(200);
            assertThat(mine.path("list").get(0).path("provider").path("name").asText()).isEqualTo("openai");
            assertThat(mine.path("list").get(2).path("providerId").asText()).isEqualTo("anthropic");

            JsonNode all = ok(hub.get("/api/user/admin/user-stats" + range, owner)).path("modelStats");
            assertThat(all.path("totalModelCount").asInt()).isEqualTo(5);
            assertThat(all.path("list").get(1).path("model").asText()).isEqualTo("gpt-4o");
            assertThat(all.path("list").get(1).path("totalCalls").asLong()).isEqualTo(3);
            assertThat(hub.get("/api/user/admin/user-stats" + range, bobKey).statusCode()).isEqualTo(403);
        }

        // ---------------------------------------------------------------- history

        @Test
        void historyFiltersCountExactly() {
            assertCount("", 203);
            assertCount("status=failed", 1);
            assertCount("model=gpt-4o", 2);
            assertCount("type=chat", 203);
            assertCount("type=chatCompletion", 203);
            assertCount("appDid=app-b", 1);
            assertCount("providerId=anthropic", 1);
            // Ranges that do not fall on hours: whole hours counted from rollups, the rest from the calls.
            assertCount("startTime=" + (DAY0 + 4 * D + 100_000) + "&endTime=" + (DAY0 + 4 * D + 1_000_000), 90);
            assertCount("startTime=" + DAY0 + "&endTime=" + (DAY0 + 4 * D + 205_000), 23);
            assertCount("endTime=" + (DAY0 + 10 * H + 30 * 60_000), 1);
            assertCount("minDurationSeconds=1.5", 52);
            assertCount("search=GPT-4O-MINI", 200);
            assertCount("search=" + c3.id(), 1);
            assertCount("search=" + c3.requestId(), 1);
            assertCount("search=said%20no", 1);

            JsonNode carols = ok(hub.get("/api/user/model-calls?allUsers=true&userId=" + carol.id(), owner));
            assertThat(carols.path("count").asLong()).isEqualTo(2);
            assertThat(carols.path("list").get(0).path("userInfo").path("fullName").asText())
                    .isEqualTo("Carol, \"CJ\"");
        }

        @Test
        void cursorPagingVisitsEveryCallOnceNewestFirst() {
            List<String> ids = new ArrayList<>();
            List<Long> times = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                JsonNode page = ok(hub.get("/api/user/model-calls?pageSize=50"
                        + (cursor == null ? "" : "&cursor=" + enc(cursor)), bobKey));
                assertThat(page.path("count").asLong()).isEqualTo(203);
                page.path("list").forEach(r -> {
                    ids.add(r.path("id").asText());
                    times.add(r.path("createdAt").asLong());
                });
                cursor = page.path("paging").path("nextCursor").isMissingNode() ? null
                        : page.path("paging").path("nextCursor").asText();
                pages++;
            } while (cursor != null);

            assertThat(pages).isEqualTo(5);
            assertThat(ids).hasSize(203).doesNotHaveDuplicates();
            assertThat(times).isSortedAccordingTo((a, b) -> Long.compare(b, a));
            JsonNode page3 = ok(hub.get("/api/user/model-calls?pageSize=50&page=3", bobKey));
            assertThat(page3.path("list").findValuesAsText("id")).isEqualTo(ids.subList(100, 150));
        }

        // ---------------------------------------------------------------- export

        @Test
        void exportStreamsSafeCsv() {
            HttpResponse<String> csv = hub.get("/api/user/model-calls/export?allUsers=true&startTime="
                    + (DAY0 + 2 * D) + "&endTime=" + (DAY0 + 3 * D), owner);

            assertThat(csv.statusCode()).isEqualTo(200);
            assertThat(csv.headers().firstValue("content-type").orElse("")).startsWith("text/csv");
            assertThat(csv.headers().firstValue("content-disposition").orElse("")).contains("attachment")
                    .contains(".csv");
            String[] lines = csv.body().split("\r\n");
            assertThat(lines).hasSize(3);
            assertThat(lines[0]).isEqualTo("Timestamp,Request ID,User DID,User Name,User Email,Model,Provider,Type,"
                    + "Status,Input Tokens,Output Tokens,Total Usage,Credits,Duration(s),App DID");
            assertThat(lines[1]).isEqualTo("2024-03-03T06:00:00Z," + c6.id() + "," + carol.id()
                    + ",\"Carol, \"\"CJ\"\"\",carol@example.com,\"'=HYPERLINK(\"\"http://x\"\")\",openai,chat,"
                    + "success,4,6,10,0.000000001,1.234,\"'@evil,\"\"app\"\"\"");
            assertThat(lines[2]).isEqualTo("2024-03-03T05:00:00Z," + c5.id() + "," + ownerId
                    + ",Owner,,gpt-4o,openai,chat,cancelled,0,0,0,0,0.05,");

            HttpResponse<String> chinese = hub.get("/api/user/model-calls/export?locale=zh", bobKey);
            String[] mine = chinese.body().split("\r\n");
            assertThat(mine[0]).startsWith("时间,请求ID,用户DID");
            assertThat(mine).hasSize(204);
            assertThat(hub.get("/api/user/model-calls/export?allUsers=true", bobKey).statusCode()).isEqualTo(403);
        }

        @Test
        void anAdminCanRebuildTheRollupsOfSomeDays() {
            HttpResponse<String> done = hub.post("/api/usage/stats/backfill", owner,
                    "{\"startDate\":\"2024-03-02\",\"endDate\":\"2024-03-01T12:00:00Z\",\"userDid\":\"x\"}");
            JsonNode body = ok(done);
            assertThat(body.path("processed").asInt()).isEqualTo(2);
            assertThat(body.path("calls").asLong()).isEqualTo(4);
            assertThat(body.path("ranges").get(0).path("startTime").asLong()).isEqualTo(DAY0 / 1000);
            assertThat(body.path("ranges").get(1).path("endTime").asLong()).isEqualTo((DAY0 + 2 * D) / 1000 - 1);
            // The rebuilt days read as before.
            trendsHaveTheOriginalShapeWithExactCreditsAndRates();

            assertThat(hub.post("/api/usage/stats/backfill", bobKey, "{}").statusCode()).isEqualTo(403);
            assertBad(hub.post("/api/usage/stats/backfill", owner, "{\"startDate\":\"2024-03-01\"}"), "endDate",
                    "required");
            assertBad(hub.post("/api/usage/stats/backfill", owner,
                    "{\"startDate\":\"March 1st\",\"endDate\":\"2024-03-01\"}"), "startDate", "2025-01-31");
        }

        // ---------------------------------------------------------------- helpers

        private void assertCount(String query, long expected) {
            JsonNode page = ok(hub.get("/api/user/model-calls?pageSize=100&" + query, bobKey));
            assertThat(page.path("count").asLong()).as(query).isEqualTo(expected);
            assertThat(page.path("countExact").asBoolean()).as(query).isTrue();
            assertThat(page.path("list")).as(query).hasSize((int) Math.min(expected, 100));
        }

        private static void assertPoint(JsonNode p, long bucket, long calls, long success, double rate,
                                        double avgDuration, double avgTtfb, String credits, long usage) {
            assertThat(p.path("timestamp").asLong()).isEqualTo(bucket / 1000);
            assertThat(p.path("calls").asLong()).isEqualTo(calls);
            assertThat(p.path("successCalls").asLong()).isEqualTo(success);
            assertThat(p.path("successRate").asDouble()).isEqualTo(rate);
            assertThat(p.path("avgDuration").asDouble()).isEqualTo(avgDuration);
            assertThat(p.path("avgTtfb").asDouble()).isEqualTo(avgTtfb);
            assertThat(p.path("totalCredits").asText()).isEqualTo(credits);
            assertThat(p.path("totalUsage").asLong()).isEqualTo(usage);
        }

        private static void assertWithinBucket(long estimate, long exact) {
            int bucket = Histogram.bucketOf(exact);
            assertThat(estimate).as("estimate of %d", exact)
                    .isBetween(Histogram.lowerBound(bucket), Histogram.upperBound(bucket));
        }

        private static JsonNode ok(HttpResponse<String> response) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return TestHub.json(response);
        }

        private static void assertBad(HttpResponse<String> response, String param, String messagePart) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
            JsonNode error = TestHub.json(response).path("error");
            assertThat(error.path("param").asText()).isEqualTo(param);
            assertThat(error.path("message").asText()).contains(messagePart);
        }

        private static String enc(String s) {
            return URLEncoder.encode(s, StandardCharsets.UTF_8);
        }

        private static CallRecord call(long at, String user, String app, String provider, String model, CallType type,
                                       CallStatus status, Usage usage, long latency, Long ttfb, long credits) {
            return new CallRecord(Ids.next(), at, user, "key", app, "req-" + Ids.next(), "/v1/chat/completions", type,
                    false, provider, "cred", model, model, status, status == CallStatus.SUCCESS ? 200 : 502,
                    status == CallStatus.FAILED ? "upstream said no" : null, usage, 1, latency, ttfb, null, credits, 0, false);
        }
    }
}
