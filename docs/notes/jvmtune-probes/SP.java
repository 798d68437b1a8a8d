import io.loomix.Atom;
import io.loomix.Pid;
import java.lang.management.*;
import java.util.*;
import static io.loomix.Process.*;

public class SP {
    static final int SN = 1 << 16; static final long[] sT = new long[SN], sC = new long[SN]; static volatile int sI;
    static { var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Thread t = new Thread(() -> { for (int i = 0; ; i++) { sT[i & (SN-1)] = System.nanoTime(); sC[i & (SN-1)] = os.getProcessCpuTime(); sI = i; java.util.concurrent.locks.LockSupport.parkNanos(1_000_000); } });
        t.setDaemon(true); t.start(); }
    static final long[] lT = new long[SN], lL = new long[SN]; static volatile int lI;
    static { Thread t = new Thread(() -> { long prev = System.nanoTime(); for (int i = 0; ; i++) { java.util.concurrent.locks.LockSupport.parkNanos(500_000); long now = System.nanoTime(); lT[i & (SN-1)] = now; lL[i & (SN-1)] = now - prev - 500_000; lI = i; prev = now; } }, "shadow-ticker");
        t.setDaemon(true); t.start(); }
    static double late(long a, long b) { int last = lI; long m = 0;
        for (int k = Math.max(0, last - SN + 1); k <= last; k++) { long t = lT[k & (SN-1)]; if (t >= a && t <= b + 1_000_000) m = Math.max(m, lL[k & (SN-1)]); }
        return m / 1e6; }
    static String lateSummary(long a, long b) { int last = lI; long n = 0, o1 = 0, o3 = 0, m = 0;
        for (int k = Math.max(0, last - SN + 1); k <= last; k++) { long t = lT[k & (SN-1)]; if (t < a || t > b) continue; long l = lL[k & (SN-1)]; n++; if (l > 1_000_000) o1++; if (l > 3_000_000) o3++; m = Math.max(m, l); }
        return String.format(" ticks=%d late>1ms=%d late>3ms=%d maxlate=%.1fms", n, o1, o3, m / 1e6); }
    static double cores(long a, long b) { int last = sI; long ca = -1, cb = -1, ta = 0, tb = 0;
        for (int k = Math.max(0, last - SN + 1); k <= last; k++) { long t = sT[k & (SN-1)]; if (t <= a) { ta = t; ca = sC[k & (SN-1)]; } if (t >= b && cb < 0) { tb = t; cb = sC[k & (SN-1)]; } }
        return ca < 0 || cb < 0 ? -1 : (double) (cb - ca) / (tb - ta); }
    static final Atom PONG = Atom.of("pong"), STOP = Atom.of("stop");
    public static void main(String[] a) {
        int rounds = Integer.parseInt(a[0]);
        int reps = a.length > 1 ? Integer.parseInt(a[1]) : 1;
        round(rounds / 10);
        for (int r = 0; r < reps; r++) round(rounds);
        System.exit(0);
    }
    static void round(int rounds) {
        run(() -> {
            List<Pid> spinners = new ArrayList<>();
            Pid ponger0 = null;
            if (Boolean.getBoolean("pongerFirst")) ponger0 = spawn(SP::pong);
            for (int i = 1; i <= 100; i++) { long seed = i; spinners.add(spawn(() -> spin(seed))); }
            Pid ponger = ponger0 != null ? ponger0 : spawn(SP::pong);
            Pid me = self();
            long[] nanos = new long[rounds]; long[] at = new long[rounds];
            long base = System.nanoTime(); long up = ManagementFactory.getRuntimeMXBean().getUptime();
            long deadline = base + rounds * 1_000_000L;
            int done = 0;
            while (done < rounds) {
                long t0 = System.nanoTime();
                send(ponger, me);
                receive();
                long t1 = System.nanoTime();
                at[done] = t0; nanos[done++] = t1 - t0;
                if (t1 - deadline >= 0) break;
            }
            send(ponger, STOP);
            spinners.forEach(p -> exit(p, io.loomix.ExitReason.KILL));
            long max = 0, over1 = 0; int n1 = 0;
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < done; i++) {
                max = Math.max(max, nanos[i]);
                if (nanos[i] > 1_000_000) { over1 += nanos[i]; n1++; }
                if (nanos[i] > 3_000_000) sb.append(String.format(" [%.1f ms #%d cores=%.2f late=%.1f]", nanos[i] / 1e6, i, cores(at[i], at[i] + nanos[i]), late(at[i], at[i] + nanos[i])));
            }
            long total = System.nanoTime() - base;
            System.out.printf("rounds=%d done=%d max=%.2f ms stalls>1ms=%d share=%.3f%s%s%n", rounds, done, max / 1e6, n1, (double) over1 / total, lateSummary(base, base + total), sb);
            return null;
        });
    }
    static void pong() { for (;;) { if (!(receive() instanceof Pid from)) return; send(from, PONG); } }
    private static void spin(long seed) { long x = seed; for (;;) { x = (x * 16807) % 2147483647; } }
}
