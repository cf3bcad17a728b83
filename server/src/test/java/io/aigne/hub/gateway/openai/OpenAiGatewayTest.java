package io.aigne.hub.gateway.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.ResponseFormatJsonObject;
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
import io.aigne.hub.testing.FakeOpenAiProvider;
import io.aigne.hub.testing.TestHub;
import io.aigne.hub.usage.CallRecord;
import io.aigne.hub.usage.CallStatus;
import io.aigne.hub.usage.CallType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The official OpenAI Java SDK as a client of the hub, the fake OpenAI provider behind it: what the SDK user sees
 * (content, usage, tool calls, embeddings, images, models), what reached the provider, and what the ledger kept.
 */
class OpenAiGatewayTest {
    private static final String MODEL = "openai/gpt-4o-mini";
    private static FakeOpenAiProvider fake;
    private static TestHub hub;
    private static OpenAIClient sdk;

    @BeforeAll
    static void start() {
        fake = FakeOpenAiProvider.start();
        hub = TestHub.builder()
                .openAiProvider("openai", null, fake.baseUrl(), List.of(), "sk-ok-main-credential")
                .start();
        sdk = OpenAIOkHttpClient.builder().baseUrl(hub.baseUrl() + "/v1").apiKey(hub.ownerKey()).maxRetries(0).build();
    }

    @AfterAll
    static void stop() {
        sdk.close();
        hub.close();
        fake.close();
    }

    @BeforeEach
    void clear() {
        fake.clearRequests();
    }

