package io.aigne.hub.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.FunctionDefinition;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.images.ImageGenerateParams;
import com.openai.models.images.ImagesResponse;
import com.openai.models.models.Model;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Proves the fake is faithful by pointing the official openai-java SDK straight at it (with strict
 * response validation, so a missing required field fails the test), and pins down what a plain
 * {@link HttpClient} observes for the connection-killing behaviours.
 */
class FakeOpenAiProviderTest {

    private static final String MODEL = "gpt-4o-mini";

    private static FakeOpenAiProvider fake;
    private static HttpClient http;

    @BeforeAll
    static void startFake() {
        fake = FakeOpenAiProvider.start();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterAll
    static void stopFake() {
        fake.close();
        http.close();
    }

    @BeforeEach
    void forgetRequests() {
        fake.clearRequests();
    }

    private static OpenAIClient sdk(String apiKey) {
        return OpenAIOkHttpClient.builder()
                .baseUrl(fake.baseUrl())
                .apiKey(apiKey)
                .maxRetries(0)
                .responseValidation(true)
                .timeout(Duration.ofSeconds(10))
                .build();
    }

    private static ChatCompletionCreateParams.Builder chat() {
        return ChatCompletionCreateParams.builder().model(MODEL).addUserMessage("Say hello");
    }

    private static FunctionDefinition function(String name) {
        return FunctionDefinition.builder().name(name).build();
    }

    @Test
    void chatCompletion() {
        ChatCompletion completion = sdk("sk-ok-alpha").chat().completions().create(chat().build());

        assertThat(completion.id()).startsWith("chatcmpl-fake-");
        assertThat(completion.model()).isEqualTo("gpt-4o-mini-2024-07-18");
        ChatCompletion.Choice choice = completion.choices().getFirst();
        assertThat(choice.message().content()).contains("Hello from fake gpt-4o-mini");
        assertThat(choice.message().refusal()).isEmpty();
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        var usage = completion.usage().orElseThrow();
        assertThat(usage.promptTokens()).isEqualTo(11);
        assertThat(usage.completionTokens()).isEqualTo(7);
        assertThat(usage.totalTokens()).isEqualTo(18);
        assertThat(usage.promptTokensDetails().orElseThrow().cachedTokens()).contains(3L);
        assertThat(usage.completionTokensDetails().orElseThrow().reasoningTokens()).contains(2L);

        FakeOpenAiProvider.RecordedRequest request = fake.lastRequest();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/v1/chat/completions");
        assertThat(request.bearer()).isEqualTo("sk-ok-alpha");
        assertThat(request.headers()).containsEntry("content-type", "application/json");
        assertThat(request.json().path("model").asText()).isEqualTo(MODEL);
        assertThat(fake.requests()).hasSize(1);
    }

    @Test
    void streamedChatWithUsage() {
        ChatCompletionCreateParams params = chat()
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
                .build();
        List<ChatCompletionChunk> chunks;
        try (StreamResponse<ChatCompletionChunk> stream = sdk("sk-ok").chat().completions().createStreaming(params)) {
            chunks = stream.stream().toList();
        }

        assertThat(chunks.getFirst().choices().getFirst().delta().role())
                .contains(ChatCompletionChunk.Choice.Delta.Role.ASSISTANT);
        List<String> contents = chunks.stream()
                .flatMap(chunk -> chunk.choices().stream())
                .flatMap(choice -> choice.delta().content().stream())
                .filter(content -> !content.isEmpty())
                .toList();
        assertThat(contents).containsExactly("Hello", " from", " fake", " gpt-4o-mini");
        ChatCompletionChunk finish = chunks.get(chunks.size() - 2);
        assertThat(finish.choices().getFirst().finishReason())
                .contains(ChatCompletionChunk.Choice.FinishReason.STOP);
        ChatCompletionChunk usageChunk = chunks.getLast();
        assertThat(usageChunk.choices()).isEmpty();
        assertThat(usageChunk.usage().orElseThrow().totalTokens()).isEqualTo(18);
        assertThat(chunks.subList(0, chunks.size() - 1)).allSatisfy(chunk -> assertThat(chunk.usage()).isEmpty());
        assertThat(chunks).extracting(ChatCompletionChunk::id).containsOnly(chunks.getFirst().id());
        assertThat(fake.lastRequest().json().path("stream").asBoolean()).isTrue();
    }

    @Test
    void streamWireFormat() throws Exception {
        HttpResponse<String> withUsage = post("sk-ok", "/chat/completions",
                "{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"messages\":[]}");
        assertThat(withUsage.statusCode()).isEqualTo(200);
        assertThat(withUsage.headers().firstValue("content-type")).contains("text/event-stream; charset=utf-8");
        assertThat(withUsage.headers().firstValue("x-request-id")).hasValueSatisfying(id -> assertThat(id).startsWith("req_fake_"));
        List<String> events = List.of(withUsage.body().split("\n\n"));
        assertThat(events).allSatisfy(event -> assertThat(event).startsWith("data: "));
        assertThat(events.getLast()).isEqualTo("data: [DONE]");
        // role + 4 words + finish + usage chunk, and every chunk but the usage one says "usage":null
        assertThat(events).hasSize(8);
        assertThat(events.subList(0, 6)).allSatisfy(event -> assertThat(event).contains("\"usage\":null"));
        assertThat(events.get(6)).contains("\"choices\":[]", "\"prompt_tokens\":11");

        HttpResponse<String> withoutUsage = post("sk-ok", "/chat/completions",
                "{\"model\":\"m\",\"stream\":true,\"messages\":[]}");
        assertThat(withoutUsage.body()).doesNotContain("usage").endsWith("data: [DONE]\n\n");
    }

    @Test
    void parallelToolCalls() {
        ChatCompletion completion = sdk("sk-ok").chat().completions().create(chat()
                .addFunctionTool(function("get_weather"))
                .addFunctionTool(function("search"))
                .build());

        ChatCompletion.Choice choice = completion.choices().getFirst();
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        assertThat(choice.message().content()).isEmpty();
        List<ChatCompletionMessageFunctionToolCall> calls = choice.message().toolCalls().orElseThrow().stream()
                .map(ChatCompletionMessageToolCall::asFunction)
                .toList();
        assertThat(calls).extracting(ChatCompletionMessageFunctionToolCall::id).containsExactly("call_fake_1", "call_fake_2");
        assertThat(calls).extracting(call -> call.function().name()).containsExactly("get_weather", "search");
        assertThat(calls).extracting(call -> call.function().arguments()).containsExactly("{\"city\":\"Paris\"}", "{\"q\":\"x\"}");

        ChatCompletion single = sdk("sk-ok").chat().completions().create(chat()
                .addFunctionTool(function("get_weather"))
                .addFunctionTool(function("search"))
                .parallelToolCalls(false)
                .build());
        assertThat(single.choices().getFirst().message().toolCalls().orElseThrow()).hasSize(1);
    }

    @Test
    void streamedToolCall() {
        ChatCompletionCreateParams params = chat().addFunctionTool(function("get_weather")).build();
        Map<Long, StringBuilder> arguments = new TreeMap<>();
        List<String> names = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        List<ChatCompletionChunk.Choice.FinishReason> finishReasons = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = sdk("sk-ok").chat().completions().createStreaming(params)) {
            stream.stream().flatMap(chunk -> chunk.choices().stream()).forEach(choice -> {
                choice.finishReason().ifPresent(finishReasons::add);
                for (ChatCompletionChunk.Choice.Delta.ToolCall call : choice.delta().toolCalls().orElse(List.of())) {
                    call.id().ifPresent(ids::add);
                    call.function().flatMap(ChatCompletionChunk.Choice.Delta.ToolCall.Function::name).ifPresent(names::add);
                    call.function().flatMap(ChatCompletionChunk.Choice.Delta.ToolCall.Function::arguments)
                            .ifPresent(part -> arguments.computeIfAbsent(call.index(), i -> new StringBuilder()).append(part));
                }
            });
        }

        assertThat(ids).containsExactly("call_fake_1");
        assertThat(names).containsExactly("get_weather");
        assertThat(arguments.get(0L)).hasToString("{\"city\":\"Paris\"}");
        assertThat(finishReasons).containsExactly(ChatCompletionChunk.Choice.FinishReason.TOOL_CALLS);
    }

