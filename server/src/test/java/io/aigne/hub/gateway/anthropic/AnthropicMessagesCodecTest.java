package io.aigne.hub.gateway.anthropic;

import com.anthropic.core.JsonValue;
import com.anthropic.core.ObjectMappers;
import com.anthropic.models.messages.Base64ImageSource;
import com.anthropic.models.messages.Base64PdfSource;
import com.anthropic.models.messages.CacheControlEphemeral;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.DocumentBlockParam;
import com.anthropic.models.messages.ImageBlockParam;
import com.anthropic.models.messages.JsonOutputFormat;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.MessageParam;
import com.anthropic.models.messages.Metadata;
import com.anthropic.models.messages.OutputConfig;
import com.anthropic.models.messages.PlainTextSource;
import com.anthropic.models.messages.RedactedThinkingBlockParam;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.TextBlockParam;
import com.anthropic.models.messages.ThinkingBlockParam;
import com.anthropic.models.messages.ThinkingConfigAdaptive;
import com.anthropic.models.messages.ThinkingConfigDisabled;
import com.anthropic.models.messages.ThinkingConfigEnabled;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolChoiceAny;
import com.anthropic.models.messages.ToolChoiceTool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlockParam;
import com.anthropic.models.messages.UrlImageSource;
import com.anthropic.models.messages.WebSearchTool20250305;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.gateway.canonical.ChatRequest;
import io.aigne.hub.gateway.canonical.ChatResponse;
import io.aigne.hub.gateway.canonical.ContentPart;
import io.aigne.hub.gateway.canonical.FinishReason;
import io.aigne.hub.gateway.canonical.Message.Role;
import io.aigne.hub.gateway.canonical.Reasoning;
import io.aigne.hub.gateway.canonical.ResponseFormat;
import io.aigne.hub.gateway.canonical.ToolChoice;
import io.aigne.hub.provider.anthropic.ToolInput;
import io.aigne.hub.server.ApiException;
import io.aigne.hub.server.Json;
import io.aigne.hub.usage.Usage;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The front door's translation against the official anthropic-java SDK: requests the SDK builds are read, and the
 * answers written parse as the SDK's own {@link Message} with validation.
 */
class AnthropicMessagesCodecTest {
    private static final String PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

    /** The JSON body the SDK would send for these params. */
    private static ObjectNode body(MessageCreateParams params) throws Exception {
        return (ObjectNode) Json.MAPPER.readTree(ObjectMappers.jsonMapper().writeValueAsString(params._body()));
    }

    private static MessageCreateParams.Builder base() {
        return MessageCreateParams.builder().model("anthropic/claude-sonnet-4-5").maxTokens(1024);
    }

    private static Message parse(ObjectNode json) throws Exception {
        return ObjectMappers.jsonMapper().readValue(Json.bytes(json), Message.class).validate();
    }

    private static ApiException refusal(ObjectNode body) {
        try {
            AnthropicMessagesCodec.toCanonical(body);
        } catch (ApiException e) {
            return e;
        }
        throw new AssertionError("expected a 400 for " + body);
    }

    // ---------------------------------------------------------------------------------------------
    // Requests built by the SDK

