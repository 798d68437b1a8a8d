package io.loomix.preempt;

import io.loomix.agent.YieldPoints;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.instruction.InvokeInstruction;
import java.lang.reflect.Method;

import static io.loomix.Process.run;
import static org.junit.jupiter.api.Assertions.*;

@Timeout(120)
class InstrumentationTest {

    /** Loops, recursion and a constructor: the shapes the inserter must keep working. */
    public static final class Sample {
        private final int base;

        public Sample(int base) {
            this.base = base < 0 ? 0 : base;
        }

        public static long loops(int n) {
            long sum = 0;
            for (int i = 0; i < n; i++) {
                int j = 0;
                while (j < i) {
                    sum += j++;
                }
            }
            do {
                sum--;
            } while (sum % 7 != 0);
            return sum;
        }

        public static long fib(int n) {
            return n < 2 ? n : fib(n - 1) + fib(n - 2);
        }

        public int plus(int x) {
            return base + x;
        }
    }

    /** Counted loops, which the inserter strip-mines, and their edge cases. */
    public static final class Counted {
        private Counted() {}

        public static long sum(int[] a) {
            long s = 0;
            for (int i = 0; i < a.length; i++) {
                s += a[i];
            }
            return s;
        }

        public static long each(int[] a) {
            long s = 0;
            for (int v : a) {
                s += v * 3L;
            }
            return s;
        }

        /** From {@code from} to {@code n} by threes, skipping multiples of 5, stopping past {@code stop}. */
        public static long stepped(int from, int n, int stop) {
            long s = 0;
            for (int i = from; i < n; i += 3) {
                if (i % 5 == 0) {
                    continue;
                }
                if (i > stop) {
                    break;
                }
                s = s * 31 + i;
            }
            return s;
        }

        /** A long counter, by sevens. */
        public static long longCounter(long from, long n) {
            long s = 0;
            for (long i = from; i < n; i += 7) {
                s = s * 31 + i;
            }
            return s;
        }

        /** A call in the body: not strip-mined, a yield point per iteration. */
        public static long withCall(int n) {
            long s = 0;
            for (int i = 0; i < n; i++) {
                s += Math.floorMod(i, 7);
            }
            return s;
        }
    }

    private static byte[] bytesOf(Class<?> c) throws IOException {
        String resource = c.getName().replace('.', '/') + ".class";
        try (InputStream in = c.getClassLoader().getResourceAsStream(resource)) {
            return in.readAllBytes();
        }
    }

    private static long hookCalls(byte[] classFile) {
        return ClassFile.of().parse(classFile).methods().stream()
                .flatMap(m -> m.code().stream())
                .flatMap(code -> code.elementStream())
                .filter(e -> e instanceof InvokeInstruction inv
                        && inv.owner().asInternalName().equals("io/loomix/YieldPoint"))
                .count();
    }

    private static long hooksIn(byte[] classFile, String method) {
        return ClassFile.of().parse(classFile).methods().stream()
                .filter(m -> m.methodName().equalsString(method))
                .flatMap(m -> m.code().stream())
                .flatMap(code -> code.elementStream())
                .filter(e -> e instanceof InvokeInstruction inv
                        && inv.owner().asInternalName().equals("io/loomix/YieldPoint"))
                .count();
    }

    /** Defines one class from bytes, delegating everything else to the test's loader. */
    private static final class OneClassLoader extends ClassLoader {
        private final String name;
        private final byte[] bytes;

        OneClassLoader(ClassLoader parent, String name, byte[] bytes) {
            super(parent);
            this.name = name;
            this.bytes = bytes;
        }

