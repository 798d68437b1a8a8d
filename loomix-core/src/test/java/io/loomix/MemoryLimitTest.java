package io.loomix;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.loomix.Process.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Allocation accounting and SpawnOptions.maxHeapBytes: a process is charged what it allocates
 * while it runs; its memory is what it allocated since it last came out of a receive; going over
 * the limit kills it, untrappably, and nothing else.
 */
class MemoryLimitTest {
    private static final int MB = 1 << 20;
    /** Keeps allocations alive so that the JIT cannot drop them. */
    static volatile Object sink;

    private static LimitExceeded limitOf(ExitReason reason) {
        assertInstanceOf(ExitReason.Term.class, reason, "reason " + reason);
        return assertInstanceOf(LimitExceeded.class, ((ExitReason.Term) reason).value());
    }

    private static void allocate(int megabytes) {
        List<byte[]> kept = new ArrayList<>();
        for (int i = 0; i < megabytes; i++) {
            kept.add(new byte[MB]);
        }
        sink = kept;
    }

    @Test
    void anAccountedProcessIsChargedWhatItAllocatesAndItsMemoryStartsAgainAtEachReceive() {
        run(() -> {
            Pid me = self();
            Pid worker = spawn(SpawnOptions.DEFAULT.withAccounting(true), () -> {
                allocate(10);
                send(me, "allocated");
                receive(m -> "go".equals(m) ? m : null);
                send(me, "received");
                receive(m -> "stop".equals(m) ? m : null);
            });
            receive(m -> "allocated".equals(m) ? m : null);
            // It now waits in its first receive: everything since it started counts as its memory.
            ProcessInfo before = info(worker).orElseThrow();
            assertTrue(before.allocatedBytes() >= 10L * MB, before.toString());
            assertTrue(before.memory() >= 10L * MB, before.toString());

            send(worker, "go");
            receive(m -> "received".equals(m) ? m : null);
            ProcessInfo after = info(worker).orElseThrow();
            assertTrue(after.memory() < MB, "memory is counted from its last receive: " + after);
            assertTrue(after.allocatedBytes() >= before.allocatedBytes(), "the total only grows: " + after);
            send(worker, "stop");
        });
    }

    @Test
    void aProcessReadsItsOwnAllocationsWhileItRuns() {
        run(() -> {
            Monitored m = spawnMonitor(SpawnOptions.DEFAULT.withAccounting(true), () -> {
                long start = info(self()).orElseThrow().allocatedBytes();
                allocate(4);
                long now = info(self()).orElseThrow().allocatedBytes();
                if (now - start < 4L * MB) {
                    exit("counted " + (now - start) + " bytes of 4 MB in the running slice");
                }
            });
            assertEquals(ExitReason.NORMAL, Await.down(m.ref()).reason());
        });
    }

    @Test
    void anUnaccountedProcessReportsMinusOne() {
        run(() -> {
            Pid plain = spawn(() -> receive(m -> "stop".equals(m) ? m : null));
            ProcessInfo info = info(plain).orElseThrow();
            assertEquals(-1, info.memory());
            assertEquals(-1, info.allocatedBytes());
            send(plain, "stop");
        });
    }

    @Test
    void goingOverTheLimitBeforeBlockingKillsTheProcessWithTheLimitAsItsReason() {
        run(() -> {
            Monitored hog = spawnMonitor(SpawnOptions.DEFAULT.withMaxHeapBytes(8L * MB), () -> {
                allocate(16);
                receive(m -> "never sent".equals(m) ? m : null);
            });
            LimitExceeded limit = limitOf(Await.down(hog.ref()).reason());
            assertEquals("max_heap_size", limit.limit());
            assertEquals(8L * MB, limit.max());
            assertTrue(limit.value() > 8L * MB, limit.toString());
        });
    }

    @Test
    void aProcessThatAllocatesWithoutEverBlockingIsKilledMidSlice() {
        run(() -> {
            // No receive, no blocking: only the ticker's look at the running slice can stop it.
            Monitored hog = spawnMonitor(SpawnOptions.DEFAULT.withMaxHeapBytes(32L * MB), () -> {
                for (;;) {
                    sink = new byte[64 * 1024];
                    YieldPoint.poll(); // what the agent inserts at each back edge
                }
            });
            LimitExceeded limit = limitOf(Await.down(hog.ref()).reason());
            assertEquals("max_heap_size", limit.limit());
        });
    }

