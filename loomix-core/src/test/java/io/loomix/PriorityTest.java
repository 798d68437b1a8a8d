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
    void aHighPriorityProcessRunsAheadOfNormalOnes() {
        int carriers = Integer.getInteger("loomix.schedulers", Runtime.getRuntime().availableProcessors());
        int n = 2 * carriers;
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLongArray normal = new AtomicLongArray(n);
        try {
            spinners(n, stop, normal);
            int chunks = 200;
            long during = run(() -> {
                Pid me = self();
                Monitored high = spawnMonitor(SpawnOptions.DEFAULT.withPriority(Priority.HIGH), () -> {
                    // Counted from its first chunk to its last, so the time it waited for the
                    // ticker to end a spinner's slice (long on a loaded machine) does not count.
                    long before = total(normal);
                    for (int i = 0; i < chunks; i++) {
                        chunk();
                    }
                    send(me, (Long) (total(normal) - before));
                });
                assertEquals(ExitReason.NORMAL, Await.down(high.ref()).reason());
                return receive(m -> m instanceof Long d ? d : null);
            });
            // At normal priority the n + 1 would share the carriers alike: the n spinners would do
            // n x 200 chunks meanwhile. Ahead of them, the high one has a carrier to itself and
            // the n share the others: (carriers - 1) x 200 in all.
            long fair = (long) chunks * n;
            assertTrue(during < fair * 3 / 4, "the normal spinners did " + during + " chunks while the"
                    + " high-priority process did " + chunks + " (fair sharing: " + fair + ", ahead of them: "
                    + (long) chunks * (carriers - 1) + ")");
        } finally {
            stop.set(true);
        }
    }

    private static long total(AtomicLongArray counts) {
        long sum = 0;
        for (int i = 0; i < counts.length(); i++) {
            sum += counts.get(i);
        }
        return sum;
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
