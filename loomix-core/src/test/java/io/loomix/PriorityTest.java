package io.loomix;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;

import static io.loomix.Process.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Process priorities, Erlang's process_flag(priority, P): high-priority processes are run before
 * normal ones, low-priority ones are slowed down but never starved. The spinners here call
 * YieldPoint.poll() by hand, as the agent would make them, so their slices end.
 */
class PriorityTest {
    static volatile long sink;

    /** About 50-100 us of arithmetic that the JIT cannot drop. */
    private static void chunk() {
        long x = System.nanoTime();
        for (int i = 0; i < 100_000; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            YieldPoint.poll();
        }
        sink = x;
    }

    private static List<Pid> spinners(int n, AtomicBoolean stop, AtomicLongArray progress) {
        List<Pid> pids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int slot = i;
            pids.add(spawn(() -> {
                while (!stop.get()) {
                    chunk();
                    progress.incrementAndGet(slot);
                }
            }));
        }
        return pids;
    }

    @Test
    void thePriorityIsReportedAndCanBeChanged() {
        run(() -> {
            Pid me = self();
            Pid p = spawn(SpawnOptions.DEFAULT.withPriority(Priority.LOW), () -> {
                receive(m -> "raise".equals(m) ? m : null);
                send(me, priority(Priority.HIGH));
                receive(m -> "stop".equals(m) ? m : null);
            });
            assertEquals(Priority.LOW, info(p).orElseThrow().priority());
            send(p, "raise");
            assertEquals(Priority.LOW, receive(m -> m instanceof Priority old ? old : null), "the old priority");
            assertEquals(Priority.HIGH, info(p).orElseThrow().priority());
            assertEquals(Priority.NORMAL, info(self()).orElseThrow().priority());
            send(p, "stop");
            assertThrows(NullPointerException.class, () -> priority(null));
            assertThrows(NullPointerException.class, () -> SpawnOptions.DEFAULT.withPriority(null));
            assertEquals("high", Priority.HIGH.toString());
        });
    }

    @Test
    void aLowPriorityProcessProgressesAmongBusyNormalOnes() {
        AtomicBoolean stop = new AtomicBoolean();
        try {
            spinners(4, stop, new AtomicLongArray(4));
            run(() -> {
                Monitored low = spawnMonitor(SpawnOptions.DEFAULT.withPriority(Priority.LOW), () -> {
                    for (int i = 0; i < 200; i++) {
                        send(self(), i);
                        receive();
                        chunk();
                    }
                });
                assertEquals(ExitReason.NORMAL, Await.down(low.ref()).reason());
            });
        } finally {
            stop.set(true);
        }
    }

    @Test
    void aHighPriorityProcessRunsAheadOfNormalOnes() throws InterruptedException {
        // Every carrier is held by a blocker with no yield point, so nothing else runs while 20
        // normal processes and then a high one are queued (from this platform thread). Then one
        // blocker is let go: its carrier, the only one free, must take the high one before any
        // normal one (queue order would put it last), and runs it before it picks again. Only
        // then do the others go. Releasing them all at once made this a race between carriers:
        // one took the high process first, but the OS ran the other's 20 picks before its body.
        int carriers = Integer.getInteger("loomix.schedulers", Runtime.getRuntime().availableProcessors());
        // A spare carrier left by an earlier test (it retires after about 20 ms without work) runs
        // queued processes too: every slot gets a blocker, and two more wait in the queue ahead of
        // the normal ones, so a slot that frees up meanwhile takes a blocker, not a normal process.
        int spares = (int) Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().endsWith("-spare") && t.isAlive()).count();
        int slots = carriers + spares;
        AtomicBoolean release = new AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger letGo = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.CountDownLatch holding = new java.util.concurrent.CountDownLatch(carriers);
        java.util.concurrent.ConcurrentLinkedQueue<String> order = new java.util.concurrent.ConcurrentLinkedQueue<>();
        try {
            for (int i = 0; i < slots + 2; i++) {
                spawn(() -> {
                    holding.countDown();
                    long deadline = System.nanoTime() + 30_000_000_000L;
                    while (System.nanoTime() - deadline < 0) {
                        int n = letGo.get();
                        if (n > 0 && letGo.compareAndSet(n, n - 1)) {
                            return;
                        }
                        Thread.onSpinWait();
                    }
                });
            }
            assertTrue(holding.await(30, java.util.concurrent.TimeUnit.SECONDS), "the blockers did not start in 30 s");
            int normals = 20;
            java.util.concurrent.CountDownLatch ran = new java.util.concurrent.CountDownLatch(normals + 1);
            java.util.concurrent.CountDownLatch highRan = new java.util.concurrent.CountDownLatch(1);
            for (int i = 0; i < normals; i++) {
                String name = "normal " + i;
                spawn(() -> {
                    // One that runs before the release ran on a carrier no blocker held (a spare
                    // that started meanwhile) before the high one was even queued: not comparable.
                    order.add(release.get() ? name : "early " + name);
                    ran.countDown();
                });
            }
            spawn(SpawnOptions.DEFAULT.withPriority(Priority.HIGH), () -> {
                order.add("high");
                highRan.countDown();
                ran.countDown();
            });
            release.set(true);
            letGo.set(1);
            assertTrue(highRan.await(30, java.util.concurrent.TimeUnit.SECONDS), "the high one did not run in 30 s: " + order);
            letGo.set(1_000);
            assertTrue(ran.await(30, java.util.concurrent.TimeUnit.SECONDS), "not all ran in 30 s: " + order);
            int at = List.copyOf(order).stream().filter(n -> !n.startsWith("early ")).toList().indexOf("high");
            assertEquals(0, at, "the high-priority process ran as number " + at + " of " + (normals + 1) + ": " + order);
        } finally {
            release.set(true);
            letGo.set(1_000);
        }
    }

    @Test
    void stressEveryTaskOfEveryPriorityRuns() {
        Priority[] all = Priority.values();
        for (int round = 0; round < 20; round++) {
            Random random = new Random(round);
            run(() -> {
                Pid me = self();
                int pairs = 100;
                for (int i = 0; i < pairs; i++) {
                    Priority a = all[random.nextInt(all.length)];
                    Priority b = all[random.nextInt(all.length)];
                    Pid echo = spawn(SpawnOptions.DEFAULT.withPriority(b), () -> {
                        for (;;) {
                            Object m = receive();
                            if (!(m instanceof Pid from)) {
                                return;
                            }
                            send(from, "pong");
                        }
                    });
                    spawn(SpawnOptions.DEFAULT.withPriority(a), () -> {
                        for (int n = 0; n < 100; n++) {
                            send(echo, self());
                            receive();
                            if (n == 50) {
                                priority(b); // changing it on the fly loses nothing either
                            }
                        }
                        send(echo, "stop");
                        send(me, "done");
                    });
                }
                for (int i = 0; i < pairs; i++) {
                    receive(m -> "done".equals(m) ? m : null);
                }
            });
        }
    }
}
