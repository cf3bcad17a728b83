package io.aigne.hub.routing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

class ModelRefTest {
    private static final Predicate<String> KNOWN = Set.of("openai", "openrouter", "ollama", "my-azure")::contains;

    @ParameterizedTest(name = "{0} -> provider {1}, model {2}")
    @CsvSource(nullValues = "-", value = {
            "openai/gpt-4o-mini,                    openai,     gpt-4o-mini",
            "openrouter/anthropic/claude-3.5-sonnet, openrouter, anthropic/claude-3.5-sonnet",
            "OpenAI/gpt-4o,                         openai,     gpt-4o",
            "OPENROUTER/openai/gpt-4o,              openrouter, openai/gpt-4o",
            "my-azure/gpt-4o,                       my-azure,   gpt-4o",
            "ollama/llama3.2:3b,                    ollama,     llama3.2:3b",
            "gpt-4o,                                -,          gpt-4o",
            "unknown/x,                             -,          unknown/x",
            "anthropic/claude-3.5-sonnet,           -,          anthropic/claude-3.5-sonnet",
            "openai/,                               -,          openai/",
            "/x,                                    -,          /x",
            "/,                                     -,          /",
    })
    void parse(String id, String provider, String model) {
        ModelRef ref = ModelRef.parse(id, KNOWN);

        assertThat(ref.asWritten()).isEqualTo(id);
        assertThat(ref.provider()).isEqualTo(Optional.ofNullable(provider));
        assertThat(ref.model()).isEqualTo(model);
    }

    @Test
    void theProviderPrefixIsLookedUpInLowerCase() {
        List<String> asked = new ArrayList<>();

        ModelRef ref = ModelRef.parse("OpenAI/gpt-4o", name -> asked.add(name) && name.equals("openai"));

        assertThat(asked).containsExactly("openai");
        assertThat(ref.asWritten()).isEqualTo("OpenAI/gpt-4o");
    }

    @Test
    void aBareModelDoesNotAskThePredicate() {
        List<String> asked = new ArrayList<>();

        ModelRef.parse("gpt-4o", asked::add);

        assertThat(asked).isEmpty();
    }

    @Test
    void theModelKeepsItsCase() {
        assertThat(ModelRef.parse("openrouter/Qwen/Qwen2.5-72B-Instruct", KNOWN).model())
                .isEqualTo("Qwen/Qwen2.5-72B-Instruct");
    }
}
