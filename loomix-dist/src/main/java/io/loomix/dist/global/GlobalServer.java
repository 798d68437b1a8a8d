package io.loomix.dist.global;

import io.loomix.Atom;
import io.loomix.Down;
import io.loomix.Pid;
import io.loomix.Process;
import io.loomix.Ref;
import io.loomix.Tuple;
import io.loomix.dist.NodeDown;
import io.loomix.dist.NodeUp;
import io.loomix.dist.net.NodeTable;
import io.loomix.otp.GenWire;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * This node's {@code global_name_server}, speaking OTP 25's global protocol (version 8) with erl
 * nodes and other Loomix nodes: the connect exchange (init_connect, init_connect_ack, lock_set
 * through the lockers, exchange, exchange_ops/resolved, new_nodes, in_sync), the lock calls
 * (set_lock, del_lock) and the name calls (register, unregister) that other nodes' registrars
 * make. It follows global.erl's handlers one by one; the state it keeps in the process dictionary
 * there is a {@link Sync} per node here.
 *
 * <p>One process owns the state. The name and lock tables ({@link Names}, {@link Locks}) are concurrent maps so that
 * {@code whereis} and the locker can read them, as erl reads its protected ets tables; only this
 * process writes them.
 */
public final class GlobalServer {
    private static final System.Logger LOG = System.getLogger("io.loomix.dist.global");
    private static final Atom STOP = Atom.of("$loomix_stop");
    private static final Atom YES = Atom.of("yes");
    private static final Atom OK = Atom.of("ok");
    private static final Atom INSERT = Atom.of("insert");
    private static final Atom DELETE = Atom.of("delete");
    static final Atom LOCK = Atom.of("lock");
    private static final Atom LOCK_IS_SET = Atom.of("lock_is_set");
    private static volatile GlobalServer current;

    /** A registered name: the pid, its resolve method (an Erlang term), the monitor on the pid. */
    record Entry(Pid pid, Object method, Ref monitor) {}

    /** A name transaction for the registrar, from {@link io.loomix.dist.Global}. */
    public record Trans(Op op, Pid from, Ref tag) {}

    /** What a transaction does, once the registrar holds the lock on every known node. */
    public sealed interface Op {}

    /** register_name/3: yes when the name is free and the pid has no name; else no. */
    public record Register(Object name, Pid pid, Object method) implements Op {}

    public record Unregister(Object name) implements Op {}

    /** global:sync(): answered with {@link Done} when every visible node is synced (or down). */
    public record SyncRequest(Pid from, Ref tag) {}

    /** The answer: the result term, or an error's text. */
    public record Done(Ref tag, Object value, String error) {}

    /** The resolver's answer (exchange_ops). */
    record ExchangeOps(Atom node, Object tag, List<Object> ops, List<Object> resolved) {}

    private record HisResolved(List<?> resolved, List<?> known, Object namesExt) {}

    private record Waiter(Set<Atom> nodes, Pid from, Ref tag) {}

    /** What global.erl keeps in the process dictionary per connecting node. */
    private static final class Sync {
        final Object myTag;
        Object hisTag;
        int vsn;
        Object waitLock;
        Object saveOps;
        Object lockId;
        Pid resolver;

        Sync(Object myTag) {
            this.myTag = myTag;
        }
    }

    private final Atom self;
    private final NodeTable table;
    private final Names names = new Names();
    private final Locks locks = new Locks();
    private final Map<Atom, Integer> known = new LinkedHashMap<>();
    private volatile List<Atom> knownNodes = List.of();
    private final Map<Atom, Integer> pending = new HashMap<>();
    private final Set<Atom> synced = new HashSet<>();
    private final Map<Atom, Sync> syncs = new HashMap<>();
    private final Map<Atom, Tuple> preConnect = new HashMap<>();
    private final List<Waiter> waiters = new ArrayList<>();
    private final Partitions partitions = new Partitions();
    private volatile Pid me;
    private Pid locker;
    private Pid registrar;
    private long tags;

    private GlobalServer(Atom self, NodeTable table) {
        this.self = self;
        this.table = table;
    }

