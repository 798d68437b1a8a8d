package io.loomix.code;

import io.loomix.Pid;
import io.loomix.otp.GenServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.loomix.Process.*;

/**
 * Not a test: the callers' pause during GenServer hot swaps, as a distribution over many swaps.
 * {@code CALLERS} processes call a Counter server without pause while it is swapped {@code SWAPS}
 * times (load + upgradeServers, the binaries compiled beforehand); for each swap the longest call
 * that overlapped it is its pause. Also prints, per swap, the longest call in a quiet window of
 * the same callers just before it (the machine's own noise) and the code server's phases.
 * Run with {@code docs/notes/measure-swap.sh [swaps] [callers]}.
 */
public final class SwapMeasure {
    private SwapMeasure() {}

    /** A call is kept for the analysis when it took longer than this (shorter ones cannot be a pause worth naming). */
    private static final long KEEP_NANOS = 100_000;
    private static final long QUIET_NANOS = 50_000_000;

    /**
     * {@code found}..{@code resumed}: from when upgradeServers had found its servers and made all it
     * could before suspending them to when they were resumed; 0 if not known.
     */
    record Swap(long loadStart, long upgradeStart, long found, long resumed, long end) {}

    public static void main(String[] args) throws Exception {
        int swaps = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        int callers = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int warmup = 5;
        Path dir = Files.createTempDirectory("loomix-swap");
        CodeServer code = new CodeServer(SwapMeasure.class.getClassLoader());
        Path file = Sources.write(dir, "Counter.java", Sources.counter("a", null));
        ModuleBinary a = code.compile(file).get(0);
        Sources.write(dir, "Counter.java", Sources.counter("b", null));
        ModuleBinary b = code.compile(file).get(0);
        code.load(a);
        io.loomix.Process.run(() -> {
            measure(code, a, b, swaps, warmup, callers);
            return null;
        });
        System.exit(0);
    }

    private static void measure(CodeServer code, ModuleBinary a, ModuleBinary b, int swaps, int warmup, int callers) {
        Pid counter = (Pid) code.mod("Counter").call("start");
        Pid me = self();
        for (int i = 0; i < callers; i++) {
            spawn(() -> call(counter, me));
        }
        for (int i = 0; i < callers; i++) {
            receive(m -> "calling".equals(m) ? m : null);
        }
        sleep(Duration.ofMillis(500));
        List<Swap> done = new ArrayList<>();
        for (int i = 0; i < warmup + swaps; i++) {
            sleep(Duration.ofMillis(QUIET_NANOS / 1_000_000 + 20));
            long t0 = System.nanoTime();
            code.load(i % 2 == 0 ? b : a);
            long t1 = System.nanoTime();
            List<Upgrade> moved = code.upgradeServers("Counter", List.of());
            long t2 = System.nanoTime();
            if (moved.size() != 1 || !(moved.get(0) instanceof Upgrade.Moved)) {
                throw new AssertionError("swap " + i + ": " + moved);
            }
            if (i >= warmup) {
                done.add(new Swap(t0, t1, upgradeTime(code, "found"), upgradeTime(code, "end"), t2));
            }
        }
        register("swap_measure_done", me);
        long calls = 0;
        List<long[]> slow = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            @SuppressWarnings("unchecked")
            List<Object> r = receive(m -> m instanceof List<?> l && l.size() == 2 ? (List<Object>) l : null);
            calls += (Long) r.get(0);
            @SuppressWarnings("unchecked")
            List<long[]> s = (List<long[]>) r.get(1);
            slow.addAll(s);
        }
        List<?> last = GenServer.call(counter, "inc");
        if (!last.get(1).equals((int) calls + 1)) {
            throw new AssertionError("calls lost or doubled: " + calls + " calls made, the server counted " + last);
        }
        GenServer.stop(counter);
        report(done, slow, calls, callers);
    }

    /** The code server's own timing of its last upgrade, where it keeps one (not in the code before this measure was written). */
    private static long upgradeTime(CodeServer code, String which) {
        try {
            Object times = CodeServer.class.getDeclaredField("lastUpgrade").get(code);
            return (Long) times.getClass().getDeclaredMethod(which).invoke(times);
        } catch (ReflectiveOperationException e) {
            return 0;
        }
    }

    private static void report(List<Swap> swaps, List<long[]> slow, long calls, int callers) {
        int n = swaps.size();
        double[] suspended = new double[n], quietSame = new double[n], quietSuspended = new double[n];
        double[] pause = new double[n], loadPause = new double[n], quiet = new double[n];
        double[] find = new double[n], change = new double[n], upgrade = new double[n], load = new double[n];
        for (int i = 0; i < n; i++) {
            Swap s = swaps.get(i);
            pause[i] = longestOverlapping(slow, s.upgradeStart(), s.end());
            loadPause[i] = longestOverlapping(slow, s.loadStart(), s.upgradeStart());
            quiet[i] = longestOverlapping(slow, s.loadStart() - QUIET_NANOS, s.loadStart() - 1);
            quietSame[i] = longestOverlapping(slow, s.loadStart() - 1 - (s.end() - s.upgradeStart()), s.loadStart() - 1);
            quietSuspended[i] = s.found() == 0 ? Double.NaN
                    : longestOverlapping(slow, s.loadStart() - 1 - (s.resumed() - s.found()), s.loadStart() - 1);
            suspended[i] = s.found() == 0 ? Double.NaN : longestOverlapping(slow, s.found(), s.resumed());
            find[i] = s.found() == 0 ? Double.NaN : ms(s.found() - s.upgradeStart());
            change[i] = s.found() == 0 ? Double.NaN : ms(s.resumed() - s.found());
            upgrade[i] = ms(s.end() - s.upgradeStart());
            load[i] = ms(s.upgradeStart() - s.loadStart());
        }
        System.out.printf("hot swap: %d swaps of one GenServer under %d callers, %d calls, none lost%n", n, callers, calls);
        System.out.println("ms                                       p50      p90      p99      max");
        row("longest call during upgradeServers", pause);
        row("  of those, during suspend..resume", suspended);
        row("longest call during load", loadPause);
        row("longest call, 50 ms before (noise)", quiet);
        row("  in a window as long as the upgrade", quietSame);
        row("  in a window as long as suspend..resume", quietSuspended);
        row("upgradeServers in all", upgrade);
        row("  finding the servers, preparing", find);
        row("  suspend, codeChange, resume", change);
        row("load", load);
    }

    private static double longestOverlapping(List<long[]> slow, long from, long to) {
        long longest = 0;
        for (long[] c : slow) {
            if (c[0] <= to && c[1] >= from) {
                longest = Math.max(longest, c[1] - c[0]);
            }
        }
        return ms(longest);
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static void row(String what, double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        System.out.printf("%-40s %8.2f %8.2f %8.2f %8.2f%n", what, pct(v, 50), pct(v, 90), pct(v, 99), v[v.length - 1]);
    }

    private static double pct(double[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    /** Calls until swap_measure_done is registered; answers [calls, the calls longer than KEEP_NANOS as {start, end}]. */
    private static void call(Pid counter, Pid test) {
        send(test, "calling");
        long calls = 0;
        List<long[]> slow = new ArrayList<>();
        while (whereis("swap_measure_done").isEmpty()) {
            long t0 = System.nanoTime();
            GenServer.call(counter, "inc");
            long t1 = System.nanoTime();
            if (t1 - t0 > KEEP_NANOS) {
                slow.add(new long[] {t0, t1});
            }
            calls++;
        }
        send(test, List.of(calls, slow));
    }
}
