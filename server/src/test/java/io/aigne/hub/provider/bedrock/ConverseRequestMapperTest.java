package io.aigne.hub.provider.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigne.hub.gateway.canonical.ChatRequest;
import io.aigne.hub.gateway.canonical.ContentPart;
import io.aigne.hub.gateway.canonical.Message;
import io.aigne.hub.gateway.canonical.Reasoning;
import io.aigne.hub.gateway.canonical.ResponseFormat;
import io.aigne.hub.gateway.canonical.Sampling;
import io.aigne.hub.gateway.canonical.Tool;
import io.aigne.hub.server.ApiException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Mapping details that need no round trip. */
class ConverseRequestMapperTest {
    private final ConverseRequestMapper mapper = new ConverseRequestMapper(null);

    private static ChatRequest request(List<Message> messages, List<Tool> tools, ResponseFormat format,
                                       Reasoning reasoning) {
        return new ChatRequest("m", List.of(), messages, tools, null, format, Sampling.DEFAULT, reasoning, false, null);
    }

    @Test
    void toolResultStatusIsOnlySentToModelsThatTakeIt() {
        List<Message> conversation = List.of(Message.user("Go"),
                new Message(Message.Role.ASSISTANT, List.of(new ContentPart.ToolCall("t1", "run", ""))),
                new Message(Message.Role.USER, List.of(new ContentPart.ToolResult("t1", "run",
                        List.of(new ContentPart.Text("boom")), true))));

        JsonNode llama = mapper.map("meta.llama3-70b-instruct-v1:0", request(conversation, List.of(), null, null)).body();
        JsonNode nova = mapper.map("us.amazon.nova-pro-v1:0", request(conversation, List.of(), null, null)).body();

        assertThat(llama.path("messages").get(1).path("content").get(0).path("toolUse").path("input").toString())
                .isEqualTo("{}");
        assertThat(llama.path("messages").get(2).path("content").get(0).path("toolResult").has("status")).isFalse();
        assertThat(nova.path("messages").get(2).path("content").get(0).path("toolResult").path("status").asText())
                .isEqualTo("error");
    }

    @Test
    void thinkingOnClaudeOffersTheJsonToolWithoutForcingIt() {
        ConverseRequestMapper.Converse converse = mapper.map("anthropic.claude-sonnet-4-20250514-v1:0",
                request(List.of(Message.user("Hi")), List.of(), ResponseFormat.JSON_OBJECT, new Reasoning(true, "low", null)));

        assertThat(converse.jsonTool()).isEqualTo("json_response");
        assertThat(converse.body().path("toolConfig").path("toolChoice").toString()).isEqualTo("{\"auto\":{}}");
        assertThat(converse.body().path("additionalModelRequestFields").path("thinking").path("budget_tokens").asInt())
                .isEqualTo(1024);
    }

    @Test
    void theJsonToolNeverTakesACallersToolName() {
        ConverseRequestMapper.Converse converse = mapper.map("m", request(List.of(Message.user("Hi")),
                List.of(new Tool("json_response", "the caller's own", null)), ResponseFormat.JSON_OBJECT, null));

        assertThat(converse.jsonTool()).isEqualTo("json_response_2");
        assertThat(converse.body().path("toolConfig").path("tools").get(1).path("toolSpec").path("name").asText())
                .isEqualTo("json_response_2");
    }

    @Test
    void malformedToolCallArgumentsAreTheCallersMistake() {
        List<Message> conversation = List.of(Message.user("Go"),
                new Message(Message.Role.ASSISTANT, List.of(new ContentPart.ToolCall("t1", "run", "{oops"))));

        assertThatThrownBy(() -> mapper.map("m", request(conversation, List.of(), null, null)))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.param()).isEqualTo("messages");
                    assertThat(e.getMessage()).contains("t1");
                });
    }

    @Test
    void documentFormatsAndNames() {
        assertThat(ConverseRequestMapper.documentFormat("text/plain; charset=utf-8")).isEqualTo("txt");
        assertThat(ConverseRequestMapper.documentFormat(
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document")).isEqualTo("docx");
        assertThat(ConverseRequestMapper.documentName("  ", 3)).isEqualTo("document-3");
        assertThat(ConverseRequestMapper.documentName("Résumé (final) [v2]", 1)).isEqualTo("R sum (final) [v2]");
        assertThatThrownBy(() -> ConverseRequestMapper.documentFormat("application/zip"))
                .isInstanceOf(ApiException.class).hasMessageContaining("application/zip");
    }
}
