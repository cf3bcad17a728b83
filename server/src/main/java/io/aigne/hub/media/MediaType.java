package io.aigne.hub.media;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * The kinds of file the hub hosts, recognised by their first bytes rather than by what a provider declared: a file
 * whose bytes are not one of these is never served, so the media route cannot be made to deliver HTML or script.
 */
public enum MediaType {
    PNG("image/png", "png"),
    JPEG("image/jpeg", "jpg"),
    WEBP("image/webp", "webp"),
    GIF("image/gif", "gif"),
    MP4("video/mp4", "mp4"),
    WEBM("video/webm", "webm");

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final byte[] EBML_MAGIC = {0x1a, 0x45, (byte) 0xdf, (byte) 0xa3};
    /** The EBML header, which names the document type, sits well within the first bytes of a WebM file. */
    private static final int EBML_HEADER_SCAN = 64;

    private final String contentType;
    private final String extension;

    MediaType(String contentType, String extension) {
        this.contentType = contentType;
        this.extension = extension;
    }

    public String contentType() {
        return contentType;
    }

    public String extension() {
        return extension;
    }

    public static Optional<MediaType> ofExtension(String extension) {
        for (MediaType type : values()) {
            if (type.extension.equals(extension)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    /** What the bytes are, judged by their signature; empty when they are none of the hosted kinds. */
    public static Optional<MediaType> sniff(byte[] head) {
        if (startsWith(head, 0, PNG_SIGNATURE)) {
            return Optional.of(PNG);
        }
        if (head.length >= 3 && (head[0] & 0xff) == 0xff && (head[1] & 0xff) == 0xd8 && (head[2] & 0xff) == 0xff) {
            return Optional.of(JPEG);
        }
        if (startsWith(head, 0, ascii("GIF87a")) || startsWith(head, 0, ascii("GIF89a"))) {
            return Optional.of(GIF);
        }
        if (startsWith(head, 0, ascii("RIFF")) && startsWith(head, 8, ascii("WEBP"))) {
            return Optional.of(WEBP);
        }
        // ISO base media files open with a box whose type is "ftyp"; its brand tells MP4 from HEIF and others.
        if (startsWith(head, 4, ascii("ftyp")) && head.length >= 12 && isMp4Brand(new String(head, 8, 4,
                StandardCharsets.US_ASCII))) {
            return Optional.of(MP4);
        }
        if (startsWith(head, 0, EBML_MAGIC) && contains(head, ascii("webm"), EBML_HEADER_SCAN)) {
            return Optional.of(WEBM);
        }
        return Optional.empty();
    }

    private static boolean isMp4Brand(String brand) {
        return brand.startsWith("mp4") || brand.startsWith("iso") || brand.equals("avc1") || brand.equals("M4V ")
                || brand.equals("dash") || brand.equals("mmp4");
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static boolean startsWith(byte[] bytes, int offset, byte[] prefix) {
        return bytes.length >= offset + prefix.length
                && Arrays.equals(bytes, offset, offset + prefix.length, prefix, 0, prefix.length);
    }

    private static boolean contains(byte[] bytes, byte[] needle, int within) {
        int end = Math.min(bytes.length, within) - needle.length;
        for (int i = 0; i <= end; i++) {
            if (Arrays.equals(bytes, i, i + needle.length, needle, 0, needle.length)) {
                return true;
            }
        }
        return false;
    }
}
