package io.aigne.hub.secret;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class RedactionTest {

    @Test
    void theExactSecretUsedIsReplacedByItsMaskedForm() {
        String secret = "ollama-local-token-0123456789";
        String error = "{\"error\":\"token ollama-local-token-0123456789 is not valid\"}";

        String redacted = Redaction.redact(error, secret);

        assertThat(redacted).doesNotContain(secret)
                .isEqualTo("{\"error\":\"token " + Masking.mask(secret) + " is not valid\"}");
    }

    @Test
    void everyOccurrenceOfEverySecretIsReplaced() {
        String redacted = Redaction.redact("id=AKID-custom-0001 secret=wJalrXUtnFEMI/K7MDENG id=AKID-custom-0001",
                "AKID-custom-0001", "wJalrXUtnFEMI/K7MDENG");

        assertThat(redacted).doesNotContain("AKID-custom-0001").doesNotContain("wJalrXUtnFEMI/K7MDENG");
    }

    @Test
    void openAisInvalidKeyMessageLosesTheKey() {
        String message = "Incorrect API key provided: sk-proj-abc123456789. You can find your API key at "
                + "https://platform.openai.com/account/api-keys.";

        assertThat(Redaction.redact(message)).isEqualTo("Incorrect API key provided: sk-proj-***. You can find "
                + "your API key at https://platform.openai.com/account/api-keys.");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "sk-proj-abc123456789",
            "sk-ant-api03-AbCdEf123456_ghIJ-klmn",
            "sk-or-v1-0123456789abcdef0123456789abcdef",
            "sk-1234567890abcdefABCDEF",
            "xai-AbCdEf0123456789",
            "AKIAIOSFODNN7EXAMPLE",
            "ASIAY34FZKBOKMUTVV7A",
            "AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY",
    })
    void keyShapedStringsAreRedactedEvenWhenNotPassedIn(String key) {
        String redacted = Redaction.redact("upstream said: invalid credential " + key + " (401)");

        assertThat(redacted).doesNotContain(key).startsWith("upstream said: invalid credential ").endsWith("*** (401)");
    }

    @Test
    void aKeyShapedSecretEndsUpFullyHidden() {
        String key = "sk-proj-Zq8cT1vX0nY3bL5mK7aP9sD2fG4hJ6kL";

        String redacted = Redaction.redact("bad key " + key, key);

        assertThat(redacted).doesNotContain(key).doesNotContain("6kL").isEqualTo("bad key sk-***");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "The model `gpt-4o-mini` does not exist or you do not have access to it.",
            "Rate limit reached for gpt-4o in organization org-abc on tokens per min (TPM): Limit 30000.",
            "{\"error\":{\"message\":\"Invalid 'messages[0].role'\",\"type\":\"invalid_request_error\"}}",
            "claude-3-5-sonnet-20241022 is overloaded; retry after 20s",
            "",
    })
    void ordinaryTextIsKept(String text) {
        assertThat(Redaction.redact(text, "sk-proj-not-in-the-text-123")).isEqualTo(text);
    }

    @Test
    void shortOrMissingSecretsAreIgnored() {
        assertThat(Redaction.redact("abc and more text", "abc", null)).isEqualTo("abc and more text");
        assertThat(Redaction.redact(null, "anything")).isNull();
    }
}
