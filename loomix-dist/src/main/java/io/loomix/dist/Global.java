package io.loomix.dist;

import io.loomix.Atom;
import io.loomix.Down;
import io.loomix.Pid;
import io.loomix.Process;
import io.loomix.Ref;
import io.loomix.dist.global.GlobalServer;
import io.loomix.dist.term.Export;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

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
 * All methods need a started node ({@link Node#start}) and may be called from any thread.
 */
public final class Global {
    private static final Export RANDOM_EXIT_NAME = new Export(Atom.of("global"), Atom.of("random_exit_name"), 3);
    private static final Atom YES = Atom.of("yes");

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
