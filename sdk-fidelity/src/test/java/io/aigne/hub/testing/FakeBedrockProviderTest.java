package io.aigne.hub.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.document.Document;
import software.amazon.eventstream.Message;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.BedrockRuntimeException;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockDeltaEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockStartEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockStopEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamMetadataEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.ImageBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ImageFormat;
import software.amazon.awssdk.services.bedrockruntime.model.ImageSource;
import software.amazon.awssdk.services.bedrockruntime.model.MessageStartEvent;
import software.amazon.awssdk.services.bedrockruntime.model.MessageStopEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ResourceNotFoundException;
import software.amazon.awssdk.services.bedrockruntime.model.StopReason;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;
import software.amazon.awssdk.services.bedrockruntime.model.Tool;
import software.amazon.awssdk.services.bedrockruntime.model.ToolConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.ToolInputSchema;
import software.amazon.awssdk.services.bedrockruntime.model.ToolSpecification;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;

/**
 * Proves the Bedrock fake faithful by pointing the official AWS SDK (sync and async clients) at it:
 * the SDK's own SigV4 signer must satisfy the fake's independent verifier, and the SDK must parse every
 * answer, JSON and binary event stream. Raw requests, signed with the SDK's signer and then altered, pin
 * the rejections the SDK cannot produce on its own (expired dates, unsigned or tampered tokens).
 */
class FakeBedrockProviderTest {

    private static final String AKID = "AKIAFAKEEXAMPLE00001";
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static final String SESSION_AKID = "ASIAFAKEEXAMPLE00002";
    private static final String SESSION_SECRET = "sessionSecret/+/xyz0123456789abcdefABCDEF";
    private static final String SESSION_TOKEN = "IQoJb3JpZ2luX2VjEFAKE//session+token==";
    private static final String MODEL = "anthropic.claude-3-haiku-20240307-v1:0";
    private static final String SIMPLE_MODEL = "amazon.nova-lite";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A valid 1x1 transparent PNG. */
    private static final String TINY_PNG_BASE64 =
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

    private static FakeBedrockProvider fake;
    private static BedrockRuntimeClient client;
    private static BedrockRuntimeAsyncClient asyncClient;

