package probe;
public final class Start {
    public static void main(String[] a) {
        long t0 = System.nanoTime();
        io.loomix.Process.run(() -> 1);
        long t1 = System.nanoTime();
        var cm = java.lang.management.ManagementFactory.getCompilationMXBean();
        System.out.printf("kernel ready %.1f ms (jvm uptime %d ms, compile time so far %d ms)%n", (t1 - t0) / 1e6,
                java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime(), cm.getTotalCompilationTime());
        System.exit(0);
    }
}
