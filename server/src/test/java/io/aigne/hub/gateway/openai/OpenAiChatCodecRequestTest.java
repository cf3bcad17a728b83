package io.aigne.hub.gateway.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.core.JsonValue;
import com.openai.core.ObjectMappers;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.ReasoningEffort;
import com.openai.models.ResponseFormatJsonSchema;
import com.openai.models.chat.completions.ChatCompletionAssistantMessageParam;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartImage;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionNamedToolChoice;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import io.aigne.hub.gateway.canonical.ChatRequest;
import io.aigne.hub.gateway.canonical.ContentPart;
import io.aigne.hub.gateway.canonical.Message;
import io.aigne.hub.gateway.canonical.Reasoning;
import io.aigne.hub.gateway.canonical.ResponseFormat;
import io.aigne.hub.gateway.canonical.Sampling;
import io.aigne.hub.gateway.canonical.ToolChoice;
import io.aigne.hub.server.ApiException;
import io.aigne.hub.server.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Chat Completions requests, as openai-java and hand-written clients send them, in canonical terms. */
class OpenAiChatCodecRequestTest {
    private static final String PNG_BASE64 = "iVBORw0KGgo=";
    private static final String PDF_BASE64 = "JVBERi0xLjQK";

    private static ObjectNode json(String text) {
        return Json.parseObject(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The body exactly as the SDK puts it on the wire. */
    private static ObjectNode sdkBody(ChatCompletionCreateParams params) throws Exception {
        return Json.parseObject(ObjectMappers.jsonMapper().writeValueAsBytes(params._body()));
    }

    private static ApiException refused(String body) {
        try {
            OpenAiChatCodec.toCanonical(json(body));
        } catch (ApiException e) {
            return e;
        }
        throw new AssertionError("accepted: " + body);
    }

    @Test
    void aRequestBuiltWithOpenAiJavaKeepsEveryField() throws Exception {
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
                .model("anthropic/claude-sonnet-4")
                .addSystemMessage("Be brief.")
                .addDeveloperMessage("Answer in French.")
                .addUserMessageOfArrayOfContentParts(List.of(
                        ChatCompletionContentPart.ofText(ChatCompletionContentPartText.builder().text("What is this?")
                                .build()),
                        ChatCompletionContentPart.ofImageUrl(ChatCompletionContentPartImage.builder()
                                .imageUrl(ChatCompletionContentPartImage.ImageUrl.builder()
                                        .url("data:image/png;base64," + PNG_BASE64)
                                        .detail(ChatCompletionContentPartImage.ImageUrl.Detail.HIGH).build())
                                .build()),
                        ChatCompletionContentPart.ofImageUrl(ChatCompletionContentPartImage.builder()
                                .imageUrl(ChatCompletionContentPartImage.ImageUrl.builder()
                                        .url("https://example.com/cat.jpg").build())
                                .build()),
                        ChatCompletionContentPart.ofFile(ChatCompletionContentPart.File.builder()
                                .file(ChatCompletionContentPart.File.FileObject.builder()
                                        .filename("report.pdf")
                                        .fileData("data:application/pdf;base64," + PDF_BASE64).build())
                                .build())))
                .addMessage(ChatCompletionAssistantMessageParam.builder()
                        .content("Let me check the weather.")
                        .addToolCall(ChatCompletionMessageFunctionToolCall.builder().id("call_1")
                                .function(ChatCompletionMessageFunctionToolCall.Function.builder()
                                        .name("get_weather").arguments("{\"city\":\"Paris\"}").build())
                                .build())
                        .addToolCall(ChatCompletionMessageFunctionToolCall.builder().id("call_2")
                                .function(ChatCompletionMessageFunctionToolCall.Function.builder()
                                        .name("search").arguments("{\"q\":\"x\"}").build())
                                .build())
                        .build())
                .addMessage(ChatCompletionToolMessageParam.builder().toolCallId("call_1").content("18C").build())
                .addMessage(ChatCompletionToolMessageParam.builder().toolCallId("call_2").content("no hits").build())
                .addUserMessage("And tomorrow?")
                .addTool(ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder()
                        .name("get_weather").description("Weather of a city")
                        .parameters(FunctionParameters.builder()
                                .putAdditionalProperty("type", JsonValue.from("object"))
                                .putAdditionalProperty("properties",
                                        JsonValue.from(Map.of("city", Map.of("type", "string"))))
                                .build())
                        .build()).build())
                .addTool(ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder().name("search")
                        .build()).build())
                .toolChoice(ChatCompletionNamedToolChoice.builder()
                        .function(ChatCompletionNamedToolChoice.Function.builder().name("get_weather").build())
                        .build())
                .parallelToolCalls(false)
                .responseFormat(ResponseFormatJsonSchema.builder().jsonSchema(ResponseFormatJsonSchema.JsonSchema
                        .builder().name("weather").strict(true)
                        .schema(ResponseFormatJsonSchema.JsonSchema.Schema.builder()
                                .putAdditionalProperty("type", JsonValue.from("object")).build())
                        .build()).build())
                .maxCompletionTokens(300)
                .temperature(0.5)
                .topP(0.9)
                .stopOfStrings(List.of("END", "STOP"))
                .seed(42)
                .presencePenalty(0.1)
                .frequencyPenalty(0.2)
                .reasoningEffort(ReasoningEffort.HIGH)
                .user("user-7")
                .store(false)
                .serviceTier(ChatCompletionCreateParams.ServiceTier.AUTO)
                .metadata(ChatCompletionCreateParams.Metadata.builder()
                        .putAdditionalProperty("team", JsonValue.from("a")).build())
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
                .build();
        ObjectNode body = sdkBody(params);
        // createStreaming() adds this to the body it sends.
        body.put("stream", true);

        ChatRequest request = OpenAiChatCodec.toCanonical(body);

        assertThat(request.model()).isEqualTo("anthropic/claude-sonnet-4");
        assertThat(request.system()).containsExactly(new ContentPart.Text("Be brief."),
                new ContentPart.Text("Answer in French."));
        assertThat(request.messages()).hasSize(3);

        Message user = request.messages().get(0);
        assertThat(user.role()).isEqualTo(Message.Role.USER);
        assertThat(user.content()).containsExactly(
                new ContentPart.Text("What is this?"),
                new ContentPart.Image("image/png", PNG_BASE64, null, "high", null),
                new ContentPart.Image(null, null, "https://example.com/cat.jpg", null, null),
                new ContentPart.Document("application/pdf", PDF_BASE64, null, "report.pdf", null));

        Message assistant = request.messages().get(1);
        assertThat(assistant.role()).isEqualTo(Message.Role.ASSISTANT);
        assertThat(assistant.content()).containsExactly(
                new ContentPart.Text("Let me check the weather."),
                new ContentPart.ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}"),
                new ContentPart.ToolCall("call_2", "search", "{\"q\":\"x\"}"));

