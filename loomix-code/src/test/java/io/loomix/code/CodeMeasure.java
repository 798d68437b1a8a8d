package io.loomix.code;

import io.loomix.Pid;
import io.loomix.otp.GenServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.loomix.Process.*;

/**
 * Not a test: measures c() of a 100-line class and the callers' pause during a GenServer hot swap.
 * Run after {@code mvn package} (the command is in docs/notes/code.md).
 */
public final class CodeMeasure {
    private CodeMeasure() {}

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("loomix-measure");
        CodeServer code = new CodeServer(CodeMeasure.class.getClassLoader());
        compileAndLoad(code, dir);
        hotSwapPause(code, dir);
        System.exit(0);
    }

    /** A 100-line module: a record, an enum, a dozen functions. */
    static String hundredLines(int version) {
        StringBuilder s = new StringBuilder("""
                import java.util.ArrayList;
                import java.util.List;
                import java.util.Map;

                public class Hundred {
                    public record Point(int x, int y) {}

                    public enum Colour { RED, GREEN, BLUE }

                    public static int version() { return %d; }

                """.formatted(version));
        for (int i = 0; s.toString().lines().count() < 96; i++) {
            s.append("""
                        public static List<Point> walk%d(int n) {
                            List<Point> out = new ArrayList<>();
                            for (int i = 0; i < n; i++) {
                                out.add(new Point(i * %d, i + %d));
                            }
                            return Map.of("k", out).get("k");
                        }

                    """.formatted(i, i + 1, i));
        }
        s.append("}\n");
        return s.toString();
    }

    private static void compileAndLoad(CodeServer code, Path dir) throws Exception {
        Path file = dir.resolve("Hundred.java");
        long[] compile = new long[11];
        long[] load = new long[11];
        for (int v = 0; v < compile.length; v++) {
            Files.writeString(file, hundredLines(v));
            long t0 = System.nanoTime();
            ModuleBinary b = code.compile(file).get(0);
            long t1 = System.nanoTime();
            code.load(b);
            code.mod("Hundred").call("version");
            long t2 = System.nanoTime();
            compile[v] = t1 - t0;
            load[v] = t2 - t1;
        }
        System.out.printf("c() of a %d-line class: first %.0f ms (compile %.0f + load %.1f); then median compile %.0f ms,"
                        + " load + first call %.2f ms (10 versions)%n",
                Files.readAllLines(file).size(), (compile[0] + load[0]) / 1e6, compile[0] / 1e6, load[0] / 1e6,
                median(Arrays.copyOfRange(compile, 1, 11)) / 1e6, median(Arrays.copyOfRange(load, 1, 11)) / 1e6);
    }

    private static void hotSwapPause(CodeServer code, Path dir) throws Exception {
        Path file = dir.resolve("Counter.java");
        Files.writeString(file, Sources.counter("v1", null));
        code.c(file);
        run(() -> {
            Pid counter = (Pid) code.mod("Counter").call("start");
            AtomicBoolean swapping = new AtomicBoolean();
            AtomicBoolean stop = new AtomicBoolean();
            int callers = 4;
            List<long[]> results = new ArrayList<>(); // per caller: max outside swaps, max during swaps, calls
            Pid me = self();
            for (int i = 0; i < callers; i++) {
                spawn(() -> {
                    long outside = 0;
                    long during = 0;
                    long calls = 0;
                    while (!stop.get()) {
                        boolean inSwap = swapping.get();
                        long t0 = System.nanoTime();
                        GenServer.call(counter, "inc");
                        long took = System.nanoTime() - t0;
                        if (inSwap || swapping.get()) {
                            during = Math.max(during, took);
                        } else {
                            outside = Math.max(outside, took);
                        }
                        calls++;
                    }
                    send(me, List.of(outside, during, calls));
                });
            }
            long upgradeMax = 0;
            List<Long> upgrades = new ArrayList<>();
            for (int v = 2; v <= 21; v++) {
                try {
                    Files.writeString(file, Sources.counter("v" + v, null));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                ModuleBinary b = code.compile(file).get(0);
                swapping.set(true);
                long t0 = System.nanoTime();
                code.load(b);
                code.upgradeServers("Counter", List.of());
                long took = System.nanoTime() - t0;
                swapping.set(false);
                upgrades.add(took);
                upgradeMax = Math.max(upgradeMax, took);
            }
            stop.set(true);
            long outside = 0;
            long during = 0;
            long calls = 0;
            for (int i = 0; i < callers; i++) {
                List<?> r = (List<?>) receive(m -> m instanceof List<?> l ? l : null);
                outside = Math.max(outside, (Long) r.get(0));
                during = Math.max(during, (Long) r.get(1));
                calls += (Long) r.get(2);
            }
            long[] u = upgrades.stream().mapToLong(Long::longValue).toArray();
            System.out.printf("hot swap of a GenServer under %d callers, 20 swaps, %d calls: load + suspend/codeChange/resume"
                            + " median %.2f ms, max %.2f ms; longest call during a swap %.2f ms, longest call otherwise %.2f ms%n",
                    callers, calls, median(u) / 1e6, upgradeMax / 1e6, during / 1e6, outside / 1e6);
        });
    }

    private static long median(long[] xs) {
        long[] s = xs.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
