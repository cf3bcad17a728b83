package io.aigne.hub.gateway.openai;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class JsonBytesTest {
    private static final byte[] USAGE = "\"usage\"".getBytes(StandardCharsets.US_ASCII);

    private static String without(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        byte[] out = JsonBytes.withoutNullMember(bytes, 0, bytes.length, USAGE);
        return out == null ? null : new String(out, StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // last, as OpenAI writes it
            "{\"id\":\"chatcmpl-1\",\"choices\":[],\"usage\":null}       | {\"id\":\"chatcmpl-1\",\"choices\":[]}",
            // first
            "{\"usage\":null,\"id\":\"chatcmpl-1\"}                      | {\"id\":\"chatcmpl-1\"}",
            // middle
            "{\"id\":\"chatcmpl-1\",\"usage\":null,\"choices\":[]}       | {\"id\":\"chatcmpl-1\",\"choices\":[]}",
            // the only member
            "{\"usage\":null}                                            | {}",
            // spaces around the colon and the comma
            "{\"id\": \"chatcmpl-1\" , \"usage\" : null }                | {\"id\": \"chatcmpl-1\"  }",
    })
    void removesTheNullMemberAndTheCommaThatJoinsIt(String json, String expected) {
        assertThat(without(json)).isEqualTo(expected);
    }

    @Test
    void tabsAndNewlinesCountAsSpaces() {
        assertThat(without("{ \"usage\" :\tnull ,\n \"id\": 1}")).isEqualTo("{ \n \"id\": 1}");
    }

    @Test
    void prettyPrintedJsonStaysValid() {
        String json = "{\n  \"id\": \"chatcmpl-1\",\n  \"usage\": null\n}";

        assertThat(without(json)).isEqualTo("{\n  \"id\": \"chatcmpl-1\"\n}");
    }

    @Test
    void absentMemberGivesNull() {
        assertThat(without("{\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}"))
                .isNull();
    }

    @Test
    void aNonNullUsageIsNotTouched() {
        assertThat(without("{\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":12}}")).isNull();
        assertThat(without("{\"usage\":0}")).isNull();
        assertThat(without("{\"usage\":\"null\"}")).isNull();
    }

    @Test
    void aStringValueThatIsTheWordUsageIsNotTouched() {
        String json = "{\"choices\":[{\"delta\":{\"content\":\"usage\"}}],\"usage\":null}";

        assertThat(without(json)).isEqualTo("{\"choices\":[{\"delta\":{\"content\":\"usage\"}}]}");
        assertThat(without("{\"choices\":[{\"delta\":{\"content\":\"usage\"}}]}")).isNull();
    }

    @Test
    void textMentioningUsageNullInsideAStringIsNotTouched() {
        String json = "{\"content\":\"set \\\"usage\\\": null to hide it\",\"usage\":null}";

        assertThat(without(json)).isEqualTo("{\"content\":\"set \\\"usage\\\": null to hide it\"}");
        assertThat(without("{\"content\":\"the usage: null case\"}")).isNull();
    }

    @Test
    void onlyTheGivenRangeIsSearchedAndReturned() {
        String event = "data: {\"id\":\"c\",\"usage\":null}\n\n";
        byte[] bytes = ("xx" + event + "{\"usage\":null}").getBytes(StandardCharsets.UTF_8);
        int from = 2;
        int to = 2 + event.length();

        byte[] out = JsonBytes.withoutNullMember(bytes, from, to, USAGE);

        assertThat(new String(out, StandardCharsets.UTF_8)).isEqualTo("data: {\"id\":\"c\"}\n\n");
        assertThat(JsonBytes.withoutNullMember(bytes, 0, 2, USAGE)).isNull();
    }

    @Test
    void theInputIsNotModified() {
        byte[] bytes = "{\"a\":1,\"usage\":null}".getBytes(StandardCharsets.UTF_8);
        byte[] copy = bytes.clone();

        JsonBytes.withoutNullMember(bytes, 0, bytes.length, USAGE);

        assertThat(bytes).isEqualTo(copy);
    }
}
