package io.loomix.internal.remote;

/**
 * Input that the scheduler's idle carriers look for themselves, as BEAM's schedulers poll the
 * distribution sockets: what a poll finds is handled on the carrier that found it, so a process
 * it makes runnable runs there next with no thread woken. The runtime knows nothing of what is
 * polled; distribution installs one with {@link RuntimeHooks#installIdlePoller}.
 *
 * <p>Contract for the implementation: no method may block except {@link #await}, and what a
 * poll runs (delivering messages, queuing writes) must not block either: it runs on a carrier,
 * between processes. The runtime calls {@link #pollNow} from carriers that spin for work and,
 * at least once per preemption tick, from its ticker thread (so input is not left waiting while
 * every carrier is busy); at most one carrier at a time waits in {@link #await} instead of
 * parking, and the runtime calls {@link #wakeup} to get it back for other work.
 */
public interface IdlePoller {
    /**
     * Handles whatever is ready now (input, and output queued for the next poll), without
     * waiting; reads nothing if another thread is polling or awaiting. Returns whether any input
     * was handled.
     */
    boolean pollNow();

    /**
     * Waits up to {@code nanos} (0: until input comes or {@link #wakeup}) for input, and handles
     * what came. Returns false at once, without waiting, if another thread polls meanwhile (the
     * caller then parks as usual).
     */
    boolean await(long nanos);

    /** Makes the thread in {@link #await} (or the next one to call it) return soon. Any thread. */
    void wakeup();
}
