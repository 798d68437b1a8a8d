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
 * point the agent put there. Under {@code -XX:-DoJVMTIVirtualThreadTransitions}, which the
 * launcher set for speed until 2026-11-29, JDK 25 left the contenders blocked on their carriers
 * (every run here hung every carrier for good, 12 of 12, before the scheduler got spare carriers
 * to run the holder). The launcher no longer sets it (it also broke preemption and once crashed the
 * JVM in JVMTI's class-load hook); spares still stand in for carriers pinned otherwise.
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

    /**
     * After contended monitors have unmounted processes on every carrier, CPU-bound processes are
     * still preempted: a yield after a monitor unmount must unmount again. (Under
     * {@code -XX:-DoJVMTIVirtualThreadTransitions}, which ./loomix set for speed until 2026-11-29,
     * yields failed for good on carriers that had loaded classes through the agent's hook:
     * loomix-code's YieldPointsTest, run after GenServerSwapTest, is the reproducer of that.)
     */
    @RepeatedTest(2)
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void spinnersArePreemptedAfterContendedMonitorsOnEveryCarrier() {
        inside = 0;
        contend(() -> {
            synchronized (LOCK) {
                busy(HOLD_NANOS);
                inside++;
            }
        });
        run(() -> {
            int n = Runtime.getRuntime().availableProcessors() * 3 + 1;
            java.util.List<io.loomix.Process.Monitored> spinners = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                long seed = i + 1;
                spinners.add(spawnMonitor(() -> PreemptionTest.spin(seed)));
            }
            Pid me = self();
            for (int i = 0; i < 20; i++) {
                int k = i;
                spawn(() -> send(me, k));
                assertEquals(k, (int) receive(Duration.ofSeconds(30), m -> m instanceof Integer j && j == k ? j : null,
                        () -> -1), "a fresh process did not get to run next to " + n + " spinners");
            }
            for (var s : spinners) {
                exit(s.pid(), io.loomix.ExitReason.KILL);
            }
            for (var s : spinners) {
                assertEquals(io.loomix.ExitReason.KILLED, receive(m -> m instanceof io.loomix.Down d
                        && d.ref().equals(s.ref()) ? d.reason() : null));
            }
        });
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
