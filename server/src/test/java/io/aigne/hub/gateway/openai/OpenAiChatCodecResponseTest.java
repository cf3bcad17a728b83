package io.aigne.hub.gateway.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.core.ObjectMappers;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import io.aigne.hub.gateway.canonical.ChatResponse;
import io.aigne.hub.gateway.canonical.ContentPart;
import io.aigne.hub.gateway.canonical.FinishReason;
import io.aigne.hub.usage.Usage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the codec writes for a translated answer, read back by openai-java with strict validation. */
class OpenAiChatCodecResponseTest {

    private static ChatCompletion parsed(byte[] json) throws Exception {
        return ObjectMappers.jsonMapper().readValue(json, ChatCompletion.class).validate();
    }

    @Test
    void aTextAnswerIsAChatCompletion() throws Exception {
        ChatResponse response = new ChatResponse("msg_01", "claude-sonnet-4-20250514",
                List.of(new ContentPart.Reasoning("Greeting back.", "sig"), new ContentPart.Text("Hello"),
                        new ContentPart.Text(" there")),
                FinishReason.STOP, null, new Usage(120, 30, 100, 20, 12, 150, 0));

        byte[] json = OpenAiChatCodec.toJson(response, "anthropic/claude-sonnet-4");
        ChatCompletion completion = parsed(json);

        assertThat(completion.id()).isEqualTo("msg_01");
        assertThat(completion._object_().asString()).contains("chat.completion");
        assertThat(completion.created()).isPositive();
        assertThat(completion.model()).isEqualTo("claude-sonnet-4-20250514");
        assertThat(completion.choices()).hasSize(1);
        ChatCompletion.Choice choice = completion.choices().getFirst();
        assertThat(choice.index()).isZero();
        assertThat(choice.message().content()).contains("Hello there");
        assertThat(choice.message().refusal()).isEmpty();
        assertThat(choice.message().toolCalls()).isEmpty();
        assertThat(choice.message()._additionalProperties().get("reasoning_content").asString())
                .contains("Greeting back.");
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        var usage = completion.usage().orElseThrow();
        assertThat(usage.promptTokens()).isEqualTo(120);
        assertThat(usage.completionTokens()).isEqualTo(30);
        assertThat(usage.totalTokens()).isEqualTo(150);
        assertThat(usage.promptTokensDetails().orElseThrow().cachedTokens()).contains(100L);
        assertThat(usage.completionTokensDetails().orElseThrow().reasoningTokens()).contains(12L);
    }

    @Test
    void toolCallsOnlyHaveNullContentAndKeepTheirIds() throws Exception {
        ChatResponse response = new ChatResponse(null, null,
                List.of(new ContentPart.ToolCall("toolu_1", "get_weather", "{\"city\":\"Paris\"}"),
                        new ContentPart.ToolCall("toolu_2", "search", "{\"q\":\"x\"}")),
                FinishReason.TOOL_CALLS, null, Usage.tokens(10, 5, 0, 0, 0));

        byte[] json = OpenAiChatCodec.toJson(response, "anthropic/claude-sonnet-4");
        ChatCompletion completion = parsed(json);

        assertThat(new String(json)).contains("\"content\":null");
        assertThat(completion.id()).startsWith("chatcmpl-");
        assertThat(completion.model()).isEqualTo("anthropic/claude-sonnet-4");
        ChatCompletion.Choice choice = completion.choices().getFirst();
        assertThat(choice.message().content()).isEmpty();
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        List<ChatCompletionMessageToolCall> calls = choice.message().toolCalls().orElseThrow();
        assertThat(calls).hasSize(2);
        assertThat(calls.get(0).asFunction().id()).isEqualTo("toolu_1");
        assertThat(calls.get(0).asFunction().function().name()).isEqualTo("get_weather");
        assertThat(calls.get(0).asFunction().function().arguments()).isEqualTo("{\"city\":\"Paris\"}");
        assertThat(calls.get(1).asFunction().id()).isEqualTo("toolu_2");
        assertThat(completion.usage().orElseThrow().totalTokens()).isEqualTo(15);
    }

    @Test
    void finishReasonsMapToOpenAisNames() throws Exception {
        assertThat(finish(FinishReason.LENGTH)).isEqualTo(ChatCompletion.Choice.FinishReason.LENGTH);
        assertThat(finish(FinishReason.STOP_SEQUENCE)).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(finish(FinishReason.CONTENT_FILTER)).isEqualTo(ChatCompletion.Choice.FinishReason.CONTENT_FILTER);
    }

    private static ChatCompletion.Choice.FinishReason finish(FinishReason reason) throws Exception {
        ChatResponse response = new ChatResponse("x", "m", List.of(new ContentPart.Text("t")), reason, null, null);
        return parsed(OpenAiChatCodec.toJson(response, "m")).choices().getFirst().finishReason();
    }
}
