package io.aigne.hub.billing.catalog;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A catalogue entry's {@code match} rule: which model ids the price applies to ({@code equals}, {@code starts_with},
 * {@code ends_with}, {@code contains}, {@code regex}, and {@code or}/{@code and} of those). Ids are compared
 * without regard to case, as callers and providers spell the same model differently.
 */
public sealed interface ModelMatch {
    boolean matches(String modelId);

    /** The ids this rule names literally (its {@code equals} clauses outside any {@code and}). */
    default List<String> literalIds() {
        return List.of();
    }

    record Equals(String value) implements ModelMatch {
        public boolean matches(String id) {
            return id.equalsIgnoreCase(value);
        }

        public List<String> literalIds() {
            return List.of(value);
        }
    }

    record StartsWith(String value) implements ModelMatch {
        public boolean matches(String id) {
            return lower(id).startsWith(lower(value));
        }
    }

    record EndsWith(String value) implements ModelMatch {
        public boolean matches(String id) {
            return lower(id).endsWith(lower(value));
        }
    }

    record Contains(String value) implements ModelMatch {
        public boolean matches(String id) {
            return lower(id).contains(lower(value));
        }
    }

    record Regex(Pattern pattern) implements ModelMatch {
        public boolean matches(String id) {
            return pattern.matcher(id).find();
        }
    }

    record Or(List<ModelMatch> clauses) implements ModelMatch {
        public boolean matches(String id) {
            return clauses.stream().anyMatch(c -> c.matches(id));
        }

        public List<String> literalIds() {
            List<String> ids = new ArrayList<>();
            clauses.forEach(c -> ids.addAll(c.literalIds()));
            return ids;
        }
    }

    record And(List<ModelMatch> clauses) implements ModelMatch {
        public boolean matches(String id) {
            return clauses.stream().allMatch(c -> c.matches(id));
        }
    }

    /** Reads a rule; an unknown clause is an error naming it, so a newer catalogue format is noticed, not guessed. */
    static ModelMatch parse(JsonNode node) {
        if (node == null || !node.isObject() || node.size() != 1) {
            throw new CatalogException("a match rule must be an object with exactly one clause: " + node);
        }
        String kind = node.fieldNames().next();
        JsonNode value = node.get(kind);
        return switch (kind) {
            case "equals" -> new Equals(text(kind, value));
            case "starts_with" -> new StartsWith(text(kind, value));
            case "ends_with" -> new EndsWith(text(kind, value));
            case "contains" -> new Contains(text(kind, value));
            case "regex" -> new Regex(Pattern.compile(text(kind, value), Pattern.CASE_INSENSITIVE));
            case "or" -> new Or(list(kind, value));
            case "and" -> new And(list(kind, value));
            default -> throw new CatalogException("unknown match clause '" + kind + "'");
        };
    }

    private static String text(String kind, JsonNode value) {
        if (!value.isTextual()) {
            throw new CatalogException("match clause '" + kind + "' needs a string");
        }
        return value.asText();
    }

    private static List<ModelMatch> list(String kind, JsonNode value) {
        if (!value.isArray()) {
            throw new CatalogException("match clause '" + kind + "' needs an array");
        }
        List<ModelMatch> clauses = new ArrayList<>();
        value.forEach(v -> clauses.add(parse(v)));
        return List.copyOf(clauses);
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