    private static ChatCompletionCreateParams.Builder chat(String model) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage("Hello");
    }

    @Test
    void chatCompletionReachesTheProviderAndIsRecorded() {
        ChatCompletion completion = sdk.chat().completions().create(chat(MODEL).build());

        assertThat(completion.choices().getFirst().message().content()).contains("Hello from fake gpt-4o-mini");
        assertThat(completion.model()).isEqualTo("gpt-4o-mini-2024-07-18");
        var usage = completion.usage().orElseThrow();
        assertThat(usage.promptTokens()).isEqualTo(11);
        assertThat(usage.completionTokens()).isEqualTo(7);

        FakeOpenAiProvider.RecordedRequest upstream = fake.lastRequest();
        assertThat(upstream.json().path("model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(upstream.bearer()).isEqualTo("sk-ok-main-credential");

        CallRecord call = hub.lastCall();
        assertThat(call.status()).isEqualTo(CallStatus.SUCCESS);
        assertThat(call.type()).isEqualTo(CallType.CHAT);
        assertThat(call.provider()).isEqualTo("openai");
        assertThat(call.modelRequested()).isEqualTo(MODEL);
        assertThat(call.modelAnswered()).isEqualTo("gpt-4o-mini-2024-07-18");
        assertThat(call.usage().inputTokens()).isEqualTo(11);
        assertThat(call.usage().outputTokens()).isEqualTo(7);
        assertThat(call.usage().cachedTokens()).isEqualTo(3);
        assertThat(call.usage().reasoningTokens()).isEqualTo(2);
        assertThat(call.usage().totalTokens()).isEqualTo(18);
        assertThat(call.httpStatus()).isEqualTo(200);
        assertThat(call.upstreamRequestId()).startsWith("req_fake_");
        assertThat(call.credentialId()).isNotNull();
        assertThat(call.userId()).isEqualTo(hub.hub().users().byName("owner").orElseThrow().id());
        assertThat(call.streamed()).isFalse();
        assertThat(call.ttfbMs()).isNotNull();
    }

    @Test
    void streamedChatGetsTheProviderStreamAndTheLedgerGetsUsageTheCallerDidNotAskFor() {
        List<ChatCompletionChunk> chunks;
        try (StreamResponse<ChatCompletionChunk> stream = sdk.chat().completions().createStreaming(chat(MODEL).build())) {
            chunks = stream.stream().toList();
        }
        String text = chunks.stream().flatMap(c -> c.choices().stream())
                .flatMap(c -> c.delta().content().stream()).reduce("", String::concat);
        assertThat(text).isEqualTo("Hello from fake gpt-4o-mini");
        assertThat(chunks).allSatisfy(c -> assertThat(c.usage()).isEmpty());
        assertThat(chunks).allSatisfy(c -> assertThat(c.choices()).isNotEmpty());

        JsonNode upstream = fake.lastRequest().json();
        assertThat(upstream.path("stream").asBoolean()).isTrue();
        assertThat(upstream.path("stream_options").path("include_usage").asBoolean()).isTrue();

        CallRecord call = hub.lastCall();
        assertThat(call.streamed()).isTrue();
        assertThat(call.status()).isEqualTo(CallStatus.SUCCESS);
        assertThat(call.usage().inputTokens()).isEqualTo(11);
        assertThat(call.usage().outputTokens()).isEqualTo(7);
        assertThat(call.modelAnswered()).isEqualTo("gpt-4o-mini-2024-07-18");
    }

    @Test
    void streamedChatWithIncludeUsageKeepsTheUsageChunk() {
        ChatCompletionCreateParams params = chat(MODEL)
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
        List<ChatCompletionChunk> chunks;
        try (StreamResponse<ChatCompletionChunk> stream = sdk.chat().completions().createStreaming(params)) {
            chunks = stream.stream().toList();
        }
        ChatCompletionChunk last = chunks.getLast();
        assertThat(last.choices()).isEmpty();
        assertThat(last.usage().orElseThrow().totalTokens()).isEqualTo(18);
        assertThat(hub.lastCall().usage().totalTokens()).isEqualTo(18);
    }

    @Test
    void streamBytesAreThoseOfTheProviderWhenTheCallerAskedForUsage() {
        String body = "{\"model\":\"openai/gpt-4o-mini\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        HttpResponse<String> viaHub = hub.post("/v1/chat/completions", hub.ownerKey(), body);
        assertThat(viaHub.statusCode()).isEqualTo(200);
        assertThat(viaHub.headers().firstValue("content-type").orElseThrow()).startsWith("text/event-stream");
        assertThat(viaHub.body()).endsWith("data: [DONE]\n\n");
        assertThat(viaHub.body()).contains("\"usage\":null").contains("\"choices\":[]");
    }

    @Test
    void toolCallsPassThroughWithTheirIds() {
        ChatCompletion completion = sdk.chat().completions().create(chat(MODEL)
                .addFunctionTool(weather("get_weather"))
                .addFunctionTool(weather("search"))
                .build());
        List<ChatCompletionMessageFunctionToolCall> calls = completion.choices().getFirst().message().toolCalls()
                .orElseThrow().stream().map(ChatCompletionMessageToolCall::asFunction).toList();
        assertThat(calls).extracting(ChatCompletionMessageFunctionToolCall::id).containsExactly("call_fake_1", "call_fake_2");
        assertThat(calls.getFirst().function().name()).isEqualTo("get_weather");
        assertThat(calls.getFirst().function().arguments()).isEqualTo("{\"city\":\"Paris\"}");
        assertThat(completion.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    }

    @Test
    void streamedToolCallArgumentsReassemble() {
        Map<Long, StringBuilder> arguments = new TreeMap<>();
        List<String> ids = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = sdk.chat().completions()
                .createStreaming(chat(MODEL).addFunctionTool(weather("get_weather")).build())) {
            stream.stream().flatMap(c -> c.choices().stream())
                    .flatMap(c -> c.delta().toolCalls().orElse(List.of()).stream())
                    .forEach(call -> {
                        call.id().ifPresent(ids::add);
                        call.function().flatMap(ChatCompletionChunk.Choice.Delta.ToolCall.Function::arguments)
                                .ifPresent(a -> arguments.computeIfAbsent(call.index(), i -> new StringBuilder()).append(a));
                    });
        }
        assertThat(ids).containsExactly("call_fake_1");
        assertThat(arguments.get(0L)).hasToString("{\"city\":\"Paris\"}");
    }

    @Test
    void everythingTheHubDoesNotNeedReachesTheProviderUnchanged() {
        sdk.chat().completions().create(chat(MODEL)
                .addFunctionTool(weather("get_weather"))
                .toolChoice(com.openai.models.chat.completions.ChatCompletionToolChoiceOption.Auto.REQUIRED)
                .responseFormat(ResponseFormatJsonObject.builder().build())
                .seed(42L)
                .user("end-user-7")
                .n(1L)
                .logprobs(true)
                .metadata(com.openai.models.chat.completions.ChatCompletionCreateParams.Metadata.builder()
                        .putAdditionalProperty("trace", JsonValue.from("abc")).build())
                .putAdditionalBodyProperty("vendor_extension", JsonValue.from(Map.of("x", 1)))
                .build());
        JsonNode upstream = fake.lastRequest().json();
        assertThat(upstream.path("tools").get(0).path("function").path("name").asText()).isEqualTo("get_weather");
        assertThat(upstream.path("tool_choice").asText()).isEqualTo("required");
        assertThat(upstream.path("response_format").path("type").asText()).isEqualTo("json_object");
        assertThat(upstream.path("seed").asLong()).isEqualTo(42);
        assertThat(upstream.path("user").asText()).isEqualTo("end-user-7");
        assertThat(upstream.path("logprobs").asBoolean()).isTrue();
        assertThat(upstream.path("metadata").path("trace").asText()).isEqualTo("abc");
        assertThat(upstream.path("vendor_extension").path("x").asInt()).isEqualTo(1);
    }

    @Test
    void visionContentPartsPassThrough() {
        String body = "{\"model\":\"openai/gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":["
                + "{\"type\":\"text\",\"text\":\"what is this?\"},"
                + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,iVBORw0KGgo=\",\"detail\":\"low\"}}]}]}";
        assertThat(hub.post("/v1/chat/completions", hub.ownerKey(), body).statusCode()).isEqualTo(200);
        JsonNode part = fake.lastRequest().json().path("messages").get(0).path("content").get(1);
        assertThat(part.path("image_url").path("url").asText()).isEqualTo("data:image/png;base64,iVBORw0KGgo=");
        assertThat(part.path("image_url").path("detail").asText()).isEqualTo("low");
    }

    @Test
    void embeddingsAreRelayedAndRecorded() {
        CreateEmbeddingResponse response = sdk.embeddings().create(EmbeddingCreateParams.builder()
                .model("openai/text-embedding-3-small").inputOfArrayOfStrings(List.of("one", "two")).build());
        assertThat(response.data()).hasSize(2);
        assertThat(response.data().get(1).embedding()).hasSize(8);
        assertThat(response.usage().promptTokens()).isEqualTo(10);
        assertThat(fake.lastRequest().json().path("model").asText()).isEqualTo("text-embedding-3-small");

        CallRecord call = hub.lastCall();
        assertThat(call.type()).isEqualTo(CallType.EMBEDDING);
        assertThat(call.usage().inputTokens()).isEqualTo(10);
        assertThat(call.endpoint()).isEqualTo("/v1/embeddings");
    }

    @Test
    void imagesAreRelayedAndCounted() {
        ImagesResponse response = sdk.images().generate(ImageGenerateParams.builder()
                .model("openai/gpt-image-1").prompt("a cat").n(2).build());
        List<String> b64 = response.data().orElseThrow().stream().map(i -> i.b64Json().orElseThrow()).toList();
        assertThat(b64).hasSize(2);
        assertThat(Base64.getDecoder().decode(b64.getFirst())).startsWith(0x89, 'P', 'N', 'G');

        CallRecord call = hub.lastCall();
        assertThat(call.type()).isEqualTo(CallType.IMAGE);
        assertThat(call.usage().imageCount()).isEqualTo(2);
        assertThat(call.usage().outputTokens()).isPositive();
    }

    @Test
    void modelsAreListedWithTheirProvider() {
        List<String> ids = sdk.models().list().data().stream().map(Model::id).toList();
        assertThat(ids).contains("openai/gpt-4o-mini", "openai/gpt-4o", "openai/text-embedding-3-small");
        assertThat(sdk.models().retrieve("openai/gpt-4o").ownedBy()).isEqualTo("openai");
        assertThatThrownBy(() -> sdk.models().retrieve("openai/nope")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void aModelWithoutProviderIsRoutedByItsFamily() {
        ChatCompletion completion = sdk.chat().completions().create(chat("gpt-4o-mini").build());
        assertThat(completion.choices().getFirst().message().content()).contains("Hello from fake gpt-4o-mini");
        assertThat(hub.lastCall().provider()).isEqualTo("openai");
    }

    @Test
    void anUnknownKeyIsRefusedInOpenAiShape() {
        OpenAIClient stranger = OpenAIOkHttpClient.builder().baseUrl(hub.baseUrl() + "/v1")
                .apiKey("blocklet-not-a-real-key").maxRetries(0).build();
        assertThatThrownBy(() -> stranger.chat().completions().create(chat(MODEL).build()))
                .isInstanceOfSatisfying(UnauthorizedException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(401);
                    assertThat(e.getMessage()).contains("unknown or revoked");
                });
        assertThat(fake.requests()).isEmpty();
    }

    @Test
    void theCallingAppIsRecorded() {
        HttpResponse<String> response = hub.send(hub.request("/v1/chat/completions", hub.ownerKey())
                .header("x-aigne-hub-client-did", "z2qaApp%20One")
                .header("x-request-id", "req-from-client-1")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"openai/gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-aigne-hub-call-id")).isPresent();
        CallRecord call = hub.lastCall();
        assertThat(call.appDid()).isEqualTo("z2qaApp One");
        assertThat(call.requestId()).isEqualTo("req-from-client-1");
        assertThat(call.id()).isEqualTo(response.headers().firstValue("x-aigne-hub-call-id").orElseThrow());
    }

    @Test
    void modelCallsApiShowsOwnCallsWithFilters() {
        sdk.embeddings().create(EmbeddingCreateParams.builder().model("openai/text-embedding-3-small").input("x").build());
        hub.calls(); // the API reads the database: wait until the ledger wrote the row
        JsonNode page = TestHub.json(hub.get("/api/user/model-calls?type=embedding&pageSize=5", hub.ownerKey()));
        assertThat(page.path("count").asLong()).isPositive();
        assertThat(page.path("list")).allSatisfy(row -> assertThat(row.path("type").asText()).isEqualTo("embedding"));
        assertThat(page.path("list").get(0).path("usageMetrics").path("inputTokens").asLong()).isEqualTo(5);
        assertThat(page.path("paging").path("pageSize").asInt()).isEqualTo(5);
        String providerId = TestHub.json(hub.get("/api/ai-providers?name=openai", hub.ownerKey())).get(0).path("id").asText();
        for (String filter : List.of(providerId, "openai")) {
            JsonNode byProvider = TestHub.json(hub.get("/api/user/model-calls?providerId=" + filter, hub.ownerKey()));
            assertThat(byProvider.path("count").asLong()).isPositive();
            assertThat(byProvider.path("list")).allSatisfy(row -> assertThat(row.path("provider").asText()).isEqualTo("openai"));
        }
        assertThat(TestHub.json(hub.get("/api/user/model-calls?providerId=nobody", hub.ownerKey())).path("count").asLong())
                .isZero();
    }

    private static FunctionDefinition weather(String name) {
        return FunctionDefinition.builder().name(name).parameters(FunctionParameters.builder()
                .putAdditionalProperty("type", JsonValue.from("object"))
                .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                .build()).build();
    }
}
