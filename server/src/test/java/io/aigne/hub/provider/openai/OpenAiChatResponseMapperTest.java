package io.aigne.hub.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import io.aigne.hub.gateway.canonical.ChatResponse;
import io.aigne.hub.gateway.canonical.ContentPart;
import io.aigne.hub.gateway.canonical.FinishReason;
import io.aigne.hub.server.Json;
import io.aigne.hub.usage.Usage;
import org.junit.jupiter.api.Test;

/** Answers of OpenAI-compatible servers whose shape the OpenAI fake does not produce. */
class OpenAiChatResponseMapperTest {

    private static ChatResponse map(String json) throws Exception {
        return OpenAiChatResponseMapper.response(Json.MAPPER.readTree(json));
    }

    @Test
    void reasoningContentComesFirstThenTheText() throws Exception {
        ChatResponse response = map("{\"id\":\"r1\",\"model\":\"deepseek-reasoner\",\"choices\":[{\"index\":0,"
                + "\"message\":{\"role\":\"assistant\",\"content\":\"9.11 is smaller\","
                + "\"reasoning_content\":\"Compare decimals\"},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":30,\"total_tokens\":40,"
                + "\"prompt_cache_hit_tokens\":8,\"completion_tokens_details\":{\"reasoning_tokens\":21}}}");

        assertThat(response.content()).containsExactly(new ContentPart.Reasoning("Compare decimals", null),
                new ContentPart.Text("9.11 is smaller"));
        assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(response.usage()).isEqualTo(new Usage(10, 30, 8, 21, 40, 0));
    }

    @Test
    void refusalsAreShownAndFinishReasonsMapped() throws Exception {
        ChatResponse refused = map("{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":null,"
                + "\"refusal\":\"I can't help with that.\"},\"finish_reason\":\"content_filter\"}]}");

        assertThat(refused.text()).isEqualTo("I can't help with that.");
        assertThat(refused.finishReason()).isEqualTo(FinishReason.CONTENT_FILTER);
        assertThat(refused.usage()).isEqualTo(Usage.NONE);
        assertThat(OpenAiChatResponseMapper.finishReason("length", false)).isEqualTo(FinishReason.LENGTH);
        assertThat(OpenAiChatResponseMapper.finishReason("function_call", false)).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(OpenAiChatResponseMapper.finishReason("stop", true)).isEqualTo(FinishReason.TOOL_CALLS);
    }

    @Test
    void noChoicesIsNoAnswer() throws Exception {
        assertThat(map("{\"id\":\"x\",\"choices\":[]}")).isNull();
    }
}