    @Test
    void fullConversationFromTheSdk() throws Exception {
        CacheControlEphemeral cache = CacheControlEphemeral.builder().build();
        Tool weather = Tool.builder().name("get_weather").description("Weather in a city")
                .inputSchema(Tool.InputSchema.builder()
                        .properties(Tool.InputSchema.Properties.builder()
                                .putAdditionalProperty("city", JsonValue.from(Map.of("type", "string"))).build())
                        .addRequired("city").build())
                .cacheControl(cache).build();
        MessageCreateParams params = base()
                .systemOfTextBlockParams(List.of(TextBlockParam.builder().text("Be terse.").build(),
                        TextBlockParam.builder().text("Big shared context").cacheControl(cache).build()))
                .addUserMessageOfContentBlockParams(List.of(
                        ContentBlockParam.ofText(TextBlockParam.builder().text("What is in these?").build()),
                        ContentBlockParam.ofImage(ImageBlockParam.builder().source(Base64ImageSource.builder()
                                .mediaType(Base64ImageSource.MediaType.IMAGE_PNG).data(PNG).build()).cacheControl(cache).build()),
                        ContentBlockParam.ofImage(UrlImageSource.builder().url("https://example.com/cat.jpg").build()),
                        ContentBlockParam.ofDocument(DocumentBlockParam.builder()
                                .source(Base64PdfSource.builder().data("JVBERi0=").build()).title("Report").build()),
                        ContentBlockParam.ofDocument(PlainTextSource.builder().data("plain words").build())))
                .addAssistantMessageOfContentBlockParams(List.of(
                        ContentBlockParam.ofThinking(ThinkingBlockParam.builder().thinking("Weather first.").signature("sig-1").build()),
                        ContentBlockParam.ofRedactedThinking(RedactedThinkingBlockParam.builder().data("opaque").build()),
                        ContentBlockParam.ofToolUse(ToolUseBlockParam.builder().id("toolu_1").name("get_weather")
                                .input(ToolUseBlockParam.Input.builder().putAdditionalProperty("city", JsonValue.from("Paris")).build())
                                .build())))
                .addUserMessageOfContentBlockParams(List.of(
                        ContentBlockParam.ofToolResult(ToolResultBlockParam.builder().toolUseId("toolu_1")
                                .content("18C").isError(true).build()),
                        ContentBlockParam.ofText(TextBlockParam.builder().text("And tomorrow?").build())))
                .addTool(weather)
                .toolChoice(ToolChoiceTool.builder().name("get_weather").disableParallelToolUse(true).build())
                .thinking(ThinkingConfigEnabled.builder().budgetTokens(2048).build())
                .stopSequences(List.of("END", "STOP"))
                // This SDK version has no builder methods for the sampling knobs the API still takes.
                .putAdditionalBodyProperty("temperature", JsonValue.from(0.3))
                .putAdditionalBodyProperty("top_p", JsonValue.from(0.8))
                .putAdditionalBodyProperty("top_k", JsonValue.from(20))
                .metadata(Metadata.builder().userId("user-7").build())
                .build();

        ObjectNode body = body(params);
        ChatRequest request = AnthropicMessagesCodec.toCanonical(body);

        assertThat(AnthropicMessagesCodec.model(body)).isEqualTo("anthropic/claude-sonnet-4-5");
        assertThat(request.model()).isEqualTo("anthropic/claude-sonnet-4-5");
        assertThat(request.stream()).isFalse();
        assertThat(request.system()).extracting(ContentPart.Text::text).containsExactly("Be terse.", "Big shared context");
        assertThat(request.system().get(0).cacheControl()).isNull();
        assertThat(request.system().get(1).cacheControl().path("type").asText()).isEqualTo("ephemeral");

        assertThat(request.messages()).extracting(io.aigne.hub.gateway.canonical.Message::role)
                .containsExactly(Role.USER, Role.ASSISTANT, Role.USER);
        List<ContentPart> first = request.messages().get(0).content();
        assertThat(first.get(0)).isEqualTo(new ContentPart.Text("What is in these?"));
        assertThat(first.get(1)).isInstanceOfSatisfying(ContentPart.Image.class, image -> {
            assertThat(image.mediaType()).isEqualTo("image/png");
            assertThat(image.data()).isEqualTo(PNG);
            assertThat(image.cacheControl().path("type").asText()).isEqualTo("ephemeral");
        });
        assertThat(first.get(2)).isEqualTo(ContentPart.Image.link("https://example.com/cat.jpg"));
        assertThat(first.get(3)).isEqualTo(new ContentPart.Document("application/pdf", "JVBERi0=", null, "Report", null));
        assertThat(first.get(4)).isInstanceOfSatisfying(ContentPart.Document.class, document -> {
            assertThat(document.mediaType()).isEqualTo("text/plain");
            assertThat(new String(Base64.getDecoder().decode(document.data()), StandardCharsets.UTF_8)).isEqualTo("plain words");
        });
        assertThat(request.messages().get(1).content()).containsExactly(
                new ContentPart.Reasoning("Weather first.", "sig-1"),
                new ContentPart.RedactedReasoning("opaque"),
                new ContentPart.ToolCall("toolu_1", "get_weather", "{\"city\":\"Paris\"}"));
        assertThat(request.messages().get(2).content()).containsExactly(
                new ContentPart.ToolResult("toolu_1", null, List.of(new ContentPart.Text("18C")), true),
                new ContentPart.Text("And tomorrow?"));
        assertThat(request.toolNameFor("toolu_1")).isEqualTo("get_weather");

        assertThat(request.tools()).singleElement().satisfies(tool -> {
            assertThat(tool.name()).isEqualTo("get_weather");
            assertThat(tool.description()).isEqualTo("Weather in a city");
            assertThat(tool.parameters().path("type").asText()).isEqualTo("object");
            assertThat(tool.parameters().path("properties").path("city").path("type").asText()).isEqualTo("string");
            assertThat(tool.parameters().path("required").get(0).asText()).isEqualTo("city");
            assertThat(tool.cacheControl().path("type").asText()).isEqualTo("ephemeral");
        });
        assertThat(request.toolChoice()).isEqualTo(new ToolChoice(ToolChoice.Mode.TOOL, "get_weather", false));
        assertThat(request.reasoning()).isEqualTo(new Reasoning(true, null, 2048));
        assertThat(request.sampling().maxTokens()).isEqualTo(1024);
        assertThat(request.sampling().stop()).containsExactly("END", "STOP");
        assertThat(request.sampling().temperature()).isEqualTo(0.3);
        assertThat(request.sampling().topP()).isEqualTo(0.8);
        assertThat(request.sampling().topK()).isEqualTo(20);
        assertThat(request.user()).isEqualTo("user-7");
        assertThat(request.responseFormat()).isNull();
    }

