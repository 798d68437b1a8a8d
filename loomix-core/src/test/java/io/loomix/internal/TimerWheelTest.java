package io.loomix.internal;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

class TimerWheelTest {
    private final TimerWheel wheel = new TimerWheel();

    @Test
    void firesNoEarlierThanTheDeadline() throws Exception {
        CountDownLatch fired = new CountDownLatch(1);
        AtomicLong firedAt = new AtomicLong();
        long deadline = Clock.now() + TimeUnit.MILLISECONDS.toNanos(7);
        wheel.start(deadline, () -> {
            firedAt.set(Clock.now());
            fired.countDown();
        });
        fired.await();
        assertTrue(firedAt.get() - deadline >= 0, "fired " + (deadline - firedAt.get()) + " ns early");
    }

    @Test
    void aCancelledTimerNeverFiresAndCancelReportsWhetherItWon() throws Exception {
        AtomicInteger fires;
        TimerWheel.Timer t;
        // On a loaded machine this thread can stall past the 5 ms before it cancels: the timer then
        // fired, cancel says so, and the race is run again with a fresh counter.
        do {
            fires = new AtomicInteger();
            t = wheel.start(Clock.now() + TimeUnit.MILLISECONDS.toNanos(5), fires::incrementAndGet);
        } while (!t.cancel());
        assertFalse(t.cancel());
        CountDownLatch later = new CountDownLatch(1);
        wheel.start(Clock.now() + TimeUnit.MILLISECONDS.toNanos(20), later::countDown);
        later.await();
        assertEquals(0, fires.get());
    }

    @Test
    void timersPastTheWheelsRevolutionWaitTheirTurn() throws Exception {
        // 4096 ticks make one revolution: a 5 s timer must not fire after 5 s mod 4.096 s.
        AtomicInteger early = new AtomicInteger();
        TimerWheel.Timer far = wheel.start(Clock.now() + TimeUnit.SECONDS.toNanos(5), early::incrementAndGet);
        CountDownLatch probe = new CountDownLatch(1);
        wheel.start(Clock.now() + TimeUnit.MILLISECONDS.toNanos(950), probe::countDown);
        probe.await();
        assertEquals(0, early.get());
        assertTrue(far.cancel());
    }

    @RepeatedTest(3)
    void concurrentStartAndCancelFromManyThreads() throws Exception {
        int threads = 8;
        int each = 20_000;
        AtomicInteger fired = new AtomicInteger();
        AtomicInteger cancelled = new AtomicInteger();
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            ts.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < each; i++) {
                    TimerWheel.Timer timer = wheel.start(Clock.now() + (i % 3) * 1_000_000L, fired::incrementAndGet);
                    if (i % 2 == 0 && timer.cancel()) {
                        cancelled.incrementAndGet();
                    }
                }
            }));
        }
        for (Thread t : ts) {
            t.join();
        }
        CountDownLatch drained = new CountDownLatch(1);
        wheel.start(Clock.now() + TimeUnit.MILLISECONDS.toNanos(10), drained::countDown);
        drained.await();
        assertEquals(threads * each, fired.get() + cancelled.get(), "every timer either fired or was cancelled, once");
        assertEquals(0, wheel.pending());
    }
}
