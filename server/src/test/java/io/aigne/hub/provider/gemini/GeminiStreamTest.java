package io.aigne.hub.provider.gemini;

import static io.aigne.hub.provider.gemini.GeminiFixture.MODEL;
import static io.aigne.hub.provider.gemini.GeminiFixture.drain;
import static io.aigne.hub.provider.gemini.GeminiFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aigne.hub.gateway.canonical.ChatEvent;
import io.aigne.hub.gateway.canonical.ChatRequest;
import io.aigne.hub.gateway.canonical.FinishReason;
import io.aigne.hub.gateway.canonical.Message;
import io.aigne.hub.gateway.canonical.Reasoning;
import io.aigne.hub.gateway.canonical.Tool;
import io.aigne.hub.provider.ProviderFailure;
import io.aigne.hub.server.Json;
import io.aigne.hub.testing.FakeGeminiProvider;
import io.aigne.hub.usage.Usage;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Streamed chat against the fake, which frames its SSE events with CRLF as Google does. */
class GeminiStreamTest {
    private static final int PROMPT = FakeGeminiProvider.PROMPT_TOKENS;
    private static final int THOUGHTS = FakeGeminiProvider.THOUGHTS_TOKENS;
    private static final int CACHED = FakeGeminiProvider.CACHED_TOKENS;

    private static GeminiFixture gemini;

    @BeforeAll
    static void start() {
        gemini = new GeminiFixture();
    }

    @AfterAll
    static void stop() {
        gemini.close();
    }

    @BeforeEach
    void forget() {
        gemini.fake.clearRequests();
    }

    /** Usage as the running totals stand after {@code candidates} answer tokens. */
    private static ChatEvent.UsageReport usage(int candidates) {
        return new ChatEvent.UsageReport(Usage.tokens(PROMPT, candidates + THOUGHTS, CACHED, 0, THOUGHTS));
    }

    @Test
    void textStreamsWordByWordWithRunningUsage() throws Exception {
        List<ChatEvent> events = drain(gemini.adapter.stream(gemini.route(MODEL), request(List.of(Message.user("hi")))));

        assertThat(events.getFirst()).isInstanceOfSatisfying(ChatEvent.Started.class, started -> {
            assertThat(started.id()).startsWith("fake-resp-");
            assertThat(started.model()).isEqualTo(MODEL);
        });
        assertThat(events.subList(1, events.size())).containsExactly(
                new ChatEvent.TextDelta("Hello"), usage(2),
                new ChatEvent.TextDelta(" from"), usage(4),
                new ChatEvent.TextDelta(" fake"), usage(6),
                new ChatEvent.TextDelta(" gemini-2.5-flash"), usage(8),
                new ChatEvent.Finished(FinishReason.STOP, null));
        assertThat(gemini.fake.lastRequest().path()).isEqualTo("/v1beta/models/gemini-2.5-flash:streamGenerateContent");
        assertThat(gemini.fake.lastRequest().query()).isEqualTo("alt=sse");
        assertThat(gemini.fake.lastRequest().headers()).containsEntry("accept", "text/event-stream");
    }

    @Test
    void thoughtsStreamAsReasoningBeforeTheText() throws Exception {
        ChatRequest request = new ChatRequest(MODEL, null, List.of(Message.user("think")), null, null, null, null,
                new Reasoning(true, null, null), true, null);

        List<ChatEvent> events = drain(gemini.adapter.stream(gemini.route(MODEL), request));

        assertThat(events.get(1)).isEqualTo(new ChatEvent.ReasoningDelta(FakeGeminiProvider.THOUGHT_TEXT));
        // While only thoughts exist, Gemini reports no candidate tokens yet.
        assertThat(events.get(2)).isEqualTo(usage(0));
        assertThat(events.get(3)).isEqualTo(new ChatEvent.TextDelta("Hello"));
        assertThat(events.getLast()).isEqualTo(new ChatEvent.Finished(FinishReason.STOP, null));
        assertThat(gemini.fake.lastRequest().json().at("/generationConfig/thinkingConfig/includeThoughts").asBoolean())
                .isTrue();
    }

    @Test
    void functionCallsArriveWholeWithTheirIdsAndArguments() throws Exception {
        ChatRequest request = new ChatRequest(MODEL, null, List.of(Message.user("weather and search")),
                List.of(new Tool("get_weather", null, Json.object().put("type", "object")),
                        new Tool("search", null, Json.object().put("type", "object"))),
                null, null, null, null, true, null);

        List<ChatEvent> events = drain(gemini.adapter.stream(gemini.route(MODEL), request));

        assertThat(events).hasSize(8);
        assertThat(events.get(1)).isEqualTo(new ChatEvent.ReasoningSignature(FakeGeminiProvider.THOUGHT_SIGNATURE));
        assertThat(events.get(2)).isInstanceOfSatisfying(ChatEvent.ToolCallStarted.class, call -> {
            assertThat(call.index()).isZero();
            assertThat(call.id()).matches("fc-fake-\\d+-1");
            assertThat(call.name()).isEqualTo("get_weather");
        });
        assertThat(events.get(3)).isEqualTo(new ChatEvent.ToolCallArguments(0, "{\"city\":\"Paris\"}"));
        assertThat(events.get(4)).isInstanceOfSatisfying(ChatEvent.ToolCallStarted.class, call -> {
            assertThat(call.index()).isEqualTo(1);
            assertThat(call.id()).matches("fc-fake-\\d+-2");
            assertThat(call.name()).isEqualTo("search");
        });
        assertThat(events.get(5)).isEqualTo(new ChatEvent.ToolCallArguments(1, "{\"q\":\"x\"}"));
        assertThat(events.get(6)).isEqualTo(usage(8));
        assertThat(events.get(7)).isEqualTo(new ChatEvent.Finished(FinishReason.TOOL_CALLS, null));
    }

    @Test
    void anErrorInsideTheStreamEndsItAsFailed() throws Exception {
        List<ChatEvent> events = drain(gemini.adapter.stream(gemini.route("gm-stream-error", MODEL),
                request(List.of(Message.user("hi")))));

        assertThat(events).filteredOn(ChatEvent.TextDelta.class::isInstance)
                .containsExactly(new ChatEvent.TextDelta("Hello"), new ChatEvent.TextDelta(" from"));
        assertThat(events.getLast()).isEqualTo(new ChatEvent.Failed(503, "server_error",
                "The model is overloaded. Please try again later."));
        assertThat(events).noneMatch(ChatEvent.Finished.class::isInstance);
    }

    @Test
    void errorsBeforeTheStreamStartsAreFailuresWithTheRetryDelay() {
        assertThatThrownBy(() -> gemini.adapter.stream(gemini.route("gm-429", MODEL), request(List.of(Message.user("hi")))))
                .isInstanceOfSatisfying(ProviderFailure.class, failure -> {
                    assertThat(failure.status()).isEqualTo(429);
                    assertThat(failure.retryAfter()).isEqualTo("7");
                    assertThat(failure.error().type()).isEqualTo("rate_limit_error");
                });
    }
}
