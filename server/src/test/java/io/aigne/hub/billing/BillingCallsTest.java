package io.aigne.hub.billing;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigne.hub.auth.Role;
import io.aigne.hub.auth.User;
import io.aigne.hub.testing.FakeOpenAiProvider;
import io.aigne.hub.testing.TestHub;
import io.aigne.hub.usage.CallRecord;
import io.aigne.hub.usage.CallType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Billing through the front doors with billing on: a call reserves before it starts and is charged exactly its
 * cost, a caller who cannot cover a call is refused with 402 in each door's shape before any provider is asked,
 * and 200 concurrent calls by a user whose credit covers 50 are charged no more than the balance.
 */
class BillingCallsTest {
    /** One credit per output token and nothing for input: the fake answers 7 completion tokens, so a call costs 7. */
    private static final BigDecimal OUTPUT_RATE = BigDecimal.ONE;
    private static FakeOpenAiProvider openai;
    private static TestHub hub;
    private static int userCount;

    @BeforeAll
    static void start() {
        openai = FakeOpenAiProvider.start();
        hub = TestHub.builder().setting("AIGNE_HUB_BILLING_ENABLED", "true")
                .openAiProvider("openai", "openai", openai.baseUrl(), List.of(), "sk-test-billing")
                .start();
        RateStore rates = hub.hub().billing().rates().store();
        rates.save(ModelRate.tokens("openai", "gpt-4o-mini", CallType.CHAT, BigDecimal.ZERO, OUTPUT_RATE));
        rates.save(ModelRate.tokens("openai", "gpt-4o", CallType.CHAT, new BigDecimal("0.000002"),
                new BigDecimal("0.00001")));
        rates.save(new ModelRate(null, "openai", "gpt-image-1", CallType.IMAGE, null, BigDecimal.ZERO, BigDecimal.ZERO,
                null, null, new BigDecimal("0.04"), java.util.Map.of("1024x1024/high", new BigDecimal("0.2")), null,
                null, ModelRate.Source.MANUAL, false, null, null, null, 0, 0));
        hub.hub().billing().rates().reload();
    }

    @AfterAll
    static void stop() {
        hub.close();
        openai.close();
    }

    @BeforeEach
    void clear() {
        openai.clearRequests();
    }

    private record Member(User user, String key) {
    }

    private static Member member(String credits) {
        User user = hub.hub().users().create("member" + (++userCount), null, null, Role.MEMBER);
        if (credits != null) {
            hub.hub().billing().ledger().grant(user.id(), CreditEntry.Kind.GRANT, Credits.parse(credits), null, null,
                    "test", "test");
        }
        return new Member(user, hub.hub().keys().issue(user.id(), "test", null).secret());
    }

