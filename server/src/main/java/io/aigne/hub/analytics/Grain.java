package io.aigne.hub.analytics;

import java.util.EnumSet;
import java.util.Set;

/**
 * Which dimensions a family of rollup rows keeps. {@link #FULL} keeps all of them and answers any question, but
 * has the most rows; the smaller grains answer the questions that span all users (a trend, top models, top apps,
 * top users) from far fewer rows. Every call updates one row of each grain per period.
 */
public enum Grain {
    ALL("all", EnumSet.noneOf(Dimension.class)),
    MODEL("model", EnumSet.of(Dimension.PROVIDER, Dimension.MODEL, Dimension.TYPE)),
    APP("app", EnumSet.of(Dimension.APP)),
    USER("user", EnumSet.of(Dimension.USER)),
    FULL("full", EnumSet.allOf(Dimension.class));

    private final String code;
    private final Set<Dimension> dimensions;

    Grain(String code, Set<Dimension> dimensions) {
        this.code = code;
        this.dimensions = dimensions;
    }

    public String code() {
        return code;
    }

    public boolean keeps(Dimension d) {
        return dimensions.contains(d);
    }

    /** The grain with the fewest rows that keeps every dimension in {@code needed}. */
    public static Grain smallestKeeping(Set<Dimension> needed) {
        for (Grain g : values()) {
            if (g.dimensions.containsAll(needed)) {
                return g;
            }
        }
        return FULL;
    }
}
