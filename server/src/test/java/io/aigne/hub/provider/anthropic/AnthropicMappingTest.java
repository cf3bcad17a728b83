package io.aigne.hub.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.gateway.canonical.ChatRequest;
import io.aigne.hub.gateway.canonical.ChatResponse;
import io.aigne.hub.gateway.canonical.ContentPart;
import io.aigne.hub.gateway.canonical.FinishReason;
import io.aigne.hub.gateway.canonical.Message;
import io.aigne.hub.gateway.canonical.ResponseFormat;
import io.aigne.hub.gateway.canonical.Sampling;
import io.aigne.hub.gateway.canonical.Tool;
import io.aigne.hub.gateway.upstream.UpstreamClient;
import io.aigne.hub.gateway.upstream.UpstreamResponse;
import io.aigne.hub.provider.CredentialSecret;
import io.aigne.hub.provider.MediaFetcher;
import io.aigne.hub.provider.Provider;
import io.aigne.hub.provider.ProviderHttp;
import io.aigne.hub.provider.ProviderType;
import io.aigne.hub.server.ApiException;
import io.aigne.hub.server.Json;
import io.aigne.hub.usage.Usage;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Request and answer mapping details that need no server. */
class AnthropicMappingTest {
    private final AnthropicRequestMapper mapper = new AnthropicRequestMapper(
            new MediaFetcher(request -> { throw new AssertionError("no fetch expected"); }, Duration.ofSeconds(1), 1024, false));

    private static ChatRequest userTurn(List<ContentPart> parts) {
        return new ChatRequest("m", List.of(), List.of(new Message(Message.Role.USER, parts)), List.of(), null, null,
                Sampling.DEFAULT, null, false, null);
    }

    private JsonNode firstContent(ChatRequest request) {
        return mapper.body(request, "claude-x", false, StructuredOutput.of(request)).path("messages").get(0).path("content");
    }

    @Test
    void documentsPdfInlineByUrlAndPlainText() {
        String pdf = Base64.getEncoder().encodeToString("%PDF-1.4".getBytes(StandardCharsets.US_ASCII));
        String text = Base64.getEncoder().encodeToString("plain words".getBytes(StandardCharsets.UTF_8));
        JsonNode content = firstContent(userTurn(List.of(
                new ContentPart.Document("application/pdf", pdf, null, "Report", Json.object().put("type", "ephemeral")),
                new ContentPart.Document(null, null, "https://example.com/a.pdf", null, null),
                new ContentPart.Document("text/plain", text, null, null, null),
                new ContentPart.Document(null, null, "data:text/plain;base64," + text, null, null))));

        assertThat(content.get(0).path("source")).isEqualTo(Json.object().put("type", "base64")
                .put("media_type", "application/pdf").put("data", pdf));
        assertThat(content.get(0).path("title").asText()).isEqualTo("Report");
        assertThat(content.get(0).path("cache_control").path("type").asText()).isEqualTo("ephemeral");
        assertThat(content.get(1).path("source")).isEqualTo(Json.object().put("type", "url").put("url", "https://example.com/a.pdf"));
        assertThat(content.get(2).path("source")).isEqualTo(Json.object().put("type", "text")
                .put("media_type", "text/plain").put("data", "plain words"));
        assertThat(content.get(3).path("source").path("data").asText()).isEqualTo("plain words");
    }

