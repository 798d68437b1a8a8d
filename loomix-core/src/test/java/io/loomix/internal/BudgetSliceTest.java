package io.loomix.internal;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A process's slices handed from one carrier to the other, as a yield or a wake-up hands them:
 * the next carrier's beginSlice waits for the previous carrier's endSlice, and their updates
 * never overlap. An overlap leaves the budget's sequence odd for good, and every later slice of
 * the process waits for ever (seen once as a carrier stuck in awaitPreviousSlice).
 */
class BudgetSliceTest {
    @Test
    void stressSlicesHandedBetweenTwoThreadsAreChargedOneAfterTheOther() throws InterruptedException {
        Budget budget = new Budget(0, 0, true);
        int rounds = 10_000_000;
        // The thread whose turn it is begins the next slice while the other one ends its own.
        AtomicInteger turn = new AtomicInteger();
        long[] charged = new long[2];
        Thread[] threads = new Thread[2];
        for (int t = 0; t < 2; t++) {
            int me = t;
            threads[t] = Thread.ofPlatform().daemon().start(() -> {
                for (int i = me; i < rounds; i += 2) {
                    while (turn.get() != i) {
                        Thread.onSpinWait();
                    }
                    int n = budget.beginSlice(null, 0);
                    turn.set(i + 1); // the other thread may begin the next slice now
                    budget.endSlice(n, 0, 1);
                    charged[me]++;
                }
            });
        }
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(30));
            assertFalse(t.isAlive(), "a thread waits for a slice that never ends: updates overlapped");
        }
        assertEquals(rounds, charged[0] + charged[1]);
        assertEquals(rounds, budget.allocated(), "every slice's byte charged once");
    }
}
