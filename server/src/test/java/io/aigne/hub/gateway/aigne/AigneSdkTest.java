package io.aigne.hub.gateway.aigne;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigne.hub.server.Json;
import io.aigne.hub.testing.FakeGeminiProvider;
import io.aigne.hub.testing.FakeOpenAiProvider;
import io.aigne.hub.testing.NodeScripts;
import io.aigne.hub.testing.TestHub;
import io.aigne.hub.usage.CallRecord;
import io.aigne.hub.usage.CallStatus;
import io.aigne.hub.usage.CallType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real {@code @aigne/aigne-hub} 0.10.16 SDK (node, {@code server/src/test/node/scripts}) against a hub whose
 * providers are the fakes: what an application using the SDK gets back, and what the hub records for it.
 */
class AigneSdkTest {
    private static final String MODEL = "openai/gpt-4o-mini";
    private static final String HELLO = "Hello from fake gpt-4o-mini";
    /** What the SDK sends as x-aigne-hub-client-did when the app sets BLOCKLET_APP_PID. */
    private static final String APP_DID = "zNKtestAppDid0001";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static NodeScripts node;
    private static FakeOpenAiProvider openai;
    private static FakeGeminiProvider gemini;
    private static TestHub hub;

    @BeforeAll
    static void start() {
        node = NodeScripts.require();
        openai = FakeOpenAiProvider.start();
        gemini = FakeGeminiProvider.start();
        hub = TestHub.builder()
                .openAiProvider("openai", "openai", openai.baseUrl(), List.of(), "sk-ok-sdk")
                // every call of this provider's only credential loses its stream after three text chunks
                .openAiProvider("flaky", "openai", openai.baseUrl(), List.of("gpt-4o-mini"), "sk-drop")
                .provider("google", "google", gemini.baseUrl(), null, List.of(), "gm-ok-sdk")
                .start();
    }

    @AfterAll
    static void stop() {
        if (hub != null) {
            hub.close();
        }
        if (openai != null) {
            openai.close();
        }
        if (gemini != null) {
            gemini.close();
        }
    }

    @Test
    void chatAnswersTextWithUsageAndTheHubRecordsTheCall() {
        JsonNode output = chat(MODEL, false, userSays("hi")).result().path("output");

        assertThat(output.path("text").asText()).isEqualTo(HELLO);
        assertThat(output.path("usage").path("inputTokens").asInt()).isEqualTo(FakeOpenAiProvider.PROMPT_TOKENS);
        assertThat(output.path("usage").path("outputTokens").asInt()).isEqualTo(FakeOpenAiProvider.COMPLETION_TOKENS);
        assertThat(output.path("toolCalls").isMissingNode() || output.path("toolCalls").isEmpty()).isTrue();

        CallRecord call = hub.lastCall();
        assertThat(call.endpoint()).isEqualTo("/api/v2/chat");
        assertThat(call.type()).isEqualTo(CallType.CHAT);
        assertThat(call.status()).isEqualTo(CallStatus.SUCCESS);
        assertThat(call.streamed()).isFalse();
        assertThat(call.provider()).isEqualTo("openai");
        assertThat(call.modelRequested()).isEqualTo(MODEL);
        assertThat(call.appDid()).isEqualTo(APP_DID);
        assertThat(call.usage().inputTokens()).isEqualTo(FakeOpenAiProvider.PROMPT_TOKENS);
        assertThat(call.usage().outputTokens()).isEqualTo(FakeOpenAiProvider.COMPLETION_TOKENS);
    }

    @Test
    void chatStreamsTextDeltaByDelta() {
        JsonNode result = chat(MODEL, true, userSays("hi")).result();

        assertThat(texts(result.path("textDeltas"))).containsExactly("Hello", " from", " fake", " gpt-4o-mini");
        JsonNode output = result.path("output");
        assertThat(output.path("text").asText()).isEqualTo(HELLO);
        assertThat(output.path("usage").path("inputTokens").asInt()).isEqualTo(FakeOpenAiProvider.PROMPT_TOKENS);
        assertThat(output.path("usage").path("outputTokens").asInt()).isEqualTo(FakeOpenAiProvider.COMPLETION_TOKENS);

        CallRecord call = hub.lastCall();
        assertThat(call.status()).isEqualTo(CallStatus.SUCCESS);
        assertThat(call.streamed()).isTrue();
        assertThat(call.modelRequested()).isEqualTo(MODEL);
        assertThat(call.usage().totalTokens()).isEqualTo(FakeOpenAiProvider.TOTAL_TOKENS);
    }

