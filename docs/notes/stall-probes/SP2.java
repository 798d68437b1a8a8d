package io.loomix.internal;

import io.loomix.Atom;
import io.loomix.Pid;
import java.util.*;
import static io.loomix.Process.*;

/** Spinner probe: stalls with their monotonic times, and the scheduler's trace around each (traced build). */
public class SP2 {
    static final Atom PONG = Atom.of("pong"), STOP = Atom.of("stop");
    static volatile Object pongerProc;
    static long[] pT; static int[] pC;
    static final boolean TRACE = classExists("io.loomix.internal.Trace");
    static boolean classExists(String n) { try { Class.forName(n); return true; } catch (Throwable t) { return false; } }
    public static void main(String[] a) {
        int rounds = Integer.parseInt(a[0]);
        int reps = a.length > 1 ? Integer.parseInt(a[1]) : 1;
        System.out.println("start trace=" + TRACE); round(Math.max(1, rounds / 10), false);
        try (var ds = java.nio.file.Files.newDirectoryStream(java.nio.file.Path.of("/proc/self/task"))) {
            StringBuilder sb = new StringBuilder("TIDS");
            for (var d : ds) sb.append(' ').append(d.getFileName()).append('=').append(java.nio.file.Files.readString(d.resolve("comm")).strip().replace(' ', '_'));
            System.out.println(sb);
        } catch (Exception e) { e.printStackTrace(); }
        for (int r = 0; r < reps; r++) round(rounds, true);
        System.out.flush(); System.exit(0);
    }
    static int carrierIndex() { return JdkHooks.currentCarrierThread() instanceof Carrier c ? c.index : -1; }
    static void round(int rounds, boolean print) {
        run(() -> { try { return round0(rounds, print); } catch (Throwable e) { e.printStackTrace(); return null; } });
    }
    static Object round0(int rounds, boolean print) {
        {
            pT = new long[rounds]; pC = new int[rounds];
            List<Pid> spinners = new ArrayList<>();
            for (int i = 1; i <= 100; i++) { long seed = i; spinners.add(spawn(() -> spinIt(seed))); }
            Pid ponger = spawn(SP2::pong);
            Pid me = self();
            meP = me;
            send(ponger, -1);
            receive();
            if (TRACE) { Trace.watch(Trace.procOfCurrent(), pongerProc); for (int c = 0; c < Trace.CH; c++) Trace.idx[c] = 0; Trace.on = true; }
            long[] nanos = new long[rounds]; long[] at = new long[rounds]; int[] myC = new int[rounds];
            long base = System.nanoTime();
            long deadline = base + rounds * 1_000_000L;
            int done = 0;
            while (done < rounds) {
                long t0 = System.nanoTime();
                send(ponger, done);
                receive();
                long t1 = System.nanoTime();
                myC[done] = carrierIndex();
                at[done] = t0; nanos[done++] = t1 - t0;
                if (t1 - deadline >= 0) break;
            }
            long end = System.nanoTime();
            if (TRACE) Trace.on = false;
            send(ponger, STOP);
            spinners.forEach(p -> exit(p, io.loomix.ExitReason.KILL));
            System.out.println("round done=" + done + " print=" + print); if (!print) return null;
            long max = 0, over1 = 0; int n1 = 0, n3 = 0;
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < done; i++) {
                max = Math.max(max, nanos[i]);
                if (nanos[i] > 1_000_000) { over1 += nanos[i]; n1++; }
                if (nanos[i] > 3_000_000) {
                    n3++;
                    sb.append(String.format(Locale.ROOT, "STALL #%d start=%.6f len=%.3fms toPonger=%.3fms pongerOn=%d back=%.3fms meOn=%d%n",
                            i, at[i] / 1e9, nanos[i] / 1e6, (pT[i] - at[i]) / 1e6, pC[i], (at[i] + nanos[i] - pT[i]) / 1e6, myC[i]));
                    if (TRACE) sb.append(window(at[i] - 1_000_000, at[i] + nanos[i], at[i]));
                }
            }
            int resPair = 0, resOther = 0;
            if (TRACE) { int last = Trace.idx[2]; for (int k = Math.max(0, last - Trace.N + 1); k < last; k++) { int w = Trace.w[2][k & (Trace.N - 1)]; if ((w >> 8) == 8) { if ((w & 15) == 1 || (w & 15) == 2) resPair++; else resOther++; } } }
            System.out.println("RESCUES pair=" + resPair + " other=" + resOther);
            long[] sorted = java.util.Arrays.copyOf(nanos, done); java.util.Arrays.sort(sorted);
            int mid = 0; for (long x : sorted) if (x > 10_000 && x <= 1_000_000) mid++;
            System.out.printf(Locale.ROOT, "ROUND start=%.6f end=%.6f done=%d max=%.3fms stalls>1ms=%d >3ms=%d share=%.4f p50=%.1fus p99=%.1fus 10us-1ms=%d%n%s",
                    base / 1e9, end / 1e9, done, max / 1e6, n1, n3, (double) over1 / (end - base), sorted[done / 2] / 1e3, sorted[(int) (done * 0.99)] / 1e3, mid, sb);
            return null;
        }
    }
    static final String[] SRC = {"-", "nextCont", "glob61", "freshTurn", "nextNew", "nextOver", "local", "fresh", "global", "steal", "staleNext", "RESCUED"};
    static final String[] WHERE = {"ext->global", "polled", "preempt(fromNext)->local", "preempt->global", "self->local", "woke->runNext"};
    static String tg(int t) { return t == 1 ? "ME" : t == 2 ? "PONGER" : t == 3 ? "s" : "?"; }
    static String window(long a, long b, long zero) {
        StringBuilder sb = new StringBuilder();
        for (int ch = 0; ch < Trace.CH; ch++) {
            int last = Trace.idx[ch];
            StringBuilder line = new StringBuilder("  ch" + ch + ":");
            long runStart = 0; int runSrc = 0;
            int hops = 0; long hopFrom = 0, hopTo = 0;
            for (int k = Math.max(0, last - Trace.N + 1); k < last; k++) {
                long t = Trace.t[ch][k & (Trace.N - 1)];
                if (t < a || t > b) continue;
                int w = Trace.w[ch][k & (Trace.N - 1)];
                int kind = w >> 8, tag = w & 15, x = (w >> 4) & 15;
                boolean pair = tag == 1 || tag == 2;
                if (kind == 4 && x == 5 && pair) continue;
                if (kind == 1) { runStart = t; runSrc = x; continue; }
                if (kind == 2 && pair && runStart != 0 && t - runStart < 200_000 && (runSrc == 1) && (hops == 0 || runStart - hopTo < 200_000)) {
                    if (hops == 0) hopFrom = runStart; hops++; hopTo = t; runStart = 0; continue;
                }
                if (hops > 0) { line.append(String.format(Locale.ROOT, " {pair x%d %+.2f..%+.2f}", hops, (hopFrom - zero) / 1e6, (hopTo - zero) / 1e6)); hops = 0; }
                String at = String.format(Locale.ROOT, "%+.2f", (t - zero) / 1e6);
                switch (kind) {
                    case 2 -> {
                        if (runStart != 0) line.append(String.format(Locale.ROOT, " [%+.2f %s/%s %.2f]", (runStart - zero) / 1e6, tg(tag), SRC[runSrc], (t - runStart) / 1e6));
                        else line.append(" ").append(at).append(" end:").append(tg(tag));
                        runStart = 0;
                    }
                    case 3 -> line.append(" ").append(at).append(" displaced:").append(tg(tag));
                    case 4 -> line.append(" ").append(at).append(" exec:").append(tg(tag)).append("->").append(WHERE[x]);
                    case 5 -> line.append(" ").append(at).append(" PARK");
                    case 6 -> line.append(" ").append(at).append("R").append(tag);
                    case 7 -> line.append(" ").append(at).append("T");
                    case 8 -> line.append(" ").append(at).append(" RESCUE:").append(tg(tag));
                    default -> line.append(" ?").append(w);
                }
            }
            if (hops > 0) line.append(String.format(Locale.ROOT, " {pair x%d %+.2f..%+.2f}", hops, (hopFrom - zero) / 1e6, (hopTo - zero) / 1e6));
            if (runStart != 0) line.append(String.format(Locale.ROOT, " [%+.2f running %s...]", (runStart - zero) / 1e6, SRC[runSrc]));
            sb.append(line).append('\n');
        }
        return sb.toString();
    }
    static void pong() {
        pongerProc = TRACE ? Trace.procOfCurrent() : null;
        for (;;) {
            Object m = receive();
            if (m instanceof Integer i) { if (i >= 0) { pT[i] = System.nanoTime(); pC[i] = carrierIndex(); send(getMe(), PONG); } else send(getMe(), PONG); }
            else return;
        }
    }
    static final java.lang.reflect.Method SPIN;
    static { try { SPIN = Class.forName("probe.Spin", true, ClassLoader.getSystemClassLoader()).getMethod("spin", long.class); } catch (Exception e) { throw new RuntimeException(e); } }
    static void spinIt(long seed) { try { SPIN.invoke(null, seed); } catch (Exception e) { throw new RuntimeException(e); } }
    static volatile Pid meP;
    static Pid getMe() { return meP; }
    private static void spin(long seed) { long x = seed; for (;;) { x = (x * 16807) % 2147483647; } }
}
