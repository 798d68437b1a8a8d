package io.loomix;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.loomix.Process.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Processes woken on a carrier whose thread stops running while every other carrier is busy.
 * The OS does that to a carrier when a compiler thread takes its core; here a process with no
 * yield point in its loop holds the carrier, which looks the same to the scheduler: a slice that
 * does not end when the ticker asks. Busy carriers do not steal, so without the ticker taking the
 * stranded processes away they wait for the holder.
 */
class StoppedCarrierTest {
    private static final long HOLD_NANOS = Duration.ofSeconds(10).toNanos();

    @Test
    void processesWokenOnAHeldCarrierRunWhileItIsHeld() {
        int carriers = io.loomix.internal.Kernel.get().schedulers();
        AtomicBoolean stop = new AtomicBoolean();
        try {
            keepCarriersBusy(carriers + 1, stop);
            for (int round = 0; round < 5; round++) {
                String reply = run(() -> {
                    Pid me = self();
                    AtomicBoolean done = new AtomicBoolean();
                    // Two, so that the second displaces the first from runNext into the carrier's own queue.
                    Pid first = echo(me, "first");
                    Pid second = echo(me, "second");
                    assertEquals("parked", receive());
                    assertEquals("parked", receive());
                    spawn(() -> {
                        send(first, "go");
                        send(second, "go");
                        long deadline = System.nanoTime() + HOLD_NANOS;
                        while (!done.get() && System.nanoTime() - deadline < 0) {
                            Thread.onSpinWait(); // no yield point: this carrier runs nothing else
                        }
                        send(me, done.get() ? "both ran while the carrier was held"
                                : "they did not run in 10 s while their carrier was held");
                    });
                    receive(m -> "first".equals(m) ? m : null);
                    receive(m -> "second".equals(m) ? m : null);
                    done.set(true);
                    return (String) receive();
                });
                assertEquals("both ran while the carrier was held", reply, "round " + round);
            }
        } finally {
            stop.set(true);
        }
    }

    /**
     * Rescues race with carriers that come back: holders take a carrier for 2 ms at a time, on
     * every carrier in turn, while a pair exchanges numbered messages among CPU-bound processes;
     * every message must arrive once and in order.
     */
    @Test
    void stressAPairAmongHoldersAndSpinnersLosesNothing() {
        int carriers = io.loomix.internal.Kernel.get().schedulers();
        AtomicBoolean stop = new AtomicBoolean();
        try {
            keepCarriersBusy(carriers + 1, stop);
            for (int i = 0; i < carriers; i++) {
                spawn(() -> {
                    while (!stop.get()) {
                        long until = System.nanoTime() + 2_000_000;
                        while (System.nanoTime() - until < 0) {
                            Thread.onSpinWait();
                        }
                        sleep(Duration.ofMillis(1));
                    }
                });
            }
            for (int round = 0; round < 20; round++) {
                int rounds = 500;
                int seen = run(() -> {
                    Pid me = self();
                    Pid ponger = spawn(() -> {
                        for (int expected = 0; ; expected++) {
                            Object m = receive();
                            if (!(m instanceof Integer n)) {
                                return;
                            }
                            send(me, n == expected ? n : -1 - expected);
                        }
                    });
                    int n = 0;
                    for (; n < rounds; n++) {
                        send(ponger, n);
                        Object back = receive();
                        assertEquals(n, back, "round trip " + n + " got another reply");
                    }
                    send(ponger, "stop");
                    return n;
                });
                assertEquals(rounds, seen);
            }
        } finally {
            stop.set(true);
        }
    }

    /** A process that says it is parked, waits for a message, and reports {@code name} to {@code to}. */
    private static Pid echo(Pid to, String name) {
        return spawn(() -> {
            send(to, "parked");
            receive();
            send(to, name);
        });
    }

    /** CPU-bound processes the ticker can preempt, so that no carrier is ever idle. */
    private static void keepCarriersBusy(int n, AtomicBoolean stop) {
        for (int i = 0; i < n; i++) {
            spawn(() -> {
                while (!stop.get()) {
                    YieldPoint.poll(); // what the agent inserts at each back edge
                }
            });
        }
    }
}