    private static String chatBody(String model, int maxTokens) {
        return "{\"model\":\"" + model + "\",\"max_tokens\":" + maxTokens
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}";
    }

    private static CreditAccount account(Member m) {
        return hub.hub().billing().ledger().account(m.user().id());
    }

    /** The call's ledger row; it is settled and queued just after its answer is sent, so wait for it. */
    private static CallRecord awaitCall(String callId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            hub.hub().ledger().awaitFlushed(Duration.ofSeconds(10));
            var found = hub.calls().stream().filter(c -> c.id().equals(callId)).findFirst();
            if (found.isPresent() || System.nanoTime() > deadline) {
                return found.orElseThrow();
            }
            Thread.sleep(20);
        }
    }

    /** The account once no call holds credit any more. */
    private static CreditAccount settled(Member m) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        CreditAccount account = account(m);
        while (account.held().isPositive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            account = account(m);
        }
        return account;
    }

    @Test
    void aCallIsChargedExactlyItsCostAndTheHoldIsReleased() throws Exception {
        Member m = member("10");
        HttpResponse<String> response = hub.post("/v1/chat/completions", m.key(), "{\"model\":\"openai/gpt-4o\","
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}");

        assertThat(response.statusCode()).isEqualTo(200);
        String callId = response.headers().firstValue("x-aigne-hub-call-id").orElseThrow();
        // 11 prompt tokens x 0.000002 + 7 completion tokens x 0.00001 = 0.000092 credits.
        CallRecord call = awaitCall(callId);
        assertThat(call.credits()).isEqualTo(Credits.parse("0.000092").nanos());
        CreditAccount account = account(m);
        assertThat(account.balance()).isEqualTo(Credits.parse("9.999908"));
        assertThat(account.held()).isEqualTo(Credits.ZERO);
        List<CreditEntry> charges = hub.hub().billing().ledger()
                .entries(m.user().id(), List.of(CreditEntry.Kind.CHARGE), null, null, 1, 10).entries();
        assertThat(charges).singleElement().satisfies(c -> {
            assertThat(c.callId()).isEqualTo(callId);
            assertThat(c.amount()).isEqualTo(Credits.parse("-0.000092"));
        });
        assertThat(hub.hub().billing().ledger().ledgerSum(m.user().id())).isEqualTo(account.balance());

        JsonNode balance = TestHub.json(hub.get("/api/user/credit/balance", m.key()));
        assertThat(balance.path("balance").asText()).isEqualTo("9.999908");
        assertThat(balance.path("pendingCredit").asText()).isEqualTo("0");
        JsonNode transactions = TestHub.json(hub.get("/api/user/credit/transactions", m.key()));
        assertThat(transactions.path("count").asInt()).isEqualTo(2);
        assertThat(transactions.path("list").get(0).path("kind").asText()).isEqualTo("charge");
        assertThat(transactions.path("list").get(0).path("callId").asText()).isEqualTo(callId);
    }

    @Test
    void anImageIsChargedAtThePriceOfItsSizeAndQuality() throws Exception {
        Member m = member("1");
        HttpResponse<String> response = hub.post("/v1/images/generations", m.key(), "{\"model\":\"openai/gpt-image-1\","
                + "\"prompt\":\"a cat\",\"size\":\"1024x1024\",\"quality\":\"high\"}");
        assertThat(response.statusCode()).isEqualTo(200);
        CallRecord call = awaitCall(response.headers().firstValue("x-aigne-hub-call-id").orElseThrow());
        assertThat(call.credits()).isEqualTo(Credits.parse("0.2").nanos());
        assertThat(account(m).balance()).isEqualTo(Credits.parse("0.8"));
    }

    @Test
    void theAigneDoorTellsWhatAnImageCostAtItsSizeAndQuality() {
        Member m = member("1");
        HttpResponse<String> response = hub.post("/api/v2/image", m.key(), "{\"input\":{\"prompt\":\"a cat\","
                + "\"modelOptions\":{\"model\":\"openai/gpt-image-1\",\"size\":\"1024x1024\",\"quality\":\"high\"}},"
                + "\"agent\":\"$IMAGE_MODEL\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(TestHub.json(response).path("usage").path("aigneHubCredits").decimalValue())
                .isEqualByComparingTo("0.2");
    }

    @Test
    void theAigneDoorTellsTheCallersWhatTheCallCost() {
        Member m = member("10");
        HttpResponse<String> response = hub.post("/api/v2/chat", m.key(), "{\"input\":{\"messages\":[{\"role\":"
                + "\"user\",\"content\":\"hi\"}],\"modelOptions\":{\"model\":\"openai/gpt-4o\"}},"
                + "\"agent\":\"$CHAT_MODEL\",\"options\":{}}");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode usage = TestHub.json(response).path("usage");
        assertThat(usage.path("aigneHubCredits").decimalValue()).isEqualByComparingTo("0.000092");
        assertThat(usage.has("creditPrefix")).as("an empty prefix is left out; the SDK refuses it").isFalse();
    }

    @Test
    void aStreamedCallIsChargedToo() throws Exception {
        Member m = member("10");
        HttpResponse<String> response = hub.post("/v1/chat/completions", m.key(), "{\"model\":\"openai/gpt-4o\","
                + "\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("data: [DONE]");
        CallRecord call = awaitCall(response.headers().firstValue("x-aigne-hub-call-id").orElseThrow());
        assertThat(call.credits()).isEqualTo(Credits.parse("0.000092").nanos());
        assertThat(account(m).balance()).isEqualTo(Credits.parse("9.999908"));
    }

    @Test
    void aCallerWhoCannotCoverTheReservationIsRefusedIn402InEveryDoorWithoutReachingTheProvider() {
        Member m = member("5");
        // max_tokens 7 at 1 credit a token reserves 7 credits; only 5 are there.
        HttpResponse<String> openAiDoor = hub.post("/v1/chat/completions", m.key(), chatBody("openai/gpt-4o-mini", 7));
        assertThat(openAiDoor.statusCode()).isEqualTo(402);
        JsonNode error = TestHub.json(openAiDoor).path("error");
        assertThat(error.path("type").asText()).isEqualTo("insufficient_quota");
        assertThat(error.path("message").asText()).contains("buy some credits").contains("up to 7 credits")
                .contains("available balance is 5").contains(hub.baseUrl() + "/credits/purchase");

        HttpResponse<String> anthropicDoor = hub.send(hub.request("/v1/messages", null)
                .header("x-api-key", m.key()).header("anthropic-version", "2023-06-01")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"openai/gpt-4o-mini\",\"max_tokens\":7,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}")));
        assertThat(anthropicDoor.statusCode()).isEqualTo(402);
        assertThat(TestHub.json(anthropicDoor).path("error").path("type").asText()).isEqualTo("billing_error");

        HttpResponse<String> aigneDoor = hub.post("/api/v2/chat", m.key(), "{\"input\":{\"messages\":[{\"role\":"
                + "\"user\",\"content\":\"hi\"}],\"modelOptions\":{\"model\":\"openai/gpt-4o-mini\",\"maxTokens\":7}},"
                + "\"agent\":\"$CHAT_MODEL\",\"options\":{}}");
        assertThat(aigneDoor.statusCode()).isEqualTo(402);
        JsonNode aigneError = TestHub.json(aigneDoor).path("error");
        assertThat(aigneError.path("type").asText()).isEqualTo("NOT_ENOUGH");
        assertThat(aigneError.path("link").asText()).isEqualTo(hub.baseUrl() + "/credits/purchase");

        assertThat(openai.requests()).as("no refused call reached the provider").isEmpty();
        assertThat(account(m).balance()).isEqualTo(Credits.ofWhole(5));
        assertThat(account(m).held()).isEqualTo(Credits.ZERO);
    }

    @Test
    void aModelWithoutARateIsRefusedWhileBillingIsOn() {
        Member m = member("100");
        HttpResponse<String> response = hub.post("/v1/embeddings", m.key(),
                "{\"model\":\"openai/text-embedding-3-small\",\"input\":\"hi\"}");
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(TestHub.json(response).path("error").path("code").asText()).isEqualTo("model_not_priced");
        assertThat(openai.requests()).isEmpty();
    }

    @Test
    void twoHundredConcurrentCallsOfAUserWhoseCreditCoversFiftyAreChargedNoMoreThanTheBalance() throws Exception {
        Member m = member("350");
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        CountDownLatch go = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            calls.add(pool.submit(() -> {
                go.await();
                return hub.post("/v1/chat/completions", m.key(), chatBody("openai/gpt-4o-mini", 7));
            }));
        }
        go.countDown();
        int answered = 0;
        int refused = 0;
        for (Future<HttpResponse<String>> call : calls) {
            int status = call.get().statusCode();
            answered += status == 200 ? 1 : 0;
            refused += status == 402 ? 1 : 0;
        }
        pool.shutdown();

        assertThat(answered + refused).isEqualTo(200);
        assertThat(answered).isEqualTo(50);
        assertThat(openai.requests()).as("only admitted calls reached the provider").hasSize(answered);
        CreditAccount account = settled(m);
        assertThat(account.balance()).isEqualTo(Credits.ZERO);
        assertThat(account.held()).isEqualTo(Credits.ZERO);
        assertThat(hub.hub().billing().ledger().ledgerSum(m.user().id())).isEqualTo(account.balance());
        assertThat(hub.hub().billing().ledger().entries(m.user().id(), List.of(CreditEntry.Kind.CHARGE), null, null,
                1, 100).count()).isEqualTo(answered);
    }

    @Test
    void userInfoAndStatusShowTheLedger() {
        Member rich = member("12.5");
        JsonNode info = TestHub.json(hub.get("/api/user/info", rich.key()));
        assertThat(info.path("enableCredit").asBoolean()).isTrue();
        assertThat(info.path("creditBalance").path("balance").asText()).isEqualTo("12.5");
        assertThat(info.path("creditBalance").path("grantCount").asInt()).isEqualTo(1);
        assertThat(info.path("paymentLink").asText()).isEqualTo(hub.baseUrl() + "/credits/purchase");
        assertThat(TestHub.json(hub.get("/api/v2/status", rich.key())).path("available").asBoolean()).isTrue();

        Member broke = member(null);
        JsonNode status = TestHub.json(hub.get("/api/v2/status", broke.key()));
        assertThat(status.path("available").asBoolean()).isFalse();
        assertThat(status.path("code").asInt()).isEqualTo(402);
        assertThat(status.path("type").asText()).isEqualTo("NOT_ENOUGH");
        assertThat(status.path("link").asText()).isEqualTo(hub.baseUrl() + "/credits/purchase");
    }

    @Test
    void adminsGrantAndRefundAndMembersCannot() throws Exception {
        Member m = member(null);
        HttpResponse<String> denied = hub.post("/api/admin/credits/grants", m.key(),
                "{\"user\":\"" + m.user().name() + "\",\"amount\":\"5\"}");
        assertThat(denied.statusCode()).isEqualTo(403);

        HttpResponse<String> bad = hub.post("/api/admin/credits/grants", hub.ownerKey(),
                "{\"user\":\"" + m.user().name() + "\",\"amount\":\"1.0000000001\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(TestHub.json(bad).path("error").path("param").asText()).isEqualTo("amount");

        HttpResponse<String> granted = hub.post("/api/admin/credits/grants", hub.ownerKey(),
                "{\"user\":\"" + m.user().name() + "\",\"amount\":\"20\",\"kind\":\"promotion\",\"expiresInDays\":30,"
                        + "\"idempotencyKey\":\"welcome-1\"}");
        assertThat(granted.statusCode()).isEqualTo(201);
        assertThat(TestHub.json(granted).path("expiresAt").asLong()).isGreaterThan(System.currentTimeMillis());
        assertThat(hub.post("/api/admin/credits/grants", hub.ownerKey(), "{\"user\":\"" + m.user().name()
                + "\",\"amount\":\"20\",\"idempotencyKey\":\"welcome-1\"}").statusCode()).isEqualTo(409);

        HttpResponse<String> call = hub.post("/v1/chat/completions", m.key(), chatBody("openai/gpt-4o-mini", 7));
        String callId = call.headers().firstValue("x-aigne-hub-call-id").orElseThrow();
        awaitCall(callId);
        assertThat(account(m).balance()).isEqualTo(Credits.ofWhole(13));
        HttpResponse<String> refund = hub.post("/api/admin/credits/refunds", hub.ownerKey(),
                "{\"callId\":\"" + callId + "\",\"reason\":\"test\"}");
        assertThat(refund.statusCode()).isEqualTo(201);
        assertThat(hub.post("/api/admin/credits/refunds", hub.ownerKey(), "{\"callId\":\"" + callId + "\"}")
                .statusCode()).isEqualTo(409);
        JsonNode audited = TestHub.json(hub.get("/api/admin/audit?action=credit.&targetId=" + m.user().id(),
                hub.ownerKey()));
        assertThat(audited.path("count").asInt()).as("the grant and the refund are audited").isEqualTo(2);
        JsonNode accountView = TestHub.json(hub.get("/api/admin/credits/accounts/" + m.user().name(), hub.ownerKey()));
        assertThat(accountView.path("total").asText()).isEqualTo("20");
        assertThat(accountView.path("ledgerSum").asText()).isEqualTo("20");
    }

    @Test
    void billingSettingsAreValidatedAsAWhole() {
        HttpResponse<String> bad = hub.put("/api/admin/billing/settings", hub.ownerKey(),
                "{\"baseCreditPrice\":\"0\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(TestHub.json(bad).path("error").path("param").asText()).isEqualTo("baseCreditPrice");
        HttpResponse<String> unknown = hub.put("/api/admin/billing/settings", hub.ownerKey(), "{\"colour\":\"red\"}");
        assertThat(unknown.statusCode()).isEqualTo(400);
        JsonNode settings = TestHub.json(hub.get("/api/admin/billing/settings", hub.ownerKey()));
        assertThat(settings.path("enabled").asBoolean()).isTrue();
        assertThat(settings.path("baseCreditPrice").asText()).isEqualTo("1");
    }
}
