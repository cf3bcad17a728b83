package io.aigne.hub.provider.ideogram;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.aigne.hub.provider.CredentialSecret;
import io.aigne.hub.provider.UpstreamError;
import org.junit.jupiter.api.Test;

class IdeogramErrorsTest {
    private static final String KEY = "ideogram-secret-key-123456";
    private static final CredentialSecret SECRET = CredentialSecret.apiKey(KEY);

    @Test
    void errorTextIsTheMessage() {
        UpstreamError error = IdeogramErrors.read(401, "{\"error\":\"Invalid or missing Api-Key\"}".getBytes(UTF_8),
                SECRET);

        assertThat(error.status()).isEqualTo(401);
        assertThat(error.message()).isEqualTo("Invalid or missing Api-Key");
    }

    @Test
    void problemDetailsOfRequestValidationGiveTheirDetail() {
        byte[] body = """
                {"detail": "'prompt' is a required property", "status": 400, "title": "Bad Request",
                 "type": "about:blank"}""".getBytes(UTF_8);

        UpstreamError error = IdeogramErrors.read(400, body, SECRET);

        assertThat(error.status()).isEqualTo(400);
        assertThat(error.message()).isEqualTo("'prompt' is a required property");
    }

    @Test
    void aSafetyRejectionIsAContentFilterOnThePrompt() {
        UpstreamError error = IdeogramErrors.read(422,
                "{\"error\":\"Prompt failed the safety checks\"}".getBytes(UTF_8), SECRET);

        assertThat(error.status()).isEqualTo(422);
        assertThat(error.message()).isEqualTo("Prompt failed the safety checks");
        assertThat(error.type()).isEqualTo("content_filter");
        assertThat(error.code()).isEqualTo("content_policy_violation");
        assertThat(error.param()).isEqualTo("prompt");
    }

    @Test
    void theKeyNeverReachesTheMessage() {
        UpstreamError error = IdeogramErrors.read(401, ("{\"error\":\"key " + KEY + " is revoked\"}").getBytes(UTF_8),
                SECRET);
        UpstreamError detail = IdeogramErrors.read(400, ("{\"detail\":\"bad key " + KEY + "\"}").getBytes(UTF_8),
                SECRET);
        UpstreamError raw = IdeogramErrors.read(502, ("<html>" + KEY + "</html>").getBytes(UTF_8), SECRET);

        assertThat(error.message()).doesNotContain(KEY).contains("is revoked");
        assertThat(detail.message()).doesNotContain(KEY).startsWith("bad key");
        assertThat(raw.message()).doesNotContain(KEY);
    }

    @Test
    void anEmptyBodyNamesTheStatus() {
        assertThat(IdeogramErrors.read(503, new byte[0], SECRET).message()).isEqualTo("HTTP 503");
    }
}