    @Test
    void plainStringsStreamAndChoices() throws Exception {
        ObjectNode body = body(base().system("You help.").addUserMessage("Hi").addAssistantMessage("Hello!")
                .addUserMessage("Bye").toolChoice(ToolChoiceAny.builder().build())
                .thinking(ThinkingConfigDisabled.builder().build()).build());
        body.put("stream", true);

        ChatRequest request = AnthropicMessagesCodec.toCanonical(body);

        assertThat(AnthropicMessagesCodec.stream(body)).isTrue();
        assertThat(request.stream()).isTrue();
        assertThat(request.systemText()).isEqualTo("You help.");
        assertThat(request.messages()).containsExactly(io.aigne.hub.gateway.canonical.Message.user("Hi"),
                io.aigne.hub.gateway.canonical.Message.assistant("Hello!"), io.aigne.hub.gateway.canonical.Message.user("Bye"));
        assertThat(request.toolChoice()).isEqualTo(new ToolChoice(ToolChoice.Mode.ANY, null, null));
        assertThat(request.reasoning()).isEqualTo(new Reasoning(false, null, null));
    }

    @Test
    void systemTurnsInsideTheConversationJoinTheInstructions() throws Exception {
        ObjectNode body = body(base().system("First.").addSystemMessage("Second.").addUserMessage("Hi").build());

        ChatRequest request = AnthropicMessagesCodec.toCanonical(body);

        assertThat(request.system()).extracting(ContentPart.Text::text).containsExactly("First.", "Second.");
        assertThat(request.messages()).containsExactly(io.aigne.hub.gateway.canonical.Message.user("Hi"));
    }

