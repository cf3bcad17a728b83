package io.aigne.hub.analytics;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class HistogramTest {
    @Test
    void boundsAreExclusiveAboveAndTheLastBucketIsOpen() {
        assertThat(Histogram.bucketOf(-5)).isZero();
        assertThat(Histogram.bucketOf(0)).isZero();
        assertThat(Histogram.bucketOf(9)).isZero();
        assertThat(Histogram.bucketOf(10)).isEqualTo(1);
        assertThat(Histogram.bucketOf(24)).isEqualTo(1);
        assertThat(Histogram.bucketOf(25)).isEqualTo(2);
        assertThat(Histogram.bucketOf(299_999)).isEqualTo(Histogram.BUCKETS - 2);
        assertThat(Histogram.bucketOf(300_000)).isEqualTo(Histogram.BUCKETS - 1);
        assertThat(Histogram.bucketOf(Long.MAX_VALUE)).isEqualTo(Histogram.BUCKETS - 1);
        for (int i = 1; i < Histogram.BUCKETS; i++) {
            assertThat(Histogram.lowerBound(i)).isEqualTo(Histogram.upperBound(i - 1));
            assertThat(Histogram.bucketOf(Histogram.lowerBound(i))).isEqualTo(i);
        }
    }

    @Test
    void nothingCountedHasNoPercentile() {
        assertThat(Histogram.percentile(new long[Histogram.BUCKETS], 95, 0)).isNull();
    }

    @Test
    void percentilesLieInTheBucketOfTheTrueValue() {
        Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            int n = 1 + random.nextInt(2_000);
            long[] values = new long[n];
            long[] counts = new long[Histogram.BUCKETS];
            double spread = 0.3 + random.nextDouble() * 2;
            for (int i = 0; i < n; i++) {
                values[i] = (long) Math.exp(4 + random.nextDouble() * 3 + random.nextGaussian() * spread);
                counts[Histogram.bucketOf(values[i])]++;
            }
            Arrays.sort(values);
            long max = values[n - 1];
            for (double p : new double[] {50, 95, 99}) {
                long exact = values[(int) Math.ceil(p / 100 * n) - 1];
                int bucket = Histogram.bucketOf(exact);
                Long estimate = Histogram.percentile(counts, p, max);
                assertThat(estimate).as("p%s of %d values, exact %d", p, n, exact)
                        .isBetween(Histogram.lowerBound(bucket), Math.min(max, Histogram.upperBound(bucket)));
            }
        }
    }

    @Test
    void theOpenTopBucketIsBoundedByTheLargestValue() {
        long[] counts = new long[Histogram.BUCKETS];
        counts[Histogram.BUCKETS - 1] = 10;
        assertThat(Histogram.percentile(counts, 100, 420_000)).isEqualTo(420_000);
        assertThat(Histogram.percentile(counts, 50, 420_000)).isEqualTo(360_000);
    }

    @Test
    void aSingleValueIsItsOwnPercentileUpToTheBucket() {
        long[] counts = new long[Histogram.BUCKETS];
        counts[Histogram.bucketOf(1_234)]++;
        assertThat(Histogram.percentile(counts, 50, 1_234)).isBetween(1_000L, 1_234L);
        assertThat(Histogram.percentile(counts, 100, 1_234)).isEqualTo(1_234);
    }
}
