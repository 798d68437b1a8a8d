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

    /** The measured code: a back-edge-bound loop and a call-bound recursion. */
    public static final class Loops {
        private Loops() {}

        /** One multiply-add per iteration, a dependency chain: the worst case for a back-edge check. */
        public static long lcg(long seed, long iterations) {
            long x = seed;
            for (long i = 0; i < iterations; i++) {
                x = x * 6364136223846793005L + 1442695040888963407L;
            }
            return x;
        }

        /** Park-Miller steps, the spinners workload's loop: a division per iteration. */
        public static long parkMiller(long seed, long iterations) {
            long x = seed;
            for (long i = 0; i < iterations; i++) {
                x = (x * 16807) % 2147483647;
            }
            return x;
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
        MethodHandle[] lcg = {handle(plain, "lcg"), handle(instrumented, "lcg")};
        MethodHandle[] fib = {handle(plain, "fib"), handle(instrumented, "fib")};
        MethodHandle[] pm = {handle(plain, "parkMiller"), handle(instrumented, "parkMiller")};
        long iterations = 500_000_000L;
        int depth = 32;
        double[][] results = run(() -> {
            double[][] r = new double[3][2];
            for (int round = 0; round < 2; round++) { // the first round warms up both
                for (int v = 0; v < 2; v++) {
                    MethodHandle loop = lcg[v];
                    MethodHandle calls = fib[v];
                    MethodHandle division = pm[v];
                    long seed = round + 1L;
                    r[0][v] = median(() -> (long) loop.invokeExact(seed, iterations)) / iterations;
                    r[1][v] = median(() -> (long) calls.invokeExact(depth)) / fibCalls(depth);
                    r[2][v] = median(() -> (long) division.invokeExact(seed, iterations / 10)) / (iterations / 10);
                }
            }
            return r;
        });
        report("lcg loop (ns/iteration)", results[0]);
        report("fib recursion (ns/call)", results[1]);
        report("park-miller loop (ns/it)", results[2]);
    }

    private static MethodHandle handle(byte[] bytes, String name) throws ReflectiveOperationException {
        Class<?> c = new Isolated(bytes).loadClass(Loops.class.getName());
        MethodType type = !name.equals("fib")
                ? MethodType.methodType(long.class, long.class, long.class)
                : MethodType.methodType(long.class, int.class);
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
        System.out.printf(Locale.ROOT, "%-26s plain %.3f  with yield points %.3f  overhead %+.1f%%%n",
                what, plain, with, (with / plain - 1) * 100);
    }
}