    @Test
    void structuredOutputAndAdaptiveThinking() throws Exception {
        JsonOutputFormat.Schema schema = JsonOutputFormat.Schema.builder()
                .putAdditionalProperty("type", JsonValue.from("object"))
                .putAdditionalProperty("properties", JsonValue.from(Map.of("answer", Map.of("type", "string"))))
                .build();
        ObjectNode body = body(base().addUserMessage("Answer in JSON")
                .outputConfig(OutputConfig.builder().format(JsonOutputFormat.builder().schema(schema).build())
                        .effort(OutputConfig.Effort.HIGH).build())
                .thinking(ThinkingConfigAdaptive.builder().build()).build());

        ChatRequest request = AnthropicMessagesCodec.toCanonical(body);

        assertThat(request.responseFormat().kind()).isEqualTo(ResponseFormat.Kind.JSON_SCHEMA);
        assertThat(request.responseFormat().schema().path("properties").path("answer").path("type").asText())
                .isEqualTo("string");
        assertThat(request.reasoning()).isEqualTo(new Reasoning(true, "high", null));
    }

    @Test
    void serverToolsAreRefusedNamingTheTool() throws Exception {
        ObjectNode body = body(base().addUserMessage("Search")
                .addTool(Tool.builder().name("f").inputSchema(Tool.InputSchema.builder().build()).build())
                .addTool(WebSearchTool20250305.builder().build()).build());

        ApiException e = refusal(body);

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.param()).isEqualTo("tools[1]");
        assertThat(e.getMessage()).contains("web_search_20250305").contains("server tools");
    }

    // ---------------------------------------------------------------------------------------------
    // Malformed requests

    @Test
    void maxTokensIsRequiredAsAnthropicRequiresIt() throws Exception {
        ObjectNode body = body(base().addUserMessage("Hi").build());
        body.remove("max_tokens");
        assertThat(refusal(body).param()).isEqualTo("max_tokens");

        body.put("max_tokens", "1024");
        assertThat(refusal(body)).satisfies(e -> {
            assertThat(e.param()).isEqualTo("max_tokens");
            assertThat(e.getMessage()).contains("integer");
        });
    }

    @Test
    void typeErrorsNameTheFieldPath() throws Exception {
        ObjectNode valid = body(base().addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofText("look"),
                ContentBlockParam.ofImage(Base64ImageSource.builder().mediaType(Base64ImageSource.MediaType.IMAGE_PNG)
                        .data(PNG).build()))).build());

        ObjectNode badData = valid.deepCopy();
        ((ObjectNode) badData.path("messages").get(0).path("content").get(1).path("source")).put("data", 42);
        assertThat(refusal(badData).param()).isEqualTo("messages[0].content[1].source.data");

        ObjectNode badTemperature = valid.deepCopy().put("temperature", "hot");
        assertThat(refusal(badTemperature).param()).isEqualTo("temperature");

        ObjectNode badRole = valid.deepCopy();
        ((ObjectNode) badRole.path("messages").get(0)).put("role", "tool");
        assertThat(refusal(badRole).param()).isEqualTo("messages[0].role");

        ObjectNode noModel = valid.deepCopy();
        noModel.remove("model");
        assertThat(refusal(noModel).param()).isEqualTo("model");

        ObjectNode toolResultFromAssistant = valid.deepCopy();
        ((ObjectNode) toolResultFromAssistant.path("messages").get(0)).put("role", "assistant");
        ((ObjectNode) toolResultFromAssistant.path("messages").get(0).path("content").get(0))
                .put("type", "tool_result").put("tool_use_id", "x");
        assertThat(refusal(toolResultFromAssistant).param()).isEqualTo("messages[0].content[0].type");

        ObjectNode fileImage = valid.deepCopy();
        ((ObjectNode) fileImage.path("messages").get(0).path("content").get(1).path("source"))
                .put("type", "file").put("file_id", "file_1");
        assertThat(refusal(fileImage)).satisfies(e -> {
            assertThat(e.param()).isEqualTo("messages[0].content[1].source.type");
            assertThat(e.getMessage()).contains("Files API");
        });
    }

    // ---------------------------------------------------------------------------------------------
    // Answers read by the SDK

    @Test
    void answerParsesAsTheSdksMessage() throws Exception {
        ChatResponse response = new ChatResponse("chatcmpl-123", "gpt-4o-2024-08-06", List.of(
                new ContentPart.Reasoning("Let me see.", "sig-9"),
                new ContentPart.Text("Calling tools."),
                new ContentPart.ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}"),
                new ContentPart.ToolCall("call_2", "search", "{\"q\":")),
                FinishReason.TOOL_CALLS, null, Usage.tokens(1000, 50, 600, 100, 20));

        ObjectNode json = AnthropicMessagesCodec.toJson(response, "openai/gpt-4o");
        Message message = parse(json);

        assertThat(message.id()).startsWith("msg_").hasSize(28);
        assertThat(message.model().asString()).isEqualTo("gpt-4o-2024-08-06");
        assertThat(message.stopReason()).contains(StopReason.TOOL_USE);
        assertThat(message.stopSequence()).isEmpty();
        List<ContentBlock> content = message.content();
        assertThat(content).hasSize(4);
        assertThat(content.get(0).asThinking().thinking()).isEqualTo("Let me see.");
        assertThat(content.get(0).asThinking().signature()).isEqualTo("sig-9");
        assertThat(content.get(1).asText().text()).isEqualTo("Calling tools.");
        assertThat(content.get(2).asToolUse().id()).isEqualTo("call_1");
        assertThat(content.get(2).asToolUse().name()).isEqualTo("get_weather");
        assertThat(inputOf(content.get(2))).isEqualTo(Json.object().put("city", "Paris"));
        assertThat(inputOf(content.get(3))).isEqualTo(Json.object().put(ToolInput.RAW_ARGUMENTS, "{\"q\":"));
        assertThat(message.usage().inputTokens()).isEqualTo(300);
        assertThat(message.usage().cacheReadInputTokens()).contains(600L);
        assertThat(message.usage().cacheCreationInputTokens()).contains(100L);
        assertThat(message.usage().outputTokens()).isEqualTo(50);
        assertThat(message.usage().outputTokensDetails().orElseThrow().thinkingTokens()).isEqualTo(20);
    }

    @Test
    void anthropicIdsStayAndTheCallersModelStandsInForAMissingOne() throws Exception {
        ChatResponse response = new ChatResponse("msg_abc", null, List.of(new ContentPart.Text("Hi"), new ContentPart.Text("")),
                FinishReason.STOP_SEQUENCE, "END", Usage.tokens(10, 2, 0, 0, 0));

        Message message = parse(AnthropicMessagesCodec.toJson(response, "anthropic/claude-sonnet-4-5"));

        assertThat(message.id()).isEqualTo("msg_abc");
        assertThat(message.model().asString()).isEqualTo("anthropic/claude-sonnet-4-5");
        assertThat(message.content()).singleElement().satisfies(block -> assertThat(block.asText().text()).isEqualTo("Hi"));
        assertThat(message.stopReason()).contains(StopReason.STOP_SEQUENCE);
        assertThat(message.stopSequence()).contains("END");
        assertThat(message.usage().inputTokens()).isEqualTo(10);
        assertThat(message.usage().cacheReadInputTokens()).contains(0L);
    }

    @Test
    void finishReasonsMapToStopReasons() throws Exception {
        for (var expected : Map.of(FinishReason.STOP, StopReason.END_TURN, FinishReason.LENGTH, StopReason.MAX_TOKENS,
                FinishReason.CONTENT_FILTER, StopReason.REFUSAL).entrySet()) {
            ChatResponse response = new ChatResponse("x", "m", List.of(new ContentPart.Text("t")), expected.getKey(),
                    null, Usage.NONE);
            assertThat(parse(AnthropicMessagesCodec.toJson(response, "m")).stopReason()).contains(expected.getValue());
        }
    }

    private static JsonNode inputOf(ContentBlock block) throws Exception {
        return Json.MAPPER.readTree(ObjectMappers.jsonMapper().writeValueAsString(block.asToolUse()._input()));
    }
}
