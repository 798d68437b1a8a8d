package io.loomix.bench;

import java.util.Arrays;
import java.util.Map;

/**
 * Percentiles of round-trip latencies for the spinners workload, by nearest
 * rank (the BEAM peer computes them the same way).
 */
public record LatencySummary(double p50Micros, double p99Micros, double maxMicros, int samples) {

    public static LatencySummary of(long[] nanos) {
        if (nanos.length == 0) throw new IllegalArgumentException("no latency samples");
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return new LatencySummary(
                percentile(sorted, 0.50) / 1e3, percentile(sorted, 0.99) / 1e3,
                sorted[sorted.length - 1] / 1e3, sorted.length);
    }

    private static long percentile(long[] sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.clamp(rank, 1, sorted.length) - 1];
    }

    /** The spinners metric: p99, with p50 and max alongside. */
    public Measurement toMeasurement() {
        return Measurement.of(p99Micros, Map.of("p50_us", p50Micros, "max_us", maxMicros, "samples", samples));
    }
}
