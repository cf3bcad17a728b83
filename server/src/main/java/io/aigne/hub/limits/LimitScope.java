package io.aigne.hub.limits;

import java.util.Locale;

/** Whom a limit counts: each user, each access key, each calling app, or each model (all its callers together). */
public enum LimitScope {
    USER("user"),
    KEY("access key"),
    APP("app"),
    MODEL("model");

    private final String label;

    LimitScope(String label) {
        this.label = label;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** How a message names a subject of this scope: "access key 'ci-bot'". */
    public String label() {
        return label;
    }

    public static LimitScope parse(String text) {
        for (LimitScope s : values()) {
            if (s.wireName().equals(text)) {
                return s;
            }
        }
        throw new IllegalArgumentException("must be one of user, key, app, model");
    }
}
