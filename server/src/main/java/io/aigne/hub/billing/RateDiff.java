package io.aigne.hub.billing;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** Which prices differ between two versions of a rate, compared by value ({@code 0.10} equals {@code 0.1}). */
public final class RateDiff {
    private RateDiff() {
    }

    /** The names of the price fields that differ (as in the JSON: {@code inputRate}, {@code unitCosts.input}, …). */
    public static List<String> prices(ModelRate a, ModelRate b) {
        List<String> changed = new ArrayList<>();
        check(changed, "inputRate", a.inputRate(), b.inputRate());
        check(changed, "outputRate", a.outputRate(), b.outputRate());
        check(changed, "cacheReadRate", a.cacheReadRate(), b.cacheReadRate());
        check(changed, "cacheWriteRate", a.cacheWriteRate(), b.cacheWriteRate());
        check(changed, "imageRate", a.imageRate(), b.imageRate());
        if (!RateJson.sameTiers(a.imageRates(), b.imageRates())) {
            changed.add("imageRates");
        }
        check(changed, "videoSecondRate", a.videoSecondRate(), b.videoSecondRate());
        ModelRate.UnitCosts ca = a.unitCosts();
        ModelRate.UnitCosts cb = b.unitCosts();
        if (ca == null || cb == null) {
            if (ca != cb) {
                changed.add("unitCosts");
            }
        } else {
            check(changed, "unitCosts.input", ca.input(), cb.input());
            check(changed, "unitCosts.output", ca.output(), cb.output());
            check(changed, "unitCosts.cacheRead", ca.cacheRead(), cb.cacheRead());
            check(changed, "unitCosts.cacheWrite", ca.cacheWrite(), cb.cacheWrite());
            check(changed, "unitCosts.image", ca.image(), cb.image());
            check(changed, "unitCosts.videoSecond", ca.videoSecond(), cb.videoSecond());
        }
        return changed;
    }

    private static void check(List<String> changed, String field, BigDecimal a, BigDecimal b) {
        if (a == null || b == null ? a != b : a.compareTo(b) != 0) {
            changed.add(field);
        }
    }
}
