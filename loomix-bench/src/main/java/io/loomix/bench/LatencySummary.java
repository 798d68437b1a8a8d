package io.loomix.bench;

import java.util.Arrays;
import java.util.Map;

/**
 * Percentiles of round-trip latencies for the spinners workload, by nearest rank (the BEAM peer
 * computes them the same way), and how much of the run went into stalls: round trips longer than
 * {@link #STALL_NANOS}. Counts of round trips hide a run where a few long stalls take most of the
 * time; the stall share shows it.
 *
 * @param longestStallMillis the longest round trip, in ms
 * @param stalls             round trips longer than 1 ms
 * @param stallShare         the part of the run (the sum of all round trips) spent in those
 */
public record LatencySummary(double p50Micros, double p99Micros, double maxMicros, int samples,
                             double longestStallMillis, int stalls, double stallShare) {

    /** A round trip longer than this is a stall: a few 0.5 ms slices at most should ever pass. */
    public static final long STALL_NANOS = 1_000_000;

    public static LatencySummary of(long[] nanos) {
        if (nanos.length == 0) throw new IllegalArgumentException("no latency samples");
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        long total = 0;
        long stalled = 0;
        int stalls = 0;
        for (long n : sorted) {
            total += n;
            if (n > STALL_NANOS) {
                stalled += n;
                stalls++;
            }
        }
        long max = sorted[sorted.length - 1];
        return new LatencySummary(
                percentile(sorted, 0.50) / 1e3, percentile(sorted, 0.99) / 1e3,
                max / 1e3, sorted.length, max / 1e6, stalls, total == 0 ? 0 : (double) stalled / total);
    }

    private static long percentile(long[] sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.clamp(rank, 1, sorted.length) - 1];
    }

    /** The spinners metric: p99, with p50, max and the stalls alongside. */
    public Measurement toMeasurement() {
        return Measurement.of(p99Micros, extras());
    }

    public Map<String, Object> extras() {
        return Map.of("p50_us", p50Micros, "max_us", maxMicros, "samples", samples,
                "longest_stall_ms", longestStallMillis, "stalls", stalls, "stall_share", stallShare);
    }
}