    @Test
    void documentsOfOtherTypesAreRefused() {
        String docx = Base64.getEncoder().encodeToString(new byte[] {1, 2, 3});
        assertThatThrownBy(() -> firstContent(userTurn(List.of(new ContentPart.Document(
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document", docx, null, null, null)))))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("PDF and plain-text");
                });
    }

    @Test
    void toolResultsWithImagesKeepTheirBlocks() {
        JsonNode content = firstContent(userTurn(List.of(new ContentPart.ToolResult("toolu_1", "shot", List.of(
                new ContentPart.Text("the screen:"), ContentPart.Image.inline("image/png", "AAAA")), false),
                new ContentPart.ToolResult("toolu_2", null, List.of(), false))));

        assertThat(content.get(0).path("content")).extracting(b -> b.path("type").asText()).containsExactly("text", "image");
        assertThat(content.get(1).has("content")).isFalse();
    }

    @Test
    void toolsWithoutASchemaTypeGetAnObjectSchema() {
        ChatRequest request = new ChatRequest("m", List.of(), List.of(Message.user("x")), List.of(
                new Tool("a", null, null),
                new Tool("b", null, Json.object()),
                new Tool("c", null, Json.object().set("properties", Json.object()), Json.object().put("type", "ephemeral"))),
                null, null, Sampling.DEFAULT, null, false, null);

        JsonNode tools = mapper.body(request, "claude-x", false, null).path("tools");

        assertThat(tools.get(0).path("input_schema")).isEqualTo(Json.object().put("type", "object"));
        assertThat(tools.get(1).path("input_schema")).isEqualTo(Json.object().put("type", "object"));
        assertThat(tools.get(2).path("input_schema").path("type").asText()).isEqualTo("object");
        assertThat(tools.get(2).path("input_schema").has("properties")).isTrue();
        assertThat(tools.get(2).path("cache_control").path("type").asText()).isEqualTo("ephemeral");
        assertThat(tools.get(0).has("description")).isFalse();
    }

    @Test
    void answerToolNameAvoidsTheCallersTools() {
        ChatRequest request = new ChatRequest("m", List.of(), List.of(Message.user("x")),
                List.of(new Tool("json_answer", null, null)), null, ResponseFormat.JSON_OBJECT, Sampling.DEFAULT, null,
                false, null);
        assertThat(StructuredOutput.of(request).toolName()).isEqualTo("json_answer_2");
    }

    @Test
    void schemaThatIsNotAnObjectIsRefused() {
        ChatRequest request = userTurn(List.of(new ContentPart.Text("x")));
        ChatRequest arrayAnswer = new ChatRequest("m", List.of(), request.messages(), List.of(), null,
                new ResponseFormat(ResponseFormat.Kind.JSON_SCHEMA, "list", Json.object().put("type", "array"), null),
                Sampling.DEFAULT, null, false, null);
        assertThatThrownBy(() -> StructuredOutput.of(arrayAnswer)).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.param()).isEqualTo("response_format"));
    }

    @Test
    void answerMapping() throws Exception {
        ChatResponse response = AnthropicResponseMapper.response(Json.MAPPER.readTree("""
                {"id":"msg_1","type":"message","role":"assistant","model":"claude-x","content":[
                  {"type":"thinking","thinking":"hm","signature":"sig"},
                  {"type":"redacted_thinking","data":"xyz"},
                  {"type":"server_tool_use","id":"srvtoolu_1","name":"web_search","input":{"query":"q"}},
                  {"type":"text","text":"Hi","citations":null},
                  {"type":"tool_use","id":"toolu_1","name":"f","input":{"a": [1, 2]}}],
                 "stop_reason":"tool_use","stop_sequence":null,
                 "usage":{"input_tokens":5,"cache_creation_input_tokens":null,"cache_read_input_tokens":7,"output_tokens":3}}
                """), null);

        assertThat(response.content()).containsExactly(new ContentPart.Reasoning("hm", "sig"),
                new ContentPart.RedactedReasoning("xyz"), new ContentPart.Text("Hi"),
                new ContentPart.ToolCall("toolu_1", "f", "{\"a\":[1,2]}"));
        assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(response.usage()).isEqualTo(Usage.tokens(12, 3, 7, 0, 0));
    }

    @Test
    void stopReasons() {
        assertThat(AnthropicResponseMapper.finishReason("end_turn", false)).isEqualTo(FinishReason.STOP);
        assertThat(AnthropicResponseMapper.finishReason("stop_sequence", false)).isEqualTo(FinishReason.STOP_SEQUENCE);
        assertThat(AnthropicResponseMapper.finishReason("max_tokens", false)).isEqualTo(FinishReason.LENGTH);
        assertThat(AnthropicResponseMapper.finishReason("tool_use", true)).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(AnthropicResponseMapper.finishReason("refusal", false)).isEqualTo(FinishReason.CONTENT_FILTER);
        assertThat(AnthropicResponseMapper.finishReason("pause_turn", false)).isEqualTo(FinishReason.STOP);
    }

    @Test
    void toolInputKeepsArgumentsThatAreNotAnObject() {
        assertThat(ToolInput.toInput("")).isEqualTo(Json.object());
        assertThat(ToolInput.toInput("{\"a\":1}")).isEqualTo(Json.object().put("a", 1));
        assertThat(ToolInput.toInput("[1]")).isEqualTo(Json.object().put(ToolInput.RAW_ARGUMENTS, "[1]"));
        assertThat(ToolInput.toInput("{\"a\":")).isEqualTo(Json.object().put(ToolInput.RAW_ARGUMENTS, "{\"a\":"));
    }

    @Test
    void modelListFollowsPages() throws Exception {
        List<String> addresses = new ArrayList<>();
        UpstreamClient pages = request -> {
            addresses.add(request.uri().toString());
            ObjectNode page = Json.object();
            boolean first = !request.uri().getQuery().contains("after_id");
            page.putArray("data").addObject().put("id", first ? "claude-a" : "claude-b");
            page.put("has_more", first).put("last_id", first ? "claude-a" : "claude-b");
            return response(Json.bytes(page));
        };
        AnthropicAdapter adapter = new AnthropicAdapter(new ProviderHttp(pages, Duration.ofSeconds(5), 1 << 20), null);
        Provider provider = new Provider("p", "claude", ProviderType.ANTHROPIC, "A", null, null, true, List.of(), "test", 0, 0);

        List<String> models = adapter.listModels(provider, CredentialSecret.apiKey("k"), Duration.ofSeconds(5));

        assertThat(models).containsExactly("claude-a", "claude-b");
        assertThat(addresses).containsExactly("https://api.anthropic.com/v1/models?limit=1000",
                "https://api.anthropic.com/v1/models?limit=1000&after_id=claude-a");
    }

    private static UpstreamResponse response(byte[] body) {
        return new UpstreamResponse() {
            @Override
            public int status() {
                return 200;
            }

            @Override
            public Optional<String> header(String name) {
                return Optional.empty();
            }

            @Override
            public InputStream body() {
                return new ByteArrayInputStream(body);
            }

            @Override
            public void close() {
            }
        };
    }
}
