package io.aigne.hub.provider.ideogram;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a {@code multipart/form-data} body of text fields (RFC 7578 over RFC 2046 framing), UTF-8 encoded, the
 * way browsers send a form: one part per field with only a {@code Content-Disposition} header.
 */
final class Multipart {
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final byte[] CRLF = {'\r', '\n'};

    /** The encoded body and the Content-Type header that names its boundary. */
    record Encoded(String contentType, byte[] body) {
    }

    private record Field(String name, String value) {
    }

    private final List<Field> fields = new ArrayList<>();

    /** Adds a field; a null value leaves the field out, so that the provider applies its own default. */
    Multipart field(String name, String value) {
        if (value != null) {
            fields.add(new Field(name, value));
        }
        return this;
    }

    Encoded encode() {
        String boundary = randomBoundary();
        // A value that happens to contain the boundary would end its part early: draw another one.
        while (containsBoundary(boundary)) {
            boundary = randomBoundary();
        }
        return encode(boundary);
    }

    /** Encodes with a given boundary (1 to 70 letters and digits), for tests that compare exact bytes. */
    Encoded encode(String boundary) {
        if (!boundary.matches("[A-Za-z0-9'()+_,\\-./:=?]{1,70}")) {
            throw new IllegalArgumentException("not a boundary that needs no quoting: " + boundary);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.US_ASCII);
        for (Field field : fields) {
            out.writeBytes(delimiter);
            out.writeBytes(CRLF);
            out.writeBytes(("Content-Disposition: form-data; name=\"" + escapeName(field.name()) + "\"")
                    .getBytes(StandardCharsets.UTF_8));
            out.writeBytes(CRLF);
            out.writeBytes(CRLF);
            out.writeBytes(field.value().getBytes(StandardCharsets.UTF_8));
            out.writeBytes(CRLF);
        }
        out.writeBytes(delimiter);
        out.writeBytes(new byte[]{'-', '-'});
        out.writeBytes(CRLF);
        return new Encoded("multipart/form-data; boundary=" + boundary, out.toByteArray());
    }

    private boolean containsBoundary(String boundary) {
        return fields.stream().anyMatch(f -> f.value().contains(boundary) || f.name().contains(boundary));
    }

    /** Percent-escapes the three characters a quoted name cannot hold, as the HTML form encoder does. */
    private static String escapeName(String name) {
        return name.replace("\"", "%22").replace("\r", "%0D").replace("\n", "%0A");
    }

    private static String randomBoundary() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        StringBuilder sb = new StringBuilder("AigneHubFormBoundary");
        for (int i = 0; i < 24; i++) {
            sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }
}
