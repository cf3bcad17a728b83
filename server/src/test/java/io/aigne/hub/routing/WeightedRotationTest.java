package io.aigne.hub.routing;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class WeightedRotationTest {

    private static List<String> picks(WeightedRotation<String> rotation, Map<String, Integer> weights, int count) {
        List<String> picks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            picks.add(rotation.order(weights::get).getFirst());
        }
        return picks;
    }

    @Test
    void weightsFiveOneOneGiveNginxsSmoothSequence() {
        WeightedRotation<String> rotation = new WeightedRotation<>(List.of("a", "b", "c"));
        Map<String, Integer> weights = Map.of("a", 5, "b", 1, "c", 1);

        // nginx ngx_http_upstream_round_robin.c: "{ a, a, b, a, c, a, a }" for weights 5, 1, 1
        assertThat(picks(rotation, weights, 7)).containsExactly("a", "a", "b", "a", "c", "a", "a");
    }

    @Test
    void theSequenceRepeatsEverySumOfWeightsPicks() {
        WeightedRotation<String> rotation = new WeightedRotation<>(List.of("a", "b", "c"));
        Map<String, Integer> weights = Map.of("a", 5, "b", 1, "c", 1);

        List<String> picks = picks(rotation, weights, 21);

        for (int cycle = 0; cycle < 3; cycle++) {
            List<String> window = picks.subList(cycle * 7, cycle * 7 + 7);
            assertThat(window).as("cycle %d", cycle).containsExactly("a", "a", "b", "a", "c", "a", "a");
        }
    }

    @Test
    void withinACycleTheHeavyMemberNeverRunsThreeTimesInARow() {
        WeightedRotation<String> rotation = new WeightedRotation<>(List.of("a", "b", "c"));

        List<String> cycle = picks(rotation, Map.of("a", 5, "b", 1, "c", 1), 7);

        assertThat(String.join("", cycle)).doesNotContain("aaa");
    }

    @Test
    void picksAreProportionalToTheWeights() {
        WeightedRotation<String> rotation = new WeightedRotation<>(List.of("x", "y", "z"));
        Map<String, Integer> weights = Map.of("x", 3, "y", 2, "z", 1);

        Map<String, Integer> counts = new HashMap<>();
        for (String pick : picks(rotation, weights, 60)) {
            counts.merge(pick, 1, Integer::sum);
        }

        assertThat(counts).containsExactlyInAnyOrderEntriesOf(Map.of("x", 30, "y", 20, "z", 10));
    }

    @Test
    void equalWeightsAlternate() {
        WeightedRotation<String> rotation = new WeightedRotation<>(List.of("a", "b"));

        assertThat(picks(rotation, Map.of("a", 1, "b", 1), 6)).containsExactly("a", "b", "a", "b", "a", "b");
    }

    @Test
    void theRestOfTheOrderIsEveryOtherUsableMemberByDescendingWeight() {
        WeightedRotation<String> rotation = new WeightedRotation<>(List.of("a", "b", "c", "d"));
        Map<String, Integer> weights = Map.of("a", 1, "b", 2, "c", 10, "d", 5);

        List<String> order = rotation.order(weights::get);

        assertThat(order.getFirst()).isEqualTo("c");
        assertThat(order).containsExactly("c", "d", "b", "a");
    }

    @Test
    void whenALightMemberIsPickedTheOthersFollowHeaviestFirst() {
        WeightedRotation<String> rotation = new WeightedRotation<>(List.of("a", "b", "c"));
        Map<String, Integer> weights = Map.of("a", 5, "b", 1, "c", 1);

        rotation.order(weights::get);
        rotation.order(weights::get);
        List<String> third = rotation.order(weights::get);

        assertThat(third).containsExactly("b", "a", "c");
    }

    @Test
    void zeroAndNegativeWeightsAreLeftOutOfTheOrder() {
        WeightedRotation<String> rotation = new WeightedRotation<>(List.of("rejected", "ok", "cooling", "other"));
        Map<String, Integer> weights = Map.of("rejected", 0, "ok", 3, "cooling", -1, "other", 1);

        for (int i = 0; i < 8; i++) {
            assertThat(rotation.order(weights::get)).containsExactlyInAnyOrder("ok", "other");
        }
    }

    @Test
    void allZeroWeightsGiveAnEmptyOrder() {
        WeightedRotation<String> rotation = new WeightedRotation<>(List.of("a", "b"));

        assertThat(rotation.order(m -> 0)).isEmpty();
    }

    @Test
    void aMemberWhoseWeightDropsToZeroStopsBeingPickedAtOnce() {
        WeightedRotation<String> rotation = new WeightedRotation<>(List.of("a", "b"));
        Map<String, Integer> weights = new HashMap<>(Map.of("a", 1, "b", 1));
        rotation.order(weights::get);

        weights.put("b", 0);

        assertThat(picks(rotation, weights, 3)).containsOnly("a");
        assertThat(rotation.order(weights::get)).containsExactly("a");
    }

    @Test
    void anEmptyRotationGivesAnEmptyOrder() {
        assertThat(new WeightedRotation<String>(List.of()).order(m -> 1)).isEmpty();
    }

    @Test
    void membersAreKeptInTheirGivenOrder() {
        assertThat(new WeightedRotation<>(List.of("b", "a")).members()).containsExactly("b", "a");
    }
}
