package io.aigne.hub.provider.bedrock;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.gateway.canonical.ChatRequest;
import io.aigne.hub.gateway.canonical.ChatResponse;
import io.aigne.hub.gateway.canonical.EmbeddingRequest;
import io.aigne.hub.gateway.canonical.EmbeddingResponse;
import io.aigne.hub.gateway.upstream.UpstreamRequest;
import io.aigne.hub.gateway.upstream.UpstreamResponse;
import io.aigne.hub.provider.ChatStream;
import io.aigne.hub.provider.CredentialSecret;
import io.aigne.hub.provider.MediaFetcher;
import io.aigne.hub.provider.Provider;
import io.aigne.hub.provider.ProviderAdapter;
import io.aigne.hub.provider.ProviderFailure;
import io.aigne.hub.provider.ProviderHttp;
import io.aigne.hub.provider.UpstreamError;
import io.aigne.hub.provider.WireFormat;
import io.aigne.hub.routing.Outcome;
import io.aigne.hub.routing.Route;
import io.aigne.hub.server.Bodies;
import io.aigne.hub.server.Json;
import io.aigne.hub.usage.Usage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * The AWS Bedrock Runtime: chat through Converse and ConverseStream (one request shape for every chat model on
 * Bedrock), embeddings through InvokeModel (Titan and Cohere), every request signed with SigV4 from the
 * credential's access key pair and the provider's region.
 */
public final class BedrockAdapter implements ProviderAdapter {
    private static final String JSON = "application/json";
    private static final String EVENT_STREAM = "application/vnd.amazon.eventstream";
    private static final String REQUEST_ID = "x-amzn-requestid";
    private static final String INPUT_TOKEN_COUNT = "x-amzn-bedrock-input-token-count";
    /**
     * The bound on a whole answer: upstream.maxResponseBytes's default. These answers are read here rather than by
     * {@link ProviderHttp#fetch} because their headers matter (request id, Cohere's token count), and ProviderHttp
     * does not expose the configured limit.
     */
    /**
     * The probe's body is invalid on purpose ({@code maxTokens} must be at least 1, {@code messages} must not be
     * empty): Bedrock checks the signature and the key first, so a 400 proves them good while no model runs and no
     * token is billed.
     */
    private static final byte[] PROBE_BODY =
            "{\"messages\":[],\"inferenceConfig\":{\"maxTokens\":0}}".getBytes(StandardCharsets.UTF_8);
    /** Any model id serves the probe (the body is refused before a model is involved); used when none is configured. */
    private static final String PROBE_MODEL = "amazon.nova-micro-v1:0";
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(15);

    private final ProviderHttp http;
    private final ConverseRequestMapper requests;
    private final BedrockEndpoint endpoint;

    public BedrockAdapter(ProviderHttp http, MediaFetcher media) {
        this(http, media, Clock.systemUTC());
    }

    BedrockAdapter(ProviderHttp http, MediaFetcher media, Clock clock) {
        this.http = http;
        this.requests = new ConverseRequestMapper(media);
        this.endpoint = new BedrockEndpoint(http, SigV4Signer.bedrock(), clock);
    }

    @Override
    public WireFormat wire() {
        return WireFormat.BEDROCK;
    }

    @Override
    public ChatResponse chat(Route route, ChatRequest request) throws ProviderFailure {
        String model = route.upstreamModel();
        ConverseRequestMapper.Converse converse = requests.map(model, request);
        UpstreamRequest upstream = endpoint.post(route.provider(), route.secret(),
                BedrockEndpoint.modelPath(model, "converse"), Json.bytes(converse.body()), JSON,
                http.firstByteTimeout());
        Answer answer = exchange(upstream, route.secret());
        return ConverseResponseMapper.read(answer.body(), answer.requestId(), model, converse.jsonTool());
    }

    @Override
    public ChatStream stream(Route route, ChatRequest request) throws ProviderFailure {
        String model = route.upstreamModel();
        ConverseRequestMapper.Converse converse = requests.map(model, request);
        UpstreamRequest upstream = endpoint.post(route.provider(), route.secret(),
                BedrockEndpoint.modelPath(model, "converse-stream"), Json.bytes(converse.body()), EVENT_STREAM,
                http.firstByteTimeout());
        UpstreamResponse response = http.open(upstream, route.secret(), BedrockErrorReader.INSTANCE);
        String contentType = response.header("content-type").orElse(EVENT_STREAM).toLowerCase(Locale.ROOT);
        if (!contentType.startsWith(EVENT_STREAM)) {
            response.close();
            throw ProviderFailure.broken("Bedrock answered ConverseStream with '" + contentType
                    + "' instead of an event stream", false);
        }
        String id = requestId(response);
        CredentialSecret secret = route.secret();
        String jsonTool = converse.jsonTool();
        return new ChatStream(response,
                body -> new ConverseStreamEvents(new EventStreamDecoder(body), id, model, jsonTool, secret));
    }

