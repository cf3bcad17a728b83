package io.aigne.hub.routing;

import io.aigne.hub.provider.ProviderType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ModelFamilyTest {

    @Test
    void gpt4oMiniIsAnOpenAiModelServedByOpenAiOpenRouterAndPoe() {
        ModelFamily family = ModelFamily.of("gpt-4o-mini").orElseThrow();

        assertThat(family).isEqualTo(ModelFamily.OPENAI);
        assertThat(family.types()).containsExactly(ProviderType.OPENAI, ProviderType.OPENROUTER, ProviderType.POE);
        assertThat(family.nativeId(ProviderType.OPENROUTER, "gpt-4o-mini")).contains("openai/gpt-4o-mini");
        assertThat(family.nativeId(ProviderType.OPENAI, "gpt-4o-mini")).contains("gpt-4o-mini");
        assertThat(family.nativeId(ProviderType.POE, "gpt-4o-mini")).contains("gpt-4o-mini");
    }

    @Test
    void claudeOnOpenRouterIsPrefixedWithAnthropic() {
        ModelFamily family = ModelFamily.of("claude-3-5-sonnet").orElseThrow();

        assertThat(family).isEqualTo(ModelFamily.ANTHROPIC);
        assertThat(family.types()).contains(ProviderType.ANTHROPIC, ProviderType.BEDROCK, ProviderType.OPENROUTER);
        assertThat(family.nativeId(ProviderType.OPENROUTER, "claude-3-5-sonnet")).contains("anthropic/claude-3-5-sonnet");
        assertThat(family.nativeId(ProviderType.ANTHROPIC, "claude-3-5-sonnet")).contains("claude-3-5-sonnet");
    }

    @Test
    void grokOnOpenRouterIsPrefixedWithXAi() {
        ModelFamily family = ModelFamily.of("grok-3").orElseThrow();

        assertThat(family).isEqualTo(ModelFamily.XAI);
        assertThat(family.types()).contains(ProviderType.XAI);
        assertThat(family.nativeId(ProviderType.OPENROUTER, "grok-3")).contains("x-ai/grok-3");
        assertThat(family.nativeId(ProviderType.XAI, "grok-3")).contains("grok-3");
    }

    @Test
    void openWeightModelsHaveNoOpenRouterIdButKeepTheirNameLocally() {
        ModelFamily family = ModelFamily.of("llama3.2").orElseThrow();

        assertThat(family).isEqualTo(ModelFamily.OPEN_WEIGHTS);
        assertThat(family.types()).contains(ProviderType.OLLAMA, ProviderType.LMSTUDIO);
        assertThat(family.nativeId(ProviderType.OPENROUTER, "llama3.2")).isEmpty();
        assertThat(family.nativeId(ProviderType.OLLAMA, "llama3.2")).contains("llama3.2");
    }

    @ParameterizedTest
    @CsvSource({
            "gpt-4o,                   OPENAI",
            "GPT-4o,                   OPENAI",
            "o3-mini,                  OPENAI",
            "chatgpt-4o-latest,        OPENAI",
            "text-embedding-3-small,   OPENAI",
            "dall-e-3,                 OPENAI",
            "claude-3-5-haiku-latest,  ANTHROPIC",
            "gemini-2.0-flash,         GOOGLE",
            "deepseek-chat,            DEEPSEEK",
            "doubao-pro-32k,           DOUBAO",
            "qwen2.5:7b,               OPEN_WEIGHTS",
            "mistral-large,            OPEN_WEIGHTS",
    })
    void familiesAreRecognisedByPrefix(String model, ModelFamily expected) {
        assertThat(ModelFamily.of(model)).contains(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"foo", "", "my-fine-tune", "command-r"})
    void unknownModelsHaveNoFamily(String model) {
        assertThat(ModelFamily.of(model)).isEqualTo(Optional.empty());
    }
}
