package io.loomix.bench.pekko;

/** Pure arithmetic that keeps a core busy for a calibrated time. */
final class Burn {
    private Burn() {}

    private static final long CALIBRATION_ITERATIONS = 20_000_000;

    /** Written by the calibration so the JIT cannot drop its loops as dead code. */
    private static volatile long sink;

    /** Linear congruential steps: a dependency chain the JIT can neither skip nor vectorise. */
    static long work(long state, long iterations) {
        long x = state;
        for (long i = 0; i < iterations; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
        }
        return x;
    }

    /** Measured on the calling thread before any spinner runs, after JIT warm-up. */
    static long iterationsPerMillisecond() {
        for (int i = 0; i < 10; i++) sink = work(i, CALIBRATION_ITERATIONS / 10);
        long start = System.nanoTime();
        sink = work(sink, CALIBRATION_ITERATIONS);
        long nanos = System.nanoTime() - start;
        return Math.max(1, CALIBRATION_ITERATIONS * 1_000_000 / nanos);
    }
}
