package io.loomix.dist.net;

import io.loomix.Atom;
import io.loomix.Pid;
import io.loomix.Ref;

import java.util.List;

/**
 * A spawn request from another node (erlang:spawn/4, spawn_request/5, erpc): run
 * {@code module:function(args)} in a new process, linked to and/or monitored by {@code from} as
 * asked. The new process answers with {@link NodeTable#spawned} before it runs anything, so the
 * reply reaches the requester before any signal of the new process. {@code connection}: the
 * request's connection ({@link io.loomix.internal.remote.RuntimeHooks#connectionOf}), whose links
 * and monitors the new process's link and monitor join.
 */
public record IncomingSpawn(Ref id, Pid from, Atom module, Atom function, List<Object> args, boolean link,
                            boolean monitor, Object connection) {

    /** Serves incoming spawn requests: makes the process, or answers with an error. */
    public interface Server {
        void spawn(IncomingSpawn request);
    }
}
