package io.loomix.internal.remote;

import io.loomix.ExitReason;
import io.loomix.Name;
import io.loomix.Pid;
import io.loomix.Ref;

/**
 * The outbound side of the seam between the runtime and distribution: every signal for a process
 * on another node. Distribution implements it and installs it with {@link RuntimeHooks#installRemote}.
 * Calls come from any thread, usually the sending process's; a signal for a node that cannot be
 * reached is dropped by the implementation, which then reports the node down
 * ({@link RuntimeHooks#nodeDown}).
 */
public interface RemoteNode {
    void send(Pid to, Object message);

    void send(Name to, Object message);

    /** A message to an alias of a remote process; {@code from} is null outside a process. */
    void aliasSend(Pid from, Ref alias, Object message);

    /** link/1 to a remote pid. */
    void link(Pid from, Pid to);

    /** unlink/1 of a remote pid (Erlang's UNLINK_ID protocol). */
    void unlink(Pid from, Pid to);

    /** The local process {@code from} exited: its link to {@code to} carries the reason. */
    void linkExit(Pid from, Pid to, ExitReason reason);

    /** exit/2 to a remote pid; {@code from} is null outside a process. */
    void exit(Pid from, Pid to, ExitReason reason);

    /** monitor/2 of a remote {@link Pid} or {@link Name} ({@code target}). */
    void monitor(Pid from, Object target, Ref ref);

    /** demonitor of a monitor made by {@link #monitor}; {@code target} as given there. */
    void demonitor(Pid from, Object target, Ref ref);

    /**
     * A local process a remote one monitors is gone: {@code monitored} is the local pid or the
     * registered name ({@link io.loomix.Atom}) the watcher monitored.
     */
    void down(Object monitored, Pid watcher, Ref ref, ExitReason reason);
}
