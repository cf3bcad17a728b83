package io.aigne.hub.gateway.openai;

import io.aigne.hub.usage.Usage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class SseRelayTest {
    private static final String HEAD = "\"id\":\"chatcmpl-BvkQ2o3JYv6fXc1p\",\"object\":\"chat.completion.chunk\","
            + "\"created\":1753193440,\"model\":\"gpt-4o-mini-2024-07-18\",\"service_tier\":\"default\","
            + "\"system_fingerprint\":\"fp_34a54ae93c\",";

    private static final String ROLE = "{" + HEAD + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\","
            + "\"content\":\"\",\"refusal\":null},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null,"
            + "\"obfuscation\":\"8bD\"}";
    private static final String HELLO = content("Hello");
    private static final String WORLD = content(" world \\\"usage\\\": null — ✓");
    private static final String FINISH = "{" + HEAD + "\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,"
            + "\"finish_reason\":\"stop\"}],\"usage\":null}";
    private static final String USAGE = "{" + HEAD + "\"choices\":[],\"usage\":{\"prompt_tokens\":1117,"
            + "\"completion_tokens\":46,\"total_tokens\":1163,\"prompt_tokens_details\":{\"cached_tokens\":1024,"
            + "\"audio_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":32,\"audio_tokens\":0,"
            + "\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}},\"obfuscation\":\"k2\"}";
    private static final Usage EXPECTED_USAGE = new Usage(1117, 46, 1024, 32, 1163, 0);

    private static String content(String text) {
        return "{" + HEAD + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + text + "\"},\"logprobs\":null,"
                + "\"finish_reason\":null}],\"usage\":null,\"obfuscation\":\"Qx\"}";
    }

    private static String event(String data) {
        return "data: " + data + "\n\n";
    }

    /** The stream OpenAI sends for a chat completion requested with stream_options.include_usage. */
    private static String upstream(String... chunks) {
        StringBuilder sb = new StringBuilder();
        for (String chunk : chunks) {
            sb.append(event(chunk));
        }
        return sb.append(event("[DONE]")).toString();
    }

    private static final String STREAM = upstream(ROLE, HELLO, WORLD, FINISH, USAGE);

    /** What a caller that did not ask for usage gets: no usage chunk, no usage members. */
    private static final String WITHOUT_USAGE = event(ROLE.replace(",\"usage\":null", ""))
            + event(HELLO.replace(",\"usage\":null", ""))
            + event(WORLD.replace(",\"usage\":null", ""))
            + event(FINISH.replace(",\"usage\":null", ""))
            + event("[DONE]");

    static class CollectingSink implements SseRelay.Sink {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final List<String> writes = new ArrayList<>();
        int flushes;

        @Override
        public void write(byte[] b, int offset, int length) throws IOException {
            bytes.write(b, offset, length);
            writes.add(new String(b, offset, length, StandardCharsets.UTF_8));
        }

        @Override
        public void flush() throws IOException {
            flushes++;
        }

        String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    /** A client that hangs up: the writes after the first {@code okWrites} fail. */
    static final class HangingUpSink extends CollectingSink {
        private final int okWrites;
        int attempts;

        HangingUpSink(int okWrites) {
            this.okWrites = okWrites;
        }

        @Override
        public void write(byte[] b, int offset, int length) throws IOException {
            attempts++;
            if (attempts > okWrites) {
                throw new IOException("Broken pipe");
            }
            super.write(b, offset, length);
        }
    }

    /** An upstream that hands out between 1 and 7 bytes per read, as a slow network might. */
    static final class TricklingInputStream extends InputStream {
        private final byte[] data;
        private final Random random;
        private int position;

        TricklingInputStream(byte[] data, long seed) {
            this.data = data;
            this.random = new Random(seed);
        }

        @Override
        public int read() {
            return position < data.length ? data[position++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= data.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, 1 + random.nextInt(7)), data.length - position);
            System.arraycopy(data, position, b, off, n);
            position += n;
            return n;
        }

        @Override
        public int available() {
            return random.nextBoolean() ? 0 : data.length - position;
        }
    }

    /** An upstream that hands out one SSE event per read. */
    static final class EventPerReadInputStream extends InputStream {
        private final List<byte[]> events = new ArrayList<>();
        private int next;
        int reads;

        EventPerReadInputStream(String stream) {
            for (String e : stream.split("(?<=\n\n)")) {
                events.add(e.getBytes(StandardCharsets.UTF_8));
            }
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (next >= events.size()) {
                return -1;
            }
            reads++;
            byte[] e = events.get(next++);
            System.arraycopy(e, 0, b, off, e.length);
            return e.length;
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static SseRelay relay(boolean callerWantsUsage, InputStream in, SseRelay.Sink sink, long drainNanos)
            throws IOException {
        SseRelay relay = new SseRelay(callerWantsUsage);
        relay.relay(new byte[0], 0, in, sink, drainNanos);
        return relay;
    }

    @Test
    void aCallerThatDidNotAskForUsageGetsTheStreamWithoutIt() throws IOException {
        CollectingSink sink = new CollectingSink();

        SseRelay relay = relay(false, new ByteArrayInputStream(utf8(STREAM)), sink, Long.MAX_VALUE);

        assertThat(sink.text()).isEqualTo(WITHOUT_USAGE);
        assertThat(sink.text()).doesNotContain("\"usage\":null").doesNotContain("\"prompt_tokens\"")
                .contains("\\\"usage\\\": null");
        assertThat(sink.writes).containsExactly(
                event(ROLE.replace(",\"usage\":null", "")),
                event(HELLO.replace(",\"usage\":null", "")),
                event(WORLD.replace(",\"usage\":null", "")),
                event(FINISH.replace(",\"usage\":null", "")),
                event("[DONE]"));
        assertThat(relay.usage()).isEqualTo(EXPECTED_USAGE);
        assertThat(relay.model()).isEqualTo("gpt-4o-mini-2024-07-18");
        assertThat(relay.id()).isEqualTo("chatcmpl-BvkQ2o3JYv6fXc1p");
        assertThat(relay.done()).isTrue();
        assertThat(relay.clientGone()).isFalse();
        assertThat(relay.events()).isEqualTo(6);
        assertThat(relay.firstByteNanos()).isNotZero();
        assertThat(sink.flushes).isPositive();
    }

    @Test
    void everyRelayedChunkIsStillValidJson() throws IOException {
        CollectingSink sink = new CollectingSink();
        relay(false, new ByteArrayInputStream(utf8(STREAM)), sink, Long.MAX_VALUE);

        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (String write : sink.writes.subList(0, sink.writes.size() - 1)) {
            String data = write.substring("data: ".length(), write.length() - 2);
            assertThat(json.readTree(data).has("usage")).isFalse();
            assertThat(json.readTree(data).get("choices").size()).isEqualTo(1);
        }
    }

    @Test
    void aCallerThatAskedForUsageGetsTheStreamExactlyAsSent() throws IOException {
        CollectingSink sink = new CollectingSink();

        SseRelay relay = relay(true, new ByteArrayInputStream(utf8(STREAM)), sink, Long.MAX_VALUE);

        assertThat(sink.bytes.toByteArray()).isEqualTo(utf8(STREAM));
        assertThat(relay.usage()).isEqualTo(EXPECTED_USAGE);
        assertThat(relay.model()).isEqualTo("gpt-4o-mini-2024-07-18");
        assertThat(relay.done()).isTrue();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 42, 1234})
    void arbitraryReadBoundariesGiveTheSameResult(long seed) throws IOException {
        CollectingSink withoutUsage = new CollectingSink();
        CollectingSink withUsage = new CollectingSink();

        SseRelay stripped = relay(false, new TricklingInputStream(utf8(STREAM), seed), withoutUsage, Long.MAX_VALUE);
        SseRelay verbatim = relay(true, new TricklingInputStream(utf8(STREAM), seed), withUsage, Long.MAX_VALUE);

        assertThat(withoutUsage.text()).isEqualTo(WITHOUT_USAGE);
        assertThat(withoutUsage.writes).hasSize(5);
        assertThat(withUsage.bytes.toByteArray()).isEqualTo(utf8(STREAM));
        assertThat(stripped.usage()).isEqualTo(EXPECTED_USAGE);
        assertThat(verbatim.usage()).isEqualTo(EXPECTED_USAGE);
        assertThat(stripped.id()).isEqualTo("chatcmpl-BvkQ2o3JYv6fXc1p");
        assertThat(stripped.done()).isTrue();
    }

    @Test
    void bytesAlreadyReadAsTheHeadGoFirst() throws IOException {
        byte[] all = utf8(STREAM);
        int split = 37;
        byte[] head = Arrays.copyOf(all, 8192);
        Arrays.fill(head, split, head.length, (byte) 'X');
        CollectingSink sink = new CollectingSink();

        SseRelay relay = new SseRelay(false);
        relay.relay(head, split, new ByteArrayInputStream(all, split, all.length - split), sink, Long.MAX_VALUE);

        assertThat(sink.text()).isEqualTo(WITHOUT_USAGE);
        assertThat(relay.usage()).isEqualTo(EXPECTED_USAGE);
    }

    @Test
    void crlfDelimitedEventsWork() throws IOException {
        String crlf = STREAM.replace("\n", "\r\n");
        String expected = WITHOUT_USAGE.replace("\n", "\r\n");

        CollectingSink stripped = new CollectingSink();
        SseRelay relay = relay(false, new TricklingInputStream(utf8(crlf), 7), stripped, Long.MAX_VALUE);
        CollectingSink verbatim = new CollectingSink();
        relay(true, new ByteArrayInputStream(utf8(crlf)), verbatim, Long.MAX_VALUE);

        assertThat(stripped.text()).isEqualTo(expected);
        assertThat(stripped.writes).hasSize(5);
        assertThat(relay.usage()).isEqualTo(EXPECTED_USAGE);
        assertThat(relay.done()).isTrue();
        assertThat(verbatim.text()).isEqualTo(crlf);
    }

    @Test
    void commentsAndDataWithoutASpaceAreRelayed() throws IOException {
        String stream = ": OPENROUTER PROCESSING\n\n"
                + "data:" + HELLO + "\n\n"
                + "data:" + USAGE + "\n\n"
                + "data:[DONE]\n\n";
        CollectingSink sink = new CollectingSink();

        SseRelay relay = relay(false, new ByteArrayInputStream(utf8(stream)), sink, Long.MAX_VALUE);

        assertThat(sink.text()).isEqualTo(": OPENROUTER PROCESSING\n\n"
                + "data:" + HELLO.replace(",\"usage\":null", "") + "\n\n"
                + "data:[DONE]\n\n");
        assertThat(relay.usage()).isEqualTo(EXPECTED_USAGE);
        assertThat(relay.done()).isTrue();
    }

    @Test
    void usageOnAChunkThatAlsoHasChoicesIsRecordedButTheChunkIsKept() throws IOException {
        String finishWithUsage = "{" + HEAD + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":3,\"total_tokens\":13}}";
        String stream = upstream(HELLO, finishWithUsage);
        CollectingSink sink = new CollectingSink();

        SseRelay relay = relay(false, new ByteArrayInputStream(utf8(stream)), sink, Long.MAX_VALUE);

        assertThat(sink.text()).isEqualTo(event(HELLO.replace(",\"usage\":null", "")) + event(finishWithUsage)
                + event("[DONE]"));
        assertThat(relay.usage()).isEqualTo(new Usage(10, 3, 0, 0, 13, 0));
    }

    @Test
    void aStreamWithoutUsageOrDoneReportsNeither() throws IOException {
        String stream = event(HELLO.replace(",\"usage\":null", "")) + event(WORLD.replace(",\"usage\":null", ""));
        CollectingSink sink = new CollectingSink();

        SseRelay relay = relay(false, new ByteArrayInputStream(utf8(stream)), sink, Long.MAX_VALUE);

        assertThat(sink.text()).isEqualTo(stream);
        assertThat(relay.usage()).isNull();
        assertThat(relay.done()).isFalse();
        assertThat(relay.model()).isEqualTo("gpt-4o-mini-2024-07-18");
    }

    @Test
    void anUnterminatedLastEventIsStillRelayed() throws IOException {
        String stream = event(HELLO) + "data: [DONE]";
        CollectingSink sink = new CollectingSink();

        SseRelay relay = relay(true, new ByteArrayInputStream(utf8(stream)), sink, Long.MAX_VALUE);

        assertThat(sink.text()).isEqualTo(stream);
        assertThat(relay.done()).isTrue();
    }

    @Test
    void aClientThatHangsUpIsNoticedAndTheUsageIsStillLearntWithinTheDrainWindow() throws IOException {
        HangingUpSink sink = new HangingUpSink(2);

        SseRelay relay = relay(false, new TricklingInputStream(utf8(STREAM), 5), sink, Long.MAX_VALUE);

        assertThat(relay.clientGone()).isTrue();
        assertThat(sink.attempts).as("nothing is written after the failure").isEqualTo(3);
        assertThat(sink.writes).containsExactly(event(ROLE.replace(",\"usage\":null", "")),
                event(HELLO.replace(",\"usage\":null", "")));
        assertThat(relay.usage()).isEqualTo(EXPECTED_USAGE);
        assertThat(relay.done()).isTrue();
    }

    @Test
    void withNoDrainWindowReadingStopsRightAfterTheClientHangsUp() throws IOException {
        List<String> chunks = new ArrayList<>(List.of(ROLE, HELLO, WORLD));
        for (int i = 0; i < 20; i++) {
            chunks.add(content("token" + i));
        }
        chunks.add(FINISH);
        chunks.add(USAGE);
        EventPerReadInputStream upstream = new EventPerReadInputStream(upstream(chunks.toArray(String[]::new)));
        HangingUpSink sink = new HangingUpSink(2);

        SseRelay relay = relay(false, upstream, sink, 0);

        assertThat(relay.clientGone()).isTrue();
        assertThat(sink.attempts).isEqualTo(3);
        assertThat(upstream.reads).as("the relay stopped reading instead of draining the stream").isLessThan(10);
        assertThat(relay.usage()).isNull();
        assertThat(relay.done()).isFalse();
    }

    @Test
    void withNoDrainWindowEventsAlreadyReadAreStillExamined() throws IOException {
        HangingUpSink sink = new HangingUpSink(2);

        SseRelay relay = relay(false, new ByteArrayInputStream(utf8(STREAM)), sink, 0);

        assertThat(relay.clientGone()).isTrue();
        assertThat(relay.usage()).as("the whole stream arrived in one read").isEqualTo(EXPECTED_USAGE);
    }

    @Test
    void aFailingFlushAlsoMeansTheClientHasGone() throws IOException {
        CollectingSink sink = new CollectingSink() {
            @Override
            public void flush() throws IOException {
                throw new IOException("Connection reset by peer");
            }
        };

        SseRelay relay = relay(false, new ByteArrayInputStream(utf8(STREAM)), sink, Long.MAX_VALUE);

        assertThat(relay.clientGone()).isTrue();
        assertThat(relay.usage()).isEqualTo(EXPECTED_USAGE);
    }
}
