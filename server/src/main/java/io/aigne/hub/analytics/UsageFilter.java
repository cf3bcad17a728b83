package io.aigne.hub.analytics;

import java.util.EnumMap;
import java.util.Map;

/** Which calls a question is about: a value per dimension, or null for "any". */
public record UsageFilter(String userId, String appDid, String provider, String model, String type) {
    public static final UsageFilter EVERYONE = new UsageFilter(null, null, null, null, null);

    public static UsageFilter ofUser(String userId) {
        return new UsageFilter(userId, null, null, null, null);
    }

    public UsageFilter withApp(String app) {
        return new UsageFilter(userId, app, provider, model, type);
    }

    /** The dimensions this filter fixes, with their values. */
    public Map<Dimension, String> values() {
        Map<Dimension, String> v = new EnumMap<>(Dimension.class);
        put(v, Dimension.USER, userId);
        put(v, Dimension.APP, appDid);
        put(v, Dimension.PROVIDER, provider);
        put(v, Dimension.MODEL, model);
        put(v, Dimension.TYPE, type);
        return v;
    }

    private static void put(Map<Dimension, String> v, Dimension d, String value) {
        if (value != null) {
            v.put(d, value);
        }
    }
}
