package io.aigne.hub.gateway;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ends upstream streams that go silent: a stream that delivers nothing for the idle timeout is closed, which
 * makes its blocked read fail and the call end as a failure instead of hanging a connection forever.
 */
public final class StreamWatchdog implements AutoCloseable {
    private final Duration idleTimeout;
    private final Set<Watch> watches = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile boolean running = true;

    public final class Watch implements AutoCloseable {
        private final Closeable target;
        private volatile long lastProgress = System.nanoTime();
        private volatile boolean expired;

        private Watch(Closeable target) {
            this.target = target;
        }

        public void progress() {
            lastProgress = System.nanoTime();
        }

        public boolean expired() {
            return expired;
        }

        @Override
        public void close() {
            watches.remove(this);
        }
    }

    public StreamWatchdog(Duration idleTimeout) {
        this.idleTimeout = idleTimeout;
        this.thread = Thread.ofPlatform().name("stream-watchdog").daemon(true).start(this::run);
    }

    public Watch watch(Closeable target) {
        Watch w = new Watch(target);
        watches.add(w);
        return w;
    }

    private void run() {
        long tick = Math.max(100, Math.min(1000, idleTimeout.toMillis() / 4));
        while (running) {
            try {
                Thread.sleep(tick);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (Watch w : watches) {
                if (now - w.lastProgress > idleTimeout.toNanos()) {
                    w.expired = true;
                    watches.remove(w);
                    try {
                        w.target.close();
                    } catch (IOException | RuntimeException ignored) {
                        // the reader sees the failure; nothing else to do here
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
