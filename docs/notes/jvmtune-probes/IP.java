import io.loomix.Pid;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import javax.management.ObjectName;
import static io.loomix.Process.*;

public class IP {
    static final io.loomix.Atom READY = io.loomix.Atom.of("ready");
    static Thread[] threads;
    static void chunks(Thread[] ts) throws Exception {
        var cont = Class.forName("java.lang.VirtualThread").getDeclaredField("cont"); cont.setAccessible(true);
        var tail = Class.forName("jdk.internal.vm.Continuation").getDeclaredField("tail"); tail.setAccessible(true);
        var sc = Class.forName("jdk.internal.vm.StackChunk");
        var size = sc.getDeclaredField("size"); size.setAccessible(true);
        var sp = sc.getDeclaredField("sp"); sp.setAccessible(true);
        var par = sc.getDeclaredField("parent"); par.setAccessible(true);
        java.util.TreeMap<String, Integer> h = new java.util.TreeMap<>();
        for (Thread t : ts) {
            Object c = tail.get(cont.get(t));
            StringBuilder k = new StringBuilder();
            while (c != null) { k.append(size.get(c)).append("/").append(sp.get(c)).append(" "); c = par.get(c); }
            h.merge(k.toString(), 1, Integer::sum);
        }
        h.forEach((k, v) -> { if (v > 1000) System.out.println("chunks size/sp " + k + ": " + v); });
    }
    static String histo() throws Exception {
        var server = ManagementFactory.getPlatformMBeanServer();
        return (String) server.invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"),
                "gcClassHistogram", new Object[] {new String[0]}, new String[] {String[].class.getName()});
    }
    static void pools(String what) {
        for (int i = 0; i < 3; i++) System.gc();
        StringBuilder b = new StringBuilder(what + ": used=" + ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1000000 + "MB");
        for (var p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == java.lang.management.MemoryType.HEAP) b.append(" ").append(p.getName()).append("=").append(p.getUsage().getUsed() / 1000000);
        }
        System.out.println(b);
    }
    public static void main(String[] a) throws Exception {
        int n = Integer.parseInt(a[0]);
        int warm = a.length > 1 ? Integer.parseInt(a[1]) : 0;
        if (warm > 0) run(() -> {
            Pid parent = self();
            List<Pid> ps = new ArrayList<>(warm);
            for (int i = 0; i < warm; i++) ps.add(spawn(() -> { send(parent, READY); receive(); send(parent, READY); }));
            for (int i = 0; i < warm; i++) receive();
            ps.forEach(p -> send(p, READY));
            for (int i = 0; i < warm; i++) receive();
            return null;
        });
        Thread.sleep(500);
        pools("before");

        List<Pid> pids = new ArrayList<>(n);
        threads = new Thread[n];
        run(() -> {
            Pid parent = self();
            for (int i = 0; i < n; i++) {
                int k = i;
                pids.add(spawn(() -> { threads[k] = Thread.currentThread(); send(parent, READY); receive(); }));
            }
            for (int i = 0; i < n; i++) receive();
            return null;
        });
        pools("after");
        chunks(threads);
        String h = histo();
        String[] lines = h.split("\n");
        for (int i = 0; i < Math.min(25, lines.length); i++) System.out.println(lines[i]);
        System.out.println(lines[lines.length - 1]);
    }
}
