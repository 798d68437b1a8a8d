import io.loomix.Atom;
import io.loomix.Pid;
import java.lang.management.*;
import static io.loomix.Process.*;

public class BP {
    static final Atom READY = Atom.of("ready"), DONE = Atom.of("done"), GO = Atom.of("go");
    static long gcMs() { long t = 0; for (var g : ManagementFactory.getGarbageCollectorMXBeans()) t += g.getCollectionTime(); return t; }
    static long cpuMs() { return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1_000_000; }
    public static void main(String[] a) {
        int n = Integer.parseInt(a[0]);
        int reps = a.length > 1 ? Integer.parseInt(a[1]) : 1;
        round(n / 10);
        for (int r = 0; r < reps; r++) round(n);
        System.exit(0);
    }
    static void round(int n) {
        run(() -> {
            Pid parent = self();
            Pid[] children = new Pid[n];
            long s0 = System.nanoTime();
            for (int i = 0; i < n; i++) children[i] = spawn(() -> { send(parent, READY); receive(); send(parent, DONE); });
            for (int i = 0; i < n; i++) receive();
            long up0 = ManagementFactory.getRuntimeMXBean().getUptime();
            long g0 = gcMs(), c0 = cpuMs();
            jdk.jfr.Recording rec = null;
            if (n >= 1000000 && System.getProperty("jfr") != null) { try { rec = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile")); rec.start(); } catch (Exception e) { throw new RuntimeException(e); } }
            Process perf = null;
            if (n >= 1000000 && System.getProperty("perf") != null) { try { perf = new ProcessBuilder("perf","record","-F","2999","-g","-p",String.valueOf(ProcessHandle.current().pid()),"-o",System.getProperty("perf")).inheritIO().start(); Thread.sleep(300); } catch (Exception e) { throw new RuntimeException(e); } }
            long t0 = System.nanoTime();
            for (Pid child : children) send(child, GO);
            long t1 = System.nanoTime();
            long g1 = gcMs(), c1 = cpuMs();
            for (int i = 0; i < n; i++) receive();
            long t2 = System.nanoTime();
            long g2 = gcMs(), c2 = cpuMs();
            if (perf != null) { try { new ProcessBuilder("kill","-INT",String.valueOf(perf.pid())).start().waitFor(); perf.waitFor(); } catch (Exception e) { throw new RuntimeException(e); } }
            if (rec != null) { try { rec.stop(); rec.dump(java.nio.file.Path.of(System.getProperty("jfr"))); } catch (Exception e) { throw new RuntimeException(e); } }
            System.out.printf("n=%d spawn+ready %d ms | at %d ms: send %d ms (gc %d, cpu %d) collect %d ms (gc %d, cpu %d) total %d%n",
                n, (t0 - s0) / 1000000, up0, (t1 - t0) / 1000000, g1 - g0, c1 - c0, (t2 - t1) / 1000000, g2 - g1, c2 - c1, (t2 - t0) / 1000000);
            return null;
        });
    }
}
