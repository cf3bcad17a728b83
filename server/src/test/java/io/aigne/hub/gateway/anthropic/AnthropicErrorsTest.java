package io.aigne.hub.gateway.anthropic;

import com.anthropic.core.ObjectMappers;
import com.anthropic.models.ErrorResponse;
import com.fasterxml.jackson.databind.JsonNode;
import io.aigne.hub.server.ApiException;
import io.aigne.hub.server.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class AnthropicErrorsTest {

    @ParameterizedTest
    @CsvSource({
            "400, invalid_request_error",
            "401, authentication_error",
            "402, billing_error",
            "403, permission_error",
            "404, not_found_error",
            "409, invalid_request_error",
            "413, request_too_large",
            "429, rate_limit_error",
            "500, api_error",
            "502, api_error",
            "503, overloaded_error",
            "504, timeout_error",
            "529, overloaded_error"})
    void typeFollowsTheStatus(int status, String type) throws Exception {
        ApiException e = new ApiException(status, "whatever_openai_type", "code", "param", "what went wrong");

        byte[] body = AnthropicErrors.body(e);

        assertThat(AnthropicErrors.status(e)).isEqualTo(status);
        JsonNode json = Json.MAPPER.readTree(body);
        assertThat(json.path("type").asText()).isEqualTo("error");
        assertThat(json.path("error").path("type").asText()).isEqualTo(type);
        assertThat(json.path("error").path("message").asText()).isEqualTo("what went wrong");
        // The SDK reads it as one of its error objects; request_too_large, which Anthropic's edge sends before the
        // API proper, is documented but absent from the SDK's union (the SDK maps 413 by status alone).
        ErrorResponse parsed = ObjectMappers.jsonMapper().readValue(body, ErrorResponse.class);
        assertThat(parsed.error().isValid()).isEqualTo(status != 413);
    }
}