    @Test
    void theKillCannotBeTrappedAndLinkedProcessesSeeTheReason() {
        run(() -> {
            trapExit(true);
            Pid bystander = spawn(() -> receive(m -> "stop".equals(m) ? m : null));
            Pid offender = spawnLink(SpawnOptions.DEFAULT.withMaxHeapBytes(4L * MB), () -> {
                trapExit(true); // trapping does not save the offender
                allocate(8);
                receive(m -> "never sent".equals(m) ? m : null);
            });
            limitOf(Await.exit(offender).reason());
            assertTrue(alive(bystander), "an unrelated process is unaffected");
            send(bystander, "stop");
            trapExit(false);
        });
    }

    @Test
    void aServerThatAllocatesLittlePerMessageLivesOnThoughItsTotalPassesTheLimit() {
        run(() -> {
            Pid me = self();
            Monitored server = spawnMonitor(SpawnOptions.DEFAULT.withMaxHeapBytes(4L * MB), () -> {
                for (;;) {
                    Object msg = receive();
                    if ("stop".equals(msg)) {
                        return;
                    }
                    allocate(1);
                    send(me, msg);
                }
            });
            for (int i = 0; i < 20; i++) {
                send(server.pid(), i);
                int expected = i;
                receive(m -> m instanceof Integer n && n == expected ? n : null);
            }
            ProcessInfo info = info(server.pid()).orElseThrow();
            assertTrue(info.allocatedBytes() >= 20L * MB, "20 MB in all, 1 MB per message: " + info);
            send(server.pid(), "stop");
            assertEquals(ExitReason.NORMAL, Await.down(server.ref()).reason());
        });
    }

    @Test
    void stressServersWhoseStepsSpanManySlicesOnBothCarriersAreChargedOnlyTheirSteps() {
        // Each step allocates 1 MB in four parts with a yield between them, so its slices hop
        // between carriers and one slice's end races with the next one's start on another carrier.
        run(() -> {
            Pid me = self();
            int servers = 8;
            int steps = 150;
            List<Monitored> all = new ArrayList<>();
            for (int s = 0; s < servers; s++) {
                all.add(spawnMonitor(SpawnOptions.DEFAULT.withMaxHeapBytes(3L * MB), () -> {
                    for (;;) {
                        Object msg = receive();
                        if ("stop".equals(msg)) {
                            return;
                        }
                        for (int part = 0; part < 4; part++) {
                            sink = new byte[MB / 4];
                            Thread.yield();
                        }
                        send(me, msg);
                    }
                }));
            }
            for (int i = 0; i < steps; i++) {
                for (Monitored server : all) {
                    send(server.pid(), i);
                }
                for (int s = 0; s < servers; s++) {
                    Object reply = receive(m -> m instanceof Integer || m instanceof Down ? m : null);
                    if (reply instanceof Down down) {
                        fail("a server within its limit was killed at step " + i + ": " + down.reason());
                    }
                }
            }
            for (Monitored server : all) {
                ProcessInfo info = info(server.pid()).orElseThrow();
                assertTrue(info.allocatedBytes() >= (long) steps * MB, "1 MB per step: " + info);
                assertTrue(info.memory() >= MB && info.memory() < 2L * MB,
                        "waiting in receive, its memory is its last step's megabyte: " + info);
                send(server.pid(), "stop");
                assertEquals(ExitReason.NORMAL, Await.down(server.ref()).reason());
            }
        });
    }

    @Test
    void stressHoardersThatYieldBetweenAllocationsAreAlwaysKilledForTheirHeap() {
        for (int round = 0; round < 20; round++) {
            run(() -> {
                List<Monitored> hogs = new ArrayList<>();
                for (int h = 0; h < 3; h++) {
                    hogs.add(spawnMonitor(SpawnOptions.DEFAULT.withMaxHeapBytes(16L * MB), () -> {
                        List<byte[]> hoard = new ArrayList<>();
                        for (;;) {
                            hoard.add(new byte[64 * 1024]);
                            Thread.yield(); // a new slice, perhaps on the other carrier
                            YieldPoint.poll(); // what the agent inserts at each back edge
                        }
                    }));
                }
                for (Monitored hog : hogs) {
                    assertEquals("max_heap_size", limitOf(Await.down(hog.ref()).reason()).limit());
                }
            });
        }
    }

    @Test
    void badOptionsAreRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> SpawnOptions.DEFAULT.withMaxHeapBytes(-1));
        assertTrue(e.getMessage().contains("maxHeapBytes"), e.getMessage());
        assertTrue(SpawnOptions.DEFAULT.withMaxHeapBytes(1).accounted(), "a limit needs accounting");
        assertFalse(SpawnOptions.DEFAULT.accounted());
    }
}
