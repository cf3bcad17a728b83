package io.aigne.hub.limits;

import java.time.Duration;
import java.time.Instant;

/** For end-to-end tests that count within one clock minute: start them where the minute has room left. */
final class Minutes {
    private Minutes() {
    }

    /** Waits for the next minute when fewer than {@code room} remain in this one. */
    static void awaitRoom(Duration room) throws InterruptedException {
        long now = Instant.now().toEpochMilli();
        long left = 60_000 - now % 60_000;
        if (left < room.toMillis()) {
            Thread.sleep(left + 50);
        }
    }
}
