package io.aigne.hub.provider.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import io.aigne.hub.provider.CredentialSecret;
import io.aigne.hub.provider.Provider;
import io.aigne.hub.provider.ProviderType;
import io.aigne.hub.routing.Outcome;
import io.aigne.hub.testing.FakeBedrockProvider;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The credential probe (a deliberately invalid, signed Converse call) and the model list. */
class BedrockAdapterProbeTest {
    private static BedrockFixture bedrock;
    private static FakeBedrockProvider fake;

    @BeforeAll
    static void start() {
        bedrock = new BedrockFixture();
        fake = bedrock.fake;
    }

    @AfterAll
    static void stop() {
        bedrock.close();
    }

    @BeforeEach
    void reset() {
        fake.clearRequests();
    }

    @Test
    void aValidKeyIsProvedByTheValidationErrorThatFollowsAuthentication() {
        Provider provider = bedrock.provider(List.of("anthropic.claude-3-haiku-20240307-v1:0"));

        Outcome outcome = bedrock.adapter.probe(provider, BedrockFixture.keys());

        assertThat(outcome).isEqualTo(Outcome.SUCCESS);
        FakeBedrockProvider.RecordedRequest recorded = fake.lastRequest();
        assertThat(recorded.path()).isEqualTo("/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse");
        assertThat(recorded.json().path("inferenceConfig").path("maxTokens").asInt()).isZero();
        assertThat(fake.rejections()).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.errorType()).isEqualTo("ValidationException");
        });
    }

    @Test
    void sessionCredentialsProveTheSameWay() {
        assertThat(bedrock.adapter.probe(bedrock.provider(), BedrockFixture.sessionKeys())).isEqualTo(Outcome.SUCCESS);
        assertThat(fake.lastRequest().path()).isEqualTo("/model/amazon.nova-micro-v1%3A0/converse");
    }

    @Test
    void aModelIdBedrockDoesNotKnowStillProvesTheKey() {
        Provider provider = bedrock.provider(List.of(FakeBedrockProvider.MISSING_MODEL));

        assertThat(bedrock.adapter.probe(provider, BedrockFixture.keys())).isEqualTo(Outcome.SUCCESS);
        assertThat(fake.rejections().getFirst().errorType()).isEqualTo("ResourceNotFoundException");
    }

    @Test
    void aWrongSecretIsRejected() {
        Outcome outcome = bedrock.adapter.probe(bedrock.provider(),
                BedrockFixture.keys(BedrockFixture.AKID, "wrong-secret-value"));

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Rejected.class, rejected -> {
            assertThat(rejected.status()).isEqualTo(403);
            assertThat(rejected.message()).startsWith("InvalidSignatureException: The request signature we calculated");
        });
    }

    @Test
    void anUnknownKeyIsRejected() {
        Outcome outcome = bedrock.adapter.probe(bedrock.provider(),
                BedrockFixture.keys("AKIAUNKNOWN000000000", BedrockFixture.SECRET));

        assertThat(outcome).isEqualTo(new Outcome.Rejected(403,
                "UnrecognizedClientException: The security token included in the request is invalid."));
    }

    @Test
    void throttlingIsRateLimited() {
        Outcome outcome = bedrock.adapter.probe(bedrock.provider(),
                BedrockFixture.keys(FakeBedrockProvider.THROTTLED_KEY, BedrockFixture.THROTTLED_SECRET));

        assertThat(outcome).isInstanceOfSatisfying(Outcome.RateLimited.class,
                limited -> assertThat(limited.message()).contains("ThrottlingException"));
    }

    @Test
    void anApiKeyCredentialIsRejectedWithoutACall() {
        Outcome outcome = bedrock.adapter.probe(bedrock.provider(), CredentialSecret.apiKey("sk-not-aws"));

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Rejected.class, rejected -> {
            assertThat(rejected.status()).isEqualTo(401);
            assertThat(rejected.message()).contains("accessKeyId");
        });
        assertThat(fake.requests()).isEmpty();
    }

    @Test
    void aProviderWithoutRegionFailsWithTheReason() {
        Provider noRegion = new Provider("p3", "aws-eu", ProviderType.BEDROCK, "AWS", fake.baseUrl(), null, true,
                List.of(), "test", 0, 0);

        assertThat(bedrock.adapter.probe(noRegion, BedrockFixture.keys()))
                .isInstanceOfSatisfying(Outcome.Failed.class, failed -> assertThat(failed.message()).contains("region"));
    }

    @Test
    void anUnreachableEndpointFails() {
        Provider closed = new Provider("p4", "aws-down", ProviderType.BEDROCK, "AWS", "http://127.0.0.1:1",
                "us-east-1", true, List.of(), "test", 0, 0);

        assertThat(bedrock.adapter.probe(closed, BedrockFixture.keys())).isInstanceOf(Outcome.Failed.class);
    }

    @Test
    void theModelListIsTheProvidersOwnWithoutACall() {
        Provider provider = bedrock.provider(List.of("anthropic.claude-3-haiku-20240307-v1:0",
                "amazon.titan-embed-text-v2:0"));

        assertThat(bedrock.adapter.listModels(provider, BedrockFixture.keys(), Duration.ofSeconds(5)))
                .containsExactly("anthropic.claude-3-haiku-20240307-v1:0", "amazon.titan-embed-text-v2:0");
        assertThat(fake.requests()).isEmpty();
    }
}