    @BeforeAll
    static void startFake() {
        fake = FakeBedrockProvider.start(
                Map.of(AKID, SECRET,
                       SESSION_AKID, SESSION_SECRET,
                       FakeBedrockProvider.THROTTLED_KEY, "throttledSecret",
                       FakeBedrockProvider.VALIDATION_KEY, "validationSecret"),
                Map.of(SESSION_AKID, SESSION_TOKEN));
        client = syncClient(AwsBasicCredentials.create(AKID, SECRET));
        asyncClient = BedrockRuntimeAsyncClient.builder()
                .endpointOverride(URI.create(fake.baseUrl()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(AKID, SECRET)))
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                // bedrockruntime's async client defaults to HTTP/2 (prior knowledge, as on TLS-less endpoints) because
                // the service has a bidirectional-streaming operation; the fake serves HTTP/1.1 only (no
                // helidon-webserver-http2 here), and ConverseStream itself works over HTTP/1.1 against AWS too.
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP1_1))
                .build();
    }

    @AfterAll
    static void stopFake() {
        client.close();
        asyncClient.close();
        fake.close();
    }

    @BeforeEach
    void reset() {
        fake.clearRequests();
    }

    private static BedrockRuntimeClient syncClient(AwsCredentials credentials) {
        return BedrockRuntimeClient.builder()
                .endpointOverride(URI.create(fake.baseUrl()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    private static ConverseRequest hello(String model) {
        return ConverseRequest.builder()
                .modelId(model)
                .messages(m -> m.role(ConversationRole.USER).content(ContentBlock.fromText("Hi")))
                .inferenceConfig(c -> c.maxTokens(100))
                .build();
    }

    private static ToolConfiguration weatherTools() {
        Document schema = Document.fromMap(Map.of(
                "type", Document.fromString("object"),
                "properties", Document.fromMap(Map.of("city", Document.fromMap(Map.of("type", Document.fromString("string")))))));
        return ToolConfiguration.builder()
                .tools(Tool.fromToolSpec(ToolSpecification.builder().name("get_weather").description("Weather by city")
                                                 .inputSchema(ToolInputSchema.fromJson(schema)).build()),
                       Tool.fromToolSpec(ToolSpecification.builder().name("search").description("Web search")
                                                 .inputSchema(ToolInputSchema.fromJson(schema)).build()))
                .build();
    }

    // ---------------------------------------------------------------------------------------------
    // Converse

    @Test
    void converseAnswersTextUsageAndStopReasonToTheSdk() {
        ConverseResponse response = client.converse(hello(SIMPLE_MODEL));

        assertThat(response.output().message().role()).isEqualTo(ConversationRole.ASSISTANT);
        assertThat(response.output().message().content()).hasSize(1);
        assertThat(response.output().message().content().getFirst().text()).isEqualTo("Hello from fake " + SIMPLE_MODEL);
        assertThat(response.stopReason()).isEqualTo(StopReason.END_TURN);
        assertThat(response.usage().inputTokens()).isEqualTo(15);
        assertThat(response.usage().outputTokens()).isEqualTo(10);
        assertThat(response.usage().totalTokens()).isEqualTo(25);
        assertThat(response.usage().cacheReadInputTokens()).isEqualTo(FakeBedrockProvider.CACHE_READ_INPUT_TOKENS);
        assertThat(response.usage().cacheWriteInputTokens()).isEqualTo(FakeBedrockProvider.CACHE_WRITE_INPUT_TOKENS);
        assertThat(response.metrics().latencyMs()).isEqualTo(FakeBedrockProvider.LATENCY_MS);
        assertThat(response.responseMetadata().requestId()).matches("00000000-0000-4000-8000-\\d{12}");

        FakeBedrockProvider.RecordedRequest recorded = fake.lastRequest();
        assertThat(recorded.method()).isEqualTo("POST");
        assertThat(recorded.path()).isEqualTo("/model/" + SIMPLE_MODEL + "/converse");
        assertThat(recorded.accessKeyId()).isEqualTo(AKID);
        assertThat(recorded.headers().get("authorization"))
                .startsWith("AWS4-HMAC-SHA256 Credential=" + AKID + "/")
                .contains("/us-east-1/bedrock/aws4_request");
        assertThat(recorded.json().path("messages").get(0).path("content").get(0).path("text").asText()).isEqualTo("Hi");
        assertThat(recorded.json().path("inferenceConfig").path("maxTokens").asInt()).isEqualTo(100);
        assertThat(fake.rejections()).isEmpty();
    }

    @Test
    void modelIdWithColonIsSignedOverTheDoubleEncodedPath() {
        ConverseResponse response = client.converse(hello(MODEL));

        assertThat(response.output().message().content().getFirst().text()).isEqualTo("Hello from fake " + MODEL);
        // Sent once-encoded; SigV4 (non-S3) canonicalises by encoding that raw path again.
        assertThat(fake.lastRequest().path()).isEqualTo("/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse");
        assertThat(FakeBedrockProvider.canonicalUri(fake.lastRequest().path()))
                .isEqualTo("/model/anthropic.claude-3-haiku-20240307-v1%253A0/converse");
        assertThat(fake.wasRejected(fake.lastRequest())).isFalse();
    }

    @Test
    void canonicalUriEncodesEachSegmentOfTheRawPathAgain() {
        assertThat(FakeBedrockProvider.canonicalUri("/")).isEqualTo("/");
        assertThat(FakeBedrockProvider.canonicalUri("/model/a.b_c-d~e/converse")).isEqualTo("/model/a.b_c-d~e/converse");
        assertThat(FakeBedrockProvider.canonicalUri("/model/arn%3Aaws%3Abedrock%2Fx/converse"))
                .isEqualTo("/model/arn%253Aaws%253Abedrock%252Fx/converse");
        assertThat(FakeBedrockProvider.canonicalQuery("b=2&a=x y&a=1")).isEqualTo("a=1&a=x%20y&b=2");
    }

    @Test
    void converseWithToolsAnswersToolUse() {
        ConverseResponse response = client.converse(hello(SIMPLE_MODEL).toBuilder().toolConfig(weatherTools()).build());

        assertThat(response.stopReason()).isEqualTo(StopReason.TOOL_USE);
        ToolUseBlock toolUse = response.output().message().content().getFirst().toolUse();
        assertThat(toolUse.toolUseId()).isEqualTo("tooluse_fake_1");
        assertThat(toolUse.name()).isEqualTo("get_weather");
        assertThat(toolUse.input().asMap()).containsOnlyKeys("city");
        assertThat(toolUse.input().asMap().get("city").asString()).isEqualTo("Paris");
        assertThat(fake.lastRequest().json().path("toolConfig").path("tools").get(0).path("toolSpec").path("name").asText())
                .isEqualTo("get_weather");
    }

    @Test
    void converseAcceptsAnImageBlock() {
        byte[] png = Base64.getDecoder().decode(TINY_PNG_BASE64);
        ConverseRequest request = ConverseRequest.builder()
                .modelId(MODEL)
                .messages(m -> m.role(ConversationRole.USER).content(
                        ContentBlock.fromText("What is this?"),
                        ContentBlock.fromImage(ImageBlock.builder().format(ImageFormat.PNG)
                                                       .source(ImageSource.fromBytes(SdkBytes.fromByteArray(png))).build())))
                .build();

        ConverseResponse response = client.converse(request);

        assertThat(response.output().message().content().getFirst().text()).isEqualTo("Hello from fake " + MODEL);
        JsonNode image = fake.lastRequest().json().path("messages").get(0).path("content").get(1).path("image");
        assertThat(image.path("format").asText()).isEqualTo("png");
        assertThat(image.path("source").path("bytes").asText()).isEqualTo(TINY_PNG_BASE64);
    }

    // ---------------------------------------------------------------------------------------------
    // ConverseStream (async client, binary event stream)

    private static List<ConverseStreamOutput> stream(ConverseStreamRequest request) {
        List<ConverseStreamOutput> events = new CopyOnWriteArrayList<>();
        asyncClient.converseStream(request, ConverseStreamResponseHandler.builder().subscriber(events::add).build())
                .join();
        return events;
    }

    @Test
    void converseStreamDeliversTextDeltasAndFinalUsage() {
        List<ConverseStreamOutput> events = stream(ConverseStreamRequest.builder()
                .modelId(MODEL)
                .messages(m -> m.role(ConversationRole.USER).content(ContentBlock.fromText("Hi")))
                .build());

        assertThat(events.getFirst()).isInstanceOf(MessageStartEvent.class);
        assertThat(((MessageStartEvent) events.getFirst()).role()).isEqualTo(ConversationRole.ASSISTANT);
        List<String> deltas = events.stream().filter(ContentBlockDeltaEvent.class::isInstance)
                .map(e -> ((ContentBlockDeltaEvent) e).delta().text()).toList();
        assertThat(deltas).containsExactly("Hello", " from", " fake", " " + MODEL);
        assertThat(String.join("", deltas)).isEqualTo("Hello from fake " + MODEL);
        assertThat(events).filteredOn(ContentBlockStopEvent.class::isInstance).hasSize(1);
        MessageStopEvent stop = (MessageStopEvent) events.stream().filter(MessageStopEvent.class::isInstance)
                .findFirst().orElseThrow();
        assertThat(stop.stopReason()).isEqualTo(StopReason.END_TURN);
        assertThat(events.getLast()).isInstanceOf(ConverseStreamMetadataEvent.class);
        ConverseStreamMetadataEvent metadata = (ConverseStreamMetadataEvent) events.getLast();
        assertThat(metadata.usage().inputTokens()).isEqualTo(15);
        assertThat(metadata.usage().outputTokens()).isEqualTo(10);
        assertThat(metadata.usage().totalTokens()).isEqualTo(25);
        assertThat(metadata.metrics().latencyMs()).isEqualTo(FakeBedrockProvider.LATENCY_MS);

        assertThat(fake.lastRequest().path()).isEqualTo("/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse-stream");
        assertThat(fake.rejections()).isEmpty();
    }

    @Test
    void converseStreamDeliversToolUseInFragments() {
        List<ConverseStreamOutput> events = stream(ConverseStreamRequest.builder()
                .modelId(SIMPLE_MODEL)
                .messages(m -> m.role(ConversationRole.USER).content(ContentBlock.fromText("Weather in Paris?")))
                .toolConfig(weatherTools())
                .build());

        ContentBlockStartEvent start = (ContentBlockStartEvent) events.stream()
                .filter(ContentBlockStartEvent.class::isInstance).findFirst().orElseThrow();
        assertThat(start.contentBlockIndex()).isZero();
        assertThat(start.start().toolUse().toolUseId()).isEqualTo("tooluse_fake_1");
        assertThat(start.start().toolUse().name()).isEqualTo("get_weather");
        List<String> fragments = events.stream().filter(ContentBlockDeltaEvent.class::isInstance)
                .map(e -> ((ContentBlockDeltaEvent) e).delta().toolUse().input()).toList();
        assertThat(fragments).hasSizeGreaterThan(1);
        assertThat(String.join("", fragments)).isEqualTo("{\"city\":\"Paris\"}");
        assertThat(events.stream().filter(MessageStopEvent.class::isInstance)
                           .map(e -> ((MessageStopEvent) e).stopReason()).toList())
                .containsExactly(StopReason.TOOL_USE);
    }

    @Test
    void eventStreamFramesDecodeWithTheAwsEventStreamLibrary() throws Exception {
        SignedRequest signed = sign(AwsBasicCredentials.create(AKID, SECRET), "/model/" + SIMPLE_MODEL + "/converse-stream",
                                    "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"Hi\"}]}]}", Clock.systemUTC());
        HttpResponse<byte[]> response = send(signed, "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"Hi\"}]}]}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/vnd.amazon.eventstream");
        ByteBuffer buffer = ByteBuffer.wrap(response.body());
        List<String> types = new ArrayList<>();
        while (buffer.hasRemaining()) {
            Message message = Message.decode(buffer); // checks both CRCs
            assertThat(message.getHeaders().get(":message-type").getString()).isEqualTo("event");
            assertThat(message.getHeaders().get(":content-type").getString()).isEqualTo("application/json");
            types.add(message.getHeaders().get(":event-type").getString());
            JSON.readTree(message.getPayload());
        }
        assertThat(types).containsExactly("messageStart", "contentBlockDelta", "contentBlockDelta", "contentBlockDelta",
                                          "contentBlockDelta", "contentBlockStop", "messageStop", "metadata");
    }

    // ---------------------------------------------------------------------------------------------
    // SigV4 rejections

    @Test
    void wrongSecretIsRejectedWithSignatureMismatch() {
        try (BedrockRuntimeClient wrong = syncClient(AwsBasicCredentials.create(AKID, "not-the-secret"))) {
            assertThatThrownBy(() -> wrong.converse(hello(MODEL)))
                    .isInstanceOfSatisfying(BedrockRuntimeException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(403);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException");
                        assertThat(e.awsErrorDetails().errorMessage()).startsWith(
                                "The request signature we calculated does not match the signature you provided.");
                        assertThat(e.requestId()).isNotBlank();
                    });
        }
        FakeBedrockProvider.RecordedRequest recorded = fake.lastRequest();
        assertThat(fake.wasRejected(recorded)).isTrue();
        assertThat(fake.rejections()).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.errorType()).isEqualTo("InvalidSignatureException");
            assertThat(r.request().accessKeyId()).isEqualTo(AKID);
        });
    }

    @Test
    void unknownAccessKeyIsRejected() {
        try (BedrockRuntimeClient unknown = syncClient(AwsBasicCredentials.create("AKIAUNKNOWN000000000", SECRET))) {
            assertThatThrownBy(() -> unknown.converse(hello(MODEL)))
                    .isInstanceOfSatisfying(BedrockRuntimeException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(403);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException");
                        assertThat(e.awsErrorDetails().errorMessage())
                                .isEqualTo("The security token included in the request is invalid.");
                    });
        }
        assertThat(fake.rejections()).singleElement()
                .satisfies(r -> assertThat(r.errorType()).isEqualTo("UnrecognizedClientException"));
    }

    @Test
    void sessionCredentialsWorkAndATamperedTokenIsRejected() {
        try (BedrockRuntimeClient session =
                     syncClient(AwsSessionCredentials.create(SESSION_AKID, SESSION_SECRET, SESSION_TOKEN))) {
            assertThat(session.converse(hello(MODEL)).output().message().content().getFirst().text())
                    .isEqualTo("Hello from fake " + MODEL);
        }
        FakeBedrockProvider.RecordedRequest accepted = fake.lastRequest();
        assertThat(accepted.headers().get("x-amz-security-token")).isEqualTo(SESSION_TOKEN);
        assertThat(accepted.headers().get("authorization")).contains("x-amz-security-token");
        assertThat(fake.wasRejected(accepted)).isFalse();

        // A token the SDK signs correctly but that the "STS" side never issued.
        try (BedrockRuntimeClient tampered =
                     syncClient(AwsSessionCredentials.create(SESSION_AKID, SESSION_SECRET, SESSION_TOKEN + "x"))) {
            assertThatThrownBy(() -> tampered.converse(hello(MODEL)))
                    .isInstanceOfSatisfying(BedrockRuntimeException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(403);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException");
                    });
        }
        // Session key id without its token.
        try (BedrockRuntimeClient noToken = syncClient(AwsBasicCredentials.create(SESSION_AKID, SESSION_SECRET))) {
            assertThatThrownBy(() -> noToken.converse(hello(MODEL)))
                    .isInstanceOfSatisfying(BedrockRuntimeException.class, e -> assertThat(e.statusCode()).isEqualTo(403));
        }
    }

    @Test
    void tokenAlteredAfterSigningFailsTheSignatureAndAnUnsignedTokenIsRefused() throws Exception {
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"Hi\"}]}]}";
        String path = "/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse";
        SignedRequest signed = sign(AwsSessionCredentials.create(SESSION_AKID, SESSION_SECRET, SESSION_TOKEN), path, body,
                                    Clock.systemUTC());
        assertThat(send(signed, body).statusCode()).isEqualTo(200);

        HttpResponse<byte[]> altered = send(signed, body, Map.of("x-amz-security-token", SESSION_TOKEN + "x"));
        assertThat(altered.statusCode()).isEqualTo(403);
        assertThat(altered.headers().firstValue("x-amzn-ErrorType")).hasValue("InvalidSignatureException");
        assertThat(altered.headers().firstValue("x-amzn-RequestId")).isPresent();

        SignedRequest basic = sign(AwsBasicCredentials.create(SESSION_AKID, SESSION_SECRET), path, body, Clock.systemUTC());
        HttpResponse<byte[]> unsigned = send(basic, body, Map.of("x-amz-security-token", SESSION_TOKEN));
        assertThat(unsigned.statusCode()).isEqualTo(403);
        assertThat(unsigned.headers().firstValue("x-amzn-ErrorType")).hasValue("IncompleteSignatureException");
    }

    @Test
    void bodyAlteredAfterSigningIsRejected() throws Exception {
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"Hi\"}]}]}";
        SignedRequest signed = sign(AwsBasicCredentials.create(AKID, SECRET), "/model/" + SIMPLE_MODEL + "/converse", body,
                                    Clock.systemUTC());
        HttpResponse<byte[]> response = send(signed, body.replace("Hi", "Ho"));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue("InvalidSignatureException");
        assertThat(JSON.readTree(response.body()).path("message").asText())
                .startsWith("The request signature we calculated does not match the signature you provided.");
    }

    @Test
    void requestsSignedMoreThanFiveMinutesAgoAreRejected() throws Exception {
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"Hi\"}]}]}";
        String path = "/model/" + SIMPLE_MODEL + "/converse";
        Clock sixMinutesAgo = Clock.fixed(Instant.now().minus(Duration.ofMinutes(6)), ZoneOffset.UTC);
        HttpResponse<byte[]> stale = send(sign(AwsBasicCredentials.create(AKID, SECRET), path, body, sixMinutesAgo), body);
        assertThat(stale.statusCode()).isEqualTo(403);
        assertThat(stale.headers().firstValue("x-amzn-ErrorType")).hasValue("InvalidSignatureException");
        assertThat(JSON.readTree(stale.body()).path("message").asText()).startsWith("Signature expired:");

        Clock fourMinutesAgo = Clock.fixed(Instant.now().minus(Duration.ofMinutes(4)), ZoneOffset.UTC);
        assertThat(send(sign(AwsBasicCredentials.create(AKID, SECRET), path, body, fourMinutesAgo), body).statusCode())
                .isEqualTo(200);
    }

    @Test
    void missingAuthorizationIsRejected() throws Exception {
        HttpResponse<byte[]> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/model/" + SIMPLE_MODEL + "/converse"))
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue("MissingAuthenticationTokenException");
        assertThat(fake.lastRequest().accessKeyId()).isNull();
    }

    // ---------------------------------------------------------------------------------------------
    // Behaviour errors map to the SDK's exception types

    @Test
    void throttlingValidationAndMissingModelMapToSdkExceptions() {
        try (BedrockRuntimeClient throttled =
                     syncClient(AwsBasicCredentials.create(FakeBedrockProvider.THROTTLED_KEY, "throttledSecret"))) {
            assertThatThrownBy(() -> throttled.converse(hello(MODEL)))
                    .isInstanceOfSatisfying(ThrottlingException.class, e -> assertThat(e.statusCode()).isEqualTo(429));
        }
        try (BedrockRuntimeClient invalid =
                     syncClient(AwsBasicCredentials.create(FakeBedrockProvider.VALIDATION_KEY, "validationSecret"))) {
            assertThatThrownBy(() -> invalid.converse(hello(MODEL)))
                    .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.statusCode()).isEqualTo(400));
        }
        assertThatThrownBy(() -> client.converse(hello(FakeBedrockProvider.MISSING_MODEL)))
                .isInstanceOfSatisfying(ResourceNotFoundException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(404);
                    assertThat(e.requestId()).isNotBlank();
                });
        assertThat(fake.rejections().stream().map(FakeBedrockProvider.Rejection::errorType).collect(Collectors.toList()))
                .containsExactly("ThrottlingException", "ValidationException", "ResourceNotFoundException");
    }

    @Test
    void streamingErrorsReachTheAsyncClient() {
        assertThatThrownBy(() -> stream(ConverseStreamRequest.builder()
                                                .modelId(FakeBedrockProvider.MISSING_MODEL)
                                                .messages(m -> m.role(ConversationRole.USER).content(ContentBlock.fromText("Hi")))
                                                .build()))
                .isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(ResourceNotFoundException.class);
    }

    // ---------------------------------------------------------------------------------------------
    // Raw requests signed by the SDK's signer (the test side may use it; the fake never does)

    private static SignedRequest sign(AwsCredentialsIdentity credentials, String rawPath, String body, Clock clock) {
        SdkHttpFullRequest request = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(URI.create(fake.baseUrl()))
                .encodedPath(rawPath)
                .putHeader("content-type", "application/json")
                .build();
        return AwsV4HttpSigner.create().sign(r -> r
                .identity(credentials)
                .request(request)
                .payload(ContentStreamProvider.fromByteArray(body.getBytes(UTF_8)))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "bedrock")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(HttpSigner.SIGNING_CLOCK, clock));
    }

    private static HttpResponse<byte[]> send(SignedRequest signed, String body) throws Exception {
        return send(signed, body, Map.of());
    }

    private static HttpResponse<byte[]> send(SignedRequest signed, String body, Map<String, String> overrides)
            throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(fake.baseUrl() + signed.request().encodedPath()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.getBytes(UTF_8)));
        signed.request().forEachHeader((name, values) -> {
            if (!name.equalsIgnoreCase("host") && !overrides.containsKey(name.toLowerCase())) {
                values.forEach(v -> builder.header(name, v));
            }
        });
        overrides.forEach(builder::header);
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
