package io.aigne.hub.provider.bedrock;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.aigne.hub.gateway.upstream.UpstreamResponse;
import io.aigne.hub.provider.CredentialSecret;
import io.aigne.hub.provider.UpstreamError;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BedrockErrorReaderTest {
    private static final CredentialSecret SECRET =
            new CredentialSecret(null, "AKIAREADERTEST000001", "readerSecretValue/xyz", "readerSessionToken+abc==");

    private static UpstreamResponse response(int status, Map<String, String> headers) {
        return new UpstreamResponse() {
            @Override
            public int status() {
                return status;
            }

            @Override
            public Optional<String> header(String name) {
                return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                        .map(Map.Entry::getValue).findFirst();
            }

            @Override
            public InputStream body() {
                return new ByteArrayInputStream(new byte[0]);
            }

            @Override
            public void close() {
            }
        };
    }

    private static UpstreamError read(int status, Map<String, String> headers, String body) {
        return BedrockErrorReader.INSTANCE.read(response(status, headers), body.getBytes(UTF_8), SECRET);
    }

    @Test
    void theTypeComesFromTheHeaderWithoutItsNamespace() {
        UpstreamError error = read(400, Map.of("x-amzn-ErrorType",
                "ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/"),
                "{\"message\":\"Malformed input request.\"}");

        assertThat(error).isEqualTo(new UpstreamError(400, "Malformed input request.", "invalid_request_error", null,
                "ValidationException"));
    }

    @Test
    void aTypeInTheBodyAndACapitalisedMessageAreReadToo() {
        UpstreamError error = read(503, Map.of(),
                "{\"__type\":\"com.amazon.coral.availability#ServiceUnavailableException\",\"Message\":\"Try later.\"}");

        assertThat(error).isEqualTo(new UpstreamError(503, "Try later.", "api_error", null,
                "ServiceUnavailableException"));
    }

    @Test
    void secretsAreRemovedFromTheMessage() {
        UpstreamError error = read(403, Map.of("x-amzn-ErrorType", "InvalidSignatureException"),
                "{\"message\":\"mismatch; canonical: x-amz-security-token:readerSessionToken+abc== secret readerSecretValue/xyz"
                + " key AKIAREADERTEST000001\"}");

        assertThat(error.status()).isEqualTo(403);
        assertThat(error.type()).isEqualTo("permission_error");
        assertThat(error.message()).doesNotContain("readerSessionToken+abc==").doesNotContain("readerSecretValue/xyz")
                .doesNotContain("AKIAREADERTEST000001").startsWith("mismatch; canonical: x-amz-security-token:");
    }

    @Test
    void aBodyThatIsNotJsonIsTheMessageAndAnEmptyOneFallsBackToTheType() {
        assertThat(read(502, Map.of(), "<html>Bad Gateway</html>").message()).isEqualTo("<html>Bad Gateway</html>");
        assertThat(read(429, Map.of("x-amzn-ErrorType", "ThrottlingException"), "").message())
                .isEqualTo("ThrottlingException");
        assertThat(read(500, Map.of(), "").message()).isEqualTo("HTTP 500");
    }

    @Test
    void streamExceptionTypesHaveTheStatusAwsDeclares() {
        assertThat(BedrockErrorReader.statusOf("throttlingException")).isEqualTo(429);
        assertThat(BedrockErrorReader.statusOf("serviceUnavailableException")).isEqualTo(503);
        assertThat(BedrockErrorReader.statusOf("internalServerException")).isEqualTo(500);
        assertThat(BedrockErrorReader.statusOf("validationException")).isEqualTo(400);
        assertThat(BedrockErrorReader.statusOf("modelStreamErrorException")).isEqualTo(424);
        assertThat(BedrockErrorReader.statusOf("somethingNewException")).isEqualTo(500);
        assertThat(BedrockErrorReader.statusOf(null)).isEqualTo(500);
    }
}
