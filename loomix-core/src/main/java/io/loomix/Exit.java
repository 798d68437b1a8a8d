package io.loomix;

/**
 * The message a process that traps exits receives instead of dying: Erlang's
 * {@code {'EXIT', From, Reason}}. See {@link Process#trapExit(boolean)}.
 *
 * @param from   the process whose exit (or {@code exit(pid, reason)} call) sent the signal
 * @param reason why
 */
public record Exit(Pid from, ExitReason reason) {}
