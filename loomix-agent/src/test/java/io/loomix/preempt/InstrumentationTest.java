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
        // 3 methods + constructor at entry, 3 back edges in loops(), none in fib.
        assertEquals(4 + 3, hookCalls(instrumented));
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
}
