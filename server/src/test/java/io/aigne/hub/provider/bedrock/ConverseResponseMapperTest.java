package io.aigne.hub.provider.bedrock;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aigne.hub.gateway.canonical.ChatResponse;
import io.aigne.hub.gateway.canonical.ContentPart;
import io.aigne.hub.gateway.canonical.FinishReason;
import io.aigne.hub.provider.ProviderFailure;
import io.aigne.hub.usage.Usage;
import org.junit.jupiter.api.Test;

class ConverseResponseMapperTest {

    private static ChatResponse read(String json, String jsonTool) throws ProviderFailure {
        return ConverseResponseMapper.read(json.getBytes(UTF_8), "req-1", "m", jsonTool);
    }

    @Test
    void theMatchedStopSequenceComesFromTheAdditionalFields() throws Exception {
        ChatResponse response = read("""
                {"output":{"message":{"role":"assistant","content":[{"text":"one, two"}]}},
                 "stopReason":"stop_sequence","additionalModelResponseFields":{"stop_sequence":"three"},
                 "usage":{"inputTokens":3,"outputTokens":4,"totalTokens":7}}""", null);

        assertThat(response.finishReason()).isEqualTo(FinishReason.STOP_SEQUENCE);
        assertThat(response.stopSequence()).isEqualTo("three");
        assertThat(response.usage()).isEqualTo(Usage.tokens(3, 4, 0, 0, 0));
        assertThat(response.id()).isEqualTo("req-1");
    }

    @Test
    void redactedReasoningAndUnknownBlocksAreHandled() throws Exception {
        ChatResponse response = read("""
                {"output":{"message":{"role":"assistant","content":[
                  {"reasoningContent":{"redactedContent":"ZW5jcnlwdGVk"}},
                  {"citationsContent":{"content":[{"text":"cited"}]}},
                  {"text":"Done."}]}},
                 "stopReason":"end_turn",
                 "usage":{"inputTokens":5,"outputTokens":6,"totalTokens":11,"cacheReadInputTokens":100,
                          "cacheWriteInputTokens":20}}""", null);

        assertThat(response.content()).containsExactly(new ContentPart.RedactedReasoning("ZW5jcnlwdGVk"),
                new ContentPart.Text("Done."));
        assertThat(response.usage()).isEqualTo(Usage.tokens(125, 6, 100, 20, 0));
    }

    @Test
    void aRealToolCallBesideTheJsonToolKeepsTheToolCallsFinish() throws Exception {
        ChatResponse response = read("""
                {"output":{"message":{"role":"assistant","content":[
                  {"toolUse":{"toolUseId":"t1","name":"get_weather","input":{"city":"Paris"}}}]}},
                 "stopReason":"tool_use","usage":{"inputTokens":1,"outputTokens":1,"totalTokens":2}}""",
                "json_response");

        assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(response.toolCalls()).containsExactly(new ContentPart.ToolCall("t1", "get_weather",
                "{\"city\":\"Paris\"}"));
    }

    @Test
    void anAnswerThatIsNotConverseIsBroken() {
        assertThatThrownBy(() -> read("not json", null)).isInstanceOfSatisfying(ProviderFailure.class,
                e -> assertThat(e.kind()).isEqualTo(ProviderFailure.Kind.BROKEN));
        assertThatThrownBy(() -> read("{\"output\":{}}", null)).isInstanceOfSatisfying(ProviderFailure.class,
                e -> assertThat(e.getMessage()).contains("output.message"));
    }
}
