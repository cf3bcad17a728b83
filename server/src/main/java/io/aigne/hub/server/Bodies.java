package io.aigne.hub.server;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.OptionalLong;

/**
 * Reads whole bodies without waste: a declared length is read into an array of exactly that size; an undeclared
 * one (chunked) grows a buffer. {@code InputStream.readNBytes(max)} would allocate its 16 KiB chunks and a copy
 * for every small JSON body, which at thousands of calls a second is most of the hub's garbage.
 */
public final class Bodies {
    private Bodies() {
    }

    /** Thrown when a body is larger than allowed; nothing beyond the limit has been kept. */
    public static final class TooLarge extends IOException {
        public TooLarge(long limit) {
            super("body larger than " + limit + " bytes");
        }
    }

    public static byte[] read(InputStream in, OptionalLong declared, long max) throws IOException {
        if (declared.isPresent()) {
            long length = declared.getAsLong();
            if (length > max) {
                throw new TooLarge(max);
            }
            byte[] body = new byte[(int) length];
            int n = in.readNBytes(body, 0, body.length);
            return n == body.length ? body : Arrays.copyOf(body, n);
        }
        byte[] buffer = new byte[8192];
        int length = 0;
        int n;
        while ((n = in.read(buffer, length, buffer.length - length)) >= 0) {
            length += n;
            if (length > max) {
                throw new TooLarge(max);
            }
            if (length == buffer.length) {
                long grown = Math.min(buffer.length * 2L, max + 1);
                buffer = Arrays.copyOf(buffer, (int) Math.min(Integer.MAX_VALUE - 8, grown));
            }
        }
        return length == buffer.length ? buffer : Arrays.copyOf(buffer, length);
    }
}
