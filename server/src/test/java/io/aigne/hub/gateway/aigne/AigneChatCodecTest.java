package io.aigne.hub.gateway.aigne;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.gateway.canonical.ChatEvent;
import io.aigne.hub.gateway.canonical.ChatRequest;
import io.aigne.hub.gateway.canonical.ContentPart;
import io.aigne.hub.gateway.canonical.FinishReason;
import io.aigne.hub.gateway.canonical.Message;
import io.aigne.hub.gateway.canonical.ToolChoice;
import io.aigne.hub.gateway.sse.SseWriter;
import io.aigne.hub.server.ApiException;
import io.aigne.hub.server.Json;
import io.aigne.hub.usage.Usage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The AIGNE ChatModel input in canonical terms, and the exact bytes of a stream. */
class AigneChatCodecTest {

    private static ObjectNode input(String json) {
        return Json.parseObject(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void contentPartsOptionsAndToolChoiceMapToTheCanonicalRequest() {
        ChatRequest request = AigneChatCodec.toCanonical(input("{\"messages\":["
                + "{\"role\":\"system\",\"content\":\"Be brief.\"},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"look\"},"
                + "{\"type\":\"url\",\"url\":\"https://x.example/cat.jpg\"},"
                + "{\"type\":\"file\",\"data\":\"JVBERi0=\",\"mimeType\":\"application/pdf\",\"filename\":\"a.pdf\"},"
                + "{\"type\":\"file\",\"data\":\"iVBORw0=\"}]}],"
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":{\"type\":\"object\"}}}],"
                + "\"toolChoice\":{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":{}}},"
                + "\"modelOptions\":{\"model\":\"openai/gpt-4o\",\"temperature\":0.2,\"topP\":0.9,"
                + "\"presencePenalty\":0.1,\"frequencyPenalty\":0.3,\"parallelToolCalls\":false,"
                + "\"reasoningEffort\":\"high\"}}"), "openai/gpt-4o", true);

        assertThat(request.model()).isEqualTo("openai/gpt-4o");
        assertThat(request.stream()).isTrue();
        assertThat(request.systemText()).isEqualTo("Be brief.");
        Message user = request.messages().getFirst();
        assertThat(user.content()).hasSize(4);
        assertThat(user.content().get(1)).isEqualTo(ContentPart.Image.link("https://x.example/cat.jpg"));
        assertThat(user.content().get(2)).isInstanceOfSatisfying(ContentPart.Document.class, d -> {
            assertThat(d.mediaType()).isEqualTo("application/pdf");
            assertThat(d.data()).isEqualTo("JVBERi0=");
            assertThat(d.title()).isEqualTo("a.pdf");
        });
        assertThat(user.content().get(3)).isEqualTo(ContentPart.Image.inline("image/png", "iVBORw0="));
        assertThat(request.toolChoice()).isEqualTo(new ToolChoice(ToolChoice.Mode.TOOL, "f", false));
        assertThat(request.sampling().temperature()).isEqualTo(0.2);
        assertThat(request.sampling().topP()).isEqualTo(0.9);
        assertThat(request.sampling().presencePenalty()).isEqualTo(0.1);
        assertThat(request.sampling().frequencyPenalty()).isEqualTo(0.3);
        assertThat(request.reasoning().effort()).isEqualTo("high");
        assertThat(request.tools().getFirst().cacheControl()).isNull();
    }

    @Test
    void theClientsCacheConfigMarksToolsSystemAndTheLastMessage() {
        ChatRequest request = AigneChatCodec.toCanonical(input("{\"messages\":["
                + "{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"hi\"}],"
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":{}}}],"
                + "\"modelOptions\":{\"cacheConfig\":{\"autoBreakpoints\":{\"lastMessage\":true},\"ttl\":\"1h\"}}}"),
                "anthropic/claude", false);

        assertThat(request.system().getFirst().cacheControl().toString()).isEqualTo("{\"type\":\"ephemeral\",\"ttl\":\"1h\"}");
        assertThat(request.tools().getFirst().cacheControl().path("type").asText()).isEqualTo("ephemeral");
        assertThat(((ContentPart.Text) request.messages().getLast().content().getLast()).cacheControl()).isNotNull();
    }

