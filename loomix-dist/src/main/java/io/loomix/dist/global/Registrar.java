package io.loomix.dist.global;

import io.loomix.Atom;
import io.loomix.Pid;
import io.loomix.Process;
import io.loomix.Tuple;
import io.loomix.dist.global.GlobalServer.Done;
import io.loomix.dist.global.GlobalServer.Trans;

import java.util.ArrayList;
import java.util.List;

/**
 * global.erl's registrar: one process per node that runs each name transaction (register,
 * unregister) under the lock {@code {global, Registrar}}, set on the boss first and then on every
 * known node, and retried with a random back-off while another node holds it. One registrar per
 * node serialises the node's own registrations, as erl does.
 */
final class Registrar {
    private static final System.Logger LOG = System.getLogger("io.loomix.dist.global");

    private Registrar() {}

    static void run(GlobalServer server) {
        while (true) {
            if (Process.receive() instanceof Trans t) {
                Done done;
                try {
                    done = new Done(t.tag(), transAllKnown(server, t), null);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "a global name transaction failed", e);
                    done = new Done(t.tag(), null, e.toString());
                }
                Process.send(t.from(), done);
            }
        }
    }

    /** trans_all_known/1. */
    private static Object transAllKnown(GlobalServer server, Trans t) {
        Tuple id = Tuple.of(Gns.GLOBAL, Process.self());
        List<Atom> nodes = setLockKnown(server, id);
        try {
            return switch (t.op()) {
                case GlobalServer.Register r -> register(server, r.name(), r.pid(), r.method(), nodes);
                case GlobalServer.Unregister u -> unregister(u.name(), nodes);
            };
        } finally {
            Gns.deleteGlobalLock(id, nodes);
        }
    }

    /** set_lock_known/2: the lock on this node and every node it knows, the known set unchanged meanwhile. */
    private static List<Atom> setLockKnown(GlobalServer server, Tuple id) {
        for (int times = 0; ; times++) {
            List<Atom> known = server.knownNodes();
            List<Atom> nodes = new ArrayList<>(List.of(server.self()));
            nodes.addAll(known);
            Atom boss = Gns.boss(nodes);
            if (Gns.setLock(server, id, List.of(boss))) {
                if (Gns.setLock(server, id, nodes) && known.containsAll(server.knownNodes())) {
                    return nodes;
                }
                Gns.delLock(id, List.of(boss));
            }
            Gns.randomSleep(times);
        }
    }

    /** The register transaction (register_name/3's fun). */
    private static Object register(GlobalServer server, Object name, Pid pid, Object method, List<Atom> nodes) {
        if (server.where(name) != null) {
            return Atom.of("no");
        }
        if (server.hasName(pid)) {
            LOG.log(System.Logger.Level.ERROR, "global: " + pid + " registered under several names: " + name);
            return Atom.of("no");
        }
        Gns.multiCall(nodes, Tuple.of(Atom.of("register"), name, pid, method));
        return Atom.of("yes");
    }

    private static Object unregister(Object name, List<Atom> nodes) {
        Gns.multiCall(nodes, Tuple.of(Atom.of("unregister"), name));
        return Atom.of("ok");
    }
}
