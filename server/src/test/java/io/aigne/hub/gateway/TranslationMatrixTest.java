package io.aigne.hub.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.ObjectMappers;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Base64ImageSource;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import com.anthropic.models.messages.ToolUseBlockParam;
import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.ResponseFormatJsonSchema;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionAssistantMessageParam;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartImage;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import io.aigne.hub.server.Json;
import io.aigne.hub.testing.FakeAnthropicProvider;
import io.aigne.hub.testing.FakeBedrockProvider;
import io.aigne.hub.testing.FakeGeminiProvider;
import io.aigne.hub.testing.FakeOpenAiProvider;
import io.aigne.hub.testing.TestHub;
import io.aigne.hub.usage.CallRecord;
import io.aigne.hub.usage.CallStatus;
import io.aigne.hub.usage.Usage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every front door reaches every chat provider: the OpenAI door and the Anthropic door, each driven by its
 * official SDK, against OpenAI, Anthropic, Gemini and Bedrock fakes, for text, streams, tools, streamed tools,
 * tool results, vision and structured output. Each case checks what the caller relies on (content, tool-call ids
 * and arguments, finish reason, usage) and the ledger row the call left.
 */
class TranslationMatrixTest {
    private static final String AKID = "AKIAMATRIXEXAMPLE001";
    private static final String SECRET = "matrixSecret/+/0123456789abcdefABCDEF";
    private static final String TINY_PNG_BASE64 =
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

    private static FakeOpenAiProvider openai;
    private static FakeAnthropicProvider anthropic;
    private static FakeGeminiProvider gemini;
    private static FakeBedrockProvider bedrock;
    private static TestHub hub;
    private static OpenAIClient openAiSdk;
    private static AnthropicClient anthropicSdk;

    /** A provider behind the hub: the model id callers use, the id it gets, and the usage its fake reports. */
    enum Upstream {
        OPENAI("openai", "gpt-4o-mini", new Usage(11, 7, 3, 0, 2, 18, 0)),
        ANTHROPIC("anthropic", "claude-sonnet-4-5", new Usage(23, 9, 6, 4, 0, 32, 0)),
        GEMINI("google", "gemini-2.5-flash", new Usage(12, 13, 2, 0, 5, 25, 0)),
        BEDROCK("bedrock", "anthropic.claude-3-5-sonnet-20240620-v1:0", new Usage(15, 10, 0, 0, 0, 25, 0));

        final String provider;
        final String upstreamModel;
        final Usage usage;

        Upstream(String provider, String upstreamModel, Usage usage) {
            this.provider = provider;
            this.upstreamModel = upstreamModel;
            this.usage = usage;
        }

        String model() {
            return provider + "/" + upstreamModel;
        }

        String hello() {
            return "Hello from fake " + upstreamModel;
        }