    @Test
    void anAgentTurnWithToolCallsAndItsResultsBecomeCanonicalCallsAndResults() {
        ChatRequest request = AigneChatCodec.toCanonical(input("{\"messages\":["
                + "{\"role\":\"user\",\"content\":\"weather?\"},"
                + "{\"role\":\"agent\",\"content\":\"Checking.\",\"toolCalls\":[{\"id\":\"c1\",\"type\":\"function\","
                + "\"function\":{\"name\":\"get_weather\",\"arguments\":{\"city\":\"Oslo\"}}}]},"
                + "{\"role\":\"tool\",\"toolCallId\":\"c1\",\"content\":\"3 degrees\"},"
                + "{\"role\":\"user\",\"content\":\"thanks\"}]}"), "m", false);

        assertThat(request.messages()).hasSize(3);
        Message agent = request.messages().get(1);
        assertThat(agent.role()).isEqualTo(Message.Role.ASSISTANT);
        assertThat(agent.content()).containsExactly(new ContentPart.Text("Checking."),
                new ContentPart.ToolCall("c1", "get_weather", "{\"city\":\"Oslo\"}"));
        Message results = request.messages().get(2);
        assertThat(results.content().getFirst()).isInstanceOfSatisfying(ContentPart.ToolResult.class, r -> {
            assertThat(r.callId()).isEqualTo("c1");
            assertThat(r.text()).isEqualTo("3 degrees");
        });
        assertThat(results.content().getLast()).isEqualTo(new ContentPart.Text("thanks"));
        assertThat(request.toolNameFor("c1")).isEqualTo("get_weather");
    }

    @Test
    void aLocalFileIsRefusedNamingThePart() {
        assertThatThrownBy(() -> AigneChatCodec.toCanonical(input("{\"messages\":[{\"role\":\"user\",\"content\":"
                + "[{\"type\":\"local\",\"path\":\"/tmp/a.png\"}]}]}"), "m", false))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("input.messages[0].content[0] is a 'local' file");
    }

    @Test
    void theStreamIsExactlyTheseDataEvents() throws IOException {
        ChatRequest request = AigneChatCodec.toCanonical(input("{\"messages\":[{\"role\":\"user\",\"content\":"
                + "\"hi\"}]}"), "openai/gpt-4o-mini", true);
        AigneStreamEncoder encoder = new AigneStreamEncoder(request, "openai/gpt-4o-mini", CallCredits.NONE);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SseWriter out = new SseWriter(bytes);
        encoder.write(new ChatEvent.Started("id1", "gpt-4o-mini-2024-07-18"), out);
        encoder.write(new ChatEvent.ReasoningDelta("Hmm."), out);
        encoder.write(new ChatEvent.TextDelta("Hel"), out);
        encoder.write(new ChatEvent.TextDelta("lo"), out);
        encoder.write(new ChatEvent.ToolCallStarted(0, "call_1", "f"), out);
        encoder.write(new ChatEvent.ToolCallArguments(0, "{\"a\""), out);
        encoder.write(new ChatEvent.ToolCallArguments(0, ":1}"), out);
        encoder.write(new ChatEvent.Finished(FinishReason.TOOL_CALLS, null), out);
        encoder.write(new ChatEvent.UsageReport(Usage.tokens(12, 3, 2, 0, 0)), out);
        encoder.end(out);

        String usage = "{\"inputTokens\":12,\"outputTokens\":3,\"cacheCreationInputTokens\":0,\"cacheReadInputTokens\":2}";
        String calls = "[{\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":{\"a\":1}}}]";
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(
                "data: {\"delta\":{\"json\":{\"model\":\"gpt-4o-mini-2024-07-18\"}}}\n\n"
                        + "data: {\"delta\":{\"text\":{\"thoughts\":\"Hmm.\"}}}\n\n"
                        + "data: {\"delta\":{\"text\":{\"text\":\"Hel\"}}}\n\n"
                        + "data: {\"delta\":{\"text\":{\"text\":\"lo\"}}}\n\n"
                        + "data: {\"delta\":{\"json\":{\"toolCalls\":" + calls + "}}}\n\n"
                        + "data: {\"delta\":{\"json\":{\"usage\":" + usage + "}}}\n\n"
                        + "data: {\"delta\":{\"json\":{\"text\":\"Hello\",\"thoughts\":\"Hmm.\",\"toolCalls\":" + calls
                        + ",\"model\":\"gpt-4o-mini-2024-07-18\",\"usage\":" + usage
                        + ",\"modelWithProvider\":\"openai/gpt-4o-mini\"}}}\n\n");
    }

    @Test
    void aFailureIsANamedErrorEventWithTheMessage() throws IOException {
        ChatRequest request = AigneChatCodec.toCanonical(input("{\"messages\":[{\"role\":\"user\",\"content\":"
                + "\"hi\"}]}"), "m", true);
        AigneStreamEncoder encoder = new AigneStreamEncoder(request, "p/m", CallCredits.NONE);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SseWriter out = new SseWriter(bytes);
        encoder.write(new ChatEvent.TextDelta("Hi"), out);
        encoder.fail(503, "overloaded_error", "Overloaded", out);
        encoder.end(out);

        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(
                "data: {\"delta\":{\"text\":{\"text\":\"Hi\"}}}\n\n"
                        + "event: error\ndata: {\"message\":\"Overloaded\"}\n\n");
    }
}
