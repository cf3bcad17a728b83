package io.aigne.hub.provider.gemini;

import io.aigne.hub.gateway.canonical.ChatEvent;
import io.aigne.hub.gateway.canonical.ChatRequest;
import io.aigne.hub.gateway.canonical.Message;
import io.aigne.hub.gateway.upstream.Http1UpstreamClient;
import io.aigne.hub.provider.ChatEventSource;
import io.aigne.hub.provider.ChatStream;
import io.aigne.hub.provider.CredentialSecret;
import io.aigne.hub.provider.MediaFetcher;
import io.aigne.hub.provider.Provider;
import io.aigne.hub.provider.ProviderHttp;
import io.aigne.hub.provider.ProviderType;
import io.aigne.hub.routing.Route;
import io.aigne.hub.testing.FakeGeminiProvider;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** One fake Gemini and an adapter pointed at it, shared by the tests of one class. */
final class GeminiFixture implements AutoCloseable {
    static final String MODEL = "gemini-2.5-flash";

    final FakeGeminiProvider fake = FakeGeminiProvider.start();
    final Http1UpstreamClient client = new Http1UpstreamClient(Duration.ofSeconds(5));
    final ProviderHttp http = new ProviderHttp(client, Duration.ofSeconds(30), 64L << 20);
    final GeminiAdapter adapter = new GeminiAdapter(http, new MediaFetcher(client, Duration.ofSeconds(10), 20 << 20, true));

    Provider provider() {
        return provider(fake.baseUrl());
    }

    static Provider provider(String baseUrl) {
        return new Provider("p1", "google", ProviderType.GOOGLE, "Google", baseUrl, null, true, List.of(), "test", 0, 0);
    }

    Route route(String key, String model) {
        return new Route(provider(), null, CredentialSecret.apiKey(key), model);
    }

    Route route(String model) {
        return route("gm-ok-test", model);
    }

    static ChatRequest request(List<Message> messages) {
        return new ChatRequest(MODEL, null, messages, null, null, null, null, null, false, null);
    }

    /** Every event of a stream, in order, until it ends. */
    static List<ChatEvent> drain(ChatStream stream) throws IOException {
        try (stream) {
            ChatEventSource events = stream.events(stream.response().body());
            List<ChatEvent> all = new ArrayList<>();
            for (ChatEvent event = events.next(); event != null; event = events.next()) {
                all.add(event);
            }
            return all;
        }
    }

    @Override
    public void close() {
        fake.close();
        client.close();
    }
}
