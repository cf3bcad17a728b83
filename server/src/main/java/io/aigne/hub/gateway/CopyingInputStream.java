package io.aigne.hub.gateway;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Copies every byte read to the caller, for pass-through streams that are also decoded (for usage) on the way:
 * the caller gets the provider's bytes exactly. Bytes read before {@link #attach} (while the hub still decides
 * whether the stream is usable) are held and written on attach. When the caller's side fails, copying stops and
 * reading goes on, so that the decoder still sees the usage the provider bills.
 */
public final class CopyingInputStream extends FilterInputStream {
    private ByteArrayOutputStream held = new ByteArrayOutputStream();
    private OutputStream out;
    private boolean callerGone;

    public CopyingInputStream(InputStream in) {
        super(in);
    }

    public void attach(OutputStream out) {
        this.out = out;
        byte[] pending = held.toByteArray();
        held = null;
        copy(pending, 0, pending.length);
    }

    public boolean callerGone() {
        return callerGone;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            copy(new byte[] {(byte) b}, 0, 1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            copy(b, off, n);
        }
        return n;
    }

    private void copy(byte[] b, int off, int len) {
        if (held != null) {
            held.write(b, off, len);
            return;
        }
        if (callerGone) {
            return;
        }
        try {
            out.write(b, off, len);
        } catch (IOException | UncheckedIOException e) {
            callerGone = true;
        }
    }
}
