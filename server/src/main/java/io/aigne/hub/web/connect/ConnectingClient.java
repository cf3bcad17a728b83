package io.aigne.hub.web.connect;

/**
 * What the connecting program says about itself in the approval URL ({@code appName=" AIGNE CLI"},
 * {@code source="@aigne/cli connect to AIGNE hub"}): shown to the user and used to name the new key. It is
 * whatever the URL says, so it is trimmed, stripped of control characters and shortened, and always escaped.
 */
record ConnectingClient(String appName, String source) {
    private static final int MAX = 80;

    static ConnectingClient of(String appName, String source) {
        return new ConnectingClient(clean(appName), clean(source));
    }

    /** A name for the access key, e.g. "AIGNE CLI (@aigne/cli connect to AIGNE hub)". */
    String keyName() {
        if (appName.isEmpty() && source.isEmpty()) {
            return "aigne hub connect";
        }
        if (appName.isEmpty() || source.isEmpty()) {
            return appName.isEmpty() ? source : appName;
        }
        return appName + " (" + source + ")";
    }

    String displayName() {
        return appName.isEmpty() ? (source.isEmpty() ? "A program" : source) : appName;
    }

    private static String clean(String text) {
        if (text == null) {
            return "";
        }
        String cleaned = text.codePoints().filter(c -> !Character.isISOControl(c))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString().strip();
        return cleaned.length() > MAX ? cleaned.substring(0, MAX) : cleaned;
    }
}
