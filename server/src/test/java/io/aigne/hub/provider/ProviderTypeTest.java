package io.aigne.hub.provider;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every OpenAI-wire provider of the core issue, with the base URL its API reference documents. */
class ProviderTypeTest {

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
            "openai, https://api.openai.com/v1",
            "deepseek, https://api.deepseek.com",
            "xai, https://api.x.ai/v1",
            "openrouter, https://openrouter.ai/api/v1",
            "ollama, http://127.0.0.1:11434/v1",
            "lmstudio, http://127.0.0.1:1234/v1",
            "doubao, https://ark.cn-beijing.volces.com/api/v3",
            "poe, https://api.poe.com/v1"})
    void eachOpenAiWireProviderHasItsDocumentedDefault(String id, String baseUrl) {
        ProviderType type = ProviderType.byId(id).orElseThrow();
        assertThat(type.wire()).isEqualTo(WireFormat.OPENAI);
        Provider provider = new Provider("p1", id, type, null, null, null, true, List.of(), "api", 0, 0);
        assertThat(provider.effectiveBaseUrl()).isEqualTo(baseUrl);
    }

    @Test
    void aConfiguredBaseUrlOverridesTheDefaultWithoutATrailingSlash() {
        Provider provider = new Provider("p1", "mine", ProviderType.OPENAI, null, "https://proxy.example/v1/", null,
                true, List.of(), "api", 0, 0);
        assertThat(provider.effectiveBaseUrl()).isEqualTo("https://proxy.example/v1");
    }

    @Test
    void namesAreMatchedLikeTheAigneClientsMatchThem() {
        assertThat(ProviderType.byId("open-router")).contains(ProviderType.OPENROUTER);
        assertThat(ProviderType.byId("Gemini")).contains(ProviderType.GOOGLE);
        assertThat(ProviderType.byId("LM_Studio")).contains(ProviderType.LMSTUDIO);
        assertThat(ProviderType.byId("skynet")).isEmpty();
    }

    @Test
    void nativeProvidersSpeakTheirOwnWireFormat() {
        assertThat(ProviderType.ANTHROPIC.wire()).isEqualTo(WireFormat.ANTHROPIC);
        assertThat(ProviderType.GOOGLE.wire()).isEqualTo(WireFormat.GEMINI);
        assertThat(ProviderType.BEDROCK.wire()).isEqualTo(WireFormat.BEDROCK);
        assertThat(ProviderType.BEDROCK.credentialKind()).isEqualTo(CredentialKind.ACCESS_KEY_PAIR);
        assertThat(ProviderType.IDEOGRAM.wire()).isEqualTo(WireFormat.IDEOGRAM);
    }
}