        /** The body the provider's fake received last. */
        JsonNode lastBody() {
            Supplier<String> body = switch (this) {
                case OPENAI -> () -> openai.lastRequest().body();
                case ANTHROPIC -> () -> anthropic.lastRequest().body();
                case GEMINI -> () -> gemini.lastRequest().body();
                case BEDROCK -> () -> bedrock.lastRequest().body();
            };
            return Json.parseObject(body.get().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    @BeforeAll
    static void start() {
        openai = FakeOpenAiProvider.start();
        anthropic = FakeAnthropicProvider.start();
        gemini = FakeGeminiProvider.start();
        bedrock = FakeBedrockProvider.start(Map.of(AKID, SECRET));
        hub = TestHub.builder()
                .openAiProvider("openai", "openai", openai.baseUrl(), List.of(), "sk-ok-matrix")
                .provider("anthropic", "anthropic", anthropic.baseUrl(), null, List.of(), "sk-ant-ok-matrix")
                .provider("google", "google", gemini.baseUrl(), null, List.of(), "gm-ok-matrix")
                .provider("bedrock", "bedrock", bedrock.baseUrl(), "us-east-1", List.of(), AKID + ":" + SECRET)
                .start();
        openAiSdk = OpenAIOkHttpClient.builder().baseUrl(hub.baseUrl() + "/v1").apiKey(hub.ownerKey())
                .maxRetries(0).timeout(Duration.ofSeconds(20)).build();
        anthropicSdk = AnthropicOkHttpClient.builder().baseUrl(hub.baseUrl()).apiKey(hub.ownerKey())
                .maxRetries(0).responseValidation(true).timeout(Duration.ofSeconds(20)).build();
    }

    @AfterAll
    static void stop() {
        hub.close();
        openai.close();
        anthropic.close();
        gemini.close();
        bedrock.close();
    }

    private static void assertRecorded(Upstream upstream, boolean streamed) {
        CallRecord call = hub.lastCall();
        assertThat(call.status()).isEqualTo(CallStatus.SUCCESS);
        assertThat(call.provider()).isEqualTo(upstream.provider);
        assertThat(call.modelRequested()).isEqualTo(upstream.model());
        assertThat(call.streamed()).isEqualTo(streamed);
        assertThat(call.upstreamRequestId()).isNotBlank();
        assertThat(call.modelAnswered()).isNotBlank();
        assertThat(call.usage().inputTokens()).isEqualTo(upstream.usage.inputTokens());
        assertThat(call.usage().outputTokens()).isEqualTo(upstream.usage.outputTokens());
        assertThat(call.usage().cachedTokens()).isEqualTo(upstream.usage.cachedTokens());
        assertThat(call.usage().cacheWriteTokens()).isEqualTo(upstream.usage.cacheWriteTokens());
        assertThat(call.usage().reasoningTokens()).isEqualTo(upstream.usage.reasoningTokens());
        assertThat(call.usage().totalTokens()).isEqualTo(upstream.usage.totalTokens());
    }

    // ------------------------------------------------------------------------------------------ OpenAI door

    private static ChatCompletionCreateParams.Builder openAiChat(Upstream upstream) {
        return ChatCompletionCreateParams.builder().model(upstream.model()).addUserMessage("Say hello");
    }

    private static ChatCompletionFunctionTool openAiWeatherTool() {
        return ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder().name("get_weather")
                .description("Current weather in a city")
                .parameters(FunctionParameters.builder()
                        .putAdditionalProperty("type", com.openai.core.JsonValue.from("object"))
                        .putAdditionalProperty("properties", com.openai.core.JsonValue.from(
                                Map.of("city", Map.of("type", "string"))))
                        .putAdditionalProperty("required", com.openai.core.JsonValue.from(List.of("city")))
                        .build())
                .build()).build();
    }

    @ParameterizedTest
    @EnumSource(Upstream.class)
    void openAiDoorText(Upstream upstream) {
        ChatCompletion completion = openAiSdk.chat().completions().create(openAiChat(upstream).build());

        ChatCompletion.Choice choice = completion.choices().getFirst();
        assertThat(choice.message().content()).contains(upstream.hello());
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        var usage = completion.usage().orElseThrow();
        assertThat(usage.promptTokens()).isEqualTo(upstream.usage.inputTokens());
        assertThat(usage.completionTokens()).isEqualTo(upstream.usage.outputTokens());
        assertThat(usage.promptTokensDetails().flatMap(d -> d.cachedTokens()).orElse(0L))
                .isEqualTo(upstream.usage.cachedTokens());
        assertRecorded(upstream, false);
    }

    @ParameterizedTest
    @EnumSource(Upstream.class)
    void openAiDoorStream(Upstream upstream) {
        List<ChatCompletionChunk> chunks;
        try (StreamResponse<ChatCompletionChunk> stream = openAiSdk.chat().completions().createStreaming(
                openAiChat(upstream).streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
                        .build())) {
            chunks = stream.stream().toList();
        }
        String text = chunks.stream().flatMap(c -> c.choices().stream())
                .flatMap(c -> c.delta().content().stream()).reduce("", String::concat);
        assertThat(text).isEqualTo(upstream.hello());
        assertThat(chunks.stream().flatMap(c -> c.choices().stream()).flatMap(c -> c.finishReason().stream()))
                .containsExactly(ChatCompletionChunk.Choice.FinishReason.STOP);
        var usage = chunks.getLast().usage().orElseThrow();
        assertThat(usage.promptTokens()).isEqualTo(upstream.usage.inputTokens());
        assertThat(usage.completionTokens()).isEqualTo(upstream.usage.outputTokens());
        assertRecorded(upstream, true);
    }

    @ParameterizedTest
    @EnumSource(Upstream.class)
    void openAiDoorTools(Upstream upstream) throws Exception {
        ChatCompletion completion = openAiSdk.chat().completions().create(openAiChat(upstream)
                .addTool(openAiWeatherTool()).build());

        ChatCompletion.Choice choice = completion.choices().getFirst();
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        ChatCompletionMessageFunctionToolCall call = choice.message().toolCalls().orElseThrow().getFirst().asFunction();
        assertThat(call.id()).isNotBlank();
        assertThat(call.function().name()).isEqualTo("get_weather");
        assertThat(Json.MAPPER.readTree(call.function().arguments())).isEqualTo(Json.MAPPER.readTree("{\"city\":\"Paris\"}"));
        assertRecorded(upstream, false);
    }

    @ParameterizedTest
    @EnumSource(Upstream.class)
    void openAiDoorStreamedTools(Upstream upstream) throws Exception {
        Map<Long, StringBuilder> arguments = new TreeMap<>();
        List<String> ids = new ArrayList<>();
        List<String> names = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = openAiSdk.chat().completions()
                .createStreaming(openAiChat(upstream).addTool(openAiWeatherTool()).build())) {
            stream.stream().flatMap(c -> c.choices().stream())
                    .flatMap(c -> c.delta().toolCalls().orElse(List.of()).stream())
                    .forEach(call -> {
                        call.id().ifPresent(ids::add);
                        call.function().flatMap(ChatCompletionChunk.Choice.Delta.ToolCall.Function::name)
                                .ifPresent(names::add);
                        call.function().flatMap(ChatCompletionChunk.Choice.Delta.ToolCall.Function::arguments)
                                .ifPresent(a -> arguments.computeIfAbsent(call.index(), i -> new StringBuilder()).append(a));
                    });
        }
        assertThat(ids).hasSize(1).allSatisfy(id -> assertThat(id).isNotBlank());
        assertThat(names).containsExactly("get_weather");
        assertThat(Json.MAPPER.readTree(arguments.get(0L).toString()))
                .isEqualTo(Json.MAPPER.readTree("{\"city\":\"Paris\"}"));
        assertRecorded(upstream, true);
    }