    /** The server for the node {@code self}; its process runs {@link #handle} for each message. */
    public static GlobalServer create(Atom self, NodeTable table) {
        return new GlobalServer(self, table);
    }

    /** Its process runs now: {@link #current} finds it. */
    public void started(Pid pid) {
        me = pid;
        current = this;
    }

    /** The running node's server, or null when no node runs. */
    public static GlobalServer current() {
        return current;
    }

    public Pid pid() {
        return me;
    }

    Atom self() {
        return self;
    }

    /** The nodes global has synced names with (get_known). Any thread. */
    public List<Atom> knownNodes() {
        return knownNodes;
    }

    /** where/1: the pid, or null; a local pid that has exited has no name. Any thread. */
    public Pid where(Object name) {
        return names.where(name);
    }

    Entry entry(Object name) {
        return names.entry(name);
    }

    public List<Object> registeredNames() {
        return names.list();
    }

    /** Whether {@code pid} holds a global name (erl refuses a second name for it). Any thread. */
    public boolean hasName(Pid pid) {
        return names.hasName(pid);
    }

    boolean globalLockSet() {
        return locks.globalLockSet();
    }

    /** can_set_lock/1 != false: the lock is free here or held for the same requester. Any thread. */
    boolean canSetLock(Tuple id) {
        return locks.canSet(id);
    }

