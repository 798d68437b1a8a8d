package io.loomix.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A process's limits and, when it is accounted, the bytes it allocates. Only processes spawned
 * with a limit or with accounting have one, so the others pay nothing for it.
 *
 * <p><b>What is counted.</b> The JVM counts allocated bytes per OS thread, not per virtual
 * thread. The carrier reads its own counter before and after each run slice of an accounted
 * process (see {@link Carrier#run()}), and charges the difference to the process. So the process
 * is charged for everything allocated while it runs: its own objects, those the JDK code it calls
 * allocates, its messages' copies as it builds them. Not counted: what other threads allocate
 * for it (a message sent to it is charged to its sender), and objects made before it started.
 *
 * <p><b>Memory.</b> The JVM cannot say how much of the heap a thread keeps alive, so Loomix's
 * "memory of a process" is the bytes it has allocated since it last came out of a receive (with a
 * message or by its timeout): what one step of its work costs. A process that builds a huge value
 * without ever receiving, Erlang's runaway case, grows it without bound; a server that handles
 * each message in a few kilobytes stays at a few kilobytes. State that it keeps and grows slowly
 * over many messages is not seen by this measure (and garbage it makes within one step is).
 *
 * <p>Threads: slices may overlap. A process that parks or yields on one carrier can be woken and
 * run on another before the first has finished its bookkeeping, so a carrier beginning a slice
 * first waits (briefly: a few hundred nanoseconds of the other carrier's work) until the previous
 * slice has been charged. Writes then never overlap: the carriers' around their slices and the
 * process's own as it leaves a receive follow one another, and readers on other threads (info,
 * the ticker) read under a sequence lock.
 */
final class Budget {
    private static final VarHandle SEQ;

    static {
        try {
            SEQ = MethodHandles.lookup().findVarHandle(Budget.class, "seq", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The most messages the mailbox may hold (0: no limit). */
    final long maxQueueLen;
    /** The most bytes the process may allocate between two receives (0: no limit). */
    final long maxHeapBytes;
    /** Whether allocations are counted. */
    final boolean accounted;

    /** Odd while the writer updates the fields; readers on other threads retry when it moved. */
    @SuppressWarnings("unused") // accessed through SEQ
    private int seq;
    // Under the sequence lock:
    /** Bytes allocated in finished slices. */
    private long allocated;
    /** Slices begun so far; the number of the latest. */
    private int slices;
    /** The number of the slice that runs the process now; 0 between slices. */
    private int running;
    /** The carrier of slice {@code running}, and its counter when the slice began. */
    private Carrier carrier;
    private long sliceStart;
    /** The slice in which the process last left a receive (0: it has not yet), and the counter then. */
    private int markSlice;
    private long markCounter;
    /** Bytes of the finished slices since the mark. */
    private long sinceMark;
    /** The process's own, unguarded: the running slice when it last parked in receive, or -1. */
    private int parkSlice = -1;
    /** Set once the process has been killed for its heap, so it is killed (and reported) once. */
    volatile boolean overLimit;

    Budget(long maxQueueLen, long maxHeapBytes, boolean accounted) {
        this.maxQueueLen = maxQueueLen;
        this.maxHeapBytes = maxHeapBytes;
        this.accounted = accounted || maxHeapBytes > 0;
    }

    /** Whether accounting can work here: the JVM counts allocated bytes per thread. */
    static boolean supported() {
        return JdkHooks.countsAllocations();
    }

    /** Starts an update; there is one writer at a time (see the class comment). */
    private int lock() {
        int s = (int) SEQ.getOpaque(this);
        SEQ.setOpaque(this, s + 1);
        VarHandle.storeStoreFence();
        return s;
    }

    private void unlock(int s) {
        SEQ.setRelease(this, s + 2);
    }

    /**
     * Waits until no slice runs: the previous one's carrier may still be finishing it. The
     * sequence is read again after {@code running}: that carrier sets {@code running} to 0 inside
     * its update, and a first read of the sequence taken before the update began would let this
     * carrier start its own update over it (the sequence then stays odd for good).
     */
    private void awaitPreviousSlice() {
        for (int spins = 0; ; spins++) {
            int s = (int) SEQ.getAcquire(this);
            if ((s & 1) == 0 && running == 0) {
                VarHandle.loadLoadFence();
                if ((int) SEQ.getOpaque(this) == s) {
                    return;
                }
            }
            if (spins < 1_000) {
                Thread.onSpinWait();
            } else {
                Thread.yield(); // that carrier's OS thread lost its core
            }
        }
    }

    /**
     * Carrier, before running a slice of the process: {@code counter} is its own counter. Returns
     * the slice's number, which the carrier hands back to {@link #endSlice}.
     */
    int beginSlice(Carrier on, long counter) {
        awaitPreviousSlice();
        int s = lock();
        int n = ++slices;
        running = n;
        carrier = on;
        sliceStart = counter;
        unlock(s);
        return n;
    }

    /**
     * Carrier, after slice {@code n}, which it began at {@code start} and ended at {@code end} on
     * its own counter: charges it. Returns the process's memory (bytes since its last receive).
     */
    long endSlice(int n, long start, long end) {
        long bytes = Math.max(0, end - start);
        int s = lock();
        allocated += bytes;
        if (n > markSlice) {
            sinceMark += bytes;
        } else if (n == markSlice) {
            sinceMark += Math.max(0, end - markCounter);
        }
        if (running == n) {
            running = 0;
            carrier = null;
        }
        long memory = sinceMark;
        unlock(s);
        return memory;
    }

    /**
     * The process itself, about to park in receive: if a new slice has begun when it leaves the
     * receive, the slice's start is where its memory measure starts again (see {@link #markReceive}).
     */
    void parking() {
        parkSlice = running;
    }

    /**
     * The process itself, leaving a receive: the memory measure starts again from here. Returns
     * the memory it had reached. When the process was woken into a new slice, the slice's start
     * is taken as the mark, which saves reading the counter: only the few bytes of waking and
     * matching the message, then, count towards the next step.
     */
    long markReceive() {
        int n = running; // the process runs in this slice; only it can end it
        boolean woken = parkSlice != -1 && parkSlice != n;
        parkSlice = -1;
        long now = woken || n == 0 ? -1 : ownCounter(carrier);
        int s = lock();
        long memory = sinceMark;
        if (n == 0) {
            // Not run by an accounting carrier (a pinned or foreign run): nothing to read now.
            markSlice = slices;
            markCounter = Long.MAX_VALUE;
        } else {
            if (now < 0) {
                now = sliceStart;
            }
            memory += Math.max(0, now - (markSlice == n ? markCounter : sliceStart));
            markSlice = n;
            markCounter = now;
        }
        sinceMark = 0;
        unlock(s);
        return memory;
    }

    /** Bytes allocated so far, the running slice included as far as it can be read. */
    long allocated() {
        return read(false);
    }

    /** Bytes allocated since the process last left a receive. */
    long memory() {
        return read(true);
    }

    /** A moment's picture, from any thread: the running slice is read on its carrier's counter. */
    private long read(boolean sinceReceive) {
        for (;;) {
            int s1 = (int) SEQ.getAcquire(this);
            if ((s1 & 1) != 0) {
                Thread.onSpinWait();
                continue;
            }
            long done = sinceReceive ? sinceMark : allocated;
            int n = running;
            Carrier on = carrier;
            long from = sinceReceive && markSlice == n ? markCounter : sliceStart;
            // Read while the slice runs: an unchanged sequence afterwards proves it still did.
            long now = n == 0 || on == null ? -1 : counterOf(on);
            VarHandle.loadLoadFence();
            if ((int) SEQ.getOpaque(this) == s1) {
                return now < 0 ? done : done + Math.max(0, now - from);
            }
        }
    }

    /** The running OS thread's allocated bytes (about 11 ns), read by a process on its carrier. */
    private static long ownCounter(Carrier on) {
        return JdkHooks.ownAllocatedBytes(on);
    }

    /** Another thread's allocated bytes (about 26 ns, against 11 for the running thread's own). */
    static long counterOf(Thread t) {
        return JdkHooks.allocatedBytes(t);
    }

    /** The calling platform thread's allocated bytes (a carrier's, around slices). */
    static long currentCounter() {
        return JdkHooks.currentAllocatedBytes();
    }
}
