package io.aigne.hub.secret;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class MaskingTest {

    @Test
    void aLongSecretShowsItsFirstAndLastFourAroundAtMostSixteenStars() {
        String key = "sk-proj-Zq8cT1vX0nY3bL5mK7aP9sD2fG4hJ6kL";

        assertThat(Masking.mask(key)).isEqualTo("sk-p" + "*".repeat(16) + "J6kL");
    }

    @Test
    void aMediumSecretGetsOneStarPerHiddenCharacter() {
        assertThat(Masking.mask("abcd1234wxyz")).isEqualTo("abcd****wxyz");
        assertThat(Masking.mask("abcd12345678wxyz")).isEqualTo("abcd********wxyz");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "abcd", "sk-12345", "abcdefghijk"})
    void shortSecretsAreFullyHidden(String secret) {
        assertThat(Masking.mask(secret)).isEqualTo("***");
    }

    @ParameterizedTest
    @NullAndEmptySource
    void nothingMasksToNothing(String secret) {
        assertThat(Masking.mask(secret)).isEmpty();
    }

    @Test
    void theMaskNeverRevealsTheMiddle() {
        String key = "AKIAIOSFODNN7EXAMPLE";

        assertThat(Masking.mask(key)).isEqualTo("AKIA************MPLE").doesNotContain("IOSFODNN7EXA");
    }
}
