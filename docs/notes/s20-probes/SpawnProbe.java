// The spawn round of LoomixBench, a million at a time, over and over in one JVM: ns per process,
// process CPU over wall time, and the collector's time in each round (docs/notes/lead-s20.md).
// javac -cp 'loomix-bench/target/classes:loomix-bench/target/lib/*' -d /tmp/probe SpawnProbe.java
// java <jvm.properties flags> -Xss1m -cp '...:/tmp/probe' SpawnProbe
import static io.loomix.Process.*;
import io.loomix.Pid;
import java.lang.management.ManagementFactory;

public class SpawnProbe {
    static final Object GO = "go", DONE = "done";
    static long round(int n) {
        return run(() -> {
            Pid parent = self();
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                Pid child = spawn(() -> { receive(); send(parent, DONE); });
                send(child, GO);
            }
            for (int i = 0; i < n; i++) receive();
            return System.nanoTime() - start;
        });
    }
    public static void main(String[] a) {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        var gcs = ManagementFactory.getGarbageCollectorMXBeans();
        for (int i = 0; i < 30; i++) round(100_000);
        for (int r = 0; r < 15; r++) {
            long c0 = os.getProcessCpuTime(); long g0 = gcs.stream().mapToLong(g -> g.getCollectionTime()).sum();
            long ns = round(1_000_000);

            long c1 = os.getProcessCpuTime(); long g1 = gcs.stream().mapToLong(g -> g.getCollectionTime()).sum();
            System.out.printf("t=%d ns/proc %.0f  cpu/wall %.2f  gc ms %d%n", ManagementFactory.getRuntimeMXBean().getUptime(), ns / 1e6, (c1 - c0) / (double) ns, g1 - g0);
        }
        System.exit(0);
    }
}
