package io.loomix.dist.net;

import io.loomix.Exit;
import io.loomix.ExitReason;
import io.loomix.Pid;
import io.loomix.Process;
import io.loomix.Ref;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keeps the exit reason of a process that asked another node for a linked spawn and died before
 * the reply came, so that the new process gets that reason, as on BEAM (where the requester's
 * node answers the late reply with an EXIT carrying it), rather than {@code noproc}. The
 * runtime keeps no reason of a dead process; so the requester links itself to this keeper (a
 * process that traps exits) when it sends the request, and the keeper hears the reason if it
 * dies. The link goes again once the request is answered or given up.
 *
 * <p>One process per node; it only ever exits {@code normal} (at node stop), which ends no linked
 * requester.
 */
final class SpawnLinks {
    private static final System.Logger LOG = System.getLogger("io.loomix.dist");

    /** The requester {@code from} sent the linked request {@code id}; it links itself next. */
    record Watch(Pid from, Ref id) {}

    /** The request ended with the requester alive (linked to its child), or with no child. */
    record Done(Pid from, Ref id) {}

    /** The reply named {@code child}, and the requester was gone: {@code child} gets its reason. */
    record Orphan(Pid from, Ref id, Pid child) {}

    record Stop() {}

    private final NodeTable table;
    private final Map<Pid, Set<Ref>> pending = new HashMap<>();
    private final Map<Pid, ExitReason> reasons = new HashMap<>();
    private final Map<Pid, List<Orphan>> waiting = new HashMap<>();

    private SpawnLinks(NodeTable table) {
        this.table = table;
    }

    static Pid start(NodeTable table) {
        SpawnLinks keeper = new SpawnLinks(table);
        return Process.spawn(keeper::run);
    }

    private void run() {
        Process.trapExit(true);
        while (true) {
            Object m = Process.receive();
            if (m instanceof Stop) {
                return;
            }
            try {
                handle(m);
            } catch (RuntimeException e) {
                // it must live on: its exit would reach every requester linked to it
                LOG.log(System.Logger.Level.WARNING, "The spawn link keeper could not handle " + m, e);
            }
        }
    }

    private void handle(Object m) {
        switch (m) {
            case Watch(Pid from, Ref id) -> {
                pending.computeIfAbsent(from, k -> new HashSet<>()).add(id);
                // the requester linked itself already; linking from here too keeps the link when
                // a Done of its previous request was handled after it linked and before this Watch
                // (a requester that is gone by now gives an Exit with noproc, after its real one)
                Process.link(from);
            }
            case Done(Pid from, Ref id) -> {
                if (forget(from, id) && !reasons.containsKey(from)) {
                    Process.unlink(from);
                }
                tidy(from);
            }
            case Orphan o -> {
                forget(o.from(), o.id());
                ExitReason why = reasons.get(o.from());
                if (why != null) {
                    table.linkExit(o.from(), o.child(), why);
                    tidy(o.from());
                } else {
                    // the reply overtook the requester's exit signal: its reason comes next
                    waiting.computeIfAbsent(o.from(), k -> new ArrayList<>()).add(o);
                }
            }
            case Exit(Pid from, ExitReason reason) -> {
                ExitReason first = reasons.computeIfAbsent(from, k -> reason); // not the noproc of a late link
                List<Orphan> orphans = waiting.remove(from);
                if (orphans != null) {
                    orphans.forEach(o -> table.linkExit(from, o.child(), first));
                }
                tidy(from);
            }
            default -> LOG.log(System.Logger.Level.DEBUG, () -> "The spawn link keeper ignored " + m);
        }
    }

    /** Drops request {@code id} of {@code from}; true when it was the last one pending. */
    private boolean forget(Pid from, Ref id) {
        Set<Ref> ids = pending.get(from);
        if (ids == null) {
            return false;
        }
        ids.remove(id);
        if (ids.isEmpty()) {
            pending.remove(from);
            return true;
        }
        return false;
    }

    /** A dead requester's reason is kept while a reply may still need it. */
    private void tidy(Pid from) {
        if (!pending.containsKey(from) && !waiting.containsKey(from)) {
            reasons.remove(from);
        }
    }
}
