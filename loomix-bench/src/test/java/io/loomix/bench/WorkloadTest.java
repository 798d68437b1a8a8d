package io.loomix.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WorkloadTest {

    @Test
    void noWarmUpTimeRunsTheRoundOnce() {
        var rounds = new AtomicInteger();
        Workload.warmUp(rounds::incrementAndGet, 0);
        assertEquals(1, rounds.get());
    }

    @Test
    void theRoundRepeatsUntilTheWarmUpTimeHasPassed() {
        var rounds = new AtomicInteger();
        long start = System.nanoTime();
        Workload.warmUp(() -> {
            rounds.incrementAndGet();
            sleepQuietly(5);
        }, 60);
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(elapsedMillis >= 60, "returned after " + elapsedMillis + " ms");
        assertTrue(rounds.get() >= 2, "ran " + rounds.get() + " rounds of 5 ms in 60 ms");
    }

    @Test
    void theRowsThatMeasureBytesOrWarmUpInFullKeepOneRound() {
        for (Workload workload : Workload.values()) {
            boolean once = switch (workload) {
                case IDLE, IDLE_GENSERVER, CALL_BACKLOG, GENCALL -> true;
                default -> false;
            };
            assertEquals(once, workload.warmupMillis(false) == 0, workload.id());
            assertTrue(workload.warmupMillis(true) <= workload.warmupMillis(false), workload.id());
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
