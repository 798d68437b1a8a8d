package io.loomix.dist.global;

import io.loomix.Atom;
import io.loomix.Pid;
import io.loomix.Process;
import io.loomix.Tuple;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * global.erl's locker ("the_locker"): for each node in the middle of a connect it sets the lock
 * {@code {global, [LockerA, LockerB]}} on both partitions (the boss first, then the two nodes, then
 * every node either knows), tells the other locker through its name server ({@code lock_set}),
 * and holds the lock until the name server has exchanged names and cancels it. Both lockers of a
 * connect may start this at once; they agree because their lock ids are equal (the two pids sorted
 * in Erlang's term order).
 *
 * <p>It runs in its own process because setting locks is a series of blocking multi_calls, which
 * the name server itself must never make.
 */
final class Locker {
    private static final System.Logger LOG = System.getLogger("io.loomix.dist.global");
    private static final Atom LOCK_SET = Atom.of("lock_set");

    /** A node's locker to connect with: from its init_connect. */
    record HisTheLocker(Atom node, Pid locker, int vsn, Object hisTag, Object myTag) {}

    /** Stop connecting with {@code node} under {@code tag}; {@code fun} runs first if this waits for it. */
    record Cancel(Atom node, Object tag, Tell fun) {}

    /** The fun a cancel may carry: cast {@code message} to the name server of each of {@code nodes}. */
    record Tell(List<Atom> nodes, Object message) {}

    record AddToKnown(List<Atom> nodes) {}

    record RemoveFromKnown(Atom node) {}

    private final GlobalServer server;
    private final Pid gns;
    private final Atom self;
    private final List<HisTheLocker> local = new ArrayList<>();
    private final List<HisTheLocker> remote = new ArrayList<>();
    private final List<Atom> known = new ArrayList<>();
    private final String host = hostName();
    private boolean justSynced;

    Locker(GlobalServer server, Pid gns) {
        this.server = server;
        this.gns = gns;
        this.self = server.self();
    }

    void run() {
        known.addAll(server.knownNodes());
        while (true) {
            Object m = Process.receive(Duration.ZERO, x -> x, () -> null);
            if (m != null) {
                handle(m);
                continue;
            }
            long timeout = local.isEmpty() && remote.isEmpty() ? -1 : justSynced ? 0
                    : known.isEmpty() ? 200 : Math.min(1000 + 100L * known.size(), 3000);
            justSynced = false;
            m = timeout < 0 ? Process.receive() : Process.receive(Duration.ofMillis(timeout), x -> x, () -> null);
            if (m != null) {
                handle(m);
            } else if (!server.globalLockSet()) {
                selectNode();
            }
        }
    }

    private void handle(Object m) {
        switch (m) {
            case HisTheLocker h -> (isLocal(h.node()) ? local : remote).addFirst(h);
            // a fun that arrives outside a wait is not run, as in global.erl (it only runs while waiting)
            case Cancel c -> removeNode(c.node(), c.tag());
            case AddToKnown a -> known.addAll(0, a.nodes());
            case RemoveFromKnown r -> known.remove(r.node());
            case Tuple t when t.size() >= 4 && t.get(0) == LOCK_SET -> lockSetFromHim(t);
            default -> LOG.log(System.Logger.Level.WARNING, "The global_name_server locker process received an unexpected message: " + m);
        }
    }

    /** He has locked his side and asks us to lock ours (the_locker_message({lock_set, ...})). */
    private void lockSetFromHim(Tuple t) {
        if (!Gns.TRUE.equals(t.get(2))) {
            return;
        }
        Pid his = (Pid) t.get(1);
        HisTheLocker him = find(his.node());
        Object myTag = t.size() == 5 ? t.get(4) : him == null ? null : him.myTag();
        if (him == null || !Objects.equals(him.myTag(), myTag)) {
            sendLockSet(false, his, 5, 0L);
            return;
        }
        Tuple lockId = lockId(his);
        boolean set = lockNodesSafely(lockId, List.of());
        sendLockSet(set, his, him.vsn(), him.hisTag());
        List<Atom> held = withSelf(known);
        if (set) {
            Process.send(gns, Tuple.of(Atom.of("lock_is_set"), him.node(), myTag, lockId));
            waitCancelLock(him.node(), lockId, myTag, held);
            justSynced = true;
            removeNode(him.node(), myTag);
        } else {
            justSynced = false;
        }
    }

    /** select_node/1: we start, with a random node among those waiting (same host first). */
    private void selectNode() {
        List<HisTheLocker> from = local.isEmpty() ? remote : local;
        from.removeIf(h -> known.contains(h.node()));
        if (from.isEmpty()) {
            return;
        }
        HisTheLocker him = from.get(ThreadLocalRandom.current().nextInt(from.size()));
        Tuple lockId = lockId(him.locker());
        if (!lockNodesSafely(lockId, List.of(him.node()))) {
            return;
        }
        List<Atom> held = new ArrayList<>(List.of(self, him.node()));
        held.addAll(known);
        sendLockSet(true, him.locker(), him.vsn(), him.hisTag());
        lockIsSet(him, held, lockId);
    }

    /** Waits for his answer to our lock_set; on yes, holds the lock until the name server is done. */
    private void lockIsSet(HisTheLocker him, List<Atom> held, Tuple lockId) {
        Atom node = him.node();
        while (true) {
            Object m = Process.receive(x -> x instanceof Tuple t && t.size() >= 4 && t.get(0) == LOCK_SET
                    && t.get(1) instanceof Pid p && p.node() == node ? t
                    : x instanceof Cancel c && c.node() == node && Objects.equals(c.tag(), him.myTag()) ? c : null);
            if (m instanceof Cancel c) {
                run(c.fun());
                Gns.deleteGlobalLock(lockId, held);
                removeNode(node, him.myTag());
                return;
            }
            Tuple t = (Tuple) m;
            if (t.size() == 5 && !Objects.equals(t.get(4), him.myTag())) {
                continue; // an answer in an earlier attempt
            }
            if (!Gns.TRUE.equals(t.get(2))) {
                Gns.deleteGlobalLock(lockId, held);
                return;
            }
            Process.send(gns, Tuple.of(Atom.of("lock_is_set"), node, him.myTag(), lockId));
            waitCancelLock(node, lockId, him.myTag(), held);
            justSynced = true;
            local.remove(him);
            remote.remove(him);
            return;
        }
    }

    private void waitCancelLock(Atom node, Tuple lockId, Object myTag, List<Atom> held) {
        Cancel c = Process.receive(x -> x instanceof Cancel k && k.node() == node && Objects.equals(k.tag(), myTag) ? k : null);
        run(c.fun());
        Gns.deleteGlobalLock(lockId, held);
    }

    /**
     * lock_nodes_safely/3: the boss first (so two partitions cannot both lock half of each other),
     * then this node and {@code extra}, then every known node; on a refusal what was set is released.
     */
    private boolean lockNodesSafely(Tuple lockId, List<Atom> extra) {
        Atom boss = Gns.boss(withSelf(known));
        List<Atom> first = boss == Gns.NONODE ? List.of() : List.of(boss);
        if (!first.equals(List.of(self)) && !server.canSetLock(lockId)) {
            return false;
        }
        if (!Gns.setLock(server, lockId, first)) {
            return false;
        }
        drainKnownUpdates();
        List<Atom> second = new ArrayList<>(List.of(self));
        second.addAll(extra);
        second.removeAll(first);
        second.remove(Gns.NONODE);
        if (!Gns.setLock(server, lockId, second)) {
            Gns.delLock(lockId, first);
            return false;
        }
        List<Atom> rest = new ArrayList<>(known);
        rest.removeAll(first);
        if (!Gns.setLock(server, lockId, rest)) {
            List<Atom> soFar = new ArrayList<>(first);
            soFar.addAll(second);
            Gns.delLock(lockId, soFar);
            return false;
        }
        return true;
    }

    private void drainKnownUpdates() {
        while (true) {
            Object m = Process.receive(Duration.ZERO, x -> x instanceof AddToKnown || x instanceof RemoveFromKnown ? x : null,
                    () -> null);
            switch (m) {
                case null -> {
                    return;
                }
                case AddToKnown a -> known.addAll(0, a.nodes());
                case RemoveFromKnown r -> known.remove(r.node());
                default -> { }
            }
        }
    }

    /** send_lock_set/5: version 6 and later through his name server, with his tag from version 8. */
    private void sendLockSet(boolean set, Pid hisLocker, int vsn, Object hisTag) {
        Object msg = vsn < 8 ? Tuple.of(LOCK_SET, Process.self(), Gns.bool(set), List.copyOf(known))
                : Tuple.of(LOCK_SET, Process.self(), Gns.bool(set), List.copyOf(known), hisTag);
        if (vsn < 6) {
            Process.send(hisLocker, msg);
        } else {
            Gns.cast(hisLocker.node(), msg);
        }
    }

    /** {global, lists:sort([self(), HisLocker])}: the same id on both sides. */
    private static Tuple lockId(Pid his) {
        List<Pid> two = new ArrayList<>(List.of(Process.self(), his));
        two.sort(Gns.PID_ORDER);
        return Tuple.of(Gns.GLOBAL, List.copyOf(two));
    }

    private HisTheLocker find(Atom node) {
        for (HisTheLocker h : local) {
            if (h.node() == node) {
                return h;
            }
        }
        for (HisTheLocker h : remote) {
            if (h.node() == node) {
                return h;
            }
        }
        return null;
    }

    private void removeNode(Atom node, Object tag) {
        local.removeIf(h -> h.node() == node && Objects.equals(h.myTag(), tag));
        remote.removeIf(h -> h.node() == node && Objects.equals(h.myTag(), tag));
    }

    private List<Atom> withSelf(List<Atom> nodes) {
        List<Atom> all = new ArrayList<>(List.of(self));
        all.addAll(nodes);
        return all;
    }

    private boolean isLocal(Atom node) {
        String n = node.name();
        return n.substring(n.indexOf('@') + 1).equals(host);
    }

    private static void run(Tell fun) {
        if (fun != null) {
            fun.nodes().forEach(n -> Gns.cast(n, fun.message()));
        }
    }

    private static String hostName() {
        try {
            String h = InetAddress.getLocalHost().getHostName();
            int dot = h.indexOf('.');
            return dot < 0 ? h : h.substring(0, dot);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
