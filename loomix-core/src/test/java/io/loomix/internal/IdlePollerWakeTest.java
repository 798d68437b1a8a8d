package io.loomix.internal;

import io.loomix.Pid;
import io.loomix.Process;
import io.loomix.internal.remote.IdlePoller;
import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Idle carriers that consult an {@link IdlePoller} must still wake for work. What a poll runs may
 * park the carrier for a moment (a lock's timed wait in the real poller), which uses up the
 * permit a waker's unpark left: a carrier that then parked for good after being claimed would
 * never run again, and with both carriers lost the node stands still. A poller that parks in
 * every poll (and finds its lock taken in every await) makes that moment wide; a platform thread
 * wakes a process 3,000 times at random intervals, so the wakes land on carriers in every state.
 */
class IdlePollerWakeTest {

    @Test
    void carriersClaimedWhileThePollerParksThemStillWake() throws Exception {
        Kernel kernel = Kernel.get();
        AtomicLong polls = new AtomicLong();
        IdlePoller parking = new IdlePoller() {
            @Override
            public boolean pollNow() {
                polls.incrementAndGet();
                LockSupport.parkNanos(20_000);
                return false;
            }

            @Override
            public boolean await(long nanos) {
                LockSupport.parkNanos(100_000);
                return false; // as if another thread held the poller: the carrier parks instead
            }

            @Override
            public void wakeup() {}
        };
        assumeTrue(kernel.installIdlePoller(parking), "processes run on the JDK's scheduler here");
        var echoes = new LinkedBlockingQueue<Object>();
        Pid echo = Process.spawn(() -> {
            while (true) {
                Object m = Process.receive();
                echoes.add(m);
                if ("stop".equals(m)) {
                    return;
                }
            }
        });
        try {
            Random random = new Random(7);
            int rounds = 3_000;
            int answered = 0;
            for (int i = 0; i < rounds; i++) {
                LockSupport.parkNanos(random.nextInt(300_000)); // the carriers spin, poll, park
                Process.send(echo, i);
                Object back = echoes.poll(10, TimeUnit.SECONDS);
                if (back == null) {
                    break; // the carriers slept through their wake-ups
                }
                answered++;
            }
            assertEquals(rounds, answered, "messages answered (" + polls.get() + " polls)");
        } finally {
            Process.send(echo, "stop");
            echoes.poll(10, TimeUnit.SECONDS);
            kernel.installIdlePoller(null);
        }
    }
}
