package io.loomix.dist;

import io.loomix.Atom;
import io.loomix.ExitReason;
import io.loomix.Pid;
import io.loomix.Process;
import io.loomix.Ref;
import io.loomix.dist.net.NodeTable;
import io.loomix.dist.net.SpawnResult;
import io.loomix.dist.rpc.SpawnService;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Spawning on a node by a spawn request (erlang:spawn/4, spawn_link/4, spawn_monitor/4). */
final class Spawns {
    private static final System.Logger LOG = System.getLogger("io.loomix.dist");

    enum Kind { PLAIN, LINK, MONITOR }

    /** A pid (with its monitor for {@link Kind#MONITOR}). */
    record Spawned(Pid pid, Ref ref) {}

    private Spawns() {}

    /**
     * Spawns {@code module:function(args)} on {@code node}; the caller must be a process for LINK
     * and MONITOR. An unreachable node gives, as erl does, a pid of a process that exits
     * {@code noconnection} at once (so a link delivers that, a monitor a Down with it).
     */
    static Spawned spawn(NodeTable table, Duration wait, Atom node, Atom module, Atom function, List<?> args, Kind kind) {
        List<Object> argList = new ArrayList<>(args);
        if (table == null || node == Node.self()) {
            if (table == null && node != Node.self()) {
                return local(() -> {
                    throw Process.exit(ExitReason.NOCONNECTION);
                }, kind);
            }
            return local(SpawnService.body(module, function, argList), kind);
        }
        if (kind == Kind.PLAIN && io.loomix.internal.remote.RuntimeHooks.selfOrNull() == null) {
            return Process.run(() -> spawn(table, wait, node, module, function, args, kind));
        }
        Pid me = Process.self();
        Ref id = Process.makeRef();
        table.spawnRequest(me, node, id, module, function, argList, kind == Kind.LINK, kind == Kind.MONITOR);
        SpawnResult r = Process.receive(id, wait, m -> m instanceof SpawnResult s && s.request().equals(id) ? s : null,
                () -> {
                    table.abandon(node, id);
                    return new SpawnResult(id, null, Atom.of("noconnection"));
                });
        if (r.pid() != null) {
            return new Spawned(r.pid(), kind == Kind.MONITOR ? id : null);
        }
        if (r.error() != Atom.of("noconnection")) {
            throw new IllegalArgumentException("spawn of " + module + ":" + function + "/" + args.size() + " on " + node
                    + " failed: " + r.error());
        }
        LOG.log(System.Logger.Level.WARNING, "** Can not start " + module + ":" + function + "," + args + " on " + node + " **");
        return local(() -> {
            throw Process.exit(ExitReason.NOCONNECTION);
        }, kind);
    }

    private static Spawned local(Runnable body, Kind kind) {
        return switch (kind) {
            case PLAIN -> new Spawned(Process.spawn(body), null);
            case LINK -> new Spawned(Process.spawnLink(body), null);
            case MONITOR -> {
                Process.Monitored m = Process.spawnMonitor(body);
                yield new Spawned(m.pid(), m.ref());
            }
        };
    }
}