    @Test
    void embeddingsInBothEncodings() {
        // openai-java asks for base64 unless told otherwise and decodes the little-endian float32 itself.
        CreateEmbeddingResponse viaBase64 = sdk("sk-ok").embeddings().create(EmbeddingCreateParams.builder()
                .model("text-embedding-3-small")
                .inputOfArrayOfStrings(List.of("one", "two"))
                .build());
        assertThat(fake.lastRequest().json().path("encoding_format").asText()).isEqualTo("base64");

        CreateEmbeddingResponse viaFloats = sdk("sk-ok").embeddings().create(EmbeddingCreateParams.builder()
                .model("text-embedding-3-small")
                .input("one")
                .encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT)
                .build());

        assertThat(viaBase64.data()).hasSize(2);
        assertThat(viaBase64.data().get(1).index()).isEqualTo(1);
        assertThat(viaBase64.data().get(0).embedding()).containsExactlyElementsOf(floats(FakeOpenAiProvider.embeddingFor(0)));
        assertThat(viaBase64.data().get(1).embedding()).containsExactlyElementsOf(floats(FakeOpenAiProvider.embeddingFor(1)));
        assertThat(viaBase64.usage().promptTokens()).isEqualTo(10);
        assertThat(viaBase64.model()).isEqualTo("text-embedding-3-small");
        assertThat(viaFloats.data().getFirst().embeddingValue().isFloats()).isTrue();
        assertThat(viaFloats.data().getFirst().embedding()).containsExactlyElementsOf(floats(FakeOpenAiProvider.embeddingFor(0)));
        assertThat(viaFloats.usage().totalTokens()).isEqualTo(5);
    }

    @Test
    void images() {
        ImagesResponse urls = sdk("sk-ok").images().generate(ImageGenerateParams.builder()
                .model("dall-e-2").prompt("a cat").n(2).build());
        assertThat(urls.data().orElseThrow()).extracting(image -> image.url().orElseThrow())
                .containsExactly("https://fake.example/img/0.png", "https://fake.example/img/1.png");
        assertThat(urls.usage()).isEmpty();

        ImagesResponse gptImage = sdk("sk-ok").images().generate(ImageGenerateParams.builder()
                .model("gpt-image-1").prompt("a cat").build());
        byte[] png = Base64.getDecoder().decode(gptImage.data().orElseThrow().getFirst().b64Json().orElseThrow());
        assertThat(png).startsWith(0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n');
        var usage = gptImage.usage().orElseThrow();
        assertThat(usage.inputTokens()).isEqualTo(10);
        assertThat(usage.outputTokens()).isEqualTo(272);
        assertThat(usage.totalTokens()).isEqualTo(282);
        assertThat(usage.inputTokensDetails().textTokens()).isEqualTo(10);
    }

    @Test
    void modelsList() {
        List<String> ids = sdk("sk-ok").models().list().data().stream().map(Model::id).toList();
        assertThat(ids).containsExactly("gpt-4o-mini", "gpt-4o", "text-embedding-3-small", "gpt-image-1");
        assertThat(sdk("sk-ok").models().retrieve("gpt-4o").ownedBy()).isEqualTo("system");

        assertThatThrownBy(() -> sdk("sk-401").models().list())
                .isInstanceOfSatisfying(UnauthorizedException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(401);
                    assertThat(e.code()).contains("invalid_api_key");
                    // deliberately echoed, like the real API: the gateway has to scrub it
                    assertThat(e.getMessage()).contains("sk-401");
                });
        assertThatThrownBy(() -> sdk("sk-403").models().list()).isInstanceOf(PermissionDeniedException.class);
    }

    @Test
    void errorsMapToSdkExceptions() {
        assertThatThrownBy(() -> sdk("sk-429").chat().completions().create(chat().build()))
                .isInstanceOfSatisfying(RateLimitException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(429);
                    assertThat(e.headers().values("retry-after")).containsExactly("7");
                    assertThat(e.code()).contains("rate_limit_exceeded");
                });
        assertThat(fake.requests()).hasSize(1);  // maxRetries(0): no hidden retry

        assertThatThrownBy(() -> sdk("sk-500").chat().completions().create(chat().build()))
                .isInstanceOfSatisfying(OpenAIServiceException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(500);
                    assertThat(e.type()).contains("server_error");
                });
        assertThatThrownBy(() -> sdk("sk-503").embeddings().create(EmbeddingCreateParams.builder()
                .model("text-embedding-3-small").input("x").build()))
                .isInstanceOfSatisfying(OpenAIServiceException.class, e -> assertThat(e.statusCode()).isEqualTo(503));
        assertThatThrownBy(() -> sdk("sk-ok").chat().completions().create(chat().model("missing-model").build()))
                .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.code()).contains("model_not_found"));
    }

    @Test
    void malformedRequests() throws Exception {
        HttpResponse<String> notJson = post("sk-ok", "/chat/completions", "this is not json");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(notJson.body()).contains("\"type\":\"invalid_request_error\"", "\"param\":null", "\"code\":null");

        HttpResponse<String> unknown = post("sk-ok", "/nope", "{}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("Invalid URL (POST /v1/nope)");
    }

    @Test
    void slowStreamPacesTheFirstToken() throws Exception {
        HttpRequest request = request("sk-slow", "/chat/completions", "{\"model\":\"m\",\"stream\":true,\"messages\":[]}");
        long start = System.nanoTime();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        long headersAfter = millisSince(start);
        String body;
        try (InputStream in = response.body()) {
            body = new String(in.readAllBytes(), UTF_8);
        }
        long doneAfter = millisSince(start);

        assertThat(headersAfter).as("headers and role chunk come before the first token").isLessThan(300);
        assertThat(doneAfter).as("300 ms to the first token, then 9 gaps of 50 ms").isGreaterThanOrEqualTo(300 + 9 * 50);
        assertThat(body.split("\n\n")).hasSize(1 + 10 + 1 + 1);  // role, 10 content chunks, finish, [DONE]
    }

    // What a java.net.http.HttpClient sees when the fake kills the connection (an orderly close, not an RST).

    @Test
    void resetClosesTheConnectionWithoutAResponse() {
        assertThatThrownBy(() -> http.send(request("sk-reset", "/chat/completions", "{\"model\":\"m\",\"messages\":[]}"),
                                           HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
        assertThat(fake.lastRequest().bearer()).isEqualTo("sk-reset");
    }

    @Test
    void dropCutsTheStreamAfterFourChunks() throws Exception {
        HttpResponse<InputStream> response = http.send(
                request("sk-drop", "/chat/completions", "{\"model\":\"m\",\"stream\":true,\"messages\":[]}"),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);

        StringBuilder received = new StringBuilder();
        byte[] buffer = new byte[1024];
        try (InputStream in = response.body()) {
            assertThatThrownBy(() -> {
                for (int n; (n = in.read(buffer)) != -1; ) {
                    received.append(new String(buffer, 0, n, UTF_8));
                }
            }).isInstanceOf(IOException.class);
        }
        assertThat(received.toString().split("\n\n")).hasSize(4);
        assertThat(received.toString()).contains("\" fake\"").doesNotContain("[DONE]", "finish_reason\":\"stop");
    }

    @Test
    void headersThenDieFailsWhileReadingTheBody() throws Exception {
        HttpResponse<InputStream> response = http.send(
                request("sk-headers-then-die", "/chat/completions", "{\"model\":\"m\",\"stream\":true,\"messages\":[]}"),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).contains("text/event-stream; charset=utf-8");
        try (InputStream in = response.body()) {
            assertThatThrownBy(in::readAllBytes).isInstanceOf(IOException.class);
        }
    }

    private static HttpRequest request(String apiKey, String path, String body) {
        return HttpRequest.newBuilder(URI.create(fake.baseUrl() + path))
                .header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private static HttpResponse<String> post(String apiKey, String path, String body) throws Exception {
        return http.send(request(apiKey, path, body), HttpResponse.BodyHandlers.ofString());
    }

    private static List<Float> floats(float[] values) {
        List<Float> list = new ArrayList<>(values.length);
        for (float value : values) {
            list.add(value);
        }
        return list;
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