    @ParameterizedTest(name = "streamed={0}")
    @ValueSource(booleans = {false, true})
    void toolCallsArriveWithIdNameAndArgumentsAsAnObject(boolean streamed) {
        Map<String, Object> input = userSays("Weather in Paris?");
        input.put("tools", List.of(Map.of("type", "function", "function", Map.of(
                "name", "get_weather",
                "description", "Current weather of a city",
                "parameters", Map.of("type", "object",
                        "properties", Map.of("city", Map.of("type", "string")),
                        "required", List.of("city"))))));

        JsonNode output = chat(MODEL, streamed, input).result().path("output");

        JsonNode toolCalls = output.path("toolCalls");
        assertThat(toolCalls.size()).as("toolCalls in %s", output).isEqualTo(1);
        JsonNode call = toolCalls.get(0);
        assertThat(call.path("id").asText()).isEqualTo("call_fake_1");
        assertThat(call.path("type").asText()).isEqualTo("function");
        assertThat(call.path("function").path("name").asText()).isEqualTo("get_weather");
        assertThat(call.path("function").path("arguments")).isEqualTo(Json.object().put("city", "Paris"));

        JsonNode sentTools = Json.parseObject(openai.lastRequest().body().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .path("tools");
        assertThat(sentTools.get(0).path("function").path("name").asText()).isEqualTo("get_weather");
        assertThat(hub.lastCall().status()).isEqualTo(CallStatus.SUCCESS);
    }

    @ParameterizedTest(name = "streamed={0}")
    @ValueSource(booleans = {false, true})
    void structuredOutputComesBackAsJsonThatMatchesTheSchema(boolean streamed) {
        Map<String, Object> input = userSays("Weather in Paris as JSON");
        input.put("responseFormat", Map.of("type", "json_schema", "jsonSchema", Map.of(
                "name", "weather",
                "schema", Map.of("type", "object",
                        "properties", Map.of("city", Map.of("type", "string"),
                                "temperature", Map.of("type", "number")),
                        "required", List.of("city", "temperature"),
                        "additionalProperties", false),
                "strict", true)));

        JsonNode output = chat("google/gemini-2.5-flash", streamed, input).result().path("output");

        assertThat(output.path("json").path("city").asText()).as("json in %s", output).isEqualTo("Paris");
        assertThat(output.path("json").path("temperature").asInt()).isEqualTo(21);
        String sent = gemini.lastRequest().body();
        assertThat(sent).contains("\"responseMimeType\":\"application/json\"").contains("temperature");
        CallRecord call = hub.lastCall();
        assertThat(call.provider()).isEqualTo("google");
        assertThat(call.status()).isEqualTo(CallStatus.SUCCESS);
    }

    @Test
    void imageGenerationReturnsTheImageBytesAndUsage() {
        NodeScripts.Result run = node.run("scripts/image.mjs",
                env("openai/gpt-image-1", Map.of("prompt", "a red square", "n", 1), false), TIMEOUT);
        JsonNode output = run.result().path("output");

        JsonNode images = output.path("images");
        assertThat(images.size()).as("images in %s", output).isEqualTo(1);
        assertThat(images.get(0).path("type").asText()).isEqualTo("file");
        assertThat(images.get(0).path("data").asText()).isEqualTo(FakeOpenAiProvider.TINY_PNG_BASE64);
        assertThat(output.path("usage").path("inputTokens").asInt()).isEqualTo(FakeOpenAiProvider.IMAGE_INPUT_TOKENS);
        assertThat(output.path("usage").path("outputTokens").asInt())
                .isEqualTo(FakeOpenAiProvider.IMAGE_OUTPUT_TOKENS_PER_IMAGE);

        CallRecord call = hub.lastCall();
        assertThat(call.endpoint()).isEqualTo("/api/v2/image");
        assertThat(call.type()).isEqualTo(CallType.IMAGE);
        assertThat(call.status()).isEqualTo(CallStatus.SUCCESS);
        assertThat(call.modelRequested()).isEqualTo("openai/gpt-image-1");
        assertThat(call.appDid()).isEqualTo(APP_DID);
    }

    @Test
    void modelListPassesTheSdkSchemaAndNamesTheHubModels() {
        NodeScripts.Result run = node.run("scripts/models.mjs", env(MODEL, null, false), TIMEOUT);
        JsonNode result = run.result();

        List<String> chatModels = new ArrayList<>();
        for (JsonNode m : result.path("chat")) {
            assertThat(m.path("type").asText()).isEqualTo("chat");
            chatModels.add(m.path("provider").asText() + "/" + m.path("model").asText());
        }
        assertThat(chatModels).contains(MODEL, "google/gemini-2.5-flash");
        List<String> imageModels = new ArrayList<>();
        for (JsonNode m : result.path("image")) {
            imageModels.add(m.path("provider").asText() + "/" + m.path("model").asText());
        }
        assertThat(imageModels).contains("openai/gpt-image-1");
    }

    @Test
    void anUnknownKeyIsRefusedWithTheHubsMessage() {
        Map<String, String> env = env(MODEL, userSays("hi"), false);
        env.put("HUB_KEY", "blocklet-not-a-key-of-this-hub");
        JsonNode error = node.run("scripts/chat.mjs", env, TIMEOUT).error();

        assertThat(error.path("message").asText()).contains("401").contains("User not authenticated");
    }

    @Test
    void anUpstreamStreamThatDiesMidwayRejectsTheSdkStreamAfterTheTextSoFar() {
        NodeScripts.Result run = chat("flaky/gpt-4o-mini", true, userSays("hi"));
        JsonNode error = run.error();

        assertThat(error.path("message").asText()).as(run.describe("the error")).contains("closed the connection");
        assertThat(texts(run.json().path("partial").path("textDeltas"))).containsExactly("Hello", " from", " fake");

        CallRecord call = hub.lastCall();
        assertThat(call.provider()).isEqualTo("flaky");
        assertThat(call.streamed()).isTrue();
        assertThat(call.status()).isEqualTo(CallStatus.FAILED);
        assertThat(call.error()).isNotBlank();
    }

    @Test
    void cliRunAnswersThroughTheHubConfiguredByEnvironment() {
        Map<String, String> env = env(MODEL, null, true);
        env.put("HUB_PROMPT", "hi");
        NodeScripts.Result run = node.run("scripts/cli-run.mjs", env, TIMEOUT);
        JsonNode result = run.result();

        assertThat(result.path("exitCode").asInt()).as(run.describe("exit code")).isZero();
        assertThat(result.path("stdout").asText()).contains(HELLO);
        CallRecord call = hub.lastCall();
        assertThat(call.endpoint()).isEqualTo("/api/v2/chat");
        assertThat(call.status()).isEqualTo(CallStatus.SUCCESS);
        assertThat(call.streamed()).isTrue();
        assertThat(call.modelRequested()).isEqualTo(MODEL);
        assertThat(call.appDid()).isEqualTo(APP_DID);
    }

    @Test
    void cliRunShowsTheHubsRefusalOfAnUnknownKey() {
        Map<String, String> env = env(MODEL, null, true);
        env.put("HUB_PROMPT", "hi");
        env.put("HUB_KEY", "blocklet-not-a-key-of-this-hub");
        JsonNode error = node.run("scripts/cli-run.mjs", env, TIMEOUT).error();

        assertThat(error.path("message").asText()).contains("401").contains("User not authenticated");
    }

    private static NodeScripts.Result chat(String model, boolean streamed, Map<String, Object> input) {
        return node.run("scripts/chat.mjs", env(model, input, streamed), TIMEOUT);
    }

    private static Map<String, String> env(String model, Map<String, Object> input, boolean streamed) {
        Map<String, String> env = new HashMap<>();
        env.put("HUB_URL", hub.baseUrl());
        env.put("HUB_KEY", hub.ownerKey());
        env.put("HUB_MODEL", model);
        env.put("HUB_STREAMING", Boolean.toString(streamed));
        env.put("BLOCKLET_APP_PID", APP_DID);
        if (input != null) {
            env.put("HUB_INPUT", Json.MAPPER.valueToTree(input).toString());
        }
        return env;
    }

    private static Map<String, Object> userSays(String text) {
        Map<String, Object> input = new HashMap<>();
        input.put("messages", List.of(Map.of("role", "user", "content", text)));
        return input;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(t -> texts.add(t.asText()));
        return texts;
    }
}
