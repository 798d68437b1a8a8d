package io.loomix.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Used heap after full collections, for the idle workload of the JVM peers.
 * One System.gc() does not always settle the heap: what the reference handler
 * and cleaner threads release after a collection is only reclaimed by the
 * next one. So collect, with a pause for those threads, until two readings
 * agree to within 0.1%.
 */
public final class HeapProbe {
    private HeapProbe() {}

    private static final int MAX_COLLECTIONS = 10;

    public static long usedAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long previous = Long.MAX_VALUE;
        for (int i = 0; i < MAX_COLLECTIONS; i++) {
            System.gc();
            Thread.sleep(20);
            long used = memory.getHeapMemoryUsage().getUsed();
            if (Math.abs(previous - used) <= used / 1000) return used;
            previous = used;
        }
        return previous;
    }
}