    @ParameterizedTest
    @EnumSource(Upstream.class)
    void openAiDoorToolResultsReachTheProviderLinkedToTheirCall(Upstream upstream) {
        ChatCompletion completion = openAiSdk.chat().completions().create(openAiChat(upstream)
                .addTool(openAiWeatherTool())
                .addMessage(ChatCompletionAssistantMessageParam.builder()
                        .addToolCall(ChatCompletionMessageToolCall.ofFunction(ChatCompletionMessageFunctionToolCall.builder()
                                .id("call_matrix_1")
                                .function(ChatCompletionMessageFunctionToolCall.Function.builder()
                                        .name("get_weather").arguments("{\"city\":\"Paris\"}").build())
                                .build()))
                        .build())
                .addMessage(ChatCompletionToolMessageParam.builder().toolCallId("call_matrix_1")
                        .content("{\"temperature\":21}").build())
                .build());
        assertThat(completion.choices()).hasSize(1);

        String sent = upstream.lastBody().toString();
        switch (upstream) {
            case OPENAI -> assertThat(sent).contains("\"tool_call_id\":\"call_matrix_1\"");
            case ANTHROPIC -> assertThat(sent).contains("\"type\":\"tool_result\"").contains("\"tool_use_id\":\"call_matrix_1\"");
            case GEMINI -> assertThat(sent).contains("\"functionResponse\"").contains("\"name\":\"get_weather\"");
            case BEDROCK -> assertThat(sent).contains("\"toolResult\"").contains("\"toolUseId\":\"call_matrix_1\"");
        }
        assertThat(sent).contains("21");
    }

