package io.aigne.hub.provider.ideogram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aigne.hub.server.ApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AspectRatiosTest {

    @ParameterizedTest
    @CsvSource({
            "1024x1024, 1x1", "512x512, 1x1", "256x256, 1x1",
            "1792x1024, 16x9", "1024x1792, 9x16",
            "1536x1024, 3x2", "1024x1536, 2x3",
            "1280x800, 16x10", "1312x736, 16x9",
            "1000x800, 5x4", "2048x1024, 2x1", "3000x1000, 3x1", "4000x1000, 3x1",
            "1152x864, 4x3", "1024 X 768, 4x3"})
    void sizeMapsToTheNearestV3AspectRatio(String size, String ratio) {
        assertThat(AspectRatios.nearest(size, AspectRatios.V3).v3Name()).isEqualTo(ratio);
    }

    @ParameterizedTest
    @CsvSource({
            "1024x1024, ASPECT_1_1", "1792x1024, ASPECT_16_9", "1024x1792, ASPECT_9_16",
            "1536x1024, ASPECT_3_2", "1280x800, ASPECT_16_10",
            // 2:1 and 5:4 are v3-only: the legacy API gets its nearest shape.
            "2048x1024, ASPECT_16_9", "1000x800, ASPECT_4_3", "800x1000, ASPECT_3_4"})
    void sizeMapsToTheNearestLegacyAspectRatio(String size, String ratio) {
        assertThat(AspectRatios.nearest(size, AspectRatios.LEGACY).legacyName()).isEqualTo(ratio);
    }

    @Test
    void noSizeOrAutoLeavesIdeogramsDefault() {
        assertThat(AspectRatios.nearest(null, AspectRatios.V3)).isNull();
        assertThat(AspectRatios.nearest(" ", AspectRatios.V3)).isNull();
        assertThat(AspectRatios.nearest("auto", AspectRatios.LEGACY)).isNull();
    }

    @Test
    void aSizeThatIsNotWidthByHeightIsTheCallersMistake() {
        for (String bad : new String[]{"large", "1024", "0x1024", "1024x0", "-5x5"}) {
            assertThatThrownBy(() -> AspectRatios.nearest(bad, AspectRatios.V3))
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.param()).isEqualTo("size");
                        assertThat(e.getMessage()).contains("WIDTHxHEIGHT").contains(bad);
                    });
        }
    }
}
