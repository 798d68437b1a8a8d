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
    /** Slice length: the ticker's period. A task runs between one and two slices before it is asked. */
    static final long SLICE_NANOS = Long.getLong("loomix.sliceMicros", 1000) * 1000;
    /** While every carrier is idle, the ticker sleeps this long between looks. */
    private static final long IDLE_TICK_NANOS = 10_000_000;
    /**
     * What a preempted slice adds to the process's reductions: Erlang's budget per slice, which a
     * preempted Erlang process has by definition used up.
     */
    static final int REDUCTIONS_PER_SLICE = 4000;

    /** Raised while some carrier has a live request; read on every yield point. */
    private static volatile boolean requested;

    private Preempt() {}

    /** The yield point's body: inlined into application loops by the JIT. */
    public static void poll() {
        if (requested) {
            slowPath();
        }
    }

    private static void slowPath() {
        Carrier carrier = Scheduler.currentCarrierOrNull();
        if (carrier == null || Thread.currentThread() == carrier || !carrier.takePreemptRequest()) {
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
        Thread.yield();
    }

    /** Starts the ticker for {@code scheduler}'s carriers. */
    static void startTicker(Scheduler scheduler) {
        Thread ticker = new Thread(() -> tick(scheduler), "loomix-preempt");
        ticker.setDaemon(true);
        ticker.start();
    }

    private static void tick(Scheduler scheduler) {
        Carrier[] carriers = scheduler.carriers;
        long[] seen = new long[carriers.length];
        while (!scheduler.isShutdown()) {
            boolean busy = false;
            boolean live = false;
            for (int i = 0; i < carriers.length; i++) {
                Carrier c = carriers[i];
                long run = c.tasksRun();
                if (!c.idle) {
                    busy = true;
                    if (run == seen[i]) {
                        c.requestPreempt(run);
                        live = true;
                    }
                }
                seen[i] = run;
            }
            if (live) {
                requested = true;
            } else if (requested && !scheduler.anyPreemptRequest()) {
                requested = false;
            }
            LockSupport.parkNanos(busy ? SLICE_NANOS : IDLE_TICK_NANOS);
        }
    }
}
