package io.aigne.hub.limits;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * What a limit counts, in which window. Requests are counted when a call is admitted; tokens and credits when
 * it ends (only then are they known), and checked at admission: a call is refused once its window has reached the
 * limit. Credits are counted in nanocredits (1 credit = 10^9).
 */
public enum LimitMetric {
    REQUESTS_PER_MINUTE("requests per minute", Window.MINUTE, Unit.REQUESTS, "rpm"),
    TOKENS_PER_MINUTE("tokens per minute", Window.MINUTE, Unit.TOKENS, "tpm"),
    CREDITS_PER_DAY("credits per day", Window.DAY, Unit.CREDITS, "cpd"),
    CREDITS_PER_MONTH("credits per month", Window.MONTH, Unit.CREDITS, "cpm");

    /** What the limit's value counts; credits are stored as nanocredits. */
    public enum Unit {
        REQUESTS, TOKENS, CREDITS;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final int NANOS_SCALE = 9;

    private final String label;
    private final Window window;
    private final Unit unit;
    private final String code;

    LimitMetric(String label, Window window, Unit unit, String code) {
        this.label = label;
        this.window = window;
        this.unit = unit;
        this.code = code;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String label() {
        return label;
    }

    public Window window() {
        return window;
    }

    public Unit unit() {
        return unit;
    }

    /** A short tag for counter keys. */
    String code() {
        return code;
    }

    /** Counted when the call is admitted (requests), rather than when it ends (tokens, credits). */
    public boolean countedAtAdmission() {
        return unit == Unit.REQUESTS;
    }

    /** A value of this metric as people read it: a count, or credits as a plain decimal ("12.5"). */
    public String format(long value) {
        if (unit != Unit.CREDITS) {
            return Long.toString(value);
        }
        return BigDecimal.valueOf(value, NANOS_SCALE).stripTrailingZeros().toPlainString();
    }

    public static LimitMetric parse(String text) {
        for (LimitMetric m : values()) {
            if (m.wireName().equals(text)) {
                return m;
            }
        }
        throw new IllegalArgumentException("must be one of requests_per_minute, tokens_per_minute, credits_per_day, "
                + "credits_per_month");
    }
}
