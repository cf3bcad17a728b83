package io.aigne.hub.billing.catalog;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One model's text-token prices from the catalogue, in USD per million tokens, reduced to what a hub rate can
 * hold (one price per kind of token):
 *
 * <ul>
 *   <li><b>Tiers</b> ({@code {"base": 3, "tiers": [{"start": 200000, "price": 6}]}}: the price of every token once
 *       the prompt crosses a threshold): the base tier is taken. Calls above the threshold are then charged the
 *       base price; {@link #tiered()} says so, and a hand-set rate can be used where that matters.</li>
 *   <li><b>Prices from a date</b> ({@code start_date}): the last one in force on the day of the import; a price
 *       that starts later is ignored until an import runs on or after its date.</li>
 *   <li><b>Prices for a time of day</b> ({@code start_time}/{@code end_time}, e.g. DeepSeek's off-peak discount):
 *       a stored rate cannot follow the clock, so the dearest of the prices that apply at some time of the day is
 *       taken (by output, then input price): the hub never charges less than the provider does.</li>
 *   <li>Audio, image and video token prices and per-request prices are not imported (the hub counts text
 *       tokens); {@link #ignored()} names them.</li>
 * </ul>
 */
public record CatalogPrice(BigDecimal inputMtok, BigDecimal outputMtok, BigDecimal cacheReadMtok,
                           BigDecimal cacheWriteMtok, boolean tiered, Set<String> ignored) {
    private static final Set<String> TOKEN_PRICES = Set.of("input_mtok", "output_mtok", "cache_read_mtok",
            "cache_write_mtok");

    public CatalogPrice {
        ignored = Set.copyOf(ignored);
    }

    /** Whether any text-token price is given; a model with none cannot become a rate. */
    public boolean hasTokenPrice() {
        return inputMtok != null || outputMtok != null;
    }

    /** The prices in force on {@code today} from a model's {@code prices} (an object, or conditional prices). */
    static CatalogPrice of(JsonNode prices, LocalDate today) {
        if (prices == null || prices.isNull()) {
            throw new CatalogException("a model without 'prices'");
        }
        if (prices.isObject()) {
            return read(prices);
        }
        if (!prices.isArray() || prices.isEmpty()) {
            throw new CatalogException("'prices' must be an object or a non-empty array of conditional prices");
        }
        List<JsonNode> applicable = new ArrayList<>();
        boolean byTimeOfDay = false;
        for (JsonNode conditional : prices) {
            JsonNode constraint = conditional.get("constraint");
            if (constraint == null || constraint.isNull()) {
                applicable.add(conditional);
            } else if (constraint.has("start_date")) {
                if (!startDate(constraint).isAfter(today)) {
                    applicable.add(conditional);
                }
            } else if (constraint.has("start_time")) {
                applicable.add(conditional);
                byTimeOfDay = true;
            } else {
                throw new CatalogException("unknown price constraint " + constraint);
            }
        }
        if (applicable.isEmpty()) {
            // The catalogue's rule: when no condition holds, the first price applies.
            return read(prices.get(0).get("prices"));
        }
        if (byTimeOfDay) {
            return applicable.stream().map(c -> read(c.get("prices")))
                    .max(Comparator.comparing((CatalogPrice p) -> orZero(p.outputMtok()))
                            .thenComparing(p -> orZero(p.inputMtok())))
                    .orElseThrow();
        }
        // Later conditional prices take precedence over earlier ones.
        return read(applicable.getLast().get("prices"));
    }

    private static CatalogPrice read(JsonNode price) {
        if (price == null || !price.isObject()) {
            throw new CatalogException("a price must be an object of prices per million tokens");
        }
        boolean[] tiered = {false};
        Set<String> ignored = new TreeSet<>();
        price.fieldNames().forEachRemaining(name -> {
            if (!TOKEN_PRICES.contains(name)) {
                ignored.add(name);
            } else if (price.get(name).isObject()) {
                tiered[0] = true;
            }
        });
        return new CatalogPrice(amount(price, "input_mtok"), amount(price, "output_mtok"),
                amount(price, "cache_read_mtok"), amount(price, "cache_write_mtok"), tiered[0], ignored);
    }

    /** A plain price, or the base of tiered prices; exact, as written in the file. */
    private static BigDecimal amount(JsonNode price, String name) {
        JsonNode v = price.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        JsonNode number = v.isObject() ? v.get("base") : v;
        if (number == null || !number.isNumber()) {
            throw new CatalogException("'" + name + "' must be a number or {base, tiers}");
        }
        BigDecimal amount = number.decimalValue();
        if (amount.signum() < 0) {
            throw new CatalogException("'" + name + "' is negative");
        }
        return amount;
    }

    private static LocalDate startDate(JsonNode constraint) {
        try {
            return LocalDate.parse(constraint.get("start_date").asText());
        } catch (DateTimeParseException e) {
            throw new CatalogException("start_date is not a date: " + constraint, e);
        }
    }

    private static BigDecimal orZero(BigDecimal d) {
        return d == null ? BigDecimal.ZERO : d;
    }
}
