package io.loomix.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The node's processes by number, as BEAM's process table: a pid's {@code id} is a slot, its
 * {@code serial} the slot's generation, so a freed slot is reused by a pid that compares unequal.
 * Lookup is two array reads. About 12 bytes per slot.
 *
 * <p>Free slots: each carrier keeps the slots of the processes that exited on it in a stack of its
 * own ({@link FreeSlots}, no atomics: only its carrier touches it, and nothing in between can
 * unmount the process doing so), reuses them first, and donates them 256 at a time to a shared
 * stack, from which a carrier that runs out takes them all at once. Taking all at once makes the
 * shared stack free of ABA; a single shared stack, pushed by the carrier where children exit and
 * popped by the one where they are spawned, cost a fifth of a spawn in cache-line transfers.
 * Threads other than carriers use a locked stack of their own.
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
    /** The donated slots: the top slot + 1 (0 = empty), linked through {@code nextFree}. */
    private final AtomicInteger shared = new AtomicInteger();
    /** Free slots for threads that are not carriers, linked the same way. Guarded by this. */
    private int spare;
    private final AtomicInteger live = new AtomicInteger();

    /** Whether carriers keep free slots of this table (the node's table: carriers serve one kernel). */
    private final boolean carrierStacks;

    ProcTable() {
        this(false);
    }

    ProcTable(boolean carrierStacks) {
        this.carrierStacks = carrierStacks;
    }

    /** How many slots a carrier keeps before it donates them. */
    static final int DONATE_AT = 256;

    /** One carrier's free slots; only that carrier's thread (or a process mounted on it) uses it. */
    static final class FreeSlots {
        /** Slots freed on this carrier: top + 1, the bottom one, how many. */
        private int freed;
        private int freedBottom;
        private int freedCount;
        /** A chain taken from the shared stack: top + 1. */
        private int taken;
    }

    /** Reserves a slot; returns {@code id << 32 | serial}. */
    long reserve() {
        Carrier carrier = carrierStacks ? Scheduler.currentCarrierOrNull() : null;
        int id = carrier != null && !carrier.spare ? pop(carrier.freeSlots) : popSpare();
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
        Carrier carrier = carrierStacks ? Scheduler.currentCarrierOrNull() : null;
        // Not on a spare carrier's stack: a spare retires, and the slots would go with it.
        if (carrier != null && !carrier.spare) {
            push(carrier.freeSlots, id);
        } else {
            pushSpare(id);
        }
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

    private int next(int id) {
        return nextFree[id >>> PAGE_BITS][id & (PAGE_SIZE - 1)];
    }

    private void link(int id, int below) {
        nextFree[id >>> PAGE_BITS][id & (PAGE_SIZE - 1)] = below;
    }

    private int pop(FreeSlots f) {
        if (f.freed != 0) {
            int id = f.freed - 1;
            f.freed = next(id);
            f.freedCount--;
            return id;
        }
        if (f.taken == 0) {
            f.taken = shared.getAndSet(0);
            if (f.taken == 0) {
                return -1;
            }
        }
        int id = f.taken - 1;
        f.taken = next(id);
        return id;
    }

    private void push(FreeSlots f, int id) {
        link(id, f.freed);
        if (f.freed == 0) {
            f.freedBottom = id;
        }
        f.freed = id + 1;
        if (++f.freedCount >= DONATE_AT) {
            for (;;) {
                int top = shared.get();
                link(f.freedBottom, top);
                if (shared.compareAndSet(top, f.freed)) {
                    break;
                }
            }
            f.freed = 0;
            f.freedCount = 0;
        }
    }

    private synchronized int popSpare() {
        if (spare == 0) {
            spare = shared.getAndSet(0);
            if (spare == 0) {
                return -1;
            }
        }
        int id = spare - 1;
        spare = next(id);
        return id;
    }

    private synchronized void pushSpare(int id) {
        link(id, spare);
        spare = id + 1;
    }
}