        // Both tool results and the next user message form one user turn.
        Message results = request.messages().get(2);
        assertThat(results.role()).isEqualTo(Message.Role.USER);
        assertThat(results.content()).containsExactly(
                new ContentPart.ToolResult("call_1", "get_weather", List.of(new ContentPart.Text("18C")), false),
                new ContentPart.ToolResult("call_2", "search", List.of(new ContentPart.Text("no hits")), false),
                new ContentPart.Text("And tomorrow?"));

        assertThat(request.tools()).hasSize(2);
        assertThat(request.tools().get(0).name()).isEqualTo("get_weather");
        assertThat(request.tools().get(0).description()).isEqualTo("Weather of a city");
        assertThat(request.tools().get(0).parameters().path("properties").path("city").path("type").asText())
                .isEqualTo("string");
        assertThat(request.tools().get(1).description()).isNull();
        assertThat(request.tools().get(1).parameters()).isNull();
        assertThat(request.toolChoice()).isEqualTo(new ToolChoice(ToolChoice.Mode.TOOL, "get_weather", false));
        assertThat(request.responseFormat().kind()).isEqualTo(ResponseFormat.Kind.JSON_SCHEMA);
        assertThat(request.responseFormat().name()).isEqualTo("weather");
        assertThat(request.responseFormat().strict()).isTrue();
        assertThat(request.responseFormat().schema().path("type").asText()).isEqualTo("object");
        assertThat(request.sampling()).isEqualTo(
                new Sampling(300, 0.5, 0.9, null, List.of("END", "STOP"), 42L, 0.1, 0.2));
        assertThat(request.reasoning()).isEqualTo(new Reasoning(true, "high", null));
        assertThat(request.stream()).isTrue();
        assertThat(request.user()).isEqualTo("user-7");
        assertThat(OpenAiChatCodec.includeUsage(body)).isTrue();
    }

    @Test
    void handWrittenShapesAreAccepted() {
        ChatRequest request = OpenAiChatCodec.toCanonical(json("""
                {"model": "google/gemini-2.0-flash",
                 "messages": [
                   {"role": "user", "content": "Hi"},
                   {"role": "assistant", "content": null, "refusal": "I won't say.",
                    "reasoning_content": "Should I?"},
                   {"role": "developer", "content": [{"type": "text", "text": "Stay polite."}]},
                   {"role": "user", "content": [{"type": "text", "text": "Please"},
                     {"type": "image_url", "image_url": "https://example.com/a.png"}]},
                   {"role": "assistant", "content": [{"type": "text", "text": "Calling."}],
                    "tool_calls": [{"id": "c1", "type": "function",
                                    "function": {"name": "f", "arguments": "{}"}}]},
                   {"role": "tool", "tool_call_id": "c1", "content": [{"type": "text", "text": "done"}]}
                 ],
                 "max_tokens": 50, "stop": "###", "tool_choice": "required", "reasoning_effort": "none",
                 "safety_identifier": "s-1", "n": 1, "logprobs": false, "stream": false,
                 "stream_options": null, "store": true, "service_tier": "default", "metadata": {"a": "b"},
                 "prompt_cache_key": "k", "verbosity": "low", "response_format": {"type": "json_object"},
                 "top_k": 20}
                """));

        assertThat(request.system()).containsExactly(new ContentPart.Text("Stay polite."));
        assertThat(request.messages()).extracting(Message::role).containsExactly(Message.Role.USER,
                Message.Role.ASSISTANT, Message.Role.USER, Message.Role.ASSISTANT, Message.Role.USER);
        assertThat(request.messages().get(1).content()).containsExactly(
                new ContentPart.Reasoning("Should I?", null), new ContentPart.Text("I won't say."));
        assertThat(request.messages().get(2).content()).containsExactly(new ContentPart.Text("Please"),
                ContentPart.Image.link("https://example.com/a.png"));
        assertThat(request.messages().get(4).content()).containsExactly(
                new ContentPart.ToolResult("c1", "f", List.of(new ContentPart.Text("done")), false));
        assertThat(request.sampling().maxTokens()).isEqualTo(50);
        assertThat(request.sampling().stop()).containsExactly("###");
        assertThat(request.sampling().topK()).isEqualTo(20);
        assertThat(request.toolChoice()).isEqualTo(new ToolChoice(ToolChoice.Mode.ANY, null, null));
        assertThat(request.reasoning()).isEqualTo(new Reasoning(false, "none", null));
        assertThat(request.responseFormat()).isEqualTo(ResponseFormat.JSON_OBJECT);
        assertThat(request.user()).isEqualTo("s-1");
        assertThat(request.stream()).isFalse();
        assertThat(request.tools()).isEmpty();
    }

    @Test
    void maxCompletionTokensWinsAndTextFormatIsFreeText() {
        ChatRequest request = OpenAiChatCodec.toCanonical(json("""
                {"model": "m", "messages": [{"role": "user", "content": "x"}],
                 "max_tokens": 10, "max_completion_tokens": 20, "response_format": {"type": "text"},
                 "tool_choice": "none", "parallel_tool_calls": true}
                """));

        assertThat(request.sampling().maxTokens()).isEqualTo(20);
        assertThat(request.responseFormat()).isNull();
        assertThat(request.toolChoice()).isEqualTo(new ToolChoice(ToolChoice.Mode.NONE, null, true));
        assertThat(request.reasoning()).isNull();
        assertThat(OpenAiChatCodec.includeUsage(json("{\"stream_options\":{\"include_usage\":false}}"))).isFalse();
    }

    @Test
    void optionsATranslatedCallWouldLoseAreRefusedByName() {
        String messages = "\"messages\": [{\"role\": \"user\", \"content\": \"x\"}]";
        assertThat(refused("{\"model\": \"m\", " + messages + ", \"n\": 2}"))
                .satisfies(e -> assertThat(e.param()).isEqualTo("n"))
                .hasMessageContaining("'n' must be 1");
        assertThat(refused("{\"model\": \"m\", " + messages + ", \"logprobs\": true}"))
                .satisfies(e -> assertThat(e.param()).isEqualTo("logprobs"))
                .hasMessageContaining("only supported by OpenAI-compatible providers");
        assertThat(refused("{\"model\": \"m\", " + messages + ", \"top_logprobs\": 3}").param())
                .isEqualTo("top_logprobs");
        assertThat(refused("{\"model\": \"m\", " + messages + ", \"audio\": {\"voice\": \"alloy\"}}").param())
                .isEqualTo("audio");
        assertThat(refused("{\"model\": \"m\", " + messages + ", \"modalities\": [\"text\", \"audio\"]}").param())
                .isEqualTo("modalities");
        assertThat(refused("{\"model\": \"m\", " + messages + ", \"logit_bias\": {\"50256\": -100}}").param())
                .isEqualTo("logit_bias");
        assertThat(refused("{\"model\": \"m\", " + messages + ", \"functions\": [{\"name\": \"f\"}]}"))
                .satisfies(e -> assertThat(e.param()).isEqualTo("functions"))
                .hasMessageContaining("'tools'");
        assertThat(refused("{\"model\": \"m\", \"messages\": [{\"role\": \"function\", \"name\": \"f\","
                + " \"content\": \"x\"}]}").param()).isEqualTo("messages[0].role");
        assertThat(refused("{\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": [{\"type\":"
                + " \"input_audio\", \"input_audio\": {\"data\": \"AA==\", \"format\": \"wav\"}}]}]}").param())
                .isEqualTo("messages[0].content[0].type");
        assertThat(refused("{\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": [{\"type\":"
                + " \"file\", \"file\": {\"file_id\": \"file-abc\"}}]}]}"))
                .satisfies(e -> assertThat(e.param()).isEqualTo("messages[0].content[0].file.file_id"))
                .hasMessageContaining("file_data");
        assertThat(refused("{\"model\": \"m\", " + messages + ", \"tools\": [{\"type\": \"custom\","
                + " \"custom\": {\"name\": \"g\"}}]}").param()).isEqualTo("tools[0].type");
    }

    @Test
    void typeErrorsNameTheFieldPath() {
        assertThat(refused("{\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": \"a\"},"
                + " {\"role\": \"assistant\", \"content\": \"b\"}, {\"role\": \"user\", \"content\": 5}]}"))
                .satisfies(e -> assertThat(e.param()).isEqualTo("messages[2].content"))
                .satisfies(e -> assertThat(e.status()).isEqualTo(400));
        assertThat(refused("{\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": [{\"type\":"
                + " \"image_url\", \"image_url\": {\"detail\": \"low\"}}]}]}").param())
                .isEqualTo("messages[0].content[0].image_url.url");
        assertThat(refused("{\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": [{\"type\":"
                + " \"image_url\", \"image_url\": {\"url\": \"data:image/png,abc\"}}]}]}").param())
                .isEqualTo("messages[0].content[0].image_url.url");
        assertThat(refused("{\"model\": \"m\", \"messages\": [{\"role\": \"assistant\", \"tool_calls\":"
                + " [{\"id\": \"c\", \"type\": \"function\", \"function\": {\"arguments\": \"{}\"}}]}]}").param())
                .isEqualTo("messages[0].tool_calls[0].function.name");
        assertThat(refused("{\"model\": \"m\", \"messages\": [{\"role\": \"tool\", \"content\": \"x\"}]}").param())
                .isEqualTo("messages[0].tool_call_id");
        assertThat(refused("{\"model\": \"m\", \"messages\": [{\"role\": \"wizard\", \"content\": \"x\"}]}").param())
                .isEqualTo("messages[0].role");
        String messages = "\"messages\": [{\"role\": \"user\", \"content\": \"x\"}]";
        assertThat(refused("{\"model\": \"m\", " + messages + ", \"temperature\": \"hot\"}").param())
                .isEqualTo("temperature");
        assertThat(refused("{\"model\": \"m\", " + messages + ", \"stop\": [\"a\", 1]}").param())
                .isEqualTo("stop[1]");
        assertThat(refused("{\"model\": \"m\", " + messages + ", \"max_tokens\": 0}").param())
                .isEqualTo("max_tokens");
        assertThat(refused("{\"model\": \"m\", " + messages + ", \"tool_choice\": \"sometimes\"}").param())
                .isEqualTo("tool_choice");
        assertThat(refused("{\"model\": \"m\", " + messages + ", \"response_format\": {\"type\":"
                + " \"json_schema\", \"json_schema\": {\"schema\": {}}}}").param())
                .isEqualTo("response_format.json_schema.name");
        assertThat(refused("{\"model\": \"m\", " + messages + ", \"tools\": [{\"type\": \"function\","
                + " \"function\": {\"name\": \"f\", \"parameters\": \"none\"}}]}").param())
                .isEqualTo("tools[0].function.parameters");
        assertThat(refused("{\"model\": \"m\", \"messages\": []}").param()).isEqualTo("messages");
        assertThat(refused("{\"messages\": [{\"role\": \"user\", \"content\": \"x\"}]}").param()).isEqualTo("model");
    }

    @Test
    void bareBase64FileDataFollowsTheFileName() {
        ChatRequest request = OpenAiChatCodec.toCanonical(json("""
                {"model": "m", "messages": [{"role": "user", "content": [
                  {"type": "file", "file": {"filename": "notes.txt", "file_data": "aGk="}},
                  {"type": "file", "file": {"filename": "paper.pdf", "file_data": "JVBE"}}]}]}
                """));

        assertThat(request.messages().getFirst().content()).containsExactly(
                new ContentPart.Document("text/plain", "aGk=", null, "notes.txt", null),
                new ContentPart.Document("application/pdf", "JVBE", null, "paper.pdf", null));
    }

    @Test
    void aRefusedRequestIsAnInvalidRequestError() {
        assertThatThrownBy(() -> OpenAiChatCodec.toCanonical(json("{\"model\": 3}")))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.type()).isEqualTo("invalid_request_error");
                    assertThat(e.param()).isEqualTo("model");
                });
    }
}