    @ParameterizedTest
    @EnumSource(Upstream.class)
    void openAiDoorVision(Upstream upstream) {
        ChatCompletion completion = openAiSdk.chat().completions().create(ChatCompletionCreateParams.builder()
                .model(upstream.model())
                .addUserMessageOfArrayOfContentParts(List.of(
                        ChatCompletionContentPart.ofText(ChatCompletionContentPartText.builder().text("What is this?").build()),
                        ChatCompletionContentPart.ofImageUrl(ChatCompletionContentPartImage.builder()
                                .imageUrl(ChatCompletionContentPartImage.ImageUrl.builder()
                                        .url("data:image/png;base64," + TINY_PNG_BASE64).build())
                                .build())))
                .build());
        assertThat(completion.choices().getFirst().message().content()).contains(upstream.hello());
        assertNativeImage(upstream);
    }

    private static void assertNativeImage(Upstream upstream) {
        String sent = upstream.lastBody().toString();
        switch (upstream) {
            case OPENAI -> assertThat(sent).contains("data:image/png;base64," + TINY_PNG_BASE64);
            case ANTHROPIC -> assertThat(sent).contains("\"type\":\"base64\"").contains("\"media_type\":\"image/png\"")
                    .contains(TINY_PNG_BASE64);
            case GEMINI -> assertThat(sent).contains("\"inlineData\"").contains("image/png").contains(TINY_PNG_BASE64);
            case BEDROCK -> assertThat(sent).contains("\"format\":\"png\"").contains(TINY_PNG_BASE64);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Upstream.class, names = {"ANTHROPIC", "GEMINI", "BEDROCK"})
    void openAiDoorJsonSchemaGivesValidJson(Upstream upstream) throws Exception {
        ChatCompletion completion = openAiSdk.chat().completions().create(openAiChat(upstream)
                .responseFormat(ResponseFormatJsonSchema.builder().jsonSchema(ResponseFormatJsonSchema.JsonSchema.builder()
                        .name("weather")
                        .schema(ResponseFormatJsonSchema.JsonSchema.Schema.builder()
                                .putAdditionalProperty("type", com.openai.core.JsonValue.from("object"))
                                .putAdditionalProperty("properties", com.openai.core.JsonValue.from(
                                        Map.of("city", Map.of("type", "string"))))
                                .putAdditionalProperty("required", com.openai.core.JsonValue.from(List.of("city")))
                                .build())
                        .strict(true)
                        .build()).build())
                .build());
        ChatCompletion.Choice choice = completion.choices().getFirst();
        JsonNode answer = Json.MAPPER.readTree(choice.message().content().orElseThrow());
        assertThat(answer.path("city").asText()).isEqualTo("Paris");
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(choice.message().toolCalls().orElse(List.of())).isEmpty();
    }

    // ------------------------------------------------------------------------------------------ Anthropic door

    private static MessageCreateParams.Builder anthropicChat(Upstream upstream) {
        return MessageCreateParams.builder().model(upstream.model()).maxTokens(1024).addUserMessage("Say hello");
    }

    private static Tool anthropicWeatherTool() {
        return Tool.builder().name("get_weather").description("Current weather in a city")
                .inputSchema(Tool.InputSchema.builder()
                        .properties(Tool.InputSchema.Properties.builder()
                                .putAdditionalProperty("city", JsonValue.from(Map.of("type", "string"))).build())
                        .addRequired("city")
                        .build())
                .build();
    }

    private static void assertAnthropicUsage(Upstream upstream, com.anthropic.models.messages.Usage usage) {
        Usage expected = upstream.usage;
        assertThat(usage.inputTokens())
                .isEqualTo(expected.inputTokens() - expected.cachedTokens() - expected.cacheWriteTokens());
        assertThat(usage.outputTokens()).isEqualTo(expected.outputTokens());
        assertThat(usage.cacheReadInputTokens().orElse(0L)).isEqualTo(expected.cachedTokens());
        assertThat(usage.cacheCreationInputTokens().orElse(0L)).isEqualTo(expected.cacheWriteTokens());
    }

    private static Message anthropicStream(MessageCreateParams params) {
        MessageAccumulator accumulator = MessageAccumulator.create();
        try (com.anthropic.core.http.StreamResponse<RawMessageStreamEvent> stream =
                     anthropicSdk.messages().createStreaming(params)) {
            stream.stream().forEach(accumulator::accumulate);
        }
        return accumulator.message();
    }

    @ParameterizedTest
    @EnumSource(Upstream.class)
    void anthropicDoorText(Upstream upstream) {
        Message message = anthropicSdk.messages().create(anthropicChat(upstream).build());

        assertThat(message.content().getFirst().text().orElseThrow().text()).isEqualTo(upstream.hello());
        assertThat(message.stopReason()).contains(StopReason.END_TURN);
        assertAnthropicUsage(upstream, message.usage());
        assertRecorded(upstream, false);
    }

    @ParameterizedTest
    @EnumSource(Upstream.class)
    void anthropicDoorStream(Upstream upstream) {
        Message message = anthropicStream(anthropicChat(upstream).build());

        assertThat(message.content()).hasSize(1);
        assertThat(message.content().getFirst().text().orElseThrow().text()).isEqualTo(upstream.hello());
        assertThat(message.stopReason()).contains(StopReason.END_TURN);
        assertAnthropicUsage(upstream, message.usage());
        assertRecorded(upstream, true);
    }

    @ParameterizedTest
    @EnumSource(Upstream.class)
    void anthropicDoorTools(Upstream upstream) throws Exception {
        Message message = anthropicSdk.messages().create(anthropicChat(upstream).addTool(anthropicWeatherTool()).build());

        assertThat(message.stopReason()).contains(StopReason.TOOL_USE);
        ToolUseBlock toolUse = message.content().stream().flatMap(b -> b.toolUse().stream()).findFirst().orElseThrow();
        assertThat(toolUse.id()).isNotBlank();
        assertThat(toolUse.name()).isEqualTo("get_weather");
        assertThat(Json.MAPPER.readTree(ObjectMappers.jsonMapper().writeValueAsString(toolUse._input())))
                .isEqualTo(Json.MAPPER.readTree("{\"city\":\"Paris\"}"));
        assertRecorded(upstream, false);
    }

    @ParameterizedTest
    @EnumSource(Upstream.class)
    void anthropicDoorStreamedTools(Upstream upstream) throws Exception {
        Message message = anthropicStream(anthropicChat(upstream).addTool(anthropicWeatherTool()).build());

        assertThat(message.stopReason()).contains(StopReason.TOOL_USE);
        ToolUseBlock toolUse = message.content().stream().flatMap(b -> b.toolUse().stream()).findFirst().orElseThrow();
        assertThat(toolUse.id()).isNotBlank();
        assertThat(toolUse.name()).isEqualTo("get_weather");
        assertThat(Json.MAPPER.readTree(ObjectMappers.jsonMapper().writeValueAsString(toolUse._input())))
                .isEqualTo(Json.MAPPER.readTree("{\"city\":\"Paris\"}"));
        assertRecorded(upstream, true);
    }

    @ParameterizedTest
    @EnumSource(Upstream.class)
    void anthropicDoorToolResultsReachTheProviderLinkedToTheirCall(Upstream upstream) {
        Message message = anthropicSdk.messages().create(anthropicChat(upstream)
                .addTool(anthropicWeatherTool())
                .addAssistantMessageOfContentBlockParams(List.of(ContentBlockParam.ofToolUse(ToolUseBlockParam.builder()
                        .id("toolu_matrix_1").name("get_weather")
                        .input(JsonValue.from(Map.of("city", "Paris"))).build())))
                .addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofToolResult(ToolResultBlockParam.builder()
                        .toolUseId("toolu_matrix_1").content("{\"temperature\":21}").build())))
                .build());
        assertThat(message.content()).isNotEmpty();

