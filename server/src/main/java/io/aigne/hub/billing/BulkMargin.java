package io.aigne.hub.billing;

import java.util.ArrayList;
import java.util.List;

/**
 * A bulk margin update (spec §13.2, {@code mode: margin}): every rate that knows its provider's price (its unit
 * costs, whether imported or set by hand) is derived again at the given basis; rates without unit costs cannot be
 * and stay as they are.
 */
public final class BulkMargin {
    /** One rate whose prices change. */
    public record Change(ModelRate before, ModelRate after, List<String> changed) {
    }

    /** What the update did (or, planned only, would do). */
    public record Result(RateBasis basis, List<Change> changes, int unchanged, int withoutUnitCosts) {
    }

    private BulkMargin() {
    }

    public static RateChanges.Batch<Result> plan(List<ModelRate> rates, RateBasis basis) {
        List<Change> changes = new ArrayList<>();
        List<RateChanges.Write> writes = new ArrayList<>();
        int unchanged = 0;
        int withoutCosts = 0;
        for (ModelRate rate : rates) {
            if (rate.unitCosts() == null) {
                withoutCosts++;
                continue;
            }
            ModelRate after = basis.derive(rate);
            List<String> changed = RateDiff.prices(rate, after);
            if (changed.isEmpty()) {
                unchanged++;
                continue;
            }
            changes.add(new Change(rate, after, changed));
            writes.add(new RateChanges.Write(RateHistory.Change.BULK_MARGIN, rate, after));
        }
        return new RateChanges.Batch<>(new Result(basis, List.copyOf(changes), unchanged, withoutCosts), writes);
    }
}
