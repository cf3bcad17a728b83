package io.aigne.hub.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.genai.Client;
import com.google.genai.ResponseStream;
import com.google.genai.errors.ClientException;
import com.google.genai.errors.ServerException;
import com.google.genai.types.Candidate;
import com.google.genai.types.Content;
import com.google.genai.types.EmbedContentConfig;
import com.google.genai.types.EmbedContentResponse;
import com.google.genai.types.FinishReason;
import com.google.genai.types.FunctionCall;
import com.google.genai.types.FunctionCallingConfig;
import com.google.genai.types.FunctionCallingConfigMode;
import com.google.genai.types.FunctionDeclaration;
import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.GenerateContentResponseUsageMetadata;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.HttpRetryOptions;
import com.google.genai.types.ListModelsConfig;
import com.google.genai.types.Model;
import com.google.genai.types.Part;
import com.google.genai.types.Schema;
import com.google.genai.types.ThinkingConfig;
import com.google.genai.types.Tool;
import com.google.genai.types.ToolConfig;
import com.google.genai.types.Type;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Proves the fake is faithful by pointing the official google-genai Java SDK (1.70.0) straight at it,
 * and pins the raw wire format (SSE framing, error bodies) with a plain {@link HttpClient} where the SDK
 * does not reach (single embedContent, Imagen predict, key in the query string).
 */
class FakeGeminiProviderTest {

    private static final String MODEL = "gemini-2.5-flash";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static FakeGeminiProvider fake;
    private static HttpClient http;

