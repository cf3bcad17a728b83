package io.aigne.hub.provider.ideogram;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aigne.hub.testing.FakeIdeogramProvider;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MultipartTest {

    @Test
    void writesFieldPartsWithCrlfFramingAndUtf8Values() {
        Multipart.Encoded encoded = new Multipart()
                .field("prompt", "Café sign ☕")
                .field("num_images", "2")
                .encode("b0undary");

        assertThat(encoded.contentType()).isEqualTo("multipart/form-data; boundary=b0undary");
        assertThat(new String(encoded.body(), UTF_8)).isEqualTo("""
                --b0undary\r
                Content-Disposition: form-data; name="prompt"\r
                \r
                Café sign ☕\r
                --b0undary\r
                Content-Disposition: form-data; name="num_images"\r
                \r
                2\r
                --b0undary--\r
                """);
    }

    @Test
    void nullValuesAreLeftOut() {
        Multipart.Encoded encoded = new Multipart().field("prompt", "p").field("seed", null).encode("b");

        assertThat(FakeIdeogramProvider.Multipart.parse(encoded.contentType(), encoded.body()).fields())
                .containsExactly(Map.entry("prompt", "p"));
    }

    @Test
    void valuesWithLineBreaksAndBoundaryLikeTextSurviveAStrictParser() {
        String tricky = "line one\r\nline two\r\n--AigneHubFormBoundary\r\n--x--\r\n";
        Multipart.Encoded encoded = new Multipart()
                .field("prompt", tricky)
                .field("negative_prompt", "a;b=\"c\"")
                .encode();

        assertThat(encoded.contentType()).startsWith("multipart/form-data; boundary=AigneHubFormBoundary");
        String boundary = encoded.contentType().substring("multipart/form-data; boundary=".length());
        assertThat(tricky).doesNotContain(boundary);
        assertThat(FakeIdeogramProvider.Multipart.parse(encoded.contentType(), encoded.body()).fields())
                .containsExactly(Map.entry("prompt", tricky), Map.entry("negative_prompt", "a;b=\"c\""));
    }

    @Test
    void eachBodyGetsItsOwnBoundary() {
        Multipart form = new Multipart().field("prompt", "p");

        assertThat(form.encode().contentType()).isNotEqualTo(form.encode().contentType());
    }

    @Test
    void quotesAndLineBreaksInNamesArePercentEscaped() {
        Multipart.Encoded encoded = new Multipart().field("we\"ird\r\nname", "v").encode("b");

        assertThat(new String(encoded.body(), UTF_8))
                .contains("Content-Disposition: form-data; name=\"we%22ird%0D%0Aname\"\r\n");
    }

    @Test
    void aBoundaryThatWouldNeedQuotingIsRefused() {
        assertThatThrownBy(() -> new Multipart().encode("has space")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Multipart().encode("x".repeat(71))).isInstanceOf(IllegalArgumentException.class);
    }
}
