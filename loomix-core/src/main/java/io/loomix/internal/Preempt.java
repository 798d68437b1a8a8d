package io.loomix.internal;

import java.util.concurrent.locks.LockSupport;

/**
 * Time slices for processes that do not block: a ticker thread notices a carrier that has run the
 * same task for a whole slice and asks it to yield; the yield points the agent inserts into
 * application code ({@link io.loomix.YieldPoint#poll()}) see the request and yield.
 *
 * <p>The request is per carrier and names the carrier's task count at the time, so a request that
 * arrives as the task ends is stale for the next one and ignored: a fresh task always gets a whole
 * slice. One global flag, raised while any request is live, keeps the yield point's fast path to a
 * single load and branch on every thread.
 */
public final class Preempt {
    /**
     * The ticker's period. A slice lasts one to two periods before the request: about 1.1 ms on
     * average at 500 us (measured), near BEAM's slice of 4000 reductions. Shorter periods cut the
     * wait of a process queued behind many CPU-bound ones, at the price of more switches.
     */
    static final long SLICE_NANOS = Long.getLong("loomix.sliceMicros", 500) * 1000;
    /** While every carrier is idle, the ticker sleeps this long between looks. */
    private static final long IDLE_TICK_NANOS = 10_000_000;
    /**
     * What a preempted slice adds to the process's reductions: Erlang's budget per slice, which a
     * preempted Erlang process has by definition used up.
     */
    static final int REDUCTIONS_PER_SLICE = 4000;

    /** How many ticks in a row a carrier must be seen blocked on one task before a spare stands in. */
    private static final int BLOCKED_TICKS = 4;

    /** Raised while some carrier has a live request; read on every yield point. */
    private static volatile boolean requested;

    private Preempt() {}

    /** The yield point's body: inlined into application loops by the JIT. */
    public static void poll() {
        if (requested) {
            slowPath();
        }
    }

    /** Sends every yield point to the slow path, where a live request is taken. */
    static void raise() {
        requested = true;
    }

    private static void slowPath() {
        Carrier carrier = Scheduler.currentCarrierOrNull();
        if (carrier == null || Thread.currentThread() == carrier) {
            return;
        }
        if (!carrier.takePreemptRequest()) {
            // A request goes stale when its task blocks before reaching a yield point. Left up, the
            // flag would send every yield point here until the next tick; the ticker raises it
            // again at its next tick if a request is still live.
            if (!carrier.scheduler.anyPreemptRequest()) {
                requested = false;
            }
            return;
        }
        if (!carrier.scheduler.anyPreemptRequest()) {
            requested = false;
        }
        Proc proc = Kernel.get().current();
        if (proc != null) {
            proc.reductions += REDUCTIONS_PER_SLICE;
            proc.checkExit();
        }
        carrier.preempted = true;
        Thread.yield();
        // If the yield did not unmount (a pinned thread), the flag must not misroute a later task.
        if (Scheduler.currentCarrierOrNull() instanceof Carrier now) {
            now.preempted = false;
        }
    }

    /**
     * Whether the accounted process running on {@code c} has gone over its heap limit during its
     * slice; it is then killed, and the preemption request makes it die at its next yield point.
     */
    private static boolean overHeap(Carrier c) {
        Proc p = c.accountee();
        if (p == null || p.budget.maxHeapBytes == 0) {
            return false;
        }
        long memory = p.budget.memory();
        if (memory <= p.budget.maxHeapBytes) {
            return false;
        }
        p.heapExceeded(memory);
        return true;
    }

    /** Starts the ticker for {@code scheduler}'s carriers. */
    static void startTicker(Scheduler scheduler) {
        Thread ticker = new Thread(() -> tick(scheduler), "loomix-preempt");
        ticker.setDaemon(true);
        ticker.start();
    }

    private static void tick(Scheduler scheduler) {
        Carrier[] carriers = scheduler.carriers;
        Round round = new Round();
        while (true) { // a daemon thread, like the carriers it watches
            try {
                tickOnce(scheduler, carriers, round);
            } catch (Throwable t) {
                // Without the ticker no process would be preempted again: it goes on.
                RuntimeFaults.survive("loomix-preempt", t);
            }
        }
    }

    private static void tickOnce(Scheduler scheduler, Carrier[] carriers, Round round) {
        Carrier[] spares = scheduler.spares();
        round.reset();
        for (Carrier c : carriers) {
            round.look(c);
        }
        for (Carrier c : spares) {
            round.look(c);
        }
        // One spare per blocked carrier at most (as the JDK's pool compensates one thread per
        // blocked worker): a carrier blocked beside busy ones must not start a spare every tick.
        if (round.blocked > spares.length && !round.anyIdle) {
            scheduler.addSpare();
        }
        if (round.live) {
            requested = true;
        } else if (requested && !scheduler.anyPreemptRequest()) {
            requested = false;
        }
        scheduler.pollFromTicker();
        LockSupport.parkNanos(round.busy ? SLICE_NANOS : IDLE_TICK_NANOS);
    }

    /** What one tick saw of the carriers. */
    private static final class Round {
        boolean busy;
        boolean live;
        boolean anyIdle;
        /** How many carriers (spares included) have been blocked on one task for BLOCKED_TICKS ticks. */
        int blocked;

        void reset() {
            busy = false;
            live = false;
            anyIdle = false;
            blocked = 0;
        }

        void look(Carrier c) {
            long run = c.slices();
            if (c.idle) {
                anyIdle = true;
                c.blockedTicks = 0;
                // Caught between tasks twice, an idle carrier may hold a request no task will
                // take; left live, it would keep every yield point on the slow path.
                c.requestPreempt(-1);
                long polls = c.pollsBegun;
                if (c.polling && polls == c.tickerSeenPoll && c.hasQueued()) {
                    // In the same poll for a whole tick with processes queued on it: what the poll
                    // runs blocks (a monitor whose next owner is one of them, say), and the other
                    // carriers, asleep, would never take them. They go where every carrier looks.
                    c.scheduler.rescueFrom(c);
                }
                c.tickerSeenPoll = polls;
            } else {
                busy = true;
                boolean stuck = run == c.tickerSeen;
                if (stuck && c.hasPreemptRequest()) {
                    // Asked at the last tick and still in that slice: its thread does not run.
                    c.scheduler.rescueFrom(c);
                }
                if (stuck || overHeap(c)) {
                    c.requestPreempt(run);
                    live = true;
                }
                // Blocked at BLOCKED_TICKS ticks in a row: not a carrier that waits a moment for a
                // lock or a page, which would cost a spare thread for nothing.
                c.blockedTicks = stuck && c.blockedWithTask() ? c.blockedTicks + 1 : 0;
                if (c.blockedTicks >= BLOCKED_TICKS) {
                    blocked++;
                }
            }
            c.tickerSeen = run;
        }
    }
}
