package io.aigne.hub.gateway.openai;

import io.aigne.hub.usage.Usage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ResponseSummaryTest {

    private static ResponseSummary read(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        return ResponseSummary.read(bytes, 0, bytes.length);
    }

    @Test
    void chatCompletionUsageIncludingCachedAndReasoningTokens() {
        ResponseSummary summary = read("""
                {
                  "id": "chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG",
                  "object": "chat.completion",
                  "created": 1741570283,
                  "model": "o3-mini-2025-01-31",
                  "choices": [
                    {
                      "index": 0,
                      "message": {
                        "role": "assistant",
                        "content": "The usage of this image is ...",
                        "refusal": null,
                        "annotations": []
                      },
                      "logprobs": null,
                      "finish_reason": "stop"
                    }
                  ],
                  "usage": {
                    "prompt_tokens": 1117,
                    "completion_tokens": 46,
                    "total_tokens": 1163,
                    "prompt_tokens_details": {
                      "cached_tokens": 1024,
                      "audio_tokens": 0
                    },
                    "completion_tokens_details": {
                      "reasoning_tokens": 32,
                      "audio_tokens": 0,
                      "accepted_prediction_tokens": 0,
                      "rejected_prediction_tokens": 0
                    }
                  },
                  "service_tier": "default",
                  "system_fingerprint": "fp_fc9f1d7035"
                }
                """);

        assertThat(summary.id()).isEqualTo("chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG");
        assertThat(summary.model()).isEqualTo("o3-mini-2025-01-31");
        assertThat(summary.usage()).isEqualTo(new Usage(1117, 46, 1024, 32, 1163, 0));
        assertThat(summary.emptyChoices()).isFalse();
        assertThat(summary.dataCount()).isZero();
    }

    @Test
    void embeddingsUsageAndDataCount() {
        ResponseSummary summary = read("{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,"
                + "\"embedding\":[-0.006929283,-0.005336422,0.00024047505]},{\"object\":\"embedding\",\"index\":1,"
                + "\"embedding\":[0.1,0.2,0.3]}],\"model\":\"text-embedding-3-small\","
                + "\"usage\":{\"prompt_tokens\":8,\"total_tokens\":8}}");

        assertThat(summary.model()).isEqualTo("text-embedding-3-small");
        assertThat(summary.id()).isNull();
        assertThat(summary.dataCount()).isEqualTo(2);
        assertThat(summary.usage()).isEqualTo(new Usage(8, 0, 0, 0, 8, 0));
    }

    @Test
    void imagesUsageUsesInputAndOutputTokensAndCountsTheImages() {
        ResponseSummary summary = read("""
                {
                  "created": 1713833628,
                  "data": [ { "b64_json": "iVBORw0KGgo..." }, { "b64_json": "iVBORw0KGgp..." } ],
                  "usage": {
                    "total_tokens": 4260,
                    "input_tokens": 50,
                    "output_tokens": 4210,
                    "input_tokens_details": { "text_tokens": 10, "image_tokens": 40 }
                  }
                }
                """);

        assertThat(summary.dataCount()).isEqualTo(2);
        assertThat(summary.usage()).isEqualTo(new Usage(50, 4210, 0, 0, 4260, 0));
        assertThat(summary.model()).isNull();
    }

    @Test
    void aMissingTotalIsTheSumOfInputAndOutput() {
        assertThat(read("{\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":12}}").usage().totalTokens())
                .isEqualTo(21);
    }

    @Test
    void theUsageOnlyStreamChunkHasEmptyChoices() {
        ResponseSummary summary = read("{\"id\":\"chatcmpl-123\",\"object\":\"chat.completion.chunk\","
                + "\"created\":1694268190,\"model\":\"gpt-4o-mini-2024-07-18\",\"system_fingerprint\":\"fp_44709d6fcb\","
                + "\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":12,\"total_tokens\":21,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0},"
                + "\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0}}}");

        assertThat(summary.emptyChoices()).isTrue();
        assertThat(summary.usage()).isEqualTo(new Usage(9, 12, 0, 0, 21, 0));
        assertThat(summary.id()).isEqualTo("chatcmpl-123");
    }

    @Test
    void aContentChunkHasNoUsageAndChoices() {
        ResponseSummary summary = read("{\"id\":\"chatcmpl-123\",\"object\":\"chat.completion.chunk\","
                + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},"
                + "\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}");

        assertThat(summary.usage()).isNull();
        assertThat(summary.emptyChoices()).isFalse();
        assertThat(summary.model()).isEqualTo("gpt-4o-mini");
    }

    @Test
    void onlyTheGivenRangeIsRead() {
        String event = "data: {\"id\":\"c1\",\"model\":\"m\",\"usage\":{\"prompt_tokens\":3}}\n\n";
        byte[] bytes = event.getBytes(StandardCharsets.UTF_8);
        int from = event.indexOf('{');
        int to = event.lastIndexOf('}') + 1;

        ResponseSummary summary = ResponseSummary.read(bytes, from, to - from);

        assertThat(summary.id()).isEqualTo("c1");
        assertThat(summary.usage()).isEqualTo(new Usage(3, 0, 0, 0, 3, 0));
    }

    @Test
    void unexpectedTypesAreIgnored() {
        ResponseSummary summary = read("{\"id\":7,\"model\":null,\"usage\":{\"prompt_tokens\":\"9\","
                + "\"completion_tokens\":2.5,\"prompt_tokens_details\":null,\"completion_tokens_details\":[1]},"
                + "\"data\":\"x\",\"choices\":{}}");

        assertThat(summary.id()).isNull();
        assertThat(summary.model()).isNull();
        assertThat(summary.usage()).isEqualTo(new Usage(0, 0, 0, 0, 0, 0));
        assertThat(summary.dataCount()).isZero();
        assertThat(summary.emptyChoices()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not json", "[1,2,3]", "\"text\"", "null", "<html>502 Bad Gateway</html>", "{\"usage\":"})
    void garbageGivesAnEmptySummaryWithoutThrowing(String text) {
        ResponseSummary summary = read(text);

        assertThat(summary.id()).isNull();
        assertThat(summary.model()).isNull();
        assertThat(summary.usage()).isNull();
        assertThat(summary.dataCount()).isZero();
        assertThat(summary.emptyChoices()).isFalse();
    }

    @Test
    void aTruncatedBodyKeepsWhatWasReadBeforeTheBreak() {
        ResponseSummary summary = read("{\"id\":\"chatcmpl-1\",\"model\":\"gpt-4o\",\"usage\":{\"prompt_tokens\":5,");

        assertThat(summary.id()).isEqualTo("chatcmpl-1");
        assertThat(summary.model()).isEqualTo("gpt-4o");
        assertThat(summary.usage()).isNull();
    }
}
