package io.aigne.hub.provider.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aigne.hub.provider.Provider;
import io.aigne.hub.provider.ProviderFailure;
import io.aigne.hub.provider.ProviderType;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class BedrockEndpointTest {

    private static Provider provider(String baseUrl, String region) {
        return new Provider("p", "aws", ProviderType.BEDROCK, "AWS", baseUrl, region, true, List.of(), "test", 0, 0);
    }

    @Test
    void theRegionsPublicEndpointIsTheDefault() throws Exception {
        Provider provider = provider(null, "us-west-2");

        assertThat(BedrockEndpoint.region(provider)).isEqualTo("us-west-2");
        assertThat(BedrockEndpoint.baseUrl(provider, "us-west-2")).isEqualTo("https://bedrock-runtime.us-west-2.amazonaws.com");
    }

    @Test
    void aConfiguredBaseUrlWinsAndMayNameTheRegion() throws Exception {
        Provider vpc = provider("https://vpce-0abc.bedrock-runtime.eu-central-1.vpce.amazonaws.com/", "eu-central-1");
        Provider regionInHost = provider("https://bedrock-runtime.ap-northeast-1.amazonaws.com", null);

        assertThat(BedrockEndpoint.baseUrl(vpc, "eu-central-1"))
                .isEqualTo("https://vpce-0abc.bedrock-runtime.eu-central-1.vpce.amazonaws.com");
        assertThat(BedrockEndpoint.region(regionInHost)).isEqualTo("ap-northeast-1");
    }

    @Test
    void noRegionAnywhereIsAClearConfigurationError() {
        assertThatThrownBy(() -> BedrockEndpoint.region(provider("http://127.0.0.1:9999", "")))
                .isInstanceOfSatisfying(ProviderFailure.class, e -> {
                    assertThat(e.status()).isEqualTo(500);
                    assertThat(e.error().code()).isEqualTo("provider_misconfigured");
                    assertThat(e.error().message()).contains("'aws'").contains("region").contains("us-east-1");
                });
    }

    @Test
    void theSignedHostIsTheOneTheClientSends() {
        assertThat(BedrockEndpoint.hostHeader(URI.create("https://bedrock-runtime.us-east-1.amazonaws.com/model/x")))
                .isEqualTo("bedrock-runtime.us-east-1.amazonaws.com");
        assertThat(BedrockEndpoint.hostHeader(URI.create("https://example.com:443/"))).isEqualTo("example.com");
        assertThat(BedrockEndpoint.hostHeader(URI.create("http://127.0.0.1:8080/"))).isEqualTo("127.0.0.1:8080");
    }
}