    /** Titan: one InvokeModel per text; Cohere: batches of 96. Token counts are summed over the calls. */
    @Override
    public EmbeddingResponse embed(Route route, EmbeddingRequest request) throws ProviderFailure {
        String model = route.upstreamModel();
        BedrockEmbeddings.Family family = BedrockEmbeddings.family(model);
        if (family == null) {
            throw ProviderFailure.status(new UpstreamError(400, "'" + model + "' is not an embedding model the hub"
                    + " can call on Bedrock; use Amazon Titan Text Embeddings (amazon.titan-embed-text-v2:0) or Cohere"
                    + " Embed (cohere.embed-english-v3, cohere.embed-multilingual-v3, cohere.embed-v4:0)",
                    "invalid_request_error", "model", "unsupported_model"), null);
        }
        List<float[]> vectors = new ArrayList<>();
        long tokens = 0;
        String path = BedrockEndpoint.modelPath(model, "invoke");
        for (ObjectNode body : BedrockEmbeddings.bodies(family, model, request)) {
            int expected = body.has("texts") ? body.path("texts").size() : 1;
            UpstreamRequest upstream = endpoint.post(route.provider(), route.secret(), path, Json.bytes(body), JSON,
                    http.firstByteTimeout());
            Answer answer = exchange(upstream, route.secret());
            BedrockEmbeddings.Answer read = BedrockEmbeddings.read(family, answer.body(), expected);
            vectors.addAll(read.vectors());
            tokens += read.tokens().orElse(answer.inputTokens().orElse(0));
        }
        return new EmbeddingResponse(model, vectors, Usage.tokens(tokens, 0, 0, 0, 0));
    }

    /**
     * Bedrock Runtime has no free read-only call to check a key with (listing models is the control plane's, and
     * needs another permission), so the probe signs a Converse call whose body is invalid on purpose. Bedrock
     * authenticates before it validates: 400 (or 404 for a model id it does not know) means the signature and the
     * key were accepted; 401/403 means they were not (or the key may not call Bedrock at all); nothing runs.
     */
    @Override
    public Outcome probe(Provider provider, CredentialSecret secret) {
        String model = provider.models().isEmpty() ? PROBE_MODEL : provider.models().getFirst();
        try {
            UpstreamRequest request = endpoint.post(provider, secret, BedrockEndpoint.modelPath(model, "converse"),
                    PROBE_BODY, JSON, PROBE_TIMEOUT);
            http.open(request, secret, BedrockErrorReader.INSTANCE).close();
            return Outcome.SUCCESS;
        } catch (ProviderFailure failure) {
            if (failure.kind() != ProviderFailure.Kind.STATUS) {
                return new Outcome.Failed(failure.getMessage());
            }
            UpstreamError error = failure.error();
            String message = error.code() == null ? error.message() : error.code() + ": " + error.message();
            return switch (error.status()) {
                case 400, 404 -> Outcome.SUCCESS;
                case 401, 403 -> new Outcome.Rejected(error.status(), message);
                case 429 -> new Outcome.RateLimited(message, retryAfter(failure.retryAfter()));
                default -> new Outcome.Failed(error.status() + ": " + message);
            };
        } catch (RuntimeException e) {
            return new Outcome.Failed("the Bedrock probe failed: " + e.getMessage());
        }
    }

    /**
     * The provider's configured models, without a call: Bedrock Runtime cannot list models (that is the separate
     * control-plane API, with its own IAM permission), and even that lists every model of the region rather than
     * the ones this account may invoke, so the operator's list is the honest answer.
     */
    @Override
    public List<String> listModels(Provider provider, CredentialSecret secret, Duration timeout) {
        return provider.models();
    }

    // ---------------------------------------------------------------------------------------------

    private record Answer(byte[] body, String requestId, OptionalLong inputTokens) {
    }

    /** Sends the request and reads the whole successful answer with the headers that matter. */
    private Answer exchange(UpstreamRequest request, CredentialSecret secret) throws ProviderFailure {
        try (UpstreamResponse response = http.open(request, secret, BedrockErrorReader.INSTANCE)) {
            byte[] body = Bodies.read(response.body(), ProviderHttp.declaredLength(response), http.maxResponseBytes());
            return new Answer(body, requestId(response), longHeader(response, INPUT_TOKEN_COUNT));
        } catch (Bodies.TooLarge e) {
            throw ProviderFailure.broken("Bedrock's answer is larger than upstream.maxResponseBytes ("
                    + http.maxResponseBytes() + " bytes)", false);
        } catch (IOException e) {
            throw ProviderFailure.broken("Bedrock's answer broke off: " + e.getMessage(), false);
        }
    }

    private static String requestId(UpstreamResponse response) {
        return response.header(REQUEST_ID).filter(id -> !id.isBlank())
                .orElseGet(() -> "bedrock-" + UUID.randomUUID());
    }

    private static OptionalLong longHeader(UpstreamResponse response, String name) {
        try {
            return response.header(name).map(v -> OptionalLong.of(Long.parseLong(v.strip())))
                    .orElse(OptionalLong.empty());
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private static Duration retryAfter(String value) {
        if (value == null) {
            return null;
        }
        try {
            return Duration.ofSeconds(Long.parseLong(value.strip()));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
