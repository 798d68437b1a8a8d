package io.loomix;

/**
 * A process exit on its way out of the process, Erlang's {@code exit} exception: thrown by
 * {@link Process#exit(Object)}, by calls that exit their caller (a failed
 * {@code GenServer.call}, {@code Task.await}), and by the runtime when an exit signal ends the
 * process. Catch it to handle a failed call, the {@code catch exit:Reason} of Java:
 *
 * {@snippet :
 * try {
 *     GenServer.call(server, new Get(), Duration.ofMillis(100));
 * } catch (Exited e) {
 *     log("no answer: " + e.reason());   // {timeout,{GenServer,call,[...]}}
 * }
 * }
 *
 * <p>It is an {@link Error} so that {@code catch (Exception e)} does not swallow an exit. Catching
 * one that an exit signal raised (a kill, say) does not save the process: the exit stays pending
 * and ends it at its next receive. Only the runtime throws it (to exit, call
 * {@link Process#exit(Object)}); a subclass of its own would not end a process with its reason.
 */
public abstract class Exited extends Error {
    protected Exited(String message) {
        super(message, null, false, false);
    }

    /** Why the process is exiting: the reason given to {@code exit}, or the exit signal's. */
    public abstract ExitReason reason();
}
