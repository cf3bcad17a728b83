package io.aigne.hub.provider.gemini;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aigne.hub.gateway.canonical.ChatEvent;
import io.aigne.hub.gateway.canonical.FinishReason;
import io.aigne.hub.provider.CredentialSecret;
import io.aigne.hub.usage.Usage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Stream shapes the fake does not produce: calls without ids, blocked prompts, cut-off and broken streams. */
class GeminiStreamDecoderTest {

    private static List<ChatEvent> decode(String... events) throws IOException {
        return decode(CredentialSecret.apiKey("AIzaSyTestKey1234567890"), events);
    }

    private static List<ChatEvent> decode(CredentialSecret secret, String... events) throws IOException {
        StringBuilder body = new StringBuilder();
        for (String event : events) {
            body.append("data: ").append(event).append("\n\n");
        }
        GeminiStreamDecoder decoder = new GeminiStreamDecoder(new ByteArrayInputStream(body.toString().getBytes(UTF_8)),
                "gemini-2.5-flash", secret);
        List<ChatEvent> all = new ArrayList<>();
        for (ChatEvent event = decoder.next(); event != null; event = decoder.next()) {
            all.add(event);
        }
        return all;
    }

    @Test
    void callsWithoutGeminiIdsGetGeneratedOnes() throws Exception {
        List<ChatEvent> events = decode("""
                {"candidates":[{"content":{"role":"model","parts":[
                  {"functionCall":{"name":"a","args":{"x":1}}},
                  {"functionCall":{"name":"b"}}]},"finishReason":"STOP"}],
                 "modelVersion":"gemini-2.5-flash-001"}""".replace("\n", ""));

        assertThat(events.getFirst()).isEqualTo(new ChatEvent.Started(null, "gemini-2.5-flash-001"));
        ChatEvent.ToolCallStarted a = (ChatEvent.ToolCallStarted) events.get(1);
        ChatEvent.ToolCallStarted b = (ChatEvent.ToolCallStarted) events.get(3);
        assertThat(a.id()).matches("call_[A-Za-z0-9]{24}");
        assertThat(b.id()).matches("call_[A-Za-z0-9]{24}").isNotEqualTo(a.id());
        assertThat(events.get(2)).isEqualTo(new ChatEvent.ToolCallArguments(0, "{\"x\":1}"));
        assertThat(events.get(4)).isEqualTo(new ChatEvent.ToolCallArguments(1, "{}"));
        assertThat(events.getLast()).isEqualTo(new ChatEvent.Finished(FinishReason.TOOL_CALLS, null));
    }

    @Test
    void aBlockedPromptFinishesAsContentFilter() throws Exception {
        List<ChatEvent> events = decode("""
                {"promptFeedback":{"blockReason":"SAFETY"},"usageMetadata":{"promptTokenCount":9,"totalTokenCount":9},
                 "responseId":"r1","modelVersion":"gemini-2.5-flash"}""".replace("\n", ""));

        assertThat(events).containsExactly(new ChatEvent.Started("r1", "gemini-2.5-flash"),
                new ChatEvent.UsageReport(Usage.tokens(9, 0, 0, 0, 0)),
                new ChatEvent.Finished(FinishReason.CONTENT_FILTER, null));
    }

    @Test
    void maxTokensIsLengthAndASignatureOnTextComesBeforeIt() throws Exception {
        List<ChatEvent> events = decode(
                "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hi\"}]}}]}",
                "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"\",\"thoughtSignature\":\"c2ln\"}]},"
                        + "\"finishReason\":\"MAX_TOKENS\"}]}");

        assertThat(events.subList(1, events.size())).containsExactly(new ChatEvent.TextDelta("Hi"),
                new ChatEvent.ReasoningSignature("c2ln"), new ChatEvent.Finished(FinishReason.LENGTH, null));
    }

    @Test
    void usageIsReportedOnlyWhenItChangesAndMayFollowTheFinish() throws Exception {
        String usage = "\"usageMetadata\":{\"promptTokenCount\":4,\"candidatesTokenCount\":1}";
        List<ChatEvent> events = decode(
                "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"a\"}]}}]," + usage + "}",
                "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"b\"}]}}]," + usage + "}",
                "{\"candidates\":[{\"finishReason\":\"STOP\"}]," + usage + "}",
                "{\"usageMetadata\":{\"promptTokenCount\":4,\"candidatesTokenCount\":2}}");

        assertThat(events).filteredOn(ChatEvent.UsageReport.class::isInstance).containsExactly(
                new ChatEvent.UsageReport(Usage.tokens(4, 1, 0, 0, 0)),
                new ChatEvent.UsageReport(Usage.tokens(4, 2, 0, 0, 0)));
        assertThat(events.getLast()).isEqualTo(new ChatEvent.UsageReport(Usage.tokens(4, 2, 0, 0, 0)));
        assertThat(events).filteredOn(ChatEvent.Finished.class::isInstance).hasSize(1);
    }

    @Test
    void anErrorEventIsRedactedAndEndsTheStream() throws Exception {
        List<ChatEvent> events = decode(CredentialSecret.apiKey("AIzaSyTestKey1234567890"),
                "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"a\"}]}}]}",
                "{\"error\":{\"code\":429,\"message\":\"quota for key AIzaSyTestKey1234567890 exceeded\","
                        + "\"status\":\"RESOURCE_EXHAUSTED\"}}",
                "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"never\"}]}}]}");

        assertThat(events.getLast()).isInstanceOfSatisfying(ChatEvent.Failed.class, failed -> {
            assertThat(failed.status()).isEqualTo(429);
            assertThat(failed.type()).isEqualTo("rate_limit_error");
            assertThat(failed.message()).startsWith("quota for key ").endsWith(" exceeded")
                    .doesNotContain("AIzaSyTestKey1234567890");
        });
        assertThat(events).doesNotContain(new ChatEvent.TextDelta("never"));
    }

    @Test
    void aStreamCutOffBeforeTheFinishIsBroken() {
        assertThatThrownBy(() -> decode("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"a\"}]}}]}"))
                .isInstanceOf(IOException.class).hasMessageContaining("ended before");
        assertThatThrownBy(() -> decode()).isInstanceOf(IOException.class);
    }

    @Test
    void anEventThatIsNotJsonIsBroken() {
        assertThatThrownBy(() -> decode("{\"candidates\":")).isInstanceOf(IOException.class)
                .hasMessageContaining("not JSON");
    }
}
