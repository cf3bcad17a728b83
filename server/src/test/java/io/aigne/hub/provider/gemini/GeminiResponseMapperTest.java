package io.aigne.hub.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import io.aigne.hub.gateway.canonical.ChatResponse;
import io.aigne.hub.gateway.canonical.ContentPart;
import io.aigne.hub.gateway.canonical.FinishReason;
import io.aigne.hub.server.Json;
import io.aigne.hub.usage.Usage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Answer shapes the fake does not produce. */
class GeminiResponseMapperTest {

    private static ChatResponse map(String json) throws Exception {
        return GeminiResponseMapper.toCanonical(Json.MAPPER.readTree(json), "gemini-2.5-flash");
    }

    @Test
    void callsWithoutIdsGetDistinctGeneratedIds() throws Exception {
        ChatResponse response = map("""
                {"candidates":[{"content":{"parts":[{"functionCall":{"name":"a","args":{}}},
                  {"functionCall":{"name":"a","args":{"k":[1,2]}}}]},"finishReason":"STOP"}]}""");

        assertThat(response.toolCalls()).hasSize(2);
        assertThat(response.toolCalls().get(0).id()).matches("call_[A-Za-z0-9]{24}");
        assertThat(response.toolCalls().get(1).id()).matches("call_[A-Za-z0-9]{24}")
                .isNotEqualTo(response.toolCalls().get(0).id());
        assertThat(response.toolCalls().get(1).arguments()).isEqualTo("{\"k\":[1,2]}");
        assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(response.id()).isNull();
        assertThat(response.model()).isEqualTo("gemini-2.5-flash");
    }

    @Test
    void aBlockedPromptHasNoContentAndFinishesAsContentFilter() throws Exception {
        ChatResponse response = map("""
                {"promptFeedback":{"blockReason":"PROHIBITED_CONTENT"},
                 "usageMetadata":{"promptTokenCount":7,"totalTokenCount":7}}""");

        assertThat(response.content()).isEmpty();
        assertThat(response.finishReason()).isEqualTo(FinishReason.CONTENT_FILTER);
        assertThat(response.usage()).isEqualTo(Usage.tokens(7, 0, 0, 0, 0));
    }

    @ParameterizedTest
    @CsvSource({"STOP,STOP", "MAX_TOKENS,LENGTH", "SAFETY,CONTENT_FILTER", "RECITATION,CONTENT_FILTER",
            "BLOCKLIST,CONTENT_FILTER", "PROHIBITED_CONTENT,CONTENT_FILTER", "SPII,CONTENT_FILTER",
            "OTHER,STOP", "MALFORMED_FUNCTION_CALL,STOP"})
    void finishReasons(String gemini, FinishReason expected) throws Exception {
        ChatResponse response = map("{\"candidates\":[{\"finishReason\":\"" + gemini + "\"}]}");

        assertThat(response.finishReason()).isEqualTo(expected);
    }

    @Test
    void aSignatureOnTextTravelsInAReasoningPartBeforeIt() throws Exception {
        ChatResponse response = map("""
                {"candidates":[{"content":{"parts":[{"text":"Thinking...","thought":true},
                  {"text":"Done.","thoughtSignature":"c2ln"}]},"finishReason":"STOP"}]}""");

        assertThat(response.content()).containsExactly(new ContentPart.Reasoning("Thinking...", null),
                new ContentPart.Reasoning("", "c2ln"), new ContentPart.Text("Done."));
    }

    @Test
    void inlineImagesAreKept() throws Exception {
        ChatResponse response = map("""
                {"candidates":[{"content":{"parts":[{"text":"Here."},
                  {"inlineData":{"mimeType":"image/png","data":"iVBO"}}]},"finishReason":"STOP"}]}""");

        assertThat(response.content()).containsExactly(new ContentPart.Text("Here."),
                ContentPart.Image.inline("image/png", "iVBO"));
    }

    @Test
    void usageCountsCachedTokensInTheInputAndThoughtsInTheOutput() throws Exception {
        ChatResponse response = map("""
                {"candidates":[{"content":{"parts":[{"text":"x"}]},"finishReason":"STOP"}],
                 "usageMetadata":{"promptTokenCount":100,"cachedContentTokenCount":60,"candidatesTokenCount":10,
                   "thoughtsTokenCount":30,"toolUsePromptTokenCount":5,"totalTokenCount":145}}""");

        assertThat(response.usage()).isEqualTo(new Usage(105, 40, 60, 0, 30, 145, 0));
    }
}
