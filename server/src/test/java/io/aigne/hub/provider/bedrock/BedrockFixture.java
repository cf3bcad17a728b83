package io.aigne.hub.provider.bedrock;

import io.aigne.hub.gateway.canonical.ChatEvent;
import io.aigne.hub.gateway.upstream.Http1UpstreamClient;
import io.aigne.hub.provider.ChatEventSource;
import io.aigne.hub.provider.ChatStream;
import io.aigne.hub.provider.CredentialSecret;
import io.aigne.hub.provider.MediaFetcher;
import io.aigne.hub.provider.Provider;
import io.aigne.hub.provider.ProviderHttp;
import io.aigne.hub.provider.ProviderType;
import io.aigne.hub.routing.Route;
import io.aigne.hub.testing.FakeBedrockProvider;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A fake Bedrock Runtime and an adapter pointed at it, with the credentials the fake knows. */
final class BedrockFixture implements AutoCloseable {
    static final String AKID = "AKIAHUBTEST000000001";
    static final String SECRET = "hubTestSecret/K7MDENG/bPxRfiCYEXAMPLEKEY";
    static final String SESSION_AKID = "ASIAHUBTEST000000002";
    static final String SESSION_SECRET = "sessionSecret/+/hub0123456789abcdefABCDEF";
    static final String SESSION_TOKEN = "IQoJb3JpZ2luX2VjEHUBTEST//session+token==";
    static final String THROTTLED_SECRET = "throttledSecret";

    final FakeBedrockProvider fake = FakeBedrockProvider.start(
            Map.of(AKID, SECRET, SESSION_AKID, SESSION_SECRET, FakeBedrockProvider.THROTTLED_KEY, THROTTLED_SECRET),
            Map.of(SESSION_AKID, SESSION_TOKEN));
    final Http1UpstreamClient client = new Http1UpstreamClient(Duration.ofSeconds(5));
    final ProviderHttp http = new ProviderHttp(client, Duration.ofSeconds(30), 64L << 20);
    final MediaFetcher media = new MediaFetcher(client, Duration.ofSeconds(10), 20 << 20, true);
    final BedrockAdapter adapter = new BedrockAdapter(http, media);

    static CredentialSecret keys() {
        return new CredentialSecret(null, AKID, SECRET, null);
    }

    static CredentialSecret keys(String accessKeyId, String secretAccessKey) {
        return new CredentialSecret(null, accessKeyId, secretAccessKey, null);
    }

    static CredentialSecret sessionKeys() {
        return new CredentialSecret(null, SESSION_AKID, SESSION_SECRET, SESSION_TOKEN);
    }

    Provider provider(List<String> models) {
        return new Provider("p1", "aws", ProviderType.BEDROCK, "AWS Bedrock", fake.baseUrl(), "us-east-1", true,
                models, "test", 0, 0);
    }

    Provider provider() {
        return provider(List.of());
    }

    Route route(String model) {
        return route(model, keys());
    }

    Route route(String model, CredentialSecret secret) {
        return new Route(provider(), null, secret, model);
    }

    /** Every event of a stream, in order, up to its end. */
    static List<ChatEvent> drain(ChatStream stream) throws IOException {
        try (stream) {
            ChatEventSource source = stream.events(stream.response().body());
            List<ChatEvent> events = new ArrayList<>();
            for (ChatEvent event = source.next(); event != null; event = source.next()) {
                events.add(event);
            }
            return events;
        }
    }

    @Override
    public void close() {
        client.close();
        fake.close();
    }
}
