package io.loomix.internal;

import io.loomix.ExitReason;
import io.loomix.Pid;

import java.util.Queue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * How the runtime's own threads (carriers, the timer thread, the preemption ticker) live through
 * an {@link OutOfMemoryError}, whether a process or they themselves ran out: they catch it, try to
 * log it, and go on, so the node works again as soon as memory is freed. Erlang stops the node
 * when it runs out of memory; a JVM can often go on, because the process whose allocation failed
 * dies and its memory with it. Where going on would leave the node half-alive (a task that cannot
 * be queued, a process that cannot finish its exit), the node halts with a message that says so.
 *
 * <p>Nothing here allocates before the error is dealt with: the handlers only count and park;
 * logging comes after, and may itself fail, which is then ignored.
 */
final class RuntimeFaults {
    private static final System.Logger LOG = System.getLogger("io.loomix.runtime");
    private static final System.Logger CRASH_LOG = System.getLogger("io.loomix.process");
    /** How long a queue insert is retried while memory is short before the node halts. */
    private static final long QUEUE_RETRY_NANOS = 10_000_000_000L;
    private static final long BACKOFF_NANOS = 1_000_000;
    private static final long LOG_INTERVAL_NANOS = 1_000_000_000L;
    /** The exit status of a node halted for want of memory (EX_SOFTWARE). */
    static final int HALT_STATUS = 70;
    /**
     * The reason of a process whose own crash reason could not be built: made at start-up, so
     * that it exists when nothing more can be allocated.
     */
    static final ExitReason OUT_OF_MEMORY = new ExitReason.Crash(
            new OutOfMemoryError("the process ran out of memory (no detail: the JVM had none left to record it)"));
    private static final AtomicLong survived = new AtomicLong();
    /** When the last error was logged: a thread that fails in a loop logs once a second. */
    private static volatile long lastLogged = System.nanoTime() - LOG_INTERVAL_NANOS;

    private RuntimeFaults() {}

    /** How many errors the runtime's threads have caught and lived through. */
    static long survived() {
        return survived.get();
    }

    /**
     * A runtime thread ({@code who}) caught {@code t} in its loop and goes on. After an
     * OutOfMemoryError it waits a moment, so that a loop that fails again does not spin.
     */
    static void survive(String who, Throwable t) {
        survived.incrementAndGet();
        if (t instanceof OutOfMemoryError) {
            LockSupport.parkNanos(BACKOFF_NANOS);
        }
        long now = System.nanoTime();
        if (now - lastLogged < LOG_INTERVAL_NANOS) {
            return;
        }
        lastLogged = now;
        try {
            LOG.log(System.Logger.Level.ERROR, who + " survived an error and goes on ("
                    + survived.get() + " so far in the runtime's threads)", t);
        } catch (Throwable ignored) {
            // Still no memory to log with: the count above is the trace.
        }
    }

    /**
     * Queues a runnable task, retrying while the queue cannot allocate its node: a task dropped
     * here is a process that never runs again. Halts the node if memory stays short too long.
     */
    static void offer(Queue<Runnable> queue, Runnable task) {
        long start = 0;
        for (;;) {
            try {
                queue.offer(task);
                return;
            } catch (OutOfMemoryError e) {
                survived.incrementAndGet();
                long now = System.nanoTime();
                if (start == 0) {
                    start = now;
                } else if (now - start > QUEUE_RETRY_NANOS) {
                    halt("a runnable process could not be queued for 10 s for want of memory", null);
                }
                LockSupport.parkNanos(BACKOFF_NANOS);
            }
        }
    }

    /** The exit reason of a process that threw {@code t}, logged as a crash; never throws. */
    static ExitReason crash(Pid pid, Throwable t) {
        ExitReason reason;
        try {
            reason = new ExitReason.Crash(t);
        } catch (OutOfMemoryError e) {
            return OUT_OF_MEMORY;
        }
        try {
            CRASH_LOG.log(System.Logger.Level.ERROR, () -> "Error in process " + pid + " with exit value: " + t, t);
        } catch (Throwable ignored) {
            // The crash still reaches links and monitors through the reason.
        }
        return reason;
    }

    /**
     * Stops the JVM at once: the node cannot go on whole (Erlang's answer to running out of
     * memory). The message goes to standard error without a logger, which might need memory; if
     * even it cannot be built, {@code why} alone is printed.
     */
    static void halt(String why, Object subject) {
        try {
            System.err.println("loomix: halting the node: " + why + (subject == null ? "" : " (" + subject + ")")
                    + ". Give the JVM more heap (-Xmx) or bound the processes that grow (SpawnOptions.maxHeapBytes).");
        } catch (Throwable e) {
            try {
                System.err.println(why);
            } catch (Throwable ignored) {
                // Nothing more can be said.
            }
        }
        Runtime.getRuntime().halt(HALT_STATUS);
    }
}
