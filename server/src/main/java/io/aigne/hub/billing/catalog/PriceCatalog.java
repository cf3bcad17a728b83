package io.aigne.hub.billing.catalog;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The price catalogue in genai-prices' {@code data.json} format: providers, each with models, a match rule per model
 * and prices in USD per million tokens. A copy ships with the hub ({@link #bundled()}, see {@code NOTICE.md} next to
 * it); {@link #read(Path)} takes a newer file. Numbers are read as exact decimals, never as floating point.
 */
public final class PriceCatalog {
    public static final String BUNDLED_RESOURCE = "/io/aigne/hub/billing/catalog/data.json";
    public static final String NAME = "genai-prices";

    private static final ObjectMapper EXACT = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /** A catalogue provider, e.g. {@code openai}, {@code aws} (Bedrock), {@code x-ai}. */
    public record Provider(String id, String name, List<Model> models) {
    }

    /** A catalogue model: its id, how ids match it, and its raw prices (resolved for a day by {@link #price}). */
    public record Model(String id, String name, ModelMatch match, Integer contextWindow, boolean deprecated,
                        JsonNode prices) {
        public CatalogPrice price(java.time.LocalDate today) {
            try {
                return CatalogPrice.of(prices, today);
            } catch (CatalogException e) {
                throw new CatalogException("model " + id + ": " + e.getMessage(), e);
            }
        }
    }

    private final String source;
    private final List<Provider> providers;

    private PriceCatalog(String source, List<Provider> providers) {
        this.source = source;
        this.providers = List.copyOf(providers);
    }

    /** The copy shipped with the hub. */
    public static PriceCatalog bundled() {
        try (InputStream in = PriceCatalog.class.getResourceAsStream(BUNDLED_RESOURCE)) {
            if (in == null) {
                throw new CatalogException("the bundled price catalogue " + BUNDLED_RESOURCE + " is missing from the jar");
            }
            return parse(in, "bundled " + NAME);
        } catch (IOException e) {
            throw new CatalogException("cannot read the bundled price catalogue: " + e.getMessage(), e);
        }
    }

    public static PriceCatalog read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in, file.toString());
        } catch (IOException e) {
            throw new CatalogException("cannot read the price catalogue " + file + ": " + e.getMessage(), e);
        }
    }

    public static PriceCatalog parse(InputStream in, String source) {
        JsonNode root;
        try {
            root = EXACT.readTree(in);
        } catch (IOException e) {
            throw new CatalogException(source + " is not JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isArray()) {
            throw new CatalogException(source + " is not a genai-prices data.json (a JSON array of providers)");
        }
        List<Provider> providers = new ArrayList<>();
        for (JsonNode p : root) {
            String id = required(p, "id", source);
            try {
                providers.add(new Provider(id, p.path("name").asText(id), models(p.get("models"))));
            } catch (CatalogException e) {
                throw new CatalogException(source + ", provider " + id + ": " + e.getMessage(), e);
            }
        }
        return new PriceCatalog(source, providers);
    }

    /** Where this catalogue was read from, for reports. */
    public String source() {
        return source;
    }

    public List<Provider> providers() {
        return providers;
    }

    public Optional<Provider> provider(String id) {
        return providers.stream().filter(p -> p.id().equals(id)).findFirst();
    }

    private static List<Model> models(JsonNode models) {
        if (models == null || !models.isArray()) {
            throw new CatalogException("'models' must be an array");
        }
        List<Model> out = new ArrayList<>();
        for (JsonNode m : models) {
            String id = required(m, "id", "a model");
            ModelMatch match;
            try {
                match = ModelMatch.parse(m.get("match"));
            } catch (CatalogException | java.util.regex.PatternSyntaxException e) {
                throw new CatalogException("model " + id + ": " + e.getMessage(), e);
            }
            if (m.get("prices") == null) {
                throw new CatalogException("model " + id + " has no 'prices'");
            }
            JsonNode window = m.get("context_window");
            out.add(new Model(id, m.path("name").asText(id), match,
                    window != null && window.canConvertToInt() ? window.asInt() : null,
                    m.path("deprecated").asBoolean(false), m.get("prices")));
        }
        return List.copyOf(out);
    }

    private static String required(JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new CatalogException(where + ": an entry without '" + field + "'");
        }
        return v.asText();
    }
}
