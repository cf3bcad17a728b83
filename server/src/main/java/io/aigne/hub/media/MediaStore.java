package io.aigne.hub.media;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Generated files (images, later videos) the hub hosts for callers that asked for a URL, in one local directory.
 * Each file is named by 192 random bits and its type's extension, so its URL is a capability: it cannot be guessed,
 * and nothing else is needed to fetch it. Files are accepted only when their first bytes are one of the
 * {@link MediaType}s and they are not larger than the limit; they expire {@code retention} after they were stored
 * (their modification time), are not found from then on, and are deleted by {@link #sweep}. A name is looked up
 * only if it has exactly the shape this store gives out, so no request can reach a path outside the directory.
 */
public final class MediaStore {
    private static final int ID_BYTES = 24;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{32}\\.(png|jpg|webp|gif|mp4|webm)");
    private static final String PARTIAL_SUFFIX = ".partial";
    /** A file still being written is left alone by the sweep for this long. */
    private static final Duration PARTIAL_GRACE = Duration.ofHours(1);
    private static final int SNIFF_BYTES = 64;

    private final Path root;
    private final long maxFileBytes;
    private final Duration retention;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    /** A file the store accepted, under the name its URL carries. */
    public record Stored(String name, MediaType type, long size, Instant expiresAt) {
    }

    /** A file that can be served now. */
    public record Found(Path file, MediaType type, long size, Instant expiresAt) {
    }

    /** Why the store refused bytes: the caller of {@link #put} falls back to handing them over inline. */
    public static final class Rejected extends Exception {
        public Rejected(String message) {
            super(message, null, false, false);
        }
    }

    public MediaStore(Path directory, long maxFileBytes, Duration retention, Clock clock) {
        this.root = directory.toAbsolutePath().normalize();
        this.maxFileBytes = maxFileBytes;
        this.retention = retention;
        this.clock = clock;
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the media directory " + root, e);
        }
    }

    public Path directory() {
        return root;
    }

    public Duration retention() {
        return retention;
    }

    public Stored put(byte[] bytes) throws Rejected {
        if (bytes.length == 0) {
            throw new Rejected("the file is empty");
        }
        if (bytes.length > maxFileBytes) {
            throw new Rejected("the file has " + bytes.length + " bytes, more than media.maxFileBytes ("
                    + maxFileBytes + ")");
        }
        MediaType type = MediaType.sniff(head(bytes)).orElseThrow(() ->
                new Rejected("the file is not one of the hosted types (PNG, JPEG, WebP, GIF, MP4, WebM)"));
        String name = newId() + "." + type.extension();
        Path target = root.resolve(name);
        Path partial = root.resolve(name + PARTIAL_SUFFIX);
        Instant now = clock.instant();
        try {
            Files.write(partial, bytes);
            Files.setLastModifiedTime(partial, FileTime.from(now));
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            deleteQuietly(partial);
            throw new UncheckedIOException("cannot write " + target, e);
        }
        return new Stored(name, type, bytes.length, now.plus(retention));
    }

    /** The file of that name if it exists, has not expired and still is what its name says. */
    public Optional<Found> find(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        Path file = root.resolve(name).normalize();
        if (!root.equals(file.getParent())) {
            return Optional.empty();
        }
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (!attributes.isRegularFile()) {
            return Optional.empty();
        }
        Instant expiresAt = attributes.lastModifiedTime().toInstant().plus(retention);
        if (!clock.instant().isBefore(expiresAt)) {
            return Optional.empty();
        }
        MediaType declared = MediaType.ofExtension(name.substring(name.lastIndexOf('.') + 1)).orElseThrow();
        if (!readHead(file).flatMap(MediaType::sniff).filter(declared::equals).isPresent()) {
            return Optional.empty();
        }
        return Optional.of(new Found(file, declared, attributes.size(), expiresAt));
    }

    /** Deletes expired files and abandoned partial writes; returns how many were deleted. */
    public int sweep() {
        Instant now = clock.instant();
        int deleted = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(root)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                Duration keep;
                if (NAME.matcher(name).matches()) {
                    keep = retention;
                } else if (name.endsWith(PARTIAL_SUFFIX)) {
                    keep = PARTIAL_GRACE;
                } else {
                    continue;
                }
                BasicFileAttributes attributes;
                try {
                    attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                } catch (IOException e) {
                    continue;
                }
                if (!now.isBefore(attributes.lastModifiedTime().toInstant().plus(keep)) && deleteQuietly(file)) {
                    deleted++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the media directory " + root, e);
        }
        return deleted;
    }

    private String newId() {
        byte[] id = new byte[ID_BYTES];
        random.nextBytes(id);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(id);
    }

    private static byte[] head(byte[] bytes) {
        return bytes.length <= SNIFF_BYTES ? bytes : java.util.Arrays.copyOf(bytes, SNIFF_BYTES);
    }

    private static Optional<byte[]> readHead(Path file) {
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.of(in.readNBytes(SNIFF_BYTES));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static boolean deleteQuietly(Path file) {
        try {
            return Files.deleteIfExists(file);
        } catch (IOException e) {
            return false;
        }
    }
}
