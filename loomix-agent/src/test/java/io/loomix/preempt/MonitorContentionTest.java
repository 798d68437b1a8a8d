package io.loomix.preempt;

import io.loomix.Pid;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static io.loomix.Process.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Many processes contend for one Java monitor while its holder is preempted inside it, at a yield
 * point the agent put there. Under the launcher's {@code -XX:-DoJVMTIVirtualThreadTransitions}
 * (which this module's tests run with) JDK 25 leaves the contenders blocked on their carriers; the
 * scheduler's spare carriers must run the holder so that it releases the monitor. Before spares,
 * every run here hung every carrier for good (12 of 12; the first hang also dooms the later runs,
 * as its carriers stay blocked).
 *
 * <p>A hang cannot be seen from inside the node (no carrier is left to run the checking process),
 * so the timeout runs on a thread of its own and fails the test.
 */
class MonitorContentionTest {
    private static final int CONTENDERS = 32;
    private static final int ROUNDS = 10;
    /** Long enough inside the monitor for the ticker to ask the holder to yield there. */
    private static final long HOLD_NANOS = 1_000_000;
    private static final Object LOCK = new Object();
    private static long inside;

    /** Spins with a yield point per iteration (the loop calls nanoTime) for {@code nanos}. */
    private static void busy(long nanos) {
        long until = System.nanoTime() + nanos;
        while (System.nanoTime() - until < 0) {
            Thread.onSpinWait();
        }
    }

    @RepeatedTest(8)
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void contendersOfASynchronizedBlockAllGetThrough() {
        inside = 0;
        contend(() -> {
            synchronized (LOCK) {
                busy(HOLD_NANOS);
                inside++;
            }
        });
        synchronized (LOCK) {
            assertEquals(CONTENDERS * ROUNDS, inside, "every entry into the block ran exactly once");
        }
    }

    @RepeatedTest(4)
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void contendersOfAConcurrentHashMapComputeAllGetThrough() {
        // compute holds the bin's monitor while the function runs, as Registry.register does.
        ConcurrentHashMap<String, Integer> map = new ConcurrentHashMap<>();
        contend(() -> map.compute("key", (k, v) -> {
            busy(HOLD_NANOS);
            return v == null ? 1 : v + 1;
        }));
        assertEquals(CONTENDERS * ROUNDS, map.get("key"));
    }

    private static void contend(Runnable critical) {
        run(() -> {
            Pid parent = self();
            for (int c = 0; c < CONTENDERS; c++) {
                spawn(() -> {
                    for (int r = 0; r < ROUNDS; r++) {
                        critical.run();
                    }
                    send(parent, "done");
                });
            }
            for (int c = 0; c < CONTENDERS; c++) {
                int finished = c;
                assertEquals("done", receive(Duration.ofSeconds(30), m -> m, () -> "timed out after " + finished));
            }
        });
    }
}
