package io.aigne.hub.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigne.hub.server.Json;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SecretScrubberTest {
    private static JsonNode scrub(String json) throws Exception {
        return SecretScrubber.scrub(Json.MAPPER.readTree(json));
    }

    @Test
    void passwordsAndHashesAreRemovedKeysAndSecretsMasked() throws Exception {
        JsonNode out = scrub("""
                {"password":"hunter2hunter2","passwordHash":"$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
                 "key_hash":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                 "apiKey":"sk-live-0123456789abcdef","secret_access_key":"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                 "sessionToken":"FwoGZXIvYXdzEJr//////////wEaDH","credentialValue":{"api_key":"abcdefghijklmnopqrst"},
                 "secrets":["first-secret-value-123","second-secret-value-456"]}""");

        assertThat(out.path("password").asText()).isEqualTo(SecretScrubber.REMOVED);
        assertThat(out.path("passwordHash").asText()).isEqualTo(SecretScrubber.REMOVED);
        assertThat(out.path("key_hash").asText()).isEqualTo(SecretScrubber.REMOVED);
        assertThat(out.path("apiKey").asText()).isEqualTo("sk-l****************cdef");
        assertThat(out.path("secret_access_key").asText()).isEqualTo("wJal****************EKEY");
        assertThat(out.path("sessionToken").asText()).startsWith("FwoG").endsWith("wEaDH".substring(1)).contains("*");
        assertThat(out.path("credentialValue").path("api_key").asText()).isEqualTo("abcd************qrst");
        assertThat(out.path("secrets").get(0).asText()).isEqualTo("firs**************-123");
        assertThat(out.toString()).doesNotContain("hunter2").doesNotContain("argon2id").doesNotContain("9f86d0818")
                .doesNotContain("0123456789abcdef").doesNotContain("bPxRfiCY").doesNotContain("efghijklmnop");
    }

    @Test
    void flagsCountsAndAlreadyMaskedFormsStayReadable() throws Exception {
        JsonNode out = scrub("""
                {"hasPassword":true,"secretReplaced":true,"masked":"sk-o****************6789",
                 "hint":"blocklet-AbCd…","displayText":"AKIA************WXYZ / wJal****************EKEY",
                 "inputCreditsPerToken":"0.000002","maxTokens":"4096","tokensPerMinute":1000,"name":"primary"}""");

        assertThat(out.path("hasPassword").asBoolean()).isTrue();
        assertThat(out.path("secretReplaced").asBoolean()).isTrue();
        assertThat(out.path("masked").asText()).isEqualTo("sk-o****************6789");
        assertThat(out.path("hint").asText()).isEqualTo("blocklet-AbCd…");
        assertThat(out.path("displayText").asText()).isEqualTo("AKIA************WXYZ / wJal****************EKEY");
        assertThat(out.path("inputCreditsPerToken").asText()).isEqualTo("0.000002");
        assertThat(out.path("maxTokens").asText()).isEqualTo("4096");
        assertThat(out.path("tokensPerMinute").asInt()).isEqualTo(1000);
        assertThat(out.path("name").asText()).isEqualTo("primary");
    }

    @Test
    void keyShapedTextAnywhereElseIsRedacted() throws Exception {
        JsonNode out = scrub("""
                {"baseUrl":"https://example.com/v1?key=AIzaSyA1234567890abcdefghij","note":"rotated sk-proj-abcdefghijkl"}""");

        assertThat(out.path("baseUrl").asText()).isEqualTo("https://example.com/v1?key=AIza***");
        assertThat(out.path("note").asText()).isEqualTo("rotated sk-proj-***");
    }
}
