package io.loomix.internal;

import io.loomix.Pid;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;

import static org.junit.jupiter.api.Assertions.*;

class ProcTableTest {
    private static Proc proc(ProcTable table, long slot) {
        Pid pid = new Pid(Nodes.localNode(), (int) (slot >>> 32), (int) slot, 0);
        return new Proc(Kernel.get(), pid, "test");
    }

    @Test
    void aReusedSlotGetsANewSerialSoTheOldPidFindsNothing() {
        ProcTable table = new ProcTable();
        Proc first = proc(table, table.reserve());
        table.publish(first);
        assertSame(first, table.get(first.pid.id(), first.pid.serial()));
        table.remove(first);
        assertNull(table.get(first.pid.id(), first.pid.serial()));
        Proc second = proc(table, table.reserve());
        table.publish(second);
        assertEquals(first.pid.id(), second.pid.id(), "the freed slot is reused");
        assertNotEquals(first.pid.serial(), second.pid.serial());
        assertNull(table.get(first.pid.id(), first.pid.serial()));
        assertEquals(1, table.size());
    }

    @Test
    void unknownNumbersAreNotFound() {
        ProcTable table = new ProcTable();
        assertNull(table.get(-1, 0));
        assertNull(table.get(123_456_789, 0));
        assertTrue(table.all().isEmpty());
    }

    @RepeatedTest(5)
    void concurrentReserveAndRemoveNeverHandOutALiveSlotTwice() throws Exception {
        ProcTable table = new ProcTable();
        int threads = 8;
        int rounds = 20_000;
        Set<Long> live = ConcurrentHashMap.newKeySet();
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Thread> ts = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < threads; t++) {
            ts.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                    List<Proc> mine = new ArrayList<>();
                    for (int i = 0; i < rounds; i++) {
                        long slot = table.reserve();
                        Proc p = proc(table, slot);
                        if (!live.add(slot >>> 32)) {
                            throw new AssertionError("slot " + (slot >>> 32) + " handed out while in use");
                        }
                        table.publish(p);
                        mine.add(p);
                        if (mine.size() > 16) {
                            Proc gone = mine.remove(0);
                            live.remove((long) gone.pid.id());
                            table.remove(gone);
                        }
                    }
                    for (Proc p : mine) {
                        live.remove((long) p.pid.id());
                        table.remove(p);
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread t : ts) {
            t.join();
        }
        assertEquals(List.of(), failures);
        assertEquals(0, table.size());
        Set<Integer> ids = new HashSet<>();
        for (int i = 0; i < threads * 17; i++) {
            ids.add((int) (table.reserve() >>> 32));
        }
        assertEquals(threads * 17, ids.size(), "free slots are distinct");
    }
}
