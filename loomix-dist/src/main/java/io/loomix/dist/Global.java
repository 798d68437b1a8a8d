package io.loomix.dist;

import io.loomix.Atom;
import io.loomix.Down;
import io.loomix.Pid;
import io.loomix.Process;
import io.loomix.Ref;
import io.loomix.Tuple;
import io.loomix.dist.global.GlobalServer;
import io.loomix.dist.global.UserLocks;
import io.loomix.internal.remote.RuntimeHooks;
import io.loomix.dist.term.Export;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Erlang's {@code global}: names that hold across every connected node, Loomix and erl alike.
 * {@snippet :
 * Global.register("counter", pid);            // global:register_name(counter, Pid) -> yes | no
 * Global.whereis("counter");                  // global:whereis_name(counter)  (on any node of the cluster)
 * Global.send("counter", Atom.of("tick"));    // global:send(counter, tick)
 * Global.unregister("counter");               // global:unregister_name(counter)
 * }
 * A name is held by one pid on every node that is connected; when nodes connect, their names are
 * merged, and a name both sides hold for different processes keeps the pid of the node with the
 * smaller name while the other process is killed ({@code global:random_exit_name/3}, the
 * default). A process that exits loses its name; the names of processes on a node that goes down
 * are released on every other node.
 *
 * <p>Names are Erlang terms: a {@code String} argument is taken as an atom, as
 * {@link Process#register(String, Pid)} does; any other term (a tuple, a number) is the name as given.
 * {@code register} and {@code unregister} take the cluster-wide lock and wait for every node, so
 * they cost a round trip to each node; {@code whereis} and {@code send} read this node's copy.
 *
 * <p>Locks ({@code global:set_lock/del_lock/trans}): a {@link LockId} is held on a set of nodes
 * by the processes that set it with the same requester id; any other requester's attempt fails
 * (and is retried) until the last holder deleted it or exited. Locks taken by erl processes
 * and by Loomix processes exclude each other, on any node that has both.
 * {@snippet :
 * var id = new Global.LockId("accounts", Process.self());
 * Global.trans(id, () -> transfer(from, to, 100));   // global:trans({accounts, self()}, Fun)
 * }
 * All methods need a started node ({@link Node#start}) and, except for {@code setLock} and
 * {@code delLock}, may be called from any thread.
 */
public final class Global {
    private static final Export RANDOM_EXIT_NAME = new Export(Atom.of("global"), Atom.of("random_exit_name"), 3);
    private static final Atom YES = Atom.of("yes");
    /** Retries without end (Erlang's infinity). */
    private static final long FOREVER = -1;

    private Global() {}

    /** {@code global:register_name/2}: true (yes) when the name was free everywhere and the pid had no global name. */
    public static boolean register(String name, Pid pid) {
        return register((Object) Atom.of(name), pid);
    }

    public static boolean register(Object name, Pid pid) {
        Objects.requireNonNull(name, "Global.register: name");
        Objects.requireNonNull(pid, "Global.register: pid");
        GlobalServer s = server("register");
        return transaction(s, new GlobalServer.Register(name, pid, RANDOM_EXIT_NAME)) == YES;
    }

    /** {@code global:unregister_name/1}: the name is free on every node afterwards (no-op when unknown). */
    public static void unregister(String name) {
        unregister((Object) Atom.of(name));
    }

    public static void unregister(Object name) {
        Objects.requireNonNull(name, "Global.unregister: name");
        GlobalServer s = server("unregister");
        if (s.where(name) != null) {
            transaction(s, new GlobalServer.Unregister(name));
        }
    }

    /** {@code global:whereis_name/1}. */
    public static Optional<Pid> whereis(String name) {
        return whereis((Object) Atom.of(name));
    }

    public static Optional<Pid> whereis(Object name) {
        return Optional.ofNullable(server("whereis").where(Objects.requireNonNull(name, "Global.whereis: name")));
    }

    /**
     * {@code global:send/2}: sends to the process holding the name and returns its pid.
     *
     * @throws IllegalArgumentException when no process holds the name (erl exits {@code {badarg, {Name, Msg}}})
     */
    public static Pid send(String name, Object message) {
        return send((Object) Atom.of(name), message);
    }

    public static Pid send(Object name, Object message) {
        Pid pid = whereis(name).orElseThrow(() -> new IllegalArgumentException("no process is globally registered as "
                + name + ": register it with Global.register first (global:send exits with badarg here)"));
        Process.send(pid, message);
        return pid;
    }

    /** {@code global:registered_names/0}: the names this node knows. */
    public static List<Object> registeredNames() {
        return server("registeredNames").registeredNames();
    }

    /**
     * {@code global:sync()}, bounded: waits until this node has exchanged names with every visible
     * node it is connected to. False when that did not happen within {@code timeout}.
     */
    public static boolean sync(Duration timeout) {
        GlobalServer s = server("sync");
        return Process.run(() -> {
            Ref tag = Process.makeRef();
            Process.send(s.pid(), new GlobalServer.SyncRequest(Process.self(), tag));
            return Process.receive(tag, timeout, m -> m instanceof GlobalServer.Done d && d.tag().equals(tag) ? true : null,
                    () -> false);
        });
    }

    /**
     * Erlang's lock id {@code {ResourceId, LockRequesterId}}. Holders with equal requester ids
     * share the lock (a lock set twice by one process is still held once). A {@code String}
     * resource or requester is taken as an atom.
     */
    public record LockId(Object resource, Object requester) {
        public LockId {
            Objects.requireNonNull(resource, "Global.LockId: resource");
            Objects.requireNonNull(requester, "Global.LockId: requester");
            resource = resource instanceof String s ? Atom.of(s) : resource;
            requester = requester instanceof String s ? Atom.of(s) : requester;
        }

        Tuple term() {
            return Tuple.of(resource, requester);
        }
    }

    /**
     * {@code global:set_lock(Id)}: sets the lock for the calling process on this node and every
     * visible node, retrying until it is set (so it returns true, perhaps much later). The
     * process holds it until {@link #delLock} or its exit.
     *
     * @throws IllegalStateException when not called from a process (the lock would have no holder)
     */
    public static boolean setLock(LockId id) {
        return lock(id, allNodes(), FOREVER);
    }

    /** {@code global:set_lock(Id, Nodes)}: on {@code nodes} only, retrying until it is set. */
    public static boolean setLock(LockId id, List<Atom> nodes) {
        return lock(id, nodes, FOREVER);
    }

    /**
     * {@code global:set_lock(Id, Nodes, Retries)}: one attempt and at most {@code retries} more,
     * each after a random pause (1/4 s at first, doubling up to 8 s, as global.erl). False when
     * another requester held the lock on one of the nodes every time; then it is held nowhere.
     * Nodes that are not connected (or go down meanwhile) are left out, as in Erlang.
     */
    public static boolean setLock(LockId id, List<Atom> nodes, int retries) {
        return lock(id, nodes, checked(retries));
    }

    private static boolean lock(LockId id, List<Atom> nodes, long retries) {
        Objects.requireNonNull(id, "Global.setLock: id");
        List<Atom> on = List.copyOf(Objects.requireNonNull(nodes, "Global.setLock: nodes"));
        GlobalServer s = server("setLock");
        requireProcess("setLock");
        return UserLocks.set(s, id.term(), on, retries);
    }

    /** {@code global:del_lock(Id)}: the calling process lets go of the lock on this node and every visible node. */
    public static void delLock(LockId id) {
        delLock(id, allNodes());
    }

    /**
     * {@code global:del_lock(Id, Nodes)}: the calling process lets go of the lock on {@code nodes};
     * the lock stays set where other processes of the same requester hold it.
     */
    public static void delLock(LockId id, List<Atom> nodes) {
        Objects.requireNonNull(id, "Global.delLock: id");
        List<Atom> on = List.copyOf(Objects.requireNonNull(nodes, "Global.delLock: nodes"));
        server("delLock");
        requireProcess("delLock");
        UserLocks.delete(id.term(), on);
    }

    /**
     * {@code global:trans(Id, Fun)}: runs {@code fun} while holding the lock on this node and every
     * visible node (waiting as long as it takes to set it), releases it afterwards, also when
     * {@code fun} throws, and returns its result. From a plain thread it runs in a process of its own.
     */
    public static <T> T trans(LockId id, Supplier<T> fun) {
        return trans(id, fun, allNodes());
    }

    /** {@code global:trans(Id, Fun, Nodes)}: the lock on {@code nodes}. */
    public static <T> T trans(LockId id, Supplier<T> fun, List<Atom> nodes) {
        return transact(id, fun, nodes, FOREVER).orElse(null);
    }

    /**
     * {@code global:trans(Id, Fun, Nodes, Retries)}: as {@link #setLock(LockId, List, int)} for the
     * lock; empty when it could not be set (Erlang's {@code aborted}, and {@code fun} did not run).
     * A {@code fun} that returns null also gives empty.
     */
    public static <T> Optional<T> trans(LockId id, Supplier<T> fun, List<Atom> nodes, int retries) {
        return transact(id, fun, nodes, checked(retries));
    }

    private static <T> Optional<T> transact(LockId id, Supplier<T> fun, List<Atom> nodes, long retries) {
        Objects.requireNonNull(id, "Global.trans: id");
        Objects.requireNonNull(fun, "Global.trans: fun");
        List<Atom> on = List.copyOf(Objects.requireNonNull(nodes, "Global.trans: nodes"));
        GlobalServer s = server("trans");
        return Process.run(() -> {
            if (!UserLocks.set(s, id.term(), on, retries)) {
                return Optional.<T>empty();
            }
            try {
                return Optional.ofNullable(fun.get());
            } finally {
                UserLocks.delete(id.term(), on);
            }
        });
    }

    private static long checked(int retries) {
        if (retries < 0) {
            throw new IllegalArgumentException("retries must be 0 or more, was " + retries
                    + " (use the overload without retries to retry until the lock is set)");
        }
        return retries;
    }

    /** [node() | nodes()]. */
    private static List<Atom> allNodes() {
        List<Atom> all = new java.util.ArrayList<>(List.of(Process.node()));
        all.addAll(Node.list());
        return all;
    }

    private static void requireProcess(String what) {
        if (RuntimeHooks.selfOrNull() == null) {
            throw new IllegalStateException("Global." + what + " sets or deletes the lock for the calling process,"
                    + " so it must be called from a process (Process.spawn or Process.run); Global.trans needs none");
        }
    }

    private static Object transaction(GlobalServer s, GlobalServer.Op op) {
        Object result = Process.run(() -> {
            Ref mon = Process.monitor(s.pid());
            Ref tag = Process.makeRef();
            Process.send(s.pid(), new GlobalServer.Trans(op, Process.self(), tag));
            Object r = Process.receive(m -> m instanceof GlobalServer.Done d && d.tag().equals(tag) ? d
                    : m instanceof Down d && d.ref().equals(mon) ? d : null);
            Process.demonitor(mon, true);
            return r;
        });
        if (result instanceof Down) {
            throw new IllegalStateException("the global name server stopped (the node was stopped) before the name was registered");
        }
        GlobalServer.Done done = (GlobalServer.Done) result;
        if (done.error() != null) {
            throw new IllegalStateException("the global name transaction failed: " + done.error());
        }
        return done.value();
    }

    private static GlobalServer server(String what) {
        GlobalServer s = GlobalServer.current();
        if (s == null) {
            throw new IllegalStateException("Global." + what + " needs a started node: call Node.start(name, cookie, options) first");
        }
        return s;
    }
}
