package io.aigne.hub.provider.ideogram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigne.hub.gateway.canonical.ImageRequest;
import io.aigne.hub.server.ApiException;
import io.aigne.hub.server.Json;
import io.aigne.hub.testing.FakeIdeogramProvider;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IdeogramRequestsTest {

    private static ImageRequest request(int n, String size, String quality, String style, String negative) {
        return new ImageRequest("ideogram/ideogram-v3", "A lighthouse at dusk", n, size, quality, style, null,
                negative, null);
    }

    private static Map<String, String> v3Fields(ImageRequest request) {
        Multipart.Encoded form = IdeogramRequests.v3(request);
        return FakeIdeogramProvider.Multipart.parse(form.contentType(), form.body()).fields();
    }

    private static JsonNode legacy(ImageRequest request, String model) throws Exception {
        return Json.MAPPER.readTree(IdeogramRequests.legacy(request, IdeogramModel.resolve(model)))
                .path("image_request");
    }

    @ParameterizedTest
    @CsvSource({"low, TURBO", "standard, DEFAULT", "medium, DEFAULT", "hd, QUALITY", "high, QUALITY",
            "HD, QUALITY", "flash, FLASH", "Turbo, TURBO", "quality, QUALITY"})
    void qualityBecomesRenderingSpeed(String quality, String speed) {
        assertThat(IdeogramRequests.renderingSpeed(quality)).isEqualTo(speed);
    }

    @Test
    void autoOrNoQualityLeavesTheDefaultSpeed() {
        assertThat(IdeogramRequests.renderingSpeed(null)).isNull();
        assertThat(IdeogramRequests.renderingSpeed("auto")).isNull();
        assertThat(v3Fields(request(1, null, "auto", null, null))).doesNotContainKey("rendering_speed");
    }

    @Test
    void styleBecomesStyleType() {
        assertThat(v3Fields(request(1, null, null, "natural", null))).containsEntry("style_type", "REALISTIC");
        assertThat(v3Fields(request(1, null, null, "vivid", null))).containsEntry("style_type", "AUTO");
        assertThat(v3Fields(request(1, null, null, "design", null))).containsEntry("style_type", "DESIGN");
        assertThat(v3Fields(request(1, null, null, null, null))).doesNotContainKey("style_type");
    }

    @Test
    void aMinimalRequestSendsOnlyPromptAndCount() {
        assertThat(v3Fields(request(0, null, null, null, " ")))
                .containsExactly(Map.entry("prompt", "A lighthouse at dusk"), Map.entry("num_images", "1"));
    }

    @Test
    void legacyBodyNamesTheModelAndUsesLegacyEnums() throws Exception {
        JsonNode image = legacy(request(3, "1024x1792", "hd", "anime", "fog"), "V_2");

        assertThat(image.path("prompt").asText()).isEqualTo("A lighthouse at dusk");
        assertThat(image.path("model").asText()).isEqualTo("V_2");
        assertThat(image.path("aspect_ratio").asText()).isEqualTo("ASPECT_9_16");
        assertThat(image.path("num_images").asInt()).isEqualTo(3);
        assertThat(image.path("style_type").asText()).isEqualTo("ANIME");
        assertThat(image.path("negative_prompt").asText()).isEqualTo("fog");
        // The legacy API has no rendering speed: the model id picks it.
        assertThat(image.has("rendering_speed")).isFalse();
    }

    @Test
    void v1ModelsGetNoStyleType() throws Exception {
        JsonNode image = legacy(request(1, null, null, "natural", null), "v_1_turbo");

        assertThat(image.path("model").asText()).isEqualTo("V_1_TURBO");
        assertThat(image.has("style_type")).isFalse();
    }

    @Test
    void v2aModelsRefuseANegativePrompt() {
        assertThatThrownBy(() -> legacy(request(1, null, null, null, "fog"), "V_2A_TURBO"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.param()).isEqualTo("negative_prompt");
                    assertThat(e.getMessage()).contains("V_2A_TURBO");
                });
    }

    @Test
    void callerMistakesNameTheirField() {
        assertThatThrownBy(() -> IdeogramRequests.v3(request(9, null, null, null, null)))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.param()).isEqualTo("n"));
        assertThatThrownBy(() -> IdeogramRequests.v3(request(-1, null, null, null, null)))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.param()).isEqualTo("n"));
        assertThatThrownBy(() -> IdeogramRequests.v3(request(1, null, "ultra", null, null)))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.param()).isEqualTo("quality"));
        assertThatThrownBy(() -> IdeogramRequests.v3(request(1, null, null, "anime", null)))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.param()).isEqualTo("style");
                    assertThat(e.getMessage()).contains("vivid or natural").contains("REALISTIC");
                });
        assertThatThrownBy(() -> IdeogramRequests.v3(new ImageRequest("m", " ", 1, null, null, null, null, null,
                null))).isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.param()).isEqualTo("prompt"));
    }

    @Test
    void modelIdsChooseTheApi() {
        assertThat(IdeogramModel.resolve("ideogram-v3").v3()).isTrue();
        assertThat(IdeogramModel.resolve("V_3").v3()).isTrue();
        assertThat(IdeogramModel.resolve("v3").v3()).isTrue();
        assertThat(IdeogramModel.resolve("V_2A").v3()).isFalse();
        assertThat(IdeogramModel.resolve("v_2_turbo").id()).isEqualTo("V_2_TURBO");
        assertThatThrownBy(() -> IdeogramModel.resolve("dall-e-3"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.param()).isEqualTo("model");
                    assertThat(e.getMessage()).contains("dall-e-3").contains("ideogram-v3").contains("V_2_TURBO");
                });
    }
}