    @BeforeAll
    static void startFake() {
        fake = FakeGeminiProvider.start();
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

    /**
     * An SDK client for the Gemini Developer API at the fake. {@code vertexAI(false)} keeps
     * GOOGLE_GENAI_USE_VERTEXAI from switching it to Vertex AI. Retries are off: by default the SDK retries
     * 408/429/500/502/503/504 up to 5 attempts with exponential backoff (1 s, 2 s, ... with jitter), and
     * even with {@code attempts(1)} its RetryInterceptor still sleeps that backoff (0-2 s) after the last
     * attempt before surfacing a retryable status; an empty retryable-status list avoids both.
     */
    private static Client sdk(String apiKey) {
        return Client.builder()
                .apiKey(apiKey)
                .vertexAI(false)
                .httpOptions(HttpOptions.builder()
                        .baseUrl(fake.baseUrl())
                        .timeout(10_000)
                        .retryOptions(HttpRetryOptions.builder().attempts(1).httpStatusCodes(List.of()).build())
                        .build())
                .build();
    }

    private static FunctionDeclaration function(String name) {
        return FunctionDeclaration.builder()
                .name(name)
                .description("test function " + name)
                .parameters(Schema.builder()
                        .type(Type.Known.OBJECT)
                        .properties(Map.of("city", Schema.builder().type(Type.Known.STRING).build())))
                .build();
    }

    @Test
    void generateContent() {
        GenerateContentResponse response;
        try (Client client = sdk("gm-ok-alpha")) {
            response = client.models.generateContent(MODEL, "Say hello", GenerateContentConfig.builder()
                    .systemInstruction(Content.fromParts(Part.fromText("Be terse.")))
                    .temperature(0.2f)
                    .build());
        }

        assertThat(response.text()).isEqualTo("Hello from fake gemini-2.5-flash");
        assertThat(response.finishReason().knownEnum()).isEqualTo(FinishReason.Known.STOP);
        Candidate candidate = response.candidates().orElseThrow().getFirst();
        assertThat(candidate.index()).contains(0);
        assertThat(candidate.content().orElseThrow().role()).contains("model");
        assertThat(response.modelVersion()).contains(MODEL);
        assertThat(response.responseId()).hasValueSatisfying(id -> assertThat(id).startsWith("fake-resp-"));
        GenerateContentResponseUsageMetadata usage = response.usageMetadata().orElseThrow();
        assertThat(usage.promptTokenCount()).contains(12);
        assertThat(usage.candidatesTokenCount()).contains(8);
        assertThat(usage.totalTokenCount()).contains(25);
        assertThat(usage.cachedContentTokenCount()).contains(2);
        assertThat(usage.thoughtsTokenCount()).contains(5);
        assertThat(usage.promptTokensDetails().orElseThrow().getFirst().tokenCount()).contains(12);
        assertThat(usage.promptTokensDetails().orElseThrow().getFirst().modality().orElseThrow().toString())
                .isEqualTo("TEXT");

        FakeGeminiProvider.RecordedRequest request = fake.lastRequest();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/v1beta/models/gemini-2.5-flash:generateContent");
        assertThat(request.query()).isEmpty();
        assertThat(request.apiKey()).isEqualTo("gm-ok-alpha");
        assertThat(request.headers()).containsEntry("x-goog-api-key", "gm-ok-alpha");
        assertThat(request.headers()).doesNotContainKey("authorization");
        assertThat(request.headers().get("content-type")).startsWith("application/json");
        assertThat(request.headers().get("x-goog-api-client")).startsWith("google-genai-sdk/1.70.0 gl-java/");
        assertThat(request.headers().get("user-agent")).startsWith("google-genai-sdk/1.70.0 gl-java/");
        JsonNode body = request.json();
        assertThat(body.at("/contents/0/role").asText()).isEqualTo("user");
        assertThat(body.at("/contents/0/parts/0/text").asText()).isEqualTo("Say hello");
        assertThat(body.at("/systemInstruction/parts/0/text").asText()).isEqualTo("Be terse.");
        assertThat(body.at("/generationConfig/temperature").floatValue()).isEqualTo(0.2f);
        assertThat(fake.requests()).hasSize(1);
    }

    @Test
    void streamedGenerateContent() {
        List<GenerateContentResponse> chunks = new ArrayList<>();
        try (Client client = sdk("gm-ok");
             ResponseStream<GenerateContentResponse> stream = client.models.generateContentStream(MODEL, "Say hello", null)) {
            stream.forEach(chunks::add);
        }

        assertThat(chunks).extracting(GenerateContentResponse::text)
                .containsExactly("Hello", " from", " fake", " gemini-2.5-flash");
        assertThat(String.join("", chunks.stream().map(GenerateContentResponse::text).toList()))
                .isEqualTo("Hello from fake gemini-2.5-flash");
        GenerateContentResponse last = chunks.getLast();
        assertThat(last.finishReason().knownEnum()).isEqualTo(FinishReason.Known.STOP);
        assertThat(chunks.subList(0, 3)).allSatisfy(chunk ->
                assertThat(chunk.finishReason().knownEnum()).isEqualTo(FinishReason.Known.FINISH_REASON_UNSPECIFIED));
        // Like the real stream: usage on every event, as running totals; the last one is final.
        assertThat(chunks).extracting(chunk -> chunk.usageMetadata().orElseThrow().candidatesTokenCount().orElseThrow())
                .containsExactly(2, 4, 6, 8);
        GenerateContentResponseUsageMetadata usage = last.usageMetadata().orElseThrow();
        assertThat(usage.promptTokenCount()).contains(12);
        assertThat(usage.totalTokenCount()).contains(25);
        assertThat(usage.thoughtsTokenCount()).contains(5);
        assertThat(chunks).extracting(chunk -> chunk.responseId().orElseThrow()).containsOnly(last.responseId().orElseThrow());
        assertThat(chunks).extracting(chunk -> chunk.modelVersion().orElseThrow()).containsOnly(MODEL);

        FakeGeminiProvider.RecordedRequest request = fake.lastRequest();
        assertThat(request.path()).isEqualTo("/v1beta/models/gemini-2.5-flash:streamGenerateContent");
        assertThat(request.query()).isEqualTo("alt=sse");
    }

    @Test
    void sseWireFormat() throws Exception {
        HttpResponse<String> response = post("gm-ok", "/v1beta/models/gemini-2.0-flash-lite:streamGenerateContent?alt=sse",
                "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).contains("text/event-stream");
        String body = response.body();
        assertThat(body).endsWith("\r\n\r\n").doesNotContain("[DONE]");
        List<String> events = List.of(body.split("\r\n\r\n"));
        assertThat(events).hasSize(4).allSatisfy(event -> assertThat(event).startsWith("data: {\"candidates\": [")
                .doesNotContain("\n"));
        JsonNode lastEvent = JSON.readTree(events.getLast().substring("data: ".length()));
        assertThat(lastEvent.at("/candidates/0/finishReason").asText()).isEqualTo("STOP");
        assertThat(lastEvent.at("/candidates/0/content/parts/0/text").asText()).isEqualTo(" gemini-2.0-flash-lite");
        assertThat(lastEvent.at("/usageMetadata/totalTokenCount").asInt()).isEqualTo(25);
        assertThat(JSON.readTree(events.getFirst().substring(6)).at("/candidates/0/finishReason").isMissingNode()).isTrue();

        // Without alt=sse the API streams one JSON array.
        HttpResponse<String> array = post("gm-ok", "/v1beta/models/m:streamGenerateContent",
                "{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}]}");
        assertThat(array.headers().firstValue("content-type")).contains("application/json; charset=UTF-8");
        JsonNode elements = JSON.readTree(array.body());
        assertThat(elements.isArray()).isTrue();
        assertThat(elements).hasSize(4);
        assertThat(elements.get(3).at("/candidates/0/content/parts/0/text").asText()).isEqualTo(" m");
    }

    @Test
    void functionCalling() {
        GenerateContentResponse two;
        GenerateContentResponse none;
        GenerateContentResponse allowed;
        try (Client client = sdk("gm-ok")) {
            two = client.models.generateContent(MODEL, "Weather in Paris?", GenerateContentConfig.builder()
                    .tools(Tool.builder().functionDeclarations(function("get_weather"), function("search")))
                    .build());
            none = client.models.generateContent(MODEL, "Weather in Paris?", GenerateContentConfig.builder()
                    .tools(Tool.builder().functionDeclarations(function("get_weather")))
                    .toolConfig(ToolConfig.builder().functionCallingConfig(
                            FunctionCallingConfig.builder().mode(FunctionCallingConfigMode.Known.NONE)))
                    .build());
            allowed = client.models.generateContent(MODEL, "Search", GenerateContentConfig.builder()
                    .tools(Tool.builder().functionDeclarations(function("get_weather"), function("search")))
                    .toolConfig(ToolConfig.builder().functionCallingConfig(FunctionCallingConfig.builder()
                            .mode(FunctionCallingConfigMode.Known.ANY)
                            .allowedFunctionNames("search")))
                    .build());
        }

        List<FunctionCall> calls = two.functionCalls();
        assertThat(calls).extracting(call -> call.name().orElseThrow()).containsExactly("get_weather", "search");
        assertThat(calls.get(0).args()).contains(Map.of("city", "Paris"));
        assertThat(calls.get(1).args()).contains(Map.of("q", "x"));
        assertThat(calls).allSatisfy(call -> assertThat(call.id()).hasValueSatisfying(id -> assertThat(id).startsWith("fc-fake-")));
        assertThat(two.finishReason().knownEnum()).isEqualTo(FinishReason.Known.STOP);
        List<Part> parts = two.parts();
        assertThat(new String(parts.getFirst().thoughtSignature().orElseThrow(), StandardCharsets.UTF_8))
                .isEqualTo("fake-thought-signature");
        assertThat(parts.get(1).thoughtSignature()).isEmpty();
        assertThat(fake.requests().getFirst().json().at("/tools/0/functionDeclarations/1/name").asText()).isEqualTo("search");

        assertThat(none.functionCalls()).isEmpty();
        assertThat(none.text()).isEqualTo("Hello from fake gemini-2.5-flash");

        assertThat(allowed.functionCalls()).extracting(call -> call.name().orElseThrow()).containsExactly("search");
        assertThat(allowed.functionCalls().getFirst().args()).contains(Map.of("city", "Paris"));
    }

    @Test
    void streamedFunctionCallArrivesWhole() {
        List<GenerateContentResponse> chunks = new ArrayList<>();
        try (Client client = sdk("gm-ok");
             ResponseStream<GenerateContentResponse> stream = client.models.generateContentStream(MODEL, "Weather?",
                     GenerateContentConfig.builder().tools(Tool.builder().functionDeclarations(function("get_weather"))).build())) {
            stream.forEach(chunks::add);
        }
        assertThat(chunks).hasSize(1);
        assertThat(chunks.getFirst().functionCalls()).extracting(call -> call.name().orElseThrow()).containsExactly("get_weather");
        assertThat(chunks.getFirst().finishReason().knownEnum()).isEqualTo(FinishReason.Known.STOP);
        assertThat(chunks.getFirst().usageMetadata().orElseThrow().totalTokenCount()).contains(25);
    }

    @Test
    void structuredOutput() throws Exception {
        Schema schema = Schema.builder()
                .type(Type.Known.OBJECT)
                .properties(Map.of("city", Schema.builder().type(Type.Known.STRING).build(),
                                   "temperature", Schema.builder().type(Type.Known.INTEGER).build()))
                .required("city", "temperature")
                .build();
        GenerateContentResponse viaSchema;
        GenerateContentResponse viaJsonSchema;
        try (Client client = sdk("gm-ok")) {
            viaSchema = client.models.generateContent(MODEL, "Weather?", GenerateContentConfig.builder()
                    .responseMimeType("application/json")
                    .responseSchema(schema)
                    .build());
            assertThat(fake.lastRequest().json().at("/generationConfig/responseSchema/type").asText()).isEqualTo("OBJECT");
            viaJsonSchema = client.models.generateContent(MODEL, "Weather?", GenerateContentConfig.builder()
                    .responseMimeType("application/json")
                    .responseJsonSchema(Map.of("type", "object", "properties", Map.of("city", Map.of("type", "string"))))
                    .build());
            assertThat(fake.lastRequest().json().at("/generationConfig/responseJsonSchema/type").asText()).isEqualTo("object");
        }

        assertThat(viaSchema.text()).isEqualTo("{\"city\":\"Paris\",\"temperature\":21}");
        assertThat(viaJsonSchema.text()).isEqualTo(FakeGeminiProvider.JSON_ANSWER);
        JsonNode parsed = JSON.readTree(viaSchema.text());
        assertThat(parsed.path("city").asText()).isEqualTo("Paris");
        assertThat(parsed.path("temperature").asInt()).isEqualTo(21);
        assertThat(fake.lastRequest().json().at("/generationConfig/responseMimeType").asText()).isEqualTo("application/json");
    }

    @Test
    void thinking() {
        GenerateContentConfig config = GenerateContentConfig.builder()
                .thinkingConfig(ThinkingConfig.builder().includeThoughts(true).thinkingBudget(1024))
                .build();
        GenerateContentResponse response;
        List<GenerateContentResponse> chunks = new ArrayList<>();
        try (Client client = sdk("gm-ok")) {
            response = client.models.generateContent(MODEL, "Think first", config);
            try (ResponseStream<GenerateContentResponse> stream = client.models.generateContentStream(MODEL, "Think first", config)) {
                stream.forEach(chunks::add);
            }
        }

        List<Part> parts = response.parts();
        assertThat(parts).hasSize(2);
        assertThat(parts.getFirst().thought()).contains(true);
        assertThat(parts.getFirst().text()).contains("Let me think.");
        assertThat(parts.get(1).thought()).isEmpty();
        // The SDK's text() leaves thought parts out.
        assertThat(response.text()).isEqualTo("Hello from fake gemini-2.5-flash");
        assertThat(fake.requests().getFirst().json().at("/generationConfig/thinkingConfig/includeThoughts").asBoolean()).isTrue();

        assertThat(chunks).hasSize(5);
        assertThat(chunks.getFirst().parts().getFirst().thought()).contains(true);
        // While only thoughts exist, candidatesTokenCount is absent.
        assertThat(chunks.getFirst().usageMetadata().orElseThrow().candidatesTokenCount()).isEmpty();
        assertThat(chunks.getFirst().usageMetadata().orElseThrow().totalTokenCount()).contains(17);
        assertThat(chunks.getLast().usageMetadata().orElseThrow().totalTokenCount()).contains(25);
    }

    @Test
    void imageAndFilePartsAreAcceptedAndRecorded() {
        byte[] png = Base64.getDecoder().decode(FakeGeminiProvider.TINY_PNG_BASE64);
        GenerateContentResponse response;
        try (Client client = sdk("gm-ok")) {
            response = client.models.generateContent(MODEL, Content.builder().role("user").parts(
                    Part.fromText("Describe these"),
                    Part.fromBytes(png, "image/png"),
                    Part.fromUri("https://generativelanguage.googleapis.com/v1beta/files/abc123", "application/pdf")).build(), null);
        }
        assertThat(response.text()).isEqualTo("Hello from fake gemini-2.5-flash");

        JsonNode parts = fake.lastRequest().json().at("/contents/0/parts");
        assertThat(parts).hasSize(3);
        assertThat(parts.get(1).at("/inlineData/mimeType").asText()).isEqualTo("image/png");
        assertThat(Base64.getDecoder().decode(parts.get(1).at("/inlineData/data").asText())).isEqualTo(png);
        assertThat(parts.get(2).at("/fileData/fileUri").asText()).isEqualTo("https://generativelanguage.googleapis.com/v1beta/files/abc123");
        assertThat(parts.get(2).at("/fileData/mimeType").asText()).isEqualTo("application/pdf");
    }

    @Test
    void imageModalityAnswersWithAnInlineImage() {
        GenerateContentResponse response;
        try (Client client = sdk("gm-ok")) {
            response = client.models.generateContent("gemini-2.5-flash-image", "Draw a cat",
                    GenerateContentConfig.builder().responseModalities("TEXT", "IMAGE").build());
        }
        List<Part> parts = response.parts();
        Part image = parts.getLast();
        assertThat(image.inlineData().orElseThrow().mimeType()).contains("image/png");
        assertThat(image.inlineData().orElseThrow().data().orElseThrow())
                .isEqualTo(Base64.getDecoder().decode(FakeGeminiProvider.TINY_PNG_BASE64));
        assertThat(fake.lastRequest().json().at("/generationConfig/responseModalities/1").asText()).isEqualTo("IMAGE");
    }

    @Test
    void embeddings() throws Exception {
        EmbedContentResponse batch;
        try (Client client = sdk("gm-ok")) {
            batch = client.models.embedContent("gemini-embedding-001", List.of("one", "two"),
                    EmbedContentConfig.builder().taskType("RETRIEVAL_DOCUMENT").build());
        }
        assertThat(batch.embeddings().orElseThrow()).hasSize(2);
        assertThat(batch.embeddings().orElseThrow().get(0).values().orElseThrow())
                .containsExactlyElementsOf(floats(FakeGeminiProvider.embeddingFor(0)));
        assertThat(batch.embeddings().orElseThrow().get(1).values().orElseThrow())
                .containsExactlyElementsOf(floats(FakeGeminiProvider.embeddingFor(1)));
        // The SDK's embedContent always goes to :batchEmbedContents on the Gemini API.
        FakeGeminiProvider.RecordedRequest request = fake.lastRequest();
        assertThat(request.path()).isEqualTo("/v1beta/models/gemini-embedding-001:batchEmbedContents");
        assertThat(request.json().at("/requests/0/model").asText()).isEqualTo("models/gemini-embedding-001");
        assertThat(request.json().at("/requests/1/content/parts/0/text").asText()).isEqualTo("two");
        assertThat(request.json().at("/requests/0/taskType").asText()).isEqualTo("RETRIEVAL_DOCUMENT");

        HttpResponse<String> single = post("gm-ok", "/v1beta/models/gemini-embedding-001:embedContent",
                "{\"model\":\"models/gemini-embedding-001\",\"content\":{\"parts\":[{\"text\":\"one\"}]},\"output_dimensionality\":3}");
        assertThat(single.statusCode()).isEqualTo(200);
        JsonNode values = JSON.readTree(single.body()).at("/embedding/values");
        assertThat(values).hasSize(3);
        assertThat(values.get(2).floatValue()).isEqualTo(FakeGeminiProvider.embeddingFor(0)[2]);
    }

    @Test
    void imagenPredict() throws Exception {
        // google-genai 1.70.0 refuses generateImages on the Gemini API, without sending anything.
        try (Client client = sdk("gm-ok")) {
            assertThatThrownBy(() -> client.models.generateImages("imagen-4.0-generate-001", "a cat", null))
                    .isInstanceOf(UnsupportedOperationException.class);
        }
        assertThat(fake.requests()).isEmpty();

        HttpResponse<String> two = post("gm-ok", "/v1beta/models/imagen-4.0-generate-001:predict",
                "{\"instances\":[{\"prompt\":\"a cat\"}],\"parameters\":{\"sampleCount\":2}}");
        assertThat(two.statusCode()).isEqualTo(200);
        JsonNode predictions = JSON.readTree(two.body()).path("predictions");
        assertThat(predictions).hasSize(2);
        assertThat(predictions.get(0).path("mimeType").asText()).isEqualTo("image/png");
        byte[] png = Base64.getDecoder().decode(predictions.get(1).path("bytesBase64Encoded").asText());
        assertThat(png).startsWith(0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n');

        HttpResponse<String> byDefault = post("gm-ok", "/v1beta/models/imagen-4.0-generate-001:predict",
                "{\"instances\":[{\"prompt\":\"a cat\"}]}");
        assertThat(JSON.readTree(byDefault.body()).path("predictions")).hasSize(4);

        HttpResponse<String> tooMany = post("gm-ok", "/v1beta/models/imagen-4.0-generate-001:predict",
                "{\"instances\":[{\"prompt\":\"a cat\"}],\"parameters\":{\"sampleCount\":5}}");
        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(tooMany.body()).at("/error/status").asText()).isEqualTo("INVALID_ARGUMENT");
    }

    @Test
    void listAndGetModels() {
        List<String> names = new ArrayList<>();
        List<String> pagedNames = new ArrayList<>();
        Model flash;
        try (Client client = sdk("gm-ok")) {
            client.models.list(null).forEach(model -> names.add(model.name().orElseThrow()));
            fake.clearRequests();
            client.models.list(ListModelsConfig.builder().pageSize(3).build())
                    .forEach(model -> pagedNames.add(model.name().orElseThrow()));
            assertThat(fake.requests()).extracting(FakeGeminiProvider.RecordedRequest::query)
                    .containsExactly("pageSize=3", "pageSize=3&pageToken=Mw");
            flash = client.models.get("gemini-2.5-flash", null);
            assertThatThrownBy(() -> client.models.get("gemini-0-nope", null))
                    .isInstanceOfSatisfying(ClientException.class, e -> assertThat(e.status()).isEqualTo("NOT_FOUND"));
        }
        assertThat(names).containsExactly("models/gemini-2.5-flash", "models/gemini-2.5-pro",
                                          "models/gemini-embedding-001", "models/imagen-4.0-generate-001");
        assertThat(pagedNames).isEqualTo(names);
        assertThat(flash.displayName()).contains("Gemini 2.5 Flash");
        assertThat(flash.inputTokenLimit()).contains(1_048_576);
        assertThat(flash.supportedActions().orElseThrow()).contains("generateContent");
        assertThat(flash.thinking()).contains(true);
    }

    @Test
    void errorsMapToSdkExceptions() {
        try (Client badKey = sdk("gm-400-key")) {
            assertThatThrownBy(() -> badKey.models.generateContent(MODEL, "hi", null))
                    .isInstanceOfSatisfying(ClientException.class, e -> {
                        assertThat(e.code()).isEqualTo(400);
                        assertThat(e.status()).isEqualTo("INVALID_ARGUMENT");
                        // The SDK appends the details to the message.
                        assertThat(e.message()).startsWith("API key not valid. Please pass a valid API key.")
                                .contains("API_KEY_INVALID");
                    });
        }
        try (Client blocked = sdk("gm-403")) {
            assertThatThrownBy(() -> blocked.models.generateContent(MODEL, "hi", null))
                    .isInstanceOfSatisfying(ClientException.class, e -> {
                        assertThat(e.code()).isEqualTo(403);
                        assertThat(e.status()).isEqualTo("PERMISSION_DENIED");
                        assertThat(e.message()).contains("GenerativeService.GenerateContent are blocked");
                    });
        }
        fake.clearRequests();
        try (Client limited = sdk("gm-429")) {
            assertThatThrownBy(() -> limited.models.generateContent(MODEL, "hi", null))
                    .isInstanceOfSatisfying(ClientException.class, e -> {
                        assertThat(e.code()).isEqualTo(429);
                        assertThat(e.status()).isEqualTo("RESOURCE_EXHAUSTED");
                        assertThat(e.message()).contains("\"retryDelay\":\"7s\"");
                    });
        }
        assertThat(fake.requests()).hasSize(1);  // no hidden retry
        try (Client overloaded = sdk("gm-503")) {
            assertThatThrownBy(() -> overloaded.models.generateContent(MODEL, "hi", null))
                    .isInstanceOfSatisfying(ServerException.class, e -> {
                        assertThat(e.code()).isEqualTo(503);
                        assertThat(e.status()).isEqualTo("UNAVAILABLE");
                        assertThat(e.message()).isEqualTo("The model is overloaded. Please try again later.");
                    });
            // Errors known before the stream starts are plain HTTP errors, thrown when the stream is opened.
            assertThatThrownBy(() -> overloaded.models.generateContentStream(MODEL, "hi", null))
                    .isInstanceOfSatisfying(ServerException.class, e -> assertThat(e.code()).isEqualTo(503));
        }
        try (Client broken = sdk("gm-500")) {
            assertThatThrownBy(() -> broken.models.embedContent("gemini-embedding-001", "x", null))
                    .isInstanceOfSatisfying(ServerException.class, e -> {
                        assertThat(e.code()).isEqualTo(500);
                        assertThat(e.status()).isEqualTo("INTERNAL");
                    });
        }
        try (Client client = sdk("gm-ok")) {
            assertThatThrownBy(() -> client.models.generateContent("missing-model", "hi", null))
                    .isInstanceOfSatisfying(ClientException.class, e -> {
                        assertThat(e.code()).isEqualTo(404);
                        assertThat(e.status()).isEqualTo("NOT_FOUND");
                        assertThat(e.message()).startsWith("models/missing-model is not found for API version v1beta,"
                                + " or is not supported for generateContent.");
                    });
        }
    }

    @Test
    void errorInTheMiddleOfAStream() {
        List<String> texts = new ArrayList<>();
        try (Client client = sdk("gm-stream-error");
             ResponseStream<GenerateContentResponse> stream = client.models.generateContentStream(MODEL, "hi", null)) {
            assertThatThrownBy(() -> stream.forEach(chunk -> texts.add(chunk.text())))
                    .isInstanceOfSatisfying(ServerException.class, e -> {
                        assertThat(e.code()).isEqualTo(503);
                        assertThat(e.status()).isEqualTo("UNAVAILABLE");
                    });
        }
        assertThat(texts).containsExactly("Hello", " from");
    }

    @Test
    void rawErrorBodiesAndKeyInQuery() throws Exception {
        HttpResponse<String> badKey = post("gm-400-key", "/v1beta/models/gemini-2.5-flash:generateContent", "{}");
        assertThat(badKey.statusCode()).isEqualTo(400);
        assertThat(badKey.headers().firstValue("content-type")).contains("application/json; charset=UTF-8");
        assertThat(badKey.body()).startsWith("{\n  \"error\": {\n    \"code\": 400,\n");
        JsonNode error = JSON.readTree(badKey.body()).path("error");
        assertThat(error.path("message").asText()).isEqualTo("API key not valid. Please pass a valid API key.");
        assertThat(error.at("/details/0/@type").asText()).isEqualTo("type.googleapis.com/google.rpc.ErrorInfo");
        assertThat(error.at("/details/0/reason").asText()).isEqualTo("API_KEY_INVALID");
        assertThat(error.at("/details/1/@type").asText()).isEqualTo("type.googleapis.com/google.rpc.LocalizedMessage");

        HttpResponse<String> limited = post("gm-429", "/v1beta/models/gemini-2.5-flash:generateContent", "{}");
        assertThat(limited.headers().firstValue("retry-after")).isEmpty();
        assertThat(JSON.readTree(limited.body()).at("/error/details/2/retryDelay").asText()).isEqualTo("7s");

        HttpRequest viaQuery = HttpRequest.newBuilder(URI.create(fake.baseUrl()
                        + "/v1beta/models/gemini-2.5-flash:generateContent?key=gm-ok-query"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}]}"))
                .build();
        assertThat(http.send(viaQuery, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        assertThat(fake.lastRequest().apiKey()).isEqualTo("gm-ok-query");
        assertThat(fake.lastRequest().query()).isEqualTo("key=gm-ok-query");

        HttpRequest noKey = HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/v1beta/models"))
                .GET().build();
        HttpResponse<String> anonymous = http.send(noKey, HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(anonymous.body()).at("/error/status").asText()).isEqualTo("PERMISSION_DENIED");
    }

    @Test
    void malformedRequests() throws Exception {
        String path = "/v1beta/models/gemini-2.5-flash:generateContent";
        assertThat(invalidArgument(post("gm-ok", path, "this is not json")))
                .startsWith("Invalid JSON payload received.");
        assertThat(invalidArgument(post("gm-ok", path, "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")))
                .isEqualTo("Invalid JSON payload received. Unknown name \"messages\": Cannot find field.");
        assertThat(invalidArgument(post("gm-ok", path, "{\"contents\":[]}"))).contains("contents is not specified");
        assertThat(invalidArgument(post("gm-ok", path, "{\"contents\":[{\"role\":\"assistant\",\"parts\":[{\"text\":\"x\"}]}]}")))
                .isEqualTo("Please use a valid role: user, model.");
        assertThat(invalidArgument(post("gm-ok", path,
                "{\"contents\":[{\"parts\":[{\"inline_data\":{\"mime_type\":\"image/png\",\"data\":\"not base64!\"}}]}]}")))
                .contains("Base64 decoding failed");
        // snake_case field names are as good as lowerCamelCase ones.
        HttpResponse<String> snake = post("gm-ok", path,
                "{\"contents\":[{\"parts\":[{\"text\":\"x\"}]}],\"generation_config\":{\"response_mime_type\":\"application/json\"}}");
        assertThat(snake.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(snake.body()).at("/candidates/0/content/parts/0/text").asText())
                .isEqualTo(FakeGeminiProvider.JSON_ANSWER);

        HttpResponse<String> unknown = post("gm-ok", "/v1beta/models/gemini-2.5-flash:nope", "{}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("content-type")).contains("text/html; charset=UTF-8");
        assertThat(unknown.body()).contains("The requested URL <code>/v1beta/models/gemini-2.5-flash:nope</code> was not found");
        assertThat(post("gm-ok", "/v1beta/nothing", "{}").statusCode()).isEqualTo(404);
    }

    private static String invalidArgument(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = JSON.readTree(response.body()).path("error");
        assertThat(error.path("code").asInt()).isEqualTo(400);
        assertThat(error.path("status").asText()).isEqualTo("INVALID_ARGUMENT");
        return error.path("message").asText();
    }

    private static HttpResponse<String> post(String apiKey, String pathAndQuery, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(fake.baseUrl() + pathAndQuery))
                .header("x-goog-api-key", apiKey)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static List<Float> floats(float[] values) {
        List<Float> list = new ArrayList<>(values.length);
        for (float value : values) {
            list.add(value);
        }
        return list;
    }
}
