package io.aigne.hub.provider.ideogram;

import io.aigne.hub.server.ApiException;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps OpenAI's {@code size} ("WIDTHxHEIGHT") to the nearest aspect ratio an Ideogram API offers. Ideogram renders
 * at a fixed pixel budget per ratio, so only the shape of the requested size can be honoured; the nearest shape is
 * the one whose width/height ratio is closest on a logarithmic scale (so 2:1 and 1:2 are equally far from 1:1).
 */
final class AspectRatios {
    private static final Pattern SIZE = Pattern.compile("(\\d{1,5})\\s*[xX×]\\s*(\\d{1,5})");

    /** One aspect ratio, width:height. */
    record Ratio(int width, int height) {
        /** Ideogram 3.0's form: {@code 16x9}. */
        String v3Name() {
            return width + "x" + height;
        }

        /** The legacy API's form: {@code ASPECT_16_9}. */
        String legacyName() {
            return "ASPECT_" + width + "_" + height;
        }

        double logRatio() {
            return Math.log((double) width / height);
        }
    }

    /** The reference's AspectRatioV3 enum. */
    static final List<Ratio> V3 = ratios("1x1", "16x9", "9x16", "16x10", "10x16", "4x3", "3x4", "3x2", "2x3",
            "5x4", "4x5", "2x1", "1x2", "3x1", "1x3");

    /** The reference's legacy AspectRatio enum (ASPECT_W_H). */
    static final List<Ratio> LEGACY = ratios("1x1", "16x9", "9x16", "16x10", "10x16", "4x3", "3x4", "3x2", "2x3",
            "3x1", "1x3");

    private AspectRatios() {
    }

    /** The supported ratio nearest to {@code size}; null when no size was asked for (or "auto"). */
    static Ratio nearest(String size, List<Ratio> supported) {
        if (size == null || size.isBlank() || size.strip().toLowerCase(Locale.ROOT).equals("auto")) {
            return null;
        }
        Matcher m = SIZE.matcher(size.strip());
        int width = m.matches() ? Integer.parseInt(m.group(1)) : 0;
        int height = m.matches() ? Integer.parseInt(m.group(2)) : 0;
        if (width == 0 || height == 0) {
            throw ApiException.invalid("size", "size must be WIDTHxHEIGHT in pixels (e.g. 1024x1024) or auto, not '"
                    + size + "'");
        }
        double wanted = Math.log((double) width / height);
        return supported.stream().min(Comparator.comparingDouble(r -> Math.abs(r.logRatio() - wanted))).orElseThrow();
    }

    private static List<Ratio> ratios(String... names) {
        return Arrays.stream(names).map(n -> {
            String[] parts = n.split("x");
            return new Ratio(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
        }).toList();
    }
}
