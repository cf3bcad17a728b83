package io.aigne.hub.gateway.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.gateway.openai.OpenAiPayload.Kind;
import io.aigne.hub.server.ApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class OpenAiPayloadTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MESSAGES = "[{\"role\":\"system\",\"content\":\"You are terse.\"},"
            + "{\"role\":\"user\",\"content\":\"Say hi\"}]";

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static OpenAiPayload chat(String body) {
        return OpenAiPayload.parse(utf8(body), Kind.CHAT);
    }

    private static JsonNode tree(byte[] body) throws IOException {
        return JSON.readTree(body);
    }

    static Stream<Arguments> malformed() {
        String ok = ",\"messages\":" + MESSAGES;
        return Stream.of(
                arguments(Kind.CHAT, "{\"messages\":" + MESSAGES + "}", "model", "'model' is required"),
                arguments(Kind.CHAT, "{\"model\":42" + ok + "}", "model", "'model' must be a string"),
                arguments(Kind.CHAT, "{\"model\":{\"id\":\"gpt-4o\"}" + ok + "}", "model", "'model' must be a string"),
                arguments(Kind.CHAT, "{\"model\":\"\"" + ok + "}", "model", "'model' must not be empty"),
                arguments(Kind.CHAT, "{\"model\":\"gpt-4o\"}", "messages", "'messages' is required"),
                arguments(Kind.CHAT, "{\"model\":\"gpt-4o\",\"messages\":[]}", "messages", "at least one message"),
                arguments(Kind.CHAT, "{\"model\":\"gpt-4o\",\"messages\":\"Say hi\"}", "messages",
                        "'messages' must be an array"),
                arguments(Kind.CHAT, "{\"model\":\"gpt-4o\",\"messages\":[\"Say hi\"]}", "messages[0]",
                        "each message must be an object"),
                arguments(Kind.CHAT, "{\"model\":\"gpt-4o\",\"messages\":[{\"content\":\"Say hi\"}]}",
                        "messages[0].role", "has no 'role'"),
                arguments(Kind.CHAT, "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"a\"},"
                        + "{\"content\":\"b\"}]}", "messages[1].role", "message 1 has no 'role'"),
                arguments(Kind.CHAT, "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":1,\"content\":\"a\"}]}",
                        "messages[0].role", "'role' must be a string"),
                arguments(Kind.CHAT, "{\"model\":\"gpt-4o\"" + ok + ",\"stream\":\"true\"}", "stream",
                        "'stream' must be true or false"),
                arguments(Kind.CHAT, "{\"model\":\"gpt-4o\"" + ok + ",\"stream\":1}", "stream",
                        "'stream' must be true or false"),
                arguments(Kind.CHAT, "{\"model\":\"gpt-4o\"" + ok + ",\"stream\":true,\"stream_options\":true}",
                        "stream_options", "'stream_options' must be an object"),
                arguments(Kind.CHAT, "{\"model\":\"gpt-4o\"" + ok + ",\"stream\":true,"
                        + "\"stream_options\":{\"include_usage\":\"yes\"}}", "stream_options.include_usage",
                        "'stream_options.include_usage' must be true or false"),
                arguments(Kind.CHAT, "{\"model\":\"gpt-4o\"" + ok + ",\"n\":0}", "n", "'n' must be a positive integer"),
                arguments(Kind.CHAT, "{\"model\":\"gpt-4o\"" + ok + ",\"n\":1.5}", "n", "'n' must be a positive integer"),
                arguments(Kind.CHAT, "{\"model\":\"gpt-4o\"" + ok + ",\"max_tokens\":0}", "max_tokens",
                        "'max_tokens' must be a positive integer"),
                arguments(Kind.CHAT, "{\"model\":\"gpt-4o\"" + ok + ",\"max_completion_tokens\":-5}",
                        "max_completion_tokens", "'max_completion_tokens' must be a positive integer"),
                arguments(Kind.CHAT, "{\"model\":\"gpt-4o\"" + ok + ",\"temperature\":\"0.7\"}", "temperature",
                        "'temperature' must be a number"),
                arguments(Kind.CHAT, "{\"model\":\"gpt-4o\"" + ok + ",\"top_p\":[1]}", "top_p",
                        "'top_p' must be a number"),
                arguments(Kind.CHAT, "model=gpt-4o&messages=hi", null, "not valid JSON"),
                arguments(Kind.CHAT, "[{\"model\":\"gpt-4o\"}]", null, "must be a JSON object"),
                arguments(Kind.CHAT, "\"gpt-4o\"", null, "must be a JSON object"),
                arguments(Kind.CHAT, "{\"model\":\"gpt-4o\"" + ok + "} trailing", null, "not valid JSON"),
                arguments(Kind.CHAT, "{\"model\":\"gpt-4o\"" + ok + "}{\"model\":\"x\"}", null,
                        "content after the JSON object"),
                arguments(Kind.CHAT, "{\"model\":\"gpt-4o\"" + ok, null, "not valid JSON"),
                arguments(Kind.CHAT, "{\"model\":\"gpt-4o\"" + ok + ",}", null, "not valid JSON"),
                arguments(Kind.CHAT, "", null, "the request body is empty"),
                arguments(Kind.EMBEDDINGS, "{\"model\":\"text-embedding-3-small\"}", "input", "'input' is required"),
                arguments(Kind.EMBEDDINGS, "{\"model\":\"text-embedding-3-small\",\"input\":42}", "input",
                        "'input' must be a string or an array"),
                arguments(Kind.EMBEDDINGS, "{\"model\":\"text-embedding-3-small\",\"input\":[]}", "input",
                        "'input' must not be an empty array"),
                arguments(Kind.EMBEDDINGS, "{\"input\":\"hello\"}", "model", "'model' is required"),
                arguments(Kind.IMAGES, "{\"model\":\"gpt-image-1\",\"size\":\"1024x1024\"}", "prompt",
                        "'prompt' is required"),
                arguments(Kind.IMAGES, "{\"model\":\"gpt-image-1\",\"prompt\":\"  \"}", "prompt",
                        "'prompt' must be a non-empty string"),
                arguments(Kind.IMAGES, "{\"model\":\"gpt-image-1\",\"prompt\":[\"a cat\"]}", "prompt",
                        "'prompt' must be a non-empty string"),
                arguments(Kind.IMAGES, "{\"model\":\"gpt-image-1\",\"prompt\":\"a cat\",\"n\":0}", "n",
                        "'n' must be a positive integer"));
    }

    @ParameterizedTest(name = "[{index}] {0} {1}")
    @MethodSource("malformed")
    void malformedBodiesAreRejectedWithA400NamingTheField(Kind kind, String body, String param, String message) {
        ApiException e = catchThrowableOfType(ApiException.class, () -> OpenAiPayload.parse(utf8(body), kind));

        assertThat(e).as("no exception for %s", body).isNotNull();
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.type()).isEqualTo("invalid_request_error");
        assertThat(e.param()).isEqualTo(param);
        assertThat(e.getMessage()).contains(message);
    }

    @Test
    void aWellFormedChatRequestIsRead() {
        OpenAiPayload payload = chat("{\"model\":\"openai/gpt-4o-mini\",\"messages\":" + MESSAGES
                + ",\"temperature\":0.2,\"top_p\":1,\"n\":1,\"max_tokens\":null,\"max_completion_tokens\":256,"
                + "\"stream\":false,\"stream_options\":null,\"response_format\":{\"type\":\"json_object\"}}");

        assertThat(payload.model()).isEqualTo("openai/gpt-4o-mini");
        assertThat(payload.stream()).isFalse();
        assertThat(payload.callerWantsUsage()).isFalse();
    }

    @Test
    void fieldsOfOtherEndpointsAreNotValidated() {
        OpenAiPayload embeddings = OpenAiPayload.parse(utf8("{\"model\":\"text-embedding-3-small\","
                + "\"input\":[\"a\",\"b\"],\"messages\":\"ignored\",\"prompt\":7,\"encoding_format\":\"float\"}"),
                Kind.EMBEDDINGS);
        OpenAiPayload images = OpenAiPayload.parse(utf8("{\"model\":\"gpt-image-1\",\"prompt\":\"a red fox\","
                + "\"input\":{},\"messages\":3,\"size\":\"1024x1024\",\"n\":2}"), Kind.IMAGES);
        OpenAiPayload tokenInput = OpenAiPayload.parse(utf8("{\"model\":\"text-embedding-3-small\","
                + "\"input\":[[15339,1917]]}"), Kind.EMBEDDINGS);

        assertThat(embeddings.model()).isEqualTo("text-embedding-3-small");
        assertThat(images.model()).isEqualTo("gpt-image-1");
        assertThat(tokenInput.model()).isEqualTo("text-embedding-3-small");
    }

    @Test
    void forUpstreamReplacesOnlyTheModelValue() throws IOException {
        String before = "{\"model\":";
        String after = ",\"messages\":" + MESSAGES + ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":"
                + "\"get_weather\",\"description\":\"Get the weather\",\"parameters\":{\"type\":\"object\","
                + "\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}}}],"
                + "\"tool_choice\":\"auto\",\"seed\":7,\"temperature\":0.70,\"logit_bias\":{\"50256\":-100}}";
        byte[] body = utf8(before + "\"openai/gpt-4o-mini\"" + after);

        byte[] upstream = chat(new String(body, StandardCharsets.UTF_8)).forUpstream("gpt-4o-mini");

        assertThat(new String(upstream, StandardCharsets.UTF_8)).isEqualTo(before + "\"gpt-4o-mini\"" + after);
        assertThat(Arrays.copyOfRange(upstream, 0, before.length())).isEqualTo(utf8(before));
        assertThat(Arrays.copyOfRange(upstream, upstream.length - utf8(after).length, upstream.length))
                .isEqualTo(utf8(after));
        ObjectNode expected = (ObjectNode) tree(body);
        expected.put("model", "gpt-4o-mini");
        assertThat(tree(upstream)).isEqualTo(expected);
    }

    @Test
    void forUpstreamKeepsWhitespaceAndNonAsciiBytesAroundAModelInTheMiddle() throws IOException {
        String before = "{\n  \"messages\": [{\"role\": \"user\", \"content\": \"Grüße, 世界 🌍 — \\\"quoted\\\"\"}],\n"
                + "  \"model\" :  ";
        String after = " ,\n  \"user\": \"ü-42\"\n}\n";
        byte[] body = utf8(before + "\"openrouter/anthropic/claude-3.5-sonnet\"" + after);

        byte[] upstream = OpenAiPayload.parse(body, Kind.CHAT).forUpstream("anthropic/claude-3.5-sonnet");

        assertThat(upstream).isEqualTo(utf8(before + "\"anthropic/claude-3.5-sonnet\"" + after));
        assertThat(tree(upstream).get("model").asText()).isEqualTo("anthropic/claude-3.5-sonnet");
    }

    @Test
    void escapedCharactersInTheModelValueAreReadAndReplacedWhole() throws IOException {
        String body = "{\"model\":\"openai\\/gpt-4o-\\u006dini\\\\x\\\"y\",\"messages\":" + MESSAGES + ",\"seed\":7}";
        OpenAiPayload payload = chat(body);

        assertThat(payload.model()).isEqualTo("openai/gpt-4o-mini\\x\"y");
        byte[] upstream = payload.forUpstream("gpt-4o-mini");
        assertThat(new String(upstream, StandardCharsets.UTF_8))
                .isEqualTo("{\"model\":\"gpt-4o-mini\",\"messages\":" + MESSAGES + ",\"seed\":7}");
    }

    @Test
    void theNewModelIsEscapedWhenItNeedsTo() throws IOException {
        byte[] upstream = chat("{\"model\":\"x\",\"messages\":" + MESSAGES + "}").forUpstream("we\"ird\\model\n");

        assertThat(tree(upstream).get("model").asText()).isEqualTo("we\"ird\\model\n");
        assertThat(tree(upstream).get("messages")).isEqualTo(tree(utf8(MESSAGES)));
    }

    @Test
    void aStreamWithoutStreamOptionsGetsIncludeUsageInjected() throws IOException {
        String rest = ",\"messages\":" + MESSAGES + ",\"stream\":true,\"tools\":[{\"type\":\"function\","
                + "\"function\":{\"name\":\"f\",\"parameters\":{}}}],\"seed\":7}";
        byte[] body = utf8("{\"model\":\"openai/gpt-4o-mini\"" + rest);
        OpenAiPayload payload = OpenAiPayload.parse(body, Kind.CHAT);

        assertThat(payload.stream()).isTrue();
        assertThat(payload.callerWantsUsage()).isFalse();
        byte[] upstream = payload.forUpstream("gpt-4o-mini");

        JsonNode sent = tree(upstream);
        assertThat(sent.path("stream_options").path("include_usage").asBoolean()).isTrue();
        ObjectNode expected = (ObjectNode) tree(body);
        expected.put("model", "gpt-4o-mini");
        expected.putObject("stream_options").put("include_usage", true);
        assertThat(sent).isEqualTo(expected);
        assertThat(new String(upstream, StandardCharsets.UTF_8))
                .as("the rest of the body is untouched").endsWith(rest);
    }

    @Test
    void aStreamWhoseCallerAskedForUsageIsOnlyRenamed() throws IOException {
        String rest = ",\"messages\":" + MESSAGES + ",\"stream\":true,\"stream_options\":{\"include_usage\":true}}";
        OpenAiPayload payload = chat("{\"model\":\"openai/gpt-4o-mini\"" + rest);

        assertThat(payload.callerWantsUsage()).isTrue();
        assertThat(new String(payload.forUpstream("gpt-4o-mini"), StandardCharsets.UTF_8))
                .isEqualTo("{\"model\":\"gpt-4o-mini\"" + rest);
    }

    @Test
    void existingStreamOptionsKeepTheirOtherSettingsAndGainIncludeUsage() throws IOException {
        byte[] body = utf8("{\"model\":\"openai/gpt-4o-mini\",\"messages\":" + MESSAGES + ",\"stream\":true,"
                + "\"stream_options\":{\"include_obfuscation\":false},\"seed\":7}");
        OpenAiPayload payload = OpenAiPayload.parse(body, Kind.CHAT);

        assertThat(payload.callerWantsUsage()).isFalse();
        JsonNode sent = tree(payload.forUpstream("gpt-4o-mini"));

        assertThat(sent.path("stream_options").path("include_usage").asBoolean()).isTrue();
        assertThat(sent.path("stream_options").path("include_obfuscation").isBoolean()).isTrue();
        assertThat(sent.path("stream_options").path("include_obfuscation").asBoolean()).isFalse();
        ObjectNode expected = (ObjectNode) tree(body);
        expected.put("model", "gpt-4o-mini");
        ((ObjectNode) expected.get("stream_options")).put("include_usage", true);
        assertThat(sent).isEqualTo(expected);
    }

    @Test
    void includeUsageFalseIsTurnedOnUpstreamButTheCallerStillDoesNotWantIt() throws IOException {
        OpenAiPayload payload = chat("{\"model\":\"m\",\"messages\":" + MESSAGES + ",\"stream\":true,"
                + "\"stream_options\":{\"include_usage\":false}}");

        assertThat(payload.callerWantsUsage()).isFalse();
        assertThat(tree(payload.forUpstream("m")).path("stream_options").path("include_usage").asBoolean()).isTrue();
    }

    @Test
    void aNonStreamingRequestGetsNoStreamOptions() throws IOException {
        OpenAiPayload payload = chat("{\"model\":\"m\",\"messages\":" + MESSAGES + ",\"stream\":false}");

        assertThat(tree(payload.forUpstream("m")).has("stream_options")).isFalse();
    }

    @Test
    void forUpstreamDoesNotChangeThePayload() {
        String body = "{\"model\":\"openai/gpt-4o-mini\",\"messages\":" + MESSAGES + ",\"stream\":true}";
        OpenAiPayload payload = chat(body);

        byte[] first = payload.forUpstream("gpt-4o-mini");
        byte[] second = payload.forUpstream("gpt-4o-mini");

        assertThat(first).isEqualTo(second);
        assertThat(payload.model()).isEqualTo("openai/gpt-4o-mini");
    }

    @Test
    void aBodyWithLeadingWhitespaceIsSplicedAtTheRightOffsets() throws IOException {
        byte[] upstream = chat("  \n{\"stream\":true,\"model\":\"a/b\",\"messages\":" + MESSAGES + "}")
                .forUpstream("b");

        JsonNode sent = tree(upstream);
        assertThat(sent.get("model").asText()).isEqualTo("b");
        assertThat(sent.path("stream_options").path("include_usage").asBoolean()).isTrue();
        assertThat(sent.get("messages")).isEqualTo(tree(utf8(MESSAGES)));
    }

    @Test
    void theEmptyBodyErrorTellsWhatToSend() {
        assertThatThrownBy(() -> OpenAiPayload.parse(new byte[0], Kind.EMBEDDINGS))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("model");
    }
}
