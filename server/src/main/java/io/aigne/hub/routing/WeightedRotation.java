package io.aigne.hub.routing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Smooth weighted round-robin (nginx's algorithm): every pick adds each member's weight to its running score,
 * takes the highest, and subtracts the total from the winner. Weights 5:1:1 give a a b a c a a, never a burst.
 * Effective weights are read at each pick, so health changes take effect at once.
 */
final class WeightedRotation<T> {
    private final List<T> members;
    private final int[] current;

    WeightedRotation(List<T> members) {
        this.members = List.copyOf(members);
        this.current = new int[members.size()];
    }

    /** All members with a positive weight, the smooth-WRR pick first, then the rest by descending weight. */
    synchronized List<T> order(ToIntFunction<T> weight) {
        int n = members.size();
        int[] weights = new int[n];
        int total = 0;
        int best = -1;
        for (int i = 0; i < n; i++) {
            weights[i] = Math.max(0, weight.applyAsInt(members.get(i)));
            if (weights[i] == 0) {
                continue;
            }
            current[i] += weights[i];
            total += weights[i];
            if (best < 0 || current[i] > current[best]) {
                best = i;
            }
        }
        List<T> ordered = new ArrayList<>(n);
        if (best < 0) {
            return ordered;
        }
        current[best] -= total;
        ordered.add(members.get(best));
        List<Integer> rest = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (i != best && weights[i] > 0) {
                rest.add(i);
            }
        }
        rest.sort(Comparator.comparingInt((Integer i) -> -weights[i]));
        for (int i : rest) {
            ordered.add(members.get(i));
        }
        return ordered;
    }

    List<T> members() {
        return members;
    }
}
