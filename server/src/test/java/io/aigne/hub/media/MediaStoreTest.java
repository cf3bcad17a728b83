package io.aigne.hub.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MediaStoreTest {
    static final byte[] PNG = Base64.getDecoder().decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");
    static final byte[] JPEG = {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0, 0, 0x10, 'J', 'F', 'I', 'F', 0};
    static final byte[] HTML = "<html><script>alert(1)</script></html>".getBytes();

    @TempDir
    Path dir;

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final ManualClock clock = new ManualClock();

    private MediaStore store(long maxBytes) {
        return new MediaStore(dir, maxBytes, Duration.ofDays(7), clock);
    }

    @Test
    void aStoredFileIsFoundByItsUnguessableNameWithTheSniffedType() throws Exception {
        MediaStore store = store(1 << 20);

        MediaStore.Stored stored = store.put(PNG);

        assertThat(stored.name()).matches("[A-Za-z0-9_-]{32}\\.png");
        assertThat(stored.type()).isEqualTo(MediaType.PNG);
        assertThat(stored.size()).isEqualTo(PNG.length);
        assertThat(stored.expiresAt()).isEqualTo(clock.now.plus(Duration.ofDays(7)));
        MediaStore.Found found = store.find(stored.name()).orElseThrow();
        assertThat(found.type().contentType()).isEqualTo("image/png");
        assertThat(Files.readAllBytes(found.file())).isEqualTo(PNG);
        assertThat(found.file().getParent()).isEqualTo(dir.toAbsolutePath().normalize());
    }

    @Test
    void namesAreDistinctAndCarry192RandomBits() throws Exception {
        MediaStore store = store(1 << 20);
        Set<String> names = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            names.add(store.put(PNG).name());
        }
        assertThat(names).hasSize(200);
        // 32 URL-safe base64 characters = 24 bytes
        assertThat(Base64.getUrlDecoder().decode(names.iterator().next().substring(0, 32))).hasSize(24);
    }

    @Test
    void theTypeComesFromTheBytes() throws Exception {
        MediaStore store = store(1 << 20);
        assertThat(store.put(JPEG).name()).endsWith(".jpg");
        byte[] webp = "RIFF\0\0\0\0WEBPVP8 ".getBytes();
        assertThat(store.put(webp).type()).isEqualTo(MediaType.WEBP);
        assertThat(store.put("GIF89a\1\0\1\0".getBytes()).type()).isEqualTo(MediaType.GIF);
        byte[] mp4 = {0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm', 0, 0, 2, 0};
        assertThat(store.put(mp4).type().contentType()).isEqualTo("video/mp4");
        byte[] webm = {0x1a, 0x45, (byte) 0xdf, (byte) 0xa3, (byte) 0x9f, 0x42, (byte) 0x82, (byte) 0x84, 'w', 'e',
                'b', 'm'};
        assertThat(store.put(webm).type().contentType()).isEqualTo("video/webm");
    }

    @Test
    void bytesOfAnyOtherKindAreRefused() {
        MediaStore store = store(1 << 20);
        assertThatThrownBy(() -> store.put(HTML)).isInstanceOf(MediaStore.Rejected.class)
                .hasMessageContaining("not one of the hosted types");
        byte[] svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"/>".getBytes();
        assertThatThrownBy(() -> store.put(svg)).isInstanceOf(MediaStore.Rejected.class);
        assertThatThrownBy(() -> store.put(new byte[0])).isInstanceOf(MediaStore.Rejected.class);
        assertThat(dir.toFile().list()).isEmpty();
    }

    @Test
    void aFileAboveTheLimitIsRefused() throws Exception {
        MediaStore store = store(PNG.length - 1);
        assertThatThrownBy(() -> store.put(PNG)).isInstanceOf(MediaStore.Rejected.class)
                .hasMessageContaining("media.maxFileBytes");
        assertThat(store(PNG.length).put(PNG).size()).isEqualTo(PNG.length);
    }

    @Test
    void anExpiredFileIsNotFoundAndTheSweepDeletesIt() throws Exception {
        MediaStore store = store(1 << 20);
        MediaStore.Stored old = store.put(PNG);
        clock.now = clock.now.plus(Duration.ofDays(6));
        MediaStore.Stored recent = store.put(PNG);

        clock.now = clock.now.plus(Duration.ofDays(1));

        assertThat(store.find(old.name())).isEmpty();
        assertThat(store.find(recent.name())).isPresent();
        assertThat(store.sweep()).isEqualTo(1);
        assertThat(Files.exists(dir.resolve(old.name()))).isFalse();
        assertThat(Files.exists(dir.resolve(recent.name()))).isTrue();
    }

    @Test
    void namesOutsideTheStoresShapeNeverReachTheFileSystem() throws IOException {
        MediaStore store = store(1 << 20);
        Path secret = dir.getParent().resolve("secret-" + System.nanoTime() + ".png");
        Files.write(secret, PNG);
        try {
            for (String name : new String[] {"../" + secret.getFileName(), "..%2F" + secret.getFileName(),
                    secret.toString(), "..", ".", "", "a/../../x.png", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.html",
                    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.png/../../" + secret.getFileName(), null}) {
                assertThat(store.find(name)).as(String.valueOf(name)).isEmpty();
            }
        } finally {
            Files.deleteIfExists(secret);
        }
    }

    @Test
    void aFileWhoseBytesDoNotMatchItsNameOrThatIsALinkIsNotServed() throws Exception {
        MediaStore store = store(1 << 20);
        String forged = "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB.png";
        Files.write(dir.resolve(forged), HTML);
        assertThat(store.find(forged)).isEmpty();

        Path outside = Files.createTempFile("outside", ".png");
        Files.write(outside, PNG);
        String link = "CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC.png";
        try {
            Files.createSymbolicLink(dir.resolve(link), outside);
            assertThat(store.find(link)).isEmpty();
        } finally {
            Files.deleteIfExists(outside);
        }
    }

    @Test
    void theSweepLeavesOtherFilesAndFreshPartialWritesAlone() throws Exception {
        MediaStore store = store(1 << 20);
        Files.writeString(dir.resolve("README"), "not ours");
        Path partial = dir.resolve("DDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDD.png.partial");
        Files.write(partial, PNG);
        Files.setLastModifiedTime(partial, java.nio.file.attribute.FileTime.from(clock.now));

        assertThat(store.sweep()).isZero();
        clock.now = clock.now.plus(Duration.ofHours(2));
        assertThat(store.sweep()).isEqualTo(1);
        assertThat(Files.exists(dir.resolve("README"))).isTrue();
    }
}
