package io.loomix.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The node's processes by number, as BEAM's process table: a pid's {@code id} is a slot, its
 * {@code serial} the slot's generation, so a freed slot is reused by a pid that compares unequal.
 * Lookup is two array reads. Free slots form a lock-free stack (index plus an ABA tag in one long).
 * About 12 bytes per slot.
 */
final class ProcTable {
    private static final int PAGE_BITS = 14;
    private static final int PAGE_SIZE = 1 << PAGE_BITS;
    private static final int MAX_PAGES = 1 << 13;
    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Proc[].class);

    private final Proc[][] pages = new Proc[MAX_PAGES][];
    private final int[][] serials = new int[MAX_PAGES][];
    private final int[][] nextFree = new int[MAX_PAGES][];
    private final AtomicInteger fresh = new AtomicInteger();
    /** Low 32 bits: free slot + 1 (0 = empty); high 32 bits: a tag against ABA. */
    private final AtomicLong freeTop = new AtomicLong();
    private final AtomicInteger live = new AtomicInteger();

    /** Reserves a slot; returns {@code id << 32 | serial}. */
    long reserve() {
        int id = popFree();
        if (id < 0) {
            id = fresh.getAndIncrement();
            if (id >= MAX_PAGES * PAGE_SIZE) {
                fresh.decrementAndGet();
                throw new IllegalStateException("system_limit: the node has " + (MAX_PAGES * PAGE_SIZE)
                        + " process slots in use; processes must exit before more can be spawned");
            }
            ensurePage(id >>> PAGE_BITS);
        }
        int serial = serials[id >>> PAGE_BITS][id & (PAGE_SIZE - 1)];
        return (long) id << 32 | serial;
    }

    void publish(Proc proc) {
        int id = proc.pid.id();
        SLOTS.setRelease(pages[id >>> PAGE_BITS], id & (PAGE_SIZE - 1), proc);
        live.incrementAndGet();
    }

    /** The live process with this number and serial, or null. */
    Proc get(int id, int serial) {
        int page = id >>> PAGE_BITS;
        if (id < 0 || page >= MAX_PAGES) {
            return null;
        }
        Proc[] slots = pages[page];
        if (slots == null) {
            return null;
        }
        Proc p = (Proc) SLOTS.getAcquire(slots, id & (PAGE_SIZE - 1));
        return p != null && p.pid.serial() == serial ? p : null;
    }

    void remove(Proc proc) {
        int id = proc.pid.id();
        int page = id >>> PAGE_BITS;
        int slot = id & (PAGE_SIZE - 1);
        SLOTS.setRelease(pages[page], slot, null);
        serials[page][slot]++;
        live.decrementAndGet();
        pushFree(id);
    }

    int size() {
        return live.get();
    }

    /** The live processes, in slot order (a moment's picture, not an atomic one). */
    List<Proc> all() {
        List<Proc> out = new ArrayList<>(size());
        int limit = fresh.get();
        for (int id = 0; id < limit; id++) {
            Proc[] slots = pages[id >>> PAGE_BITS];
            Proc p = slots == null ? null : (Proc) SLOTS.getAcquire(slots, id & (PAGE_SIZE - 1));
            if (p != null) {
                out.add(p);
            }
        }
        return out;
    }

    private synchronized void ensurePage(int page) {
        if (pages[page] == null) {
            serials[page] = new int[PAGE_SIZE];
            nextFree[page] = new int[PAGE_SIZE];
            pages[page] = new Proc[PAGE_SIZE];
        }
    }

    private void pushFree(int id) {
        for (;;) {
            long top = freeTop.get();
            nextFree[id >>> PAGE_BITS][id & (PAGE_SIZE - 1)] = (int) top;
            long next = ((top >>> 32) + 1) << 32 | (id + 1L);
            if (freeTop.compareAndSet(top, next)) {
                return;
            }
        }
    }

    private int popFree() {
        for (;;) {
            long top = freeTop.get();
            int head = (int) top;
            if (head == 0) {
                return -1;
            }
            int id = head - 1;
            int below = nextFree[id >>> PAGE_BITS][id & (PAGE_SIZE - 1)];
            long next = ((top >>> 32) + 1) << 32 | (below & 0xFFFFFFFFL);
            if (freeTop.compareAndSet(top, next)) {
                return id;
            }
        }
    }
}
