package io.loomix.internal;

import io.loomix.Atom;
import io.loomix.ExitReason;
import io.loomix.Name;
import io.loomix.Pid;
import io.loomix.Ref;
import io.loomix.internal.remote.RemoteNode;

import java.util.HashSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signals that cross to other nodes. Outbound, the runtime's side of a link, monitor or exit for a
 * process of another node (recorded here and on the local {@link Proc}, then handed to
 * {@link RemoteNode}); inbound, what a peer node asks of this node's processes (links, unlinks,
 * exit signals, monitors, Downs, and the loss of the peer itself); and the index of every link and
 * monitor that crosses to each peer node.
 *
 * <p>Remote links and watchers live on the local {@link Proc} like local ones (a remote pid in
 * its links, a remote watcher in its watchers), so a local death sends its EXIT and
 * MONITOR_P_EXIT through {@link RemoteNode}. The per-node index is what makes a node-down cost
 * what it touches: {@link #nodeDown} walks the entries of that one node, never the process table.
 * An entry may outlive what it stands for by a moment (a link the process just dropped); every
 * action on it checks the process's own state first, so a stale entry is harmless.
 *
 * <p>Any thread (distribution calls these from connection reader threads).
 */
public final class RemoteSignals {
    private final Kernel kernel;
    private final ConcurrentHashMap<Atom, NodeSet> byNode = new ConcurrentHashMap<>();

    /** What crosses to a peer node: a link, a monitor held here, a monitor held there on a local process. */
    sealed interface Entry {}

    /** {@code local} is linked to {@code remote}. */
    record Link(Pid local, Pid remote) implements Entry {}

    /** {@code local} holds the monitor {@code ref} on a process of the peer. */
    record Held(Pid local, Ref ref) implements Entry {}

    /** A process of the peer watches {@code local} with {@code ref}. */
    record Watched(Pid local, Ref ref) implements Entry {}

    /**
     * The entries of one peer. Closed by a node-down: an add that races it then starts a new set,
     * so no entry is added to a set that has already been drained.
     */
    private static final class NodeSet {
        HashSet<Entry> entries = new HashSet<>();
        boolean closed;
    }

    RemoteSignals(Kernel kernel) {
        this.kernel = kernel;
    }

    // ---- the index ----

    /** Adds {@code e} to the entries of {@code node}'s present connection; returns their set. */
    private NodeSet add(Atom node, Entry e) {
        while (true) {
            NodeSet s = byNode.computeIfAbsent(node, n -> new NodeSet());
            if (addTo(s, e)) {
                return s;
            }
            byNode.remove(node, s); // closed by a node-down meanwhile: start the next connection's set
        }
    }

    /**
     * The links and monitors of {@code node}'s present connection, as a token for links and monitors
     * made later on that connection's behalf (see {@link #linkFrom(Pid, Pid, Object)}).
     */
    public Object connectionOf(Atom node) {
        return byNode.computeIfAbsent(node, n -> new NodeSet());
    }

    /** Adds {@code e} to {@code s}; false if its connection has gone down. */
    private static boolean addTo(NodeSet s, Entry e) {
        synchronized (s) {
            if (s.closed) {
                return false;
            }
            s.entries.add(e);
            return true;
        }
    }

    /** Whether the connection whose entries {@code s} holds has gone down since. */
    private static boolean wentDown(NodeSet s) {
        synchronized (s) {
            return s.closed;
        }
    }

    void remove(Atom node, Entry e) {
        NodeSet s = byNode.get(node);
        if (s != null) {
            synchronized (s) {
                s.entries.remove(e);
            }
        }
    }

    /** How many links and monitors cross to {@code node} (for tests and introspection). */
    public int count(Atom node) {
        NodeSet s = byNode.get(node);
        if (s == null) {
            return 0;
        }
        synchronized (s) {
            return s.entries.size();
        }
    }

    // ---- outbound: what the runtime sends a peer (Kernel calls these for non-local targets) ----

    void sendRemote(Ref alias, Object message) {
        RemoteNode r = kernel.remote();
        if (r != null) {
            r.aliasSend(kernel.selfOrNull(), alias, message);
        }
    }

    /**
     * link/1 to a remote pid: recorded here at once, answered by the peer only if the target is
     * gone (an EXIT {@code noproc}), as Erlang's link to a remote pid returns before it knows.
     * Without distribution the link breaks at once with {@code noconnection}.
     */
    void linkRemote(Proc me, Pid other) {
        Proc.Linked added = me.addLink(other);
        if (added == Proc.Linked.GONE) {
            me.checkExit();
            return;
        }
        if (added == Proc.Linked.ALREADY) {
            return;
        }
        NodeSet s = add(other.node(), new Link(me.pid, other));
        RemoteNode r = kernel.remote();
        if (r == null) {
            nodeDown(other.node());
            me.checkExit();
        } else {
            r.link(me.pid, other);
            if (wentDown(s)) {
                // See monitorRemote: the link broke with noconnection, so undo it on the next connection.
                r.unlink(me.pid, other);
            }
        }
    }

    void unlinkRemote(Proc me, Pid other, boolean had) {
        if (!had) {
            return;
        }
        remove(other.node(), new Link(me.pid, other));
        RemoteNode r = kernel.remote();
        if (r != null) {
            r.unlink(me.pid, other);
        }
    }

    void linkExitRemote(Pid from, Pid to, ExitReason reason) {
        remove(to.node(), new Link(from, to));
        RemoteNode r = kernel.remote();
        if (r != null) {
            r.linkExit(from, to, reason);
        }
    }

    /**
     * A monitor of a remote pid or Name: held here, its Down comes from the peer or a node-down.
     *
     * <p>A monitor belongs to the connection it went out on, as in ERTS. It is indexed before it is
     * sent, so a connection that goes down in between fires it with {@code noconnection}; its
     * MONITOR_P may then have gone out on the next connection (distribution queues it for the new
     * attempt), where the peer would keep a monitor that no one holds here. So a monitor whose
     * connection went down while it was sent is demonitored again: the DEMONITOR_P follows the
     * MONITOR_P on whichever connection took it, and is dropped if none did (distribution dials for
     * neither). Distribution closes a connection's entries at the moment it stops routing to it.
     */
    void monitorRemote(Proc me, Ref ref, Proc.Held held, Object target) {
        Atom node = nodeOf(target);
        me.addMonitor(ref, held);
        NodeSet s = add(node, new Held(me.pid, ref));
        RemoteNode r = kernel.remote();
        if (r == null) {
            nodeDown(node);
        } else {
            r.monitor(me.pid, target, ref);
            if (wentDown(s)) {
                r.demonitor(me.pid, target, ref);
            }
        }
    }

    void demonitorRemote(Proc owner, Ref ref, Object target) {
        remove(nodeOf(target), new Held(owner.pid, ref));
        RemoteNode r = kernel.remote();
        if (r != null) {
            r.demonitor(owner.pid, target, ref);
        }
    }

    void downRemote(Pid dead, Proc.Watcher watcher, Ref ref, ExitReason reason) {
        remove(watcher.pid().node(), new Watched(dead, ref));
        RemoteNode r = kernel.remote();
        if (r != null) {
            r.down(watcher.object(), watcher.pid(), ref, reason);
        }
    }

    // ---- inbound: what a peer asks ----

    /** LINK from a remote process; a dead or unknown target answers with an EXIT {@code noproc}. */
    public void linkFrom(Pid from, Pid to) {
        if (tryLinkFrom(from, to)) {
            return;
        }
        RemoteNode r = kernel.remote();
        if (r != null) {
            r.linkExit(to, from, ExitReason.NOPROC);
        }
    }

    /**
     * A link from a remote process to {@code to}, or false, with no signal sent, when {@code to}
     * is gone (distribution then says why itself: a spawn reply whose requester died sends the
     * requester's own exit reason, not noproc).
     */
    public boolean tryLinkFrom(Pid from, Pid to) {
        Proc target = kernel.lookup(to);
        if (target != null && target.addLink(from) != Proc.Linked.GONE) {
            add(from.node(), new Link(to, from));
            return true;
        }
        return false;
    }

    /** UNLINK_ID from a remote process (distribution sends the acknowledgement). */
    public void unlinkFrom(Pid from, Pid to) {
        Proc target = kernel.lookup(to);
        if (target != null) {
            target.removeLink(from);
        }
        remove(from.node(), new Link(to, from));
    }

    /** EXIT: a linked remote process exited; takes effect only if the link is still there. */
    public void linkExitFrom(Pid from, Pid to, ExitReason reason) {
        Proc target = kernel.lookup(to);
        if (target != null) {
            target.linkSignal(from, reason);
        }
        remove(from.node(), new Link(to, from));
    }

    /** EXIT2: exit/2 sent by a remote process. */
    public void exitFrom(Pid from, Pid to, ExitReason reason) {
        Proc target = kernel.lookup(to);
        if (target != null) {
            target.exitSignal(from, reason, false);
        }
    }

    /**
     * A link from a remote process asked for on the connection {@code connection} (a token of
     * {@link #connectionOf}), made later, as a spawn request's new process makes it: if that
     * connection has gone down meanwhile, the link breaks at once with {@code noconnection}, as it
     * would have if it had been made before, instead of joining the next connection's links.
     */
    public void linkFrom(Pid from, Pid to, Object connection) {
        Proc target = kernel.lookup(to);
        if (target == null || target.addLink(from) == Proc.Linked.GONE) {
            return;
        }
        if (!addTo((NodeSet) connection, new Link(to, from))) {
            target.linkSignal(from, ExitReason.NOCONNECTION);
        }
    }

    /** A monitor from a remote process made on behalf of {@code connection}, as {@link #linkFrom(Pid, Pid, Object)}: dropped if it has gone down. */
    public void monitorFrom(Pid watcher, Pid target, Ref ref, Object connection) {
        Proc proc = kernel.lookup(target);
        if (proc == null || !proc.addWatcher(ref, new Proc.Watcher(watcher, target))) {
            return;
        }
        if (!addTo((NodeSet) connection, new Watched(proc.pid, ref))) {
            proc.removeWatcher(ref);
        }
    }

    /**
     * MONITOR_P: a remote process monitors {@code target}, a local pid or a registered name (an
     * {@link Atom}). A missing target answers with a MONITOR_P_EXIT {@code noproc} at once.
     */
    public void monitorFrom(Pid watcher, Object target, Ref ref) {
        Proc proc = switch (target) {
            case Pid pid -> kernel.lookup(pid);
            case Atom name -> kernel.names().registeredProc(name);
            default -> null;
        };
        if (proc != null && proc.addWatcher(ref, new Proc.Watcher(watcher, target))) {
            add(watcher.node(), new Watched(proc.pid, ref));
            return;
        }
        RemoteNode r = kernel.remote();
        if (r != null) {
            r.down(target, watcher, ref, ExitReason.NOPROC);
        }
    }

    /** DEMONITOR_P: the remote watcher dropped its monitor. */
    public void demonitorFrom(Pid watcher, Object target, Ref ref) {
        Proc proc = switch (target) {
            case Pid pid -> kernel.lookup(pid);
            case Atom name -> kernel.names().registeredProc(name);
            default -> null;
        };
        if (proc != null) {
            proc.removeWatcher(ref);
            remove(watcher.node(), new Watched(proc.pid, ref));
        }
    }

    /**
     * A spawn request with the monitor option was answered: the peer already watches
     * {@code spawned} for {@code watcher} with {@code ref} (the request's id), so only this side is
     * recorded. A requester that is gone meanwhile drops the peer's side.
     */
    public void spawnMonitored(Pid watcher, Pid spawned, Ref ref) {
        Proc w = kernel.lookup(watcher);
        if (w != null) {
            w.addMonitor(ref, new Proc.Held(spawned, spawned, null, false));
            add(spawned.node(), new Held(watcher, ref));
            return;
        }
        RemoteNode r = kernel.remote();
        if (r != null) {
            r.demonitor(watcher, spawned, ref);
        }
    }

    /** MONITOR_P_EXIT: a process a local one monitors is gone; the Down names what was monitored. */
    public void downFrom(Atom node, Pid watcher, Ref ref, ExitReason reason) {
        Proc w = kernel.lookup(watcher);
        if (w != null) {
            w.monitorDown(ref, (Object) null, reason);
            remove(node, new Held(w.pid, ref));
        }
    }

    /**
     * The connection to {@code node} is lost (or could not be made): every link to it delivers
     * {@code noconnection}, every monitor on it a Down {@code noconnection}, and its monitors on
     * local processes are dropped. Costs what the node touches.
     */
    public void nodeDown(Atom node) {
        nodeClosing(node).run();
    }

    /**
     * The first half of {@link #nodeDown}, for distribution to call at the moment it stops routing
     * to {@code node}'s connection (under its own lock, so nothing routed after that is indexed
     * with the old connection's entries): closes them, and returns what delivers their
     * {@code noconnection}, to run after the lock is released. Takes constant time.
     */
    public Runnable nodeClosing(Atom node) {
        NodeSet s = byNode.remove(node);
        if (s == null) {
            return () -> {};
        }
        HashSet<Entry> entries;
        synchronized (s) {
            s.closed = true;
            entries = s.entries;
            s.entries = new HashSet<>();
        }
        return () -> deliverNoconnection(entries);
    }

    private void deliverNoconnection(HashSet<Entry> entries) {
        for (Entry e : entries) {
            switch (e) {
                case Link(Pid local, Pid remote) -> {
                    Proc p = kernel.lookup(local);
                    if (p != null) {
                        p.linkSignal(remote, ExitReason.NOCONNECTION);
                    }
                }
                case Held(Pid local, Ref ref) -> {
                    Proc p = kernel.lookup(local);
                    if (p != null) {
                        p.monitorDown(ref, (Object) null, ExitReason.NOCONNECTION);
                    }
                }
                case Watched(Pid local, Ref ref) -> {
                    Proc p = kernel.lookup(local);
                    if (p != null) {
                        p.removeWatcher(ref);
                    }
                }
            }
        }
    }

    /** The node a monitor target lives on: a pid's node, or a Name's. */
    static Atom nodeOf(Object target) {
        return switch (target) {
            case Pid p -> p.node();
            case Name n -> n.node();
            default -> throw new IllegalArgumentException("not a monitor target: " + target);
        };
    }
}
