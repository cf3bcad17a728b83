package io.aigne.hub.provider.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.gateway.canonical.ChatRequest;
import io.aigne.hub.gateway.canonical.ChatResponse;
import io.aigne.hub.gateway.canonical.EmbeddingRequest;
import io.aigne.hub.gateway.canonical.EmbeddingResponse;
import io.aigne.hub.gateway.canonical.ImageRequest;
import io.aigne.hub.gateway.canonical.ImageResponse;
import io.aigne.hub.gateway.canonical.VideoRequest;
import io.aigne.hub.gateway.canonical.VideoResponse;
import io.aigne.hub.gateway.upstream.UpstreamException;
import io.aigne.hub.gateway.upstream.UpstreamRequest;
import io.aigne.hub.gateway.upstream.UpstreamResponse;
import io.aigne.hub.provider.ChatStream;
import io.aigne.hub.provider.CredentialSecret;
import io.aigne.hub.provider.ErrorReader;
import io.aigne.hub.provider.Provider;
import io.aigne.hub.provider.ProviderAdapter;
import io.aigne.hub.provider.ProviderFailure;
import io.aigne.hub.provider.ProviderHttp;
import io.aigne.hub.provider.UpstreamError;
import io.aigne.hub.provider.VideoPolling;
import io.aigne.hub.provider.WireFormat;
import io.aigne.hub.routing.Outcome;
import io.aigne.hub.routing.Route;
import io.aigne.hub.server.Json;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Translated calls to providers of the OpenAI wire format (OpenAI, DeepSeek, xAI, OpenRouter, Ollama...): a caller
 * of another protocol reaches them through the canonical model. Calls whose caller already speaks OpenAI do not
 * come here; the OpenAI front door forwards those bytes as they are.
 */
public final class OpenAiAdapter implements ProviderAdapter {
    private final ProviderHttp http;
    private final OpenAiUpstream upstream;
    private final OpenAiVideos videos;

    public OpenAiAdapter(ProviderHttp http, OpenAiUpstream upstream) {
        this(http, upstream, VideoPolling.of(Duration.ofSeconds(600)));
    }

    public OpenAiAdapter(ProviderHttp http, OpenAiUpstream upstream, VideoPolling videoPolling) {
        this.http = http;
        this.upstream = upstream;
        this.videos = new OpenAiVideos(http, videoPolling);
    }

    @Override
    public WireFormat wire() {
        return WireFormat.OPENAI;
    }

    @Override
    public ChatResponse chat(Route route, ChatRequest request) throws ProviderFailure {
        ObjectNode body = OpenAiChatRequestMapper.body(request, route.upstreamModel(), route.provider().type(), false);
        JsonNode answer = post(route, "/chat/completions", body);
        ChatResponse response = OpenAiChatResponseMapper.response(answer);
        if (response == null) {
            throw ProviderFailure.broken("the provider's chat answer has no choices", false);
        }
        return response;
    }

    @Override
    public ChatStream stream(Route route, ChatRequest request) throws ProviderFailure {
        ObjectNode body = OpenAiChatRequestMapper.body(request, route.upstreamModel(), route.provider().type(), true);
        UpstreamRequest call = upstream.post(route.provider(), route.secret(), "/chat/completions", Json.bytes(body),
                true);
        UpstreamResponse response = http.open(call, route.secret(), ErrorReader.JSON);
        CredentialSecret secret = route.secret();
        return new ChatStream(response, in -> new OpenAiStreamDecoder(in, secret));
    }

    @Override
    public EmbeddingResponse embed(Route route, EmbeddingRequest request) throws ProviderFailure {
        JsonNode answer = post(route, "/embeddings", OpenAiEmbeddingsMapper.body(request, route.upstreamModel()));
        EmbeddingResponse response = OpenAiEmbeddingsMapper.response(answer, request.inputs().size());
        if (response == null) {
            throw ProviderFailure.broken("the provider's embeddings answer does not hold one vector per input",
                    false);
        }
        return response;
    }

    @Override
    public ImageResponse generateImages(Route route, ImageRequest request) throws ProviderFailure {
        JsonNode answer = post(route, "/images/generations", OpenAiImagesMapper.body(request, route.upstreamModel()));
        ImageResponse response = OpenAiImagesMapper.response(answer);
        if (response == null) {
            throw ProviderFailure.broken("the provider's image answer holds no image URL or data", false);
        }
        return response;
    }

    @Override
    public VideoResponse generateVideo(Route route, VideoRequest request) throws ProviderFailure {
        return videos.generate(route, request);
    }

    @Override
    public Outcome probe(Provider provider, CredentialSecret secret) {
        return upstream.probe(provider, secret);
    }

    @Override
    public List<String> listModels(Provider provider, CredentialSecret secret, Duration timeout) throws IOException {
        try {
            return upstream.listModels(provider, secret, timeout);
        } catch (UpstreamException e) {
            throw new IOException(provider.name() + " could not be reached: " + e.getMessage(), e);
        }
    }

    /**
     * Posts the body and reads the JSON answer. A few compatible servers (OpenRouter among them) answer 200 with an
     * error object when the model behind them failed; that is a failure with the status the error names.
     */
    private JsonNode post(Route route, String path, ObjectNode body) throws ProviderFailure {
        UpstreamRequest call = upstream.post(route.provider(), route.secret(), path, Json.bytes(body), false);
        byte[] bytes = http.fetch(call, route.secret(), ErrorReader.JSON);
        JsonNode answer;
        try {
            answer = Json.MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw ProviderFailure.broken("the provider's answer is not JSON: " + e.getOriginalMessage(), false);
        } catch (IOException e) {
            throw ProviderFailure.broken("the provider's answer could not be read: " + e.getMessage(), false);
        }
        if (answer == null || !answer.isObject()) {
            throw ProviderFailure.broken("the provider's answer is not a JSON object", false);
        }
        JsonNode error = answer.path("error");
        if (error.isObject() || error.isTextual()) {
            int code = error.path("code").asInt(0);
            throw ProviderFailure.status(UpstreamError.parse(bytes, code >= 400 && code < 600 ? code : 502,
                    route.secret()), null);
        }
        return answer;
    }
}
