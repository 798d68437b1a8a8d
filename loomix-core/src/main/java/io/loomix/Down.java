package io.loomix;

/**
 * The message a monitoring process receives when the monitored process exits: Erlang's
 * {@code {'DOWN', Ref, process, Object, Reason}}. See {@link Process#monitor(Pid)}.
 *
 * @param ref    the reference {@code monitor} returned
 * @param object the monitored {@link Pid}, or the {@link Name} when the monitor was set up by name
 * @param reason why it exited; {@link ExitReason#NOPROC} when it was already gone
 */
public record Down(Ref ref, Object object, ExitReason reason) {}
