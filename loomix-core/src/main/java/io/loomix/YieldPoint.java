package io.loomix;

import io.loomix.internal.Preempt;

/**
 * The yield point that the Loomix agent ({@code loomix-agent}) inserts at every method entry and
 * loop back edge of application classes, so that a CPU-bound process cannot keep its scheduler
 * from running the others (Erlang's preemption).
 *
 * <p>On the fast path it costs one load of a static flag and a branch. The flag is raised only
 * while some scheduler thread has run the same process for a whole time slice; then the process
 * on that scheduler yields (to the back of its run queue) and a pending exit signal takes effect.
 * Anywhere else (a platform thread, a virtual thread outside Loomix, a process whose slice is not
 * over) the call returns at once.
 *
 * <p>Code that runs without the agent can call it by hand inside long loops.
 */
public final class YieldPoint {
    private YieldPoint() {}

    /** Yields the calling process if it has used up its time slice; otherwise returns at once. */
    public static void poll() {
        Preempt.poll();
    }
}
