package io.aigne.hub.gateway;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Tells the watchdog about every read from a provider's stream, so that only silence ends it. */
public final class ProgressStream extends FilterInputStream {
    private final StreamWatchdog.Watch watch;

    public ProgressStream(InputStream in, StreamWatchdog.Watch watch) {
        super(in);
        this.watch = watch;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        watch.progress();
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        watch.progress();
        return n;
    }
}
