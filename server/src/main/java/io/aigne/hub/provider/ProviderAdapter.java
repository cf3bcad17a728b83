package io.aigne.hub.provider;

import io.aigne.hub.gateway.canonical.ChatRequest;
import io.aigne.hub.gateway.canonical.ChatResponse;
import io.aigne.hub.gateway.canonical.EmbeddingRequest;
import io.aigne.hub.gateway.canonical.EmbeddingResponse;
import io.aigne.hub.gateway.canonical.ImageRequest;
import io.aigne.hub.gateway.canonical.ImageResponse;
import io.aigne.hub.gateway.canonical.VideoRequest;
import io.aigne.hub.gateway.canonical.VideoResponse;
import io.aigne.hub.routing.Outcome;
import io.aigne.hub.routing.Route;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Speaks one wire format on behalf of the hub: maps canonical calls to the provider's API and its answers back.
 * The route gives the provider (base URL, region), the credential's secret and the upstream model id; adapters
 * never use {@code request.model()}. Every method that calls out throws {@link ProviderFailure} for anything but
 * a usable answer, and never lets a secret into a message.
 */
public interface ProviderAdapter {
    WireFormat wire();

    ChatResponse chat(Route route, ChatRequest request) throws ProviderFailure;

    /** Opens a streamed chat; returns once the provider has accepted it. */
    ChatStream stream(Route route, ChatRequest request) throws ProviderFailure;

    default EmbeddingResponse embed(Route route, EmbeddingRequest request) throws ProviderFailure {
        throw unsupported(route, "embeddings");
    }

    default ImageResponse generateImages(Route route, ImageRequest request) throws ProviderFailure {
        throw unsupported(route, "image generation");
    }

    /**
     * Makes videos and waits for them: video APIs answer with a job to poll, so this returns (or fails) only once
     * the job has ended, within the adapter's video timeout, with the videos downloaded.
     */
    default VideoResponse generateVideo(Route route, VideoRequest request) throws ProviderFailure {
        throw unsupported(route, "video generation");
    }

    /** A cheap live check of a credential; never throws. */
    Outcome probe(Provider provider, CredentialSecret secret);

    /** The model ids the provider lists, for {@code /v1/models}. */
    List<String> listModels(Provider provider, CredentialSecret secret, Duration timeout) throws IOException;

    /** A 400 for a capability this provider's API does not have (the caller picked the wrong model). */
    static ProviderFailure unsupported(Route route, String capability) {
        return ProviderFailure.status(new UpstreamError(400, "provider '" + route.provider().name() + "' ("
                + route.provider().type().id() + ") has no " + capability + " API; pick a model of a provider that has",
                "invalid_request_error", "model", "unsupported_capability"), null);
    }
}
