package io.loomix.internal;

import io.loomix.Pid;
import io.loomix.Process;
import io.loomix.internal.remote.IdlePoller;
import org.junit.jupiter.api.RepeatedTest;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A carrier's poll wakes a process (it goes to that carrier's own queue, to run there next) and
 * then blocks until that process has run: what happened to the distribution when a polling
 * carrier waited for a monitor whose next owner the JVM had chosen among the processes queued on
 * it, while the other carrier slept (docs/notes/spawn3.md). The poll must not wait for ever: the
 * ticker takes the processes queued on a carrier that has been in one poll for a whole tick.
 */
class BlockedPollTest {

    @RepeatedTest(3)
    void aProcessWokenByAPollThatThenBlocksStillRuns() throws Exception {
        Kernel kernel = Kernel.get();
        assumeTrue(kernel.schedulers() >= 2, "needs another carrier to run the process");
        var ran = new CountDownLatch(1);
        var outcome = new LinkedBlockingQueue<String>();
        Pid waiter = Process.spawn(() -> {
            Process.receive(m -> "go".equals(m) ? m : null);
            ran.countDown();
        });
        var armed = new AtomicBoolean(true);
        var fired = new CountDownLatch(1);
        IdlePoller blocking = new IdlePoller() {
            @Override
            public boolean pollNow() {
                // Only on a carrier, and while every other carrier sleeps: nobody else would take
                // the process this poll wakes from this carrier's queue.
                if (Scheduler.currentCarrierOrNull() != null
                        && kernel.scheduler.deepSleepers() >= kernel.schedulers() - 1 && armed.compareAndSet(true, false)) {
                    fired.countDown(); // the test thread stops making work: nothing else wakes a carrier
                    kernel.send(waiter, "go");
                    try {
                        outcome.add(ran.await(10, TimeUnit.SECONDS) ? "ran" : "the process did not run in 10 s");
                    } catch (InterruptedException e) {
                        outcome.add("interrupted");
                    }
                }
                return false;
            }

            @Override
            public boolean await(long nanos) {
                return false; // the carrier parks as without a poller
            }

            @Override
            public void wakeup() {}
        };
        assumeTrue(kernel.installIdlePoller(blocking), "processes run on the JDK's scheduler here");
        try {
            // Something to do now and then, so the carriers go through their idle looks and poll.
            for (int i = 0; i < 2_000 && !fired.await(2, TimeUnit.MILLISECONDS); i++) {
                Process.spawn(() -> {});
            }
            assertEquals("ran", outcome.poll(30, TimeUnit.SECONDS));
        } finally {
            kernel.installIdlePoller(null);
            Process.exit(waiter, io.loomix.ExitReason.KILL);
        }
    }
}
