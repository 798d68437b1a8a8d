package io.loomix.bench;

import io.loomix.agent.YieldPoints;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Arrays;
import java.util.Locale;

import static io.loomix.Process.run;

/**
 * What the agent's yield points cost a CPU-bound loop, without the harness: the same class,
 * {@link Loops}, is loaded twice in isolated loaders, once as compiled and once rewritten by
 * {@link YieldPoints}, and each version runs inside a Loomix process (so the ticker preempts it as
 * it would preempt any process). Reports the median of several timed runs of each.
 *
 * {@snippet lang=sh :
 * java --add-opens java.base/java.lang=ALL-UNNAMED -cp 'loomix-bench/target/classes:loomix-bench/target/lib/*' \
 *     io.loomix.bench.YieldCost
 * }
 * No -javaagent is needed (or wanted: it would instrument the plain copy too).
 */
public final class YieldCost {
    private YieldCost() {}

    /** The measured code: back-edge-bound loops and a call-bound recursion. */
    public static final class Loops {
        private Loops() {}

        /**
         * An int-counted loop over an array, which the JIT vectorises: strip-mined by the agent,
         * so its inner loop has no yield point.
         */
        public static long arraySum(int[] a) {
            long s = 0;
            for (int i = 0; i < a.length; i++) {
                s += a[i];
            }
            return s;
        }

        /**
         * One multiply-add per iteration, int-counted: strip-mined. Unrolled, the JIT folds the
         * chain algebraically (a few hundredths of a nanosecond per iteration), which any branch
         * in the loop body would stop.
         */
        public static long lcg(long seed, int iterations) {
            long x = seed;
            for (int i = 0; i < iterations; i++) {
                x = x * 6364136223846793005L + 1442695040888963407L;
            }
            return x;
        }

        /** The same with a long counter: not strip-mined, a yield point per iteration. */
        public static long lcgLong(long seed, long iterations) {
            long x = seed;
            for (long i = 0; i < iterations; i++) {
                x = x * 6364136223846793005L + 1442695040888963407L;
            }
            return x;
        }

        /** Park-Miller steps, the spinners workload's loop (long-counted): a division per iteration. */
        public static long parkMiller(long seed, long iterations) {
            long x = seed;
            for (long i = 0; i < iterations; i++) {
                x = (x * 16807) % 2147483647;
            }
            return x;
        }

        /**
         * Collatz steps for the seeds below {@code n}: an inner {@code while} loop, which is not
         * counted, so it keeps a yield point per step. Returns the steps taken.
         */
        public static long collatz(long seed, long n) {
            long steps = seed;
            for (long s = 1; s < n; s++) {
                long x = s;
                while (x != 1) {
                    x = (x & 1) == 0 ? x >> 1 : 3 * x + 1;
                    steps++;
                }
            }
            return steps;
        }

        /** A call per step: the worst case for method-entry checks. */
        public static long fib(int n) {
            return n < 2 ? n : fib(n - 1) + fib(n - 2);
        }
    }

    private static final class Isolated extends ClassLoader {
        private final byte[] bytes;

