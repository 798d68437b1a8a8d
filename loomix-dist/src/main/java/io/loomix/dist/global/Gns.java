package io.loomix.dist.global;

import io.loomix.Atom;
import io.loomix.Down;
import io.loomix.Name;
import io.loomix.Pid;
import io.loomix.Process;
import io.loomix.Ref;
import io.loomix.Tuple;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What global's processes share: the atoms of the protocol, sending to a node's
 * {@code global_name_server} (as a cast or a plain message), and {@code gen_server:multi_call}
 * as global.erl uses it to set and delete locks on a set of nodes.
 */
final class Gns {
    static final Atom NAME = Atom.of("global_name_server");
    static final Atom GEN_CALL = Atom.of("$gen_call");
    static final Atom GEN_CAST = Atom.of("$gen_cast");
    static final Atom GLOBAL = Atom.of("global");
    /** Erlang's true and false: the term codec turns those atoms into Booleans. */
    static final Boolean TRUE = Boolean.TRUE;
    static final Atom NONODE = Atom.of("nonode@nohost");
    /** The protocol version OTP 25's global speaks (get_protocol_version). */
    static final int VSN = 8;
    /** A bound on one multi_call round (global.erl waits forever; a node that dies answers DOWN). */
    private static final Duration CALL_LIMIT = Duration.ofSeconds(60);

    private Gns() {}

    /** gen_server:cast({global_name_server, Node}, Msg). */
    static void cast(Atom node, Object msg) {
        plain(node, Tuple.of(GEN_CAST, msg));
    }

    /** {global_name_server, Node} ! Msg; this node's by its registered name. */
    static void plain(Atom node, Object msg) {
        if (node == Process.node()) {
            Process.send(NAME, msg);
        } else {
            Process.send(new Name(NAME, node), msg);
        }
    }

    private static Ref monitor(Atom node) {
        return node == Process.node() ? Process.monitor(NAME.name()) : Process.monitor(new Name(NAME, node));
    }

    static Boolean bool(boolean b) {
        return b;
    }

    /**
     * Erlang's term order of pids: serial, then number, then node name, then creation (checked
     * against erl with pids of other nodes made by binary_to_term). Both lockers of a connect
     * sort their two pids into the lock id, so the order must be erl's or the ids differ.
     */
    static final Comparator<Pid> PID_ORDER = Comparator.<Pid>comparingLong(p -> Integer.toUnsignedLong(p.serial()))
            .thenComparingLong(p -> Integer.toUnsignedLong(p.id()))
            .thenComparing(Pid::node)
            .thenComparingInt(Pid::creation);

    /** lists:max(Nodes): the boss that is locked first. */
    static Atom boss(List<Atom> nodes) {
        Atom max = null;
        for (Atom n : nodes) {
            if (max == null || n.compareTo(max) > 0) {
                max = n;
            }
        }
        return max;
    }

    /**
     * gen_server:multi_call(Nodes, global_name_server, Request) from the calling process: the
     * replies of the nodes that answered; a node that is down (or goes down) is left out.
     */
    static Map<Atom, Object> multiCall(List<Atom> nodes, Object request) {
        Ref tag = Process.makeRef();
        Pid me = Process.self();
        Map<Ref, Atom> monitors = new LinkedHashMap<>();
        for (Atom n : nodes) {
            monitors.put(monitor(n), n);
            plain(n, Tuple.of(GEN_CALL, Tuple.of(me, Tuple.of(tag, n)), request));
        }
        Map<Atom, Object> replies = new LinkedHashMap<>();
        long deadline = System.nanoTime() + CALL_LIMIT.toNanos();
        while (!monitors.isEmpty()) {
            long left = Math.max(0, deadline - System.nanoTime());
            Object m = Process.receive(Duration.ofNanos(left), msg -> msg instanceof Tuple t && t.size() == 2
                    && t.get(0) instanceof Tuple k && k.size() == 2 && tag.equals(k.get(0)) ? t
                    : msg instanceof Down d && monitors.containsKey(d.ref()) ? d : null, () -> null);
            switch (m) {
                case null -> {
                    monitors.keySet().forEach(Process::demonitor);
                    return replies;
                }
                case Down d -> monitors.remove(d.ref());
                case Tuple t -> {
                    Atom n = (Atom) ((Tuple) t.get(0)).get(1);
                    monitors.entrySet().removeIf(e -> {
                        if (e.getValue() == n) {
                            Process.demonitor(e.getKey(), true);
                            return true;
                        }
                        return false;
                    });
                    replies.put(n, t.get(1));
                }
                default -> throw new IllegalStateException("unexpected " + m);
            }
        }
        return replies;
    }

    /** global:set_lock(Id, Nodes, 0): one attempt; on a refusal the nodes that granted it are released. */
    static boolean setLock(GlobalServer server, Tuple id, List<Atom> nodes) {
        if (nodes.isEmpty()) {
            return true;
        }
        if (nodes.size() > 1 && nodes.contains(server.self()) && !server.canSetLock(id)) {
            return false;
        }
        Map<Atom, Object> replies = multiCall(nodes, Tuple.of(Atom.of("set_lock"), id));
        List<Atom> granted = new ArrayList<>();
        boolean all = true;
        for (var e : replies.entrySet()) {
            if (TRUE.equals(e.getValue())) {
                granted.add(e.getKey());
            } else {
                all = false;
            }
        }
        if (!all && replies.size() > 1) {
            delLock(id, granted);
        }
        return all;
    }

    /** global:del_lock(Id, Nodes). */
    static void delLock(Tuple id, List<Atom> nodes) {
        if (!nodes.isEmpty()) {
            multiCall(nodes, Tuple.of(Atom.of("del_lock"), id));
        }
    }

    /** delete_global_lock/2: the boss last, so no one else can take the lock on it meanwhile. */
    static void deleteGlobalLock(Tuple id, List<Atom> nodes) {
        Atom boss = boss(nodes);
        List<Atom> rest = new ArrayList<>(nodes);
        rest.remove(boss);
        delLock(id, rest);
        if (boss != null) {
            delLock(id, List.of(boss));
        }
    }

    /** global.erl's random_sleep(Times): back off up to 8 s before the next attempt. */
    static void randomSleep(int times) {
        long max = times > 5 ? 8000 : (1L << times) * 1000 / 8;
        long t = 1 + java.util.concurrent.ThreadLocalRandom.current().nextLong(Math.max(1, max));
        Process.sleep(Duration.ofMillis(t));
    }

    static Atom nodeOf(Object pid) {
        return ((Pid) pid).node();
    }
}