    /** One message; false when the server stops. Runs in the server's process. */
    public boolean handle(Object m, Atom ignored) {
        if (locker == null) {
            init();
        }
        if (m == STOP) {
            stop();
            return false;
        }
        Object msg = GenWire.parts(m) instanceof GenWire.Cast(Object request) ? request : m;
        try {
            dispatch(msg);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "global_name_server ignored a message it cannot handle: " + msg, e);
        }
        return true;
    }

    private void init() {
        GlobalServer server = this;
        Pid gns = Process.self();
        locker = Process.spawnLink(() -> new Locker(server, gns).run());
        registrar = Process.spawnLink(() -> Registrar.run(server));
    }

    private void stop() {
        if (current == this) {
            current = null;
        }
        names.clear();
        Process.exit(locker, Atom.of("kill"));
        Process.exit(registrar, Atom.of("kill"));
    }

    private void dispatch(Object msg) {
        switch (msg) {
            case NodeUp u -> nodeUp(u.node());
            case NodeDown d -> nodeDown(d.node(), false);
            case Down d -> down(d.ref());
            case Trans t -> Process.send(registrar, t);
            case SyncRequest r -> {
                Set<Atom> wait = new HashSet<>(table.nodes(false));
                wait.removeAll(synced);
                waiters.add(new Waiter(wait, r.from(), r.tag()));
                checkWaiters();
            }
            case ExchangeOps x -> exchangeOps(x);
            case Tuple t when t.size() > 0 && t.get(0) instanceof Atom tag -> tuple(tag.name(), t);
            default -> {
                Object call = GenWire.parts(msg);
                if (call instanceof GenWire.Call c) {
                    call(c.request(), c.from(), v -> Process.send(c.tag(), GenWire.message(new GenWire.Reply(c.tag(), v))));
                } else {
                    LOG.log(System.Logger.Level.WARNING, "global_name_server got an unexpected message: " + msg);
                }
            }
        }
    }

    private void tuple(String tag, Tuple t) {
        switch (tag) {
            case "$gen_call" -> {
                if (t.get(1) instanceof Tuple from && from.size() == 2 && from.get(0) instanceof Pid caller) {
                    call(t.get(2), caller, v -> Process.send(caller, Tuple.of(from.get(1), v)));
                }
            }
            case "init_connect" -> initConnect(t);
            case "init_connect_ack" -> initConnectAck((Atom) t.get(1), t.get(2), t.get(3));
            case "cancel_connect" -> cancelConnect((Atom) t.get(1), t.get(2));
            case "lock_is_set" -> lockIsSet((Atom) t.get(1), t.get(2), t.get(3));
            case "exchange" -> {
                Atom node = (Atom) t.get(1);
                Sync s = syncs.get(node);
                if (s != null && Objects.equals(s.myTag, t.get(4))) {
                    exchange(node, s, (List<?>) t.get(2));
                } else {
                    cancelLocker(node, t.get(4), null);
                }
            }
            case "resolved" -> resolvedMessage(t);
            case "new_nodes" -> {
                List<Atom> added = addToKnown((List<?>) t.get(4));
                syncOthers(added);
                doOps((List<?>) t.get(2), t.get(1), (List<?>) t.get(5));
                Process.send(locker, new Locker.AddToKnown(List.copyOf(added)));
            }
            case "in_sync" -> {
                Atom node = (Atom) t.get(1);
                synced.add(node);
                pending.remove(node);
                Sync s = syncs.get(node);
                cancelLocker(node, s == null ? null : s.myTag, null);
                reset(node);
                checkWaiters();
            }
            case "lock_set" -> {
                Atom node = ((Pid) t.get(1)).node();
                Sync s = syncs.get(node);
                if (t.size() == 4 || s != null && Objects.equals(s.myTag, t.get(4))) {
                    Process.send(locker, t);
                }
            }
            case "remove_connection" -> {
                Atom node = (Atom) t.get(1);
                if (known.containsKey(node) || pending.containsKey(node)) {
                    table.disconnect(node);
                    nodeDown(node, true);
                    LOG.log(System.Logger.Level.WARNING, "'global' at node " + self + " disconnected node " + node
                            + " in order to prevent overlapping partitions");
                }
            }
            case "lost_connection" -> lostConnection(t);
            // the old name and lock deletions are no-ops in global.erl too
            case "async_del_name", "async_del_lock" -> { }
            default -> LOG.log(System.Logger.Level.WARNING, "global_name_server got an unexpected message: " + t);
        }
    }

    // ---- calls from registrars and lockers (gen_server:multi_call) ----

    private void call(Object request, Pid from, Consumer<Object> reply) {
        if (!(request instanceof Tuple r) || !(r.get(0) instanceof Atom op)) {
            switch (request) {
                case Atom a when a.name().equals("get_known") -> reply.accept(knownList());
                case Atom a when a.name().equals("get_synced") -> reply.accept(List.copyOf(synced));
                case Atom a when a.name().equals("get_protocol_version") -> reply.accept((long) Gns.VSN);
                case Atom a when a.name().equals("get_names_ext") -> reply.accept(List.of());
                default -> LOG.log(System.Logger.Level.WARNING, "global_name_server got an unexpected call: " + request);
            }
            return;
        }
        switch (op.name()) {
            case "set_lock" -> reply.accept(Gns.bool(locks.set((Tuple) r.get(1), from)));
            case "del_lock" -> {
                locks.delete((Tuple) r.get(1), from);
                reply.accept(Gns.TRUE);
            }
            case "register", "register_ext" -> {
                insName(r.get(1), (Pid) r.get(2), r.get(3), from, List.of());
                reply.accept(YES);
            }
            case "unregister" -> {
                names.delete(r.get(1));
                reply.accept(OK);
            }
            default -> LOG.log(System.Logger.Level.WARNING, "global_name_server got an unexpected call: " + request);
        }
    }

    // ---- the connect exchange ----

    private void nodeUp(Atom node) {
        if (known.containsKey(node) || syncs.containsKey(node)) {
            return;
        }
        Object myTag = ++tags;
        syncs.put(node, new Sync(myTag));
        Gns.cast(node, Tuple.of(Atom.of("init_connect"), Tuple.of((long) Gns.VSN, myTag), self,
                Tuple.of(Atom.of("locker"), Atom.of("no_longer_a_pid"), List.of(), locker)));
        Tuple early = preConnect.remove(node);
        if (early != null) {
            initConnect(early);
        }
    }

    private void initConnect(Tuple t) {
        Atom node = (Atom) t.get(2);
        if (!(t.get(1) instanceof Tuple v) || v.size() < 2 || !(v.get(0) instanceof Long hisVsn)) {
            LOG.log(System.Logger.Level.INFO, "Illegal global protocol version " + t.get(1) + " Node: " + node);
            return;
        }
        Object hisTag = v.get(1);
        if (pending.containsKey(node)) {
            if (hisVsn < 8) {
                LOG.log(System.Logger.Level.ERROR, "'global' at node " + self + " got an out of sync connection attempt"
                        + " from old version " + hisVsn + " node " + node + ". Disconnecting from it.");
                table.disconnect(node);
                return;
            }
            Gns.plain(node, Tuple.of(Atom.of("cancel_connect"), self, hisTag));
            Sync old = syncs.get(node);
            restartConnect(node, old == null ? null : old.myTag);
        }
        Sync s = syncs.get(node);
        if (s == null) {
            preConnect.put(node, t); // init_connect before our nodeup: handled at nodeup
            return;
        }
        s.vsn = (int) Math.min(hisVsn, Gns.VSN);
        s.hisTag = hisTag;
        Pid hisLocker = (Pid) ((Tuple) t.get(3)).get(3);
        Process.send(locker, new Locker.HisTheLocker(node, hisLocker, s.vsn, hisTag, s.myTag));
        if (hisVsn >= 8) {
            Gns.plain(node, Tuple.of(Atom.of("init_connect_ack"), self, hisTag, s.myTag));
        }
        pending.put(node, hisVsn.intValue());
    }

    private void initConnectAck(Atom node, Object hisMyTag, Object hisHisTag) {
        Sync s = syncs.get(node);
        Object myTag = s == null ? null : s.myTag;
        if (s == null || !Objects.equals(myTag, hisMyTag) || !Objects.equals(s.hisTag, hisHisTag)) {
            Gns.plain(node, Tuple.of(Atom.of("cancel_connect"), self, hisHisTag));
            restartConnect(node, myTag);
        }
    }

    private void cancelConnect(Atom node, Object tag) {
        Sync s = syncs.get(node);
        if (s != null && Objects.equals(s.myTag, tag)) {
            restartConnect(node, tag);
        }
    }

    private void restartConnect(Atom node, Object myTag) {
        cancelLocker(node, myTag, null);
        reset(node);
        pending.remove(node);
        if (myTag != null) {
            nodeUp(node);
        }
    }

    /** cancel_locker/4: the locker drops the node (running {@code fun} if it waits for it), the resolver dies. */
    private void cancelLocker(Atom node, Object tag, Locker.Tell fun) {
        Process.send(locker, new Locker.Cancel(node, tag, fun));
        Sync s = syncs.get(node);
        if (s != null && Objects.equals(s.myTag, tag)) {
            Integer vsn = pending.get(node);
            if (vsn != null && vsn >= 8 && table.nodes(true).contains(node)) {
                Gns.plain(node, Tuple.of(Atom.of("cancel_connect"), self, s.hisTag));
            }
            if (s.resolver != null) {
                Process.exit(s.resolver, Atom.of("kill"));
            }
            syncs.remove(node);
        }
    }

    private void reset(Atom node) {
        syncs.remove(node);
        preConnect.remove(node);
    }

    private void lockIsSet(Atom node, Object tag, Object lockId) {
        Sync s = syncs.get(node);
        if (s == null || !Objects.equals(s.myTag, tag)) {
            cancelLocker(node, tag, null);
            return;
        }
        Gns.cast(node, Tuple.of(Atom.of("exchange"), self, names.wireList(), List.of(), s.hisTag));
        s.lockId = lockId;
        Object waiting = s.waitLock;
        s.waitLock = LOCK_IS_SET;
        if (waiting instanceof List<?> theirs) {
            exchange(node, s, theirs);
        }
    }

    /** Their names arrived; resolve once our lock is set too. */
    private void exchange(Atom node, Sync s, List<?> theirs) {
        Object waiting = s.waitLock;
        s.waitLock = null;
        if (waiting == LOCK_IS_SET) {
            s.resolver = Resolver.start(this, node, s.myTag, theirs);
        } else {
            s.waitLock = theirs;
        }
    }

    private void exchangeOps(ExchangeOps x) {
        Sync s = syncs.get(x.node());
        if (s == null || !Objects.equals(s.myTag, x.tag())) {
            cancelLocker(x.node(), x.tag(), null);
            return;
        }
        Gns.cast(x.node(), Tuple.of(Atom.of("resolved"), self, x.resolved(), knownList(), Atom.of("unused"),
                List.of(), s.hisTag));
        Object theirs = s.saveOps;
        s.saveOps = x.ops();
        if (theirs instanceof HisResolved h) {
            resolved(x.node(), s, h);
        }
    }

    private void resolvedMessage(Tuple t) {
        Atom node = (Atom) t.get(1);
        Sync s = syncs.get(node);
        if (s == null || !Objects.equals(s.myTag, t.get(6))) {
            cancelLocker(node, t.get(6), null);
            return;
        }
        HisResolved h = new HisResolved((List<?>) t.get(2), (List<?>) t.get(3), t.get(5));
        if (s.saveOps instanceof List<?>) {
            resolved(node, s, h);
        } else {
            s.saveOps = h;
        }
    }

    /** Both sides resolved: apply the operations, tell the nodes we knew, know the nodes he knew. */
    private void resolved(Atom node, Sync s, HisResolved h) {
        List<Object> ops = new ArrayList<>((List<?>) s.saveOps);
        ops.addAll(h.resolved());
        List<Object> withHim = new ArrayList<>();
        withHim.add(node);
        withHim.addAll(h.known());
        List<Tuple> newNodes = nodeVsnList(withHim);
        List<Atom> hisKnown = new ArrayList<>();
        for (Object n : h.known()) {
            hisKnown.add(n instanceof Tuple nv ? (Atom) nv.get(0) : (Atom) n);
        }
        syncOthers(hisKnown);
        List<Object> extraInfo = List.of(Tuple.of(Atom.of("vsn"), (long) s.vsn), Tuple.of(LOCK, s.lockId));
        doOps(ops, self, extraInfo);
        for (Atom n : hisKnown) {
            cancelResolvedLocker(n, null);
        }
        Tuple newNodesMsg = Tuple.of(Atom.of("new_nodes"), self, List.copyOf(ops), h.namesExt(), List.copyOf(newNodes),
                extraInfo);
        cancelResolvedLocker(node, new Locker.Tell(List.copyOf(known.keySet()), newNodesMsg));
        List<Atom> added = addToKnown(newNodes);
        Process.send(locker, new Locker.AddToKnown(List.copyOf(added)));
        synced.add(node);
        checkWaiters();
    }

    private void cancelResolvedLocker(Atom node, Locker.Tell fun) {
        Sync s = syncs.get(node);
        pending.remove(node);
        cancelLocker(node, s == null ? null : s.myTag, fun);
        reset(node);
    }

    /** sync_others/1: tell nodes learnt from another that we are in sync with them. */
    private void syncOthers(List<Atom> nodes) {
        for (Atom n : nodes) {
            Process.spawn(() -> Gns.cast(n, Tuple.of(Atom.of("in_sync"), self, Gns.TRUE)));
        }
    }

    /**
     * Another node lost {@code B} (or we are B and it lost us): pass the news on, and ask whichever
     * of the two we are still connected to to disconnect from us.
     */
    private void lostConnection(Tuple report) {
        if (report.size() != 5 || !partitions.fresh(report)) {
            return;
        }
        Atom a = (Atom) report.get(1);
        Atom b = (Atom) report.get(4);
        multicast(report, a);
        Atom gone = self == b ? a : b;
        if (!known.containsKey(gone) && !pending.containsKey(gone)) {
            return;
        }
        if (nodeVsn(gone) < 7) {
            table.disconnect(gone);
        } else if (table.nodes(true).contains(gone)) {
            Gns.plain(gone, Tuple.of(Atom.of("remove_connection"), self));
        }
        LOG.log(System.Logger.Level.WARNING, "'global' at node " + self + " requested disconnect from node " + gone
                + " in order to prevent overlapping partitions");
        nodeDown(gone, true);
    }

    /** gns_volatile_multicast/5: to known and pending nodes of version 7 or later, connected now. */
    private void multicast(Tuple msg, Atom except) {
        Set<Atom> to = new HashSet<>();
        known.forEach((n, v) -> {
            if (v >= 7) {
                to.add(n);
            }
        });
        pending.forEach((n, v) -> {
            if (v >= 7) {
                to.add(n);
            }
        });
        to.remove(except);
        to.retainAll(table.nodes(true));
        to.forEach(n -> Gns.plain(n, msg));
    }

    /** handle_nodedown/3; {@code removed}: the node was asked to go (remove_connection), not lost. */
    private void nodeDown(Atom node, boolean removed) {
        if (removed) {
            partitions.removing(node);
        } else {
            Tuple report = partitions.lost(self, node);
            if (report != null) {
                multicast(report, node);
            }
        }
        Sync s = syncs.get(node);
        cancelLocker(node, s == null ? null : s.myTag, null);
        Process.send(locker, new Locker.RemoveFromKnown(node));
        reset(node);
        pending.remove(node);
        known.remove(node);
        knownNodes = List.copyOf(known.keySet());
        synced.remove(node);
        for (Waiter w : waiters) {
            w.nodes().remove(node);
        }
        checkWaiters();
    }

    private void checkWaiters() {
        for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
            Waiter w = it.next();
            w.nodes().removeAll(synced);
            if (w.nodes().isEmpty()) {
                Process.send(w.from(), new Done(w.tag(), OK, null));
                it.remove();
            }
        }
    }

    private int nodeVsn(Atom node) {
        if (node == self) {
            return Gns.VSN;
        }
        Integer v = known.get(node);
        if (v == null) {
            v = pending.get(node);
        }
        return v == null ? 0 : v;
    }

    private List<Tuple> nodeVsnList(List<?> nodes) {
        List<Tuple> out = new ArrayList<>();
        for (Object n : nodes) {
            if (n instanceof Atom a) {
                out.add(Tuple.of(a, (long) nodeVsn(a)));
            } else if (n instanceof Tuple nv && nv.get(1) instanceof Long v && v == 0) {
                out.add(Tuple.of(nv.get(0), (long) nodeVsn((Atom) nv.get(0))));
            } else {
                out.add((Tuple) n);
            }
        }
        return out;
    }

    /** mk_known_list/2 for version 7 and later: [{Node, Vsn}]. */
    private List<Tuple> knownList() {
        List<Tuple> out = new ArrayList<>();
        known.forEach((n, v) -> out.add(Tuple.of(n, (long) v)));
        return List.copyOf(out);
    }

    private List<Atom> addToKnown(List<?> nodes) {
        List<Atom> added = new ArrayList<>();
        for (Object o : nodes) {
            Atom n = o instanceof Tuple t ? (Atom) t.get(0) : (Atom) o;
            int v = o instanceof Tuple t && t.get(1) instanceof Long l ? l.intValue() : 0;
            if (n != self && !known.containsKey(n)) {
                added.add(n);
                known.put(n, v);
            }
        }
        knownNodes = List.copyOf(known.keySet());
        return added;
    }

    // ---- names ----

    private void doOps(List<?> ops, Object from, List<?> extraInfo) {
        for (Object o : ops) {
            if (o instanceof Tuple op && op.get(0) == INSERT && op.get(1) instanceof Tuple n) {
                insName(n.get(0), (Pid) n.get(1), n.get(2), from, extraInfo);
            }
        }
        for (Object o : ops) {
            if (o instanceof Tuple op && op.get(0) == DELETE) {
                names.delete(op.get(1));
            }
        }
    }

    /** ins_name/6: the name goes again unless the registration still holds the global lock here. */
    private void insName(Object name, Pid pid, Object method, Object from, List<?> extraInfo) {
        names.insert(name, pid, method);
        if (!locks.stillSet(from, extraInfo)) {
            names.delete(name);
        }
    }

    private void down(Ref ref) {
        locks.down(ref);
        names.down(ref);
    }
}
