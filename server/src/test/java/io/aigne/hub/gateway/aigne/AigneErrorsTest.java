package io.aigne.hub.gateway.aigne;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigne.hub.server.ApiException;
import io.aigne.hub.server.InsufficientCredits;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The error bodies the AIGNE clients read (spec §9). */
class AigneErrorsTest {

    @Test
    void notEnoughCreditIsThe402ShapeWithTypeTimestampAndPurchaseLink() {
        InsufficientCredits e = new InsufficientCredits("Insufficient credits: 12 needed, 3 available",
                "https://hub.example/credits/buy");
        JsonNode error = AigneErrors.body(e).path("error");

        assertThat(e.status()).isEqualTo(402);
        assertThat(error.path("type").asText()).isEqualTo("NOT_ENOUGH");
        assertThat(error.path("message").asText()).contains("12 needed");
        assertThat(error.path("link").asText()).isEqualTo("https://hub.example/credits/buy");
        assertThat(Instant.parse(error.path("timestamp").asText())).isBeforeOrEqualTo(Instant.now());
    }

    @Test
    void otherFailuresCarryOnlyTheirMessage() {
        JsonNode error = AigneErrors.body(new ApiException(503, "server_error", "upstream_overloaded", null,
                "provider 'openai' failed with 503: overloaded")).path("error");
        assertThat(error.path("message").asText()).contains("overloaded");
        assertThat(error.has("type")).isFalse();
        assertThat(error.has("link")).isFalse();
    }
}