        String sent = upstream.lastBody().toString();
        switch (upstream) {
            case OPENAI -> assertThat(sent).contains("\"tool_call_id\":\"toolu_matrix_1\"").contains("\"role\":\"tool\"");
            case ANTHROPIC -> assertThat(sent).contains("\"tool_use_id\":\"toolu_matrix_1\"");
            case GEMINI -> assertThat(sent).contains("\"functionResponse\"").contains("\"name\":\"get_weather\"");
            case BEDROCK -> assertThat(sent).contains("\"toolUseId\":\"toolu_matrix_1\"");
        }
        assertThat(sent).contains("21");
    }

    @ParameterizedTest
    @EnumSource(Upstream.class)
    void anthropicDoorVision(Upstream upstream) {
        Message message = anthropicSdk.messages().create(MessageCreateParams.builder().model(upstream.model())
                .maxTokens(1024)
                .addUserMessageOfContentBlockParams(List.of(
                        ContentBlockParam.ofImage(Base64ImageSource.builder()
                                .mediaType(Base64ImageSource.MediaType.IMAGE_PNG).data(TINY_PNG_BASE64).build()),
                        ContentBlockParam.ofText("What is this?")))
                .build());
        assertThat(message.content().getFirst().text().orElseThrow().text()).isEqualTo(upstream.hello());
        assertNativeImage(upstream);
    }