        Isolated(byte[] bytes) {
            super(YieldCost.class.getClassLoader());
            this.bytes = bytes;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                if (name.equals(Loops.class.getName())) {
                    Class<?> c = findLoadedClass(name);
                    return c != null ? c : defineClass(name, bytes, 0, bytes.length);
                }
                return super.loadClass(name, resolve);
            }
        }
    }

    public static void main(String[] args) throws Throwable {
        byte[] plain;
        try (InputStream in = YieldCost.class.getClassLoader()
                .getResourceAsStream(Loops.class.getName().replace('.', '/') + ".class")) {
            plain = in.readAllBytes();
        }
        byte[] instrumented = YieldPoints.instrument(plain, YieldCost.class.getClassLoader());
        MethodHandle[] sum = {handle(plain, "arraySum"), handle(instrumented, "arraySum")};
        MethodHandle[] lcg = {handle(plain, "lcg"), handle(instrumented, "lcg")};
        MethodHandle[] lcgLong = {handle(plain, "lcgLong"), handle(instrumented, "lcgLong")};
        MethodHandle[] fib = {handle(plain, "fib"), handle(instrumented, "fib")};
        MethodHandle[] pm = {handle(plain, "parkMiller"), handle(instrumented, "parkMiller")};
        MethodHandle[] collatz = {handle(plain, "collatz"), handle(instrumented, "collatz")};
        long seeds = 300_000;
        long steps = Loops.collatz(0, seeds);
        int iterations = 500_000_000;
        int depth = 32;
        int[] array = new int[1 << 20];
        for (int i = 0; i < array.length; i++) {
            array[i] = i * 31;
        }
        int sums = 200;
        double[][] results = run(() -> {
            double[][] r = new double[6][2];
            for (int round = 0; round < 2; round++) { // the first round warms up both
                for (int v = 0; v < 2; v++) {
                    MethodHandle summing = sum[v];
                    MethodHandle folded = lcg[v];
                    MethodHandle chained = lcgLong[v];
                    MethodHandle calls = fib[v];
                    MethodHandle division = pm[v];
                    MethodHandle whileLoop = collatz[v];
                    long seed = round + 1L;
                    r[0][v] = median(() -> {
                        long s = 0;
                        for (int k = 0; k < sums; k++) {
                            s += (long) summing.invokeExact(array);
                        }
                        return s;
                    }) / ((double) sums * array.length);
                    r[1][v] = median(() -> (long) folded.invokeExact(seed, iterations)) / iterations;
                    r[2][v] = median(() -> (long) chained.invokeExact(seed, (long) iterations / 10)) / (iterations / 10);
                    r[3][v] = median(() -> (long) calls.invokeExact(depth)) / fibCalls(depth);
                    r[4][v] = median(() -> (long) division.invokeExact(seed, (long) iterations / 10)) / (iterations / 10);
                    r[5][v] = median(() -> (long) whileLoop.invokeExact(0L, seeds)) / steps;
                }
            }
            return r;
        });
        report("int[] sum (ns/element)", results[0]);
        report("lcg, int-counted (ns/it)", results[1]);
        report("lcg, long-counted (ns/it)", results[2]);
        report("fib recursion (ns/call)", results[3]);
        report("park-miller loop (ns/it)", results[4]);
        report("collatz while loop (ns/step)", results[5]);
    }

    private static MethodHandle handle(byte[] bytes, String name) throws ReflectiveOperationException {
        Class<?> c = new Isolated(bytes).loadClass(Loops.class.getName());
        MethodType type = switch (name) {
            case "fib" -> MethodType.methodType(long.class, int.class);
            case "arraySum" -> MethodType.methodType(long.class, int[].class);
            case "lcg" -> MethodType.methodType(long.class, long.class, int.class);
            default -> MethodType.methodType(long.class, long.class, long.class);
        };
        return MethodHandles.publicLookup().findStatic(c, name, type);
    }

    private static long fibCalls(int n) {
        long[] calls = new long[n + 1];
        for (int i = 0; i <= n; i++) {
            calls[i] = i < 2 ? 1 : 1 + calls[i - 1] + calls[i - 2];
        }
        return calls[n];
    }

    interface Body {
        long run() throws Throwable;
    }

    static volatile long sink;

    private static double median(Body body) {
        long[] nanos = new long[7];
        for (int i = 0; i < nanos.length; i++) {
            long t0 = System.nanoTime();
            try {
                sink = body.run();
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
            nanos[i] = System.nanoTime() - t0;
        }
        Arrays.sort(nanos);
        return nanos[nanos.length / 2];
    }

    private static void report(String what, double[] plainAndInstrumented) {
        double plain = plainAndInstrumented[0];
        double with = plainAndInstrumented[1];
        System.out.printf(Locale.ROOT, "%-29s plain %.3f  with yield points %.3f  overhead %+.1f%%%n",
                what, plain, with, (with / plain - 1) * 100);
    }
}
