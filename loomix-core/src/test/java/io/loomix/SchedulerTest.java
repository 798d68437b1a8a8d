package io.loomix;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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

    /**
     * A process woken by a message runs ahead of processes spawned on its carrier that have not
     * run yet: those may each use a whole slice (100 CPU-bound spawns kept a ping-pong pair waiting
     * 50 slices and more). Every carrier but one is held by a blocker with no yield point, so the
     * order on the remaining one is the scheduler's alone.
     */
    @Test
    void aWokenProcessRunsAheadOfProcessesSpawnedBeforeItsWakeUp() throws InterruptedException {
        int carriers = io.loomix.internal.Kernel.get().schedulers();
        AtomicBoolean release = new AtomicBoolean();
        try {
            holdCarriers(carriers - 1, release);
            for (int round = 0; round < 20; round++) {
                List<String> order = run(() -> {
                    Pid me = self();
                    ConcurrentLinkedQueue<String> log = new ConcurrentLinkedQueue<>();
                    Pid woken = spawn(() -> {
                        send(me, "parked");
                        receive();
                        log.add("woken");
                        send(me, "ran");
                    });
                    assertEquals("parked", receive());
                    for (int i = 0; i < 20; i++) {
                        spawn(() -> {
                            log.add("spawned");
                            send(me, "ran");
                        });
                    }
                    send(woken, "go");
                    // One more spawn takes runNext, so the woken process must wait in a queue.
                    spawn(() -> {
                        log.add("last spawned");
                        send(me, "ran");
                    });
                    for (int i = 0; i < 22; i++) {
                        receive();
                    }
                    return List.copyOf(log);
                });
                int at = order.indexOf("woken");
                // The last spawn may run first (runNext), and a slice that ends or every
                // FRESH_INTERVAL-th pick starts one new process: a few at most, not all 20.
                assertTrue(at >= 0 && at <= 3, "the woken process ran after " + at + " others: " + order);
            }
        } finally {
            release.set(true);
        }
    }

    /**
     * New processes still start while their carrier always has woken work: a ping-pong pair keeps
     * one of them runnable at every pick, on the one carrier the blockers leave (or on all of them,
     * in the rounds without blockers), and every spawn must run meanwhile.
     */
    @Test
    void stressSpawnsStartWhileAPingPongPairKeepsTheCarrierBusy() throws InterruptedException {
        int carriers = io.loomix.internal.Kernel.get().schedulers();
        for (int round = 0; round < 10; round++) {
            boolean hold = round % 2 == 0;
            AtomicBoolean release = new AtomicBoolean();
            try {
                holdCarriers(hold ? carriers - 1 : 0, release);
                int started = run(() -> {
                    java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();
                    Pid ponger = spawn(() -> {
                        for (;;) {
                            if (!(receive() instanceof Pid from)) {
                                return;
                            }
                            send(from, "pong");
                        }
                    });
                    for (int i = 0; i < 100; i++) {
                        spawn(count::incrementAndGet);
                    }
                    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                    while (count.get() < 100 && System.nanoTime() - deadline < 0) {
                        send(ponger, self());
                        receive(m -> "pong".equals(m) ? m : null);
                    }
                    send(ponger, "stop");
                    return count.get();
                });
                assertEquals(100, started, "spawns that started while the pair ran (10 s)");
            } finally {
                release.set(true);
            }
        }
    }

    /**
     * Spawns {@code n} processes that each hold a carrier (no yield point in their loop) until
     * {@code release} is set, or 20 s have passed; returns once all of them run.
     */
    private static void holdCarriers(int n, AtomicBoolean release) throws InterruptedException {
        CountDownLatch holding = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            spawn(() -> {
                holding.countDown();
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (!release.get() && System.nanoTime() - deadline < 0) {
                    Thread.onSpinWait();
                }
            });
        }
        assertTrue(holding.await(30, TimeUnit.SECONDS), "the blockers did not start in 30 s");
    }
}
