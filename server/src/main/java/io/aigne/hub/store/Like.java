package io.aigne.hub.store;

/**
 * LIKE patterns that match user input literally on both databases: '%' and '_' in the input are escaped with '!'
 * (not a backslash, whose meaning in string literals differs between SQL dialects). Follow the pattern with
 * {@link #ESCAPE}.
 */
public final class Like {
    public static final String ESCAPE = " ESCAPE '!'";

    private Like() {
    }

    public static String contains(String text) {
        return "%" + literal(text) + "%";
    }

    public static String prefix(String text) {
        return literal(text) + "%";
    }

    private static String literal(String text) {
        return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }
}
