package io.loomix;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.loomix.Process.*;
import static org.junit.jupiter.api.Assertions.*;

/** The scheduler: its own carriers, fairness between yielding processes, and no starvation of runNext. */
class SchedulerTest {
    @Test
    void processesRunOnLoomixCarriers() {
        assertTrue(io.loomix.internal.Kernel.get().ownScheduler(),
                "tests must run with --add-opens java.base/java.lang=ALL-UNNAMED");
        String carrier = run(() -> Thread.currentThread().toString());
        assertTrue(carrier.contains("loomix-carrier-"), carrier);
    }

    @Test
    void stressAKillReachesAProcessThatYieldsBetweenEveryYieldPoint() {
        // Its slices are too short for the ticker ever to find one running a whole period, so
        // only the carrier's look at the pending signal, as it starts the next slice, stops it.
        for (int round = 0; round < 50; round++) {
            run(() -> {
                List<Monitored> busy = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    busy.add(spawnMonitor(() -> {
                        for (;;) {
                            Thread.yield();
                            YieldPoint.poll(); // what the agent inserts at each back edge
                        }
                    }));
                }
                for (Monitored m : busy) {
                    exit(m.pid(), ExitReason.KILL);
                }
                for (Monitored m : busy) {
                    assertEquals(ExitReason.KILLED, Await.down(m.ref()).reason());
                }
            });
        }
    }

    @Test
    void yieldingSpinnersDoNotStarvePingPong() {
        AtomicBoolean stop = new AtomicBoolean();
        List<Pid> spinners = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            spinners.add(spawn(() -> {
                long x = 0;
                while (!stop.get()) {
                    for (int j = 0; j < 10_000; j++) {
                        x += j;
                    }
                    Thread.yield();
                }
                if (x == 42) {
                    System.out.print("");
                }
            }));
        }
        int rounds;
        try {
            rounds = run(() -> {
                Pid ponger = spawn(() -> {
                    for (;;) {
                        if (!(receive() instanceof Pid from)) {
                            return;
                        }
                        send(from, "pong");
                    }
                });
                int n = 0;
                for (; n < 1_000; n++) {
                    send(ponger, self());
                    receive();
                }
                send(ponger, "stop");
                return n;
            });
        } finally {
            stop.set(true); // the spinners yield but have no yield point: only this stops them
        }
        assertEquals(1_000, rounds);
    }

    @Test
    void aWokenProcessIsNotStuckBehindABusySender() {
        AtomicBoolean released = new AtomicBoolean();
        String reply = run(() -> {
            Pid me = self();
            Pid echo = spawn(() -> {
                receive();
                send(me, "echoed");
                released.set(true);
            });
            // The sender wakes echo and then computes without blocking until echo has run:
            // an idle carrier must take echo from this carrier's runNext slot. The spin has a
            // bound so that a stuck echo fails the test instead of hanging it.
            spawn(() -> {
                send(echo, "go");
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (!released.get() && System.nanoTime() - deadline < 0) {
                    Thread.onSpinWait();
                }
                send(me, released.get() ? "echo ran while the sender spun" : "echo did not run in 10 s while the sender spun");
            });
            assertEquals("echoed", receive(m -> "echoed".equals(m) ? m : null));
            return (String) receive();
        });
        assertEquals("echo ran while the sender spun", reply);
    }
}