        @Override
        protected Class<?> loadClass(String n, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(n)) {
                if (n.equals(name)) {
                    Class<?> c = findLoadedClass(n);
                    return c != null ? c : defineClass(n, bytes, 0, bytes.length);
                }
                return super.loadClass(n, resolve);
            }
        }
    }

    @Test
    void theAgentInstrumentedThisTestsClasses() throws IOException {
        // The agent rewrites at load time, so the bytes on disk have no hooks; instrumenting adds
        // one per method entry and back edge. The class loaded here must behave the same.
        byte[] original = bytesOf(Sample.class);
        assertEquals(0, hookCalls(original));
        byte[] instrumented = YieldPoints.instrument(original, getClass().getClassLoader());
        // At entry: the constructor (it calls super()) and fib; loops() and plus() call nothing,
        // so they cannot recurse and get none. Back edges: 3 in loops(), none in fib.
        assertEquals(2 + 3, hookCalls(instrumented));
        assertEquals(0, hooksIn(instrumented, "plus"), "a leaf method gets no yield point");
        assertEquals(1, hooksIn(instrumented, "fib"), "a recursive method gets one at its entry");
        assertEquals(3, hooksIn(instrumented, "loops"), "a leaf's loops keep theirs");
    }

    @Test
    void aRewrittenClassIsMarkedAndNeverRewrittenTwice() throws Exception {
        // The code server's loader and YieldPointClassLoader rewrite what they define; the agent,
        // when it runs too, must then leave those classes alone rather than add a second set.
        byte[] original = bytesOf(Sample.class);
        assertFalse(YieldPoints.rewritten(original));
        byte[] once = YieldPoints.instrument(original, getClass().getClassLoader());
        assertTrue(YieldPoints.rewritten(once));
        assertNull(YieldPoints.instrument(once, getClass().getClassLoader()));
        assertNull(io.loomix.agent.LoomixAgent.rewrite("io/loomix/preempt/InstrumentationTest$Sample", once,
                getClass().getClassLoader()));
        // The mark is only an attribute: the marked class loads and runs.
        Class<?> c = new OneClassLoader(getClass().getClassLoader(), Sample.class.getName(), once)
                .loadClass(Sample.class.getName());
        assertEquals(55L, c.getMethod("fib", int.class).invoke(null, 10));
    }

    @Test
    void theDistributionsWireAndCodecAreLeftAsTheyAre() throws Exception {
        // ERTS's part of distribution: no preemption and no exit signal inside its bookkeeping.
        byte[] original = bytesOf(Sample.class);
        ClassLoader loader = getClass().getClassLoader();
        assertNull(io.loomix.agent.LoomixAgent.rewrite("io/loomix/dist/net/Sample", original, loader));
        assertNull(io.loomix.agent.LoomixAgent.rewrite("io/loomix/dist/term/Sample", original, loader));
        // The rest of the layer runs like OTP's Erlang code (global, rpc): preemptible.
        assertNotNull(io.loomix.agent.LoomixAgent.rewrite("io/loomix/dist/rpc/Sample", original, loader));
        assertNotNull(io.loomix.agent.LoomixAgent.rewrite("io/loomix/dist/Sample", original, loader));
        assertNotNull(io.loomix.agent.LoomixAgent.rewrite("io/loomix/dist/netx/Sample", original, loader));
    }

    @Test
    void anInstrumentedClassComputesTheSame() throws Exception {
        byte[] instrumented = YieldPoints.instrument(bytesOf(Sample.class), getClass().getClassLoader());
        Class<?> c = new OneClassLoader(getClass().getClassLoader(), Sample.class.getName(), instrumented)
                .loadClass(Sample.class.getName());
        Method loops = c.getMethod("loops", int.class);
        Method fib = c.getMethod("fib", int.class);
        Object sample = c.getConstructor(int.class).newInstance(5);
        long[] results = run(() -> new long[] {
                (long) loops.invoke(null, 300), (long) fib.invoke(null, 20), (int) c.getMethod("plus", int.class).invoke(sample, 3)});
        assertArrayEquals(new long[] {Sample.loops(300), Sample.fib(20), 8}, results);
    }

    /** Where the method's last yield point and its last loop test (if_icmpge or ifge) are. */
    private static int[] lastHookAndLastTest(byte[] classFile, String method) {
        var code = ClassFile.of().parse(classFile).methods().stream()
                .filter(m -> m.methodName().equalsString(method)).findFirst().orElseThrow().code().orElseThrow();
        int position = 0;
        int lastTest = -1;
        int lastHook = -1;
        for (var e : code.elementList()) {
            if (e instanceof InvokeInstruction inv && inv.owner().asInternalName().equals("io/loomix/YieldPoint")) {
                lastHook = position;
            }
            if (e instanceof java.lang.classfile.instruction.BranchInstruction b
                    && (b.opcode() == java.lang.classfile.Opcode.IF_ICMPGE || b.opcode() == java.lang.classfile.Opcode.IFGE)) {
                lastTest = position;
            }
            position++;
        }
        return new int[] {lastHook, lastTest};
    }

    @Test
    void countedLoopsAreStripMinedWithNoYieldPointInTheirInnerLoop() throws IOException {
        byte[] instrumented = YieldPoints.instrument(bytesOf(Counted.class), getClass().getClassLoader());
        for (String method : new String[] {"sum", "each", "stepped", "longCounter"}) {
            int[] where = lastHookAndLastTest(instrumented, method);
            assertTrue(where[1] >= 0, method + " has its loop test");
            assertTrue(where[0] < where[1], method + ": every yield point comes before the inner loop's test");
        }
        // A loop that calls keeps its yield point at the back edge, after the loop's test.
        int[] withCall = lastHookAndLastTest(instrumented, "withCall");
        assertTrue(withCall[0] > withCall[1], "withCall: a yield point at the back edge");
    }

    @Test
    void stripMinedLoopsComputeTheSameAcrossStripsAndNearTheEndOfTheIntRange() throws Exception {
        byte[] instrumented = YieldPoints.instrument(bytesOf(Counted.class), getClass().getClassLoader());
        Class<?> c = new OneClassLoader(getClass().getClassLoader(), Counted.class.getName(), instrumented)
                .loadClass(Counted.class.getName());
        Method sum = c.getMethod("sum", int[].class);
        Method each = c.getMethod("each", int[].class);
        Method stepped = c.getMethod("stepped", int.class, int.class, int.class);
        Method longCounter = c.getMethod("longCounter", long.class, long.class);
        Method withCall = c.getMethod("withCall", int.class);
        int strip = 1 << 14;
        run(() -> {
            for (int n : new int[] {0, 1, 2, strip - 1, strip, strip + 1, 3 * strip + 7, 100_003}) {
                int[] a = new int[n];
                for (int i = 0; i < n; i++) {
                    a[i] = i * 7 - 3;
                }
                assertEquals(Counted.sum(a), (long) sum.invoke(null, (Object) a), "sum of " + n);
                assertEquals(Counted.each(a), (long) each.invoke(null, (Object) a), "each of " + n);
            }
            int max = Integer.MAX_VALUE;
            int[][] ranges = {{-50_000, 40_000, 30_000}, {0, 0, 0}, {5, 3, 10}, {max - 100_000, max - 5, max},
                    {max - 100_000, max, max - 20}, {-strip, strip, 1_000}, {Integer.MIN_VALUE, Integer.MIN_VALUE + 70_000, 0}};
            for (int[] r : ranges) {
                assertEquals(Counted.stepped(r[0], r[1], r[2]), (long) stepped.invoke(null, r[0], r[1], r[2]),
                        "stepped " + java.util.Arrays.toString(r));
            }
            long big = Long.MAX_VALUE;
            long[][] longRanges = {{0, 100_000}, {-200_000, 150_001}, {9, 3}, {big - 300_000, big - 6},
                    {Long.MIN_VALUE, Long.MIN_VALUE + 250_000}};
            for (long[] r : longRanges) {
                assertEquals(Counted.longCounter(r[0], r[1]), (long) longCounter.invoke(null, r[0], r[1]),
                        "longCounter " + java.util.Arrays.toString(r));
            }
            assertEquals(Counted.withCall(50_000), (long) withCall.invoke(null, 50_000));
            return null;
        });
    }

    @Test
    void aClassThatCannotSeeTheHookIsLeftAloneAndRuns() throws Exception {
        // A loader that does not delegate to the application loader cannot resolve
        // io.loomix.YieldPoint, so the agent must not instrument its classes.
        byte[] original = bytesOf(Sample.class);
        ClassLoader isolated = new OneClassLoader(ClassLoader.getPlatformClassLoader(), Sample.class.getName(), original);
        Class<?> c = isolated.loadClass(Sample.class.getName());
        long fib = run(() -> (long) c.getMethod("fib", int.class).invoke(null, 15));
        assertEquals(Sample.fib(15), fib);
        assertEquals(0, hookCalls(original));
    }

    @Test
    void packagesNamedInTheExcludePropertyAreLeftAlone() {
        String[] extra = io.loomix.agent.LoomixAgent.prefixes(" org.jline. ,com.example.ui.,");
        assertArrayEquals(new String[] {"org/jline/", "com/example/ui/"}, extra);
        assertTrue(io.loomix.agent.LoomixAgent.excluded("org/jline/reader/LineReader", extra));
        assertTrue(io.loomix.agent.LoomixAgent.excluded("com/example/ui/Window", extra));
        assertFalse(io.loomix.agent.LoomixAgent.excluded("com/example/Spin", extra));
        assertTrue(io.loomix.agent.LoomixAgent.excluded("java/util/List", extra), "the built-in exclusions stay");
        assertFalse(io.loomix.agent.LoomixAgent.excluded("org/jline/reader/LineReader", new String[0]));
    }
}
