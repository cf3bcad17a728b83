package io.aigne.hub.store;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Time-ordered, collision-free row ids (UUIDv7 layout as 32 hex chars): sortable like the rows they name. They
 * identify rows, they do not authorise anything, so a fast per-thread generator is enough (secrets such as access
 * keys use SecureRandom).
 */
public final class Ids {
    private Ids() {
    }

    public static String next() {
        long millis = System.currentTimeMillis();
        byte[] bytes = new byte[16];
        ThreadLocalRandom.current().nextBytes(bytes);
        for (int i = 0; i < 6; i++) {
            bytes[i] = (byte) (millis >>> (40 - 8 * i));
        }
        bytes[6] = (byte) ((bytes[6] & 0x0f) | 0x70);
        bytes[8] = (byte) ((bytes[8] & 0x3f) | 0x80);
        return HexFormat.of().formatHex(bytes);
    }
}