    @ParameterizedTest
    @EnumSource(value = Upstream.class, names = {"OPENAI", "GEMINI", "BEDROCK"})
    void anthropicDoorStructuredOutputGivesValidJson(Upstream upstream) throws Exception {
        Message message = anthropicSdk.messages().create(anthropicChat(upstream)
                .putAdditionalBodyProperty("output_config", JsonValue.from(Map.of("format", Map.of(
                        "type", "json_schema",
                        "schema", Map.of("type", "object",
                                "properties", Map.of("city", Map.of("type", "string")),
                                "required", List.of("city"), "additionalProperties", false)))))
                .build());

        String sent = upstream.lastBody().toString();
        switch (upstream) {
            case OPENAI -> assertThat(sent).contains("\"response_format\"").contains("\"json_schema\"");
            case GEMINI -> assertThat(sent).contains("\"responseMimeType\":\"application/json\"");
            case BEDROCK -> assertThat(sent).contains("\"toolChoice\"");
            default -> throw new AssertionError(upstream);
        }
        if (upstream != Upstream.OPENAI) {
            // The OpenAI fake answers free text whatever the format; the others answer in the schema.
            String text = message.content().getFirst().text().orElseThrow().text();
            assertThat(Json.MAPPER.readTree(text).path("city").asText()).isEqualTo("Paris");
            assertThat(message.stopReason()).contains(StopReason.END_TURN);
        }
    }

    @ParameterizedTest
    @EnumSource(Upstream.class)
    void aModelTheProviderDoesNotKnowStaysANotFoundInBothDoors(Upstream upstream) {
        String model = upstream.provider + "/missing-model";
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> openAiSdk.chat().completions().create(
                        ChatCompletionCreateParams.builder().model(model).addUserMessage("hi").build()))
                .isInstanceOf(com.openai.errors.NotFoundException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> anthropicSdk.messages().create(
                        MessageCreateParams.builder().model(model).maxTokens(64).addUserMessage("hi").build()))
                .isInstanceOf(com.anthropic.errors.NotFoundException.class);
        assertThat(hub.lastCall().httpStatus()).isEqualTo(404);
    }

    @org.junit.jupiter.api.Test
    void theModelListNamesTheModelsOfEveryProviderByItsHubId() {
        List<String> ids = openAiSdk.models().list().autoPager().stream().map(com.openai.models.models.Model::id).toList();
        assertThat(ids).contains("openai/gpt-4o-mini", "google/gemini-2.5-flash", "google/gemini-embedding-001",
                "anthropic/" + FakeAnthropicProvider.MODELS.getFirst());
    }
}
