package io.aigne.hub.web.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.billing.RateBasis;
import io.aigne.hub.server.ApiException;
import io.aigne.hub.usage.CallType;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads of the rate fields of a request: decimals (preferably strings, so no digit is lost in a JSON number),
 * never negative, at most {@value RateBasis#RATE_SCALE} decimals for credit rates; call types by their names and
 * the original hub's aliases. Every refusal is a 400 naming the field.
 */
final class RateFields {
    /** Unit costs are the providers' USD prices per token, which need more places than credit rates. */
    static final int UNIT_COST_SCALE = 18;
    private static final int MAX_INTEGER_DIGITS = 12;

    private RateFields() {
    }

    /** Whether the body sets the field (to a value or to null, which clears it). */
    static boolean given(ObjectNode body, String field) {
        return body.has(field);
    }

    /** A credit rate: null when absent or null. */
    static BigDecimal rate(ObjectNode body, String field) {
        return decimal(body.get(field), field, RateBasis.RATE_SCALE, "credits");
    }

    static BigDecimal decimal(JsonNode v, String field, int maxScale, String unit) {
        if (v == null || v.isNull()) {
            return null;
        }
        BigDecimal value;
        if (v.isTextual()) {
            try {
                value = new BigDecimal(v.asText().trim());
            } catch (NumberFormatException e) {
                throw notANumber(field, unit);
            }
        } else if (v.isNumber()) {
            value = v.decimalValue();
        } else {
            throw notANumber(field, unit);
        }
        if (value.signum() < 0) {
            throw ApiException.invalid(field, "'" + field + "' must not be negative");
        }
        BigDecimal stripped = value.stripTrailingZeros();
        if (stripped.scale() > maxScale) {
            throw ApiException.invalid(field, "'" + field + "' has " + stripped.scale() + " decimal places; at most "
                    + maxScale + " are kept, so round it to " + maxScale + " places");
        }
        if (stripped.precision() - stripped.scale() > MAX_INTEGER_DIGITS) {
            throw ApiException.invalid(field, "'" + field + "' is too large");
        }
        return stripped;
    }

    /** Prices per image tier ({@code {"1024x1024/hd": "0.08", "hd": "0.06"}}); null when absent or null. */
    static Map<String, BigDecimal> imageRates(ObjectNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            throw ApiException.invalid(field, "'" + field + "' must be an object of image tier to credits per image, "
                    + "such as {\"1024x1024/hd\": \"0.08\"}");
        }
        Map<String, BigDecimal> tiers = new LinkedHashMap<>();
        v.fields().forEachRemaining(e -> {
            if (e.getKey().isBlank()) {
                throw ApiException.invalid(field, "'" + field + "' has an empty tier name");
            }
            tiers.put(e.getKey(), decimal(e.getValue(), field + "." + e.getKey(), RateBasis.RATE_SCALE, "credits"));
            if (tiers.get(e.getKey()) == null) {
                throw notANumber(field + "." + e.getKey(), "credits");
            }
        });
        return tiers;
    }

    /** A call type by name: chat, embedding, image, video (and chatCompletion, imageGeneration, image_generation). */
    static CallType type(String text, String field) {
        if (text == null) {
            throw ApiException.invalid(field, "'" + field + "' is required: chat, embedding, image or video");
        }
        return switch (text.trim()) {
            case "chat", "chatCompletion" -> CallType.CHAT;
            case "embedding", "embeddings" -> CallType.EMBEDDING;
            case "image", "imageGeneration", "image_generation" -> CallType.IMAGE;
            case "video" -> CallType.VIDEO;
            default -> throw ApiException.invalid(field, "'" + field + "' must be chat, embedding, image or video, "
                    + "not '" + text + "'");
        };
    }

    private static ApiException notANumber(String field, String unit) {
        return ApiException.invalid(field, "'" + field + "' must be a decimal number of " + unit
                + ", written as a string such as \"0.0000025\"");
    }
}
