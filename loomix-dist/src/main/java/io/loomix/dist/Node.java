package io.loomix.dist;

import io.loomix.Atom;
import io.loomix.LocalNode;
import io.loomix.Name;
import io.loomix.Pid;
import io.loomix.Process;
import io.loomix.Ref;
import io.loomix.Tuple;
import io.loomix.dist.epmd.Epmd;
import io.loomix.dist.epmd.EpmdClient;
import io.loomix.dist.epmd.EpmdNode;
import io.loomix.dist.epmd.EpmdServer;
import io.loomix.dist.handshake.DistFlags;
import io.loomix.dist.handshake.Handshake;
import io.loomix.dist.net.Connection;
import io.loomix.dist.net.NodeTable;
import io.loomix.dist.net.Services;
import io.loomix.dist.rpc.IoServer;
import io.loomix.dist.rpc.Lambdas;
import io.loomix.dist.rpc.Rex;
import io.loomix.dist.rpc.SpawnService;
import io.loomix.internal.remote.RuntimeHooks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * This JVM as an Erlang node: a name, a cookie, connections to other nodes (erl, iex, Loomix).
 * {@snippet :
 * Node.start("loomix", "secret", NodeOptions.DEFAULT);    // loomix@myhost, registered with epmd
 * Node.ping("x@myhost");                                   // pong (or pang)
 * Node.list();                                             // [x@myhost]
 * Process.send(Name.of("shell", "x@myhost"), Atom.of("hi")); // {shell, 'x@myhost'} ! hi
 * }
 * Once started, {@link Process#send(Pid, Object)} to a pid of another node and
 * {@link Process#send(Name, Object)} to {@code {name, node}} go over the network, connecting on
 * first use as Erlang does; messages from one process to one node arrive in the order sent while
 * the connection lasts. Delivery is not guaranteed across a lost connection.
 *
 * <p>One node per JVM, as one node per BEAM. All methods are safe from any thread.
 */
public final class Node {
    private static final System.Logger LOG = System.getLogger("io.loomix.dist");
    private static final Atom PONG = Atom.of("pong");
    private static final Atom PANG = Atom.of("pang");
    private static final Atom YES = Atom.of("yes");
    private static final Atom LAMBDA = Atom.of("loomix_lambda");
    private static final Atom RUN = Atom.of("run");

    private record Running(NodeTable table, ServerSocket listener, EpmdClient.Registration registration,
                           EpmdServer embeddedEpmd, Services services, String cookie, Duration setupTime,
                           Duration spawnWait) {}

    private static volatile Running running;

    private Node() {}

    /** Starts the node with the cookie from {@code LOOMIX_COOKIE} or {@code ~/.erlang.cookie}. */
    public static Atom start(String name) {
        return start(name, null, NodeOptions.DEFAULT);
    }

    public static Atom start(String name, String cookie) {
        return start(name, cookie, NodeOptions.DEFAULT);
    }

    /**
     * Names this node and makes it reachable: listens, registers with epmd (starting an embedded
     * epmd when none runs), starts net_kernel, global_name_server and rex.
     *
     * @param name    {@code name} (completed with this host, short or long per the options) or {@code name@host}
     * @param cookie  the shared secret; null: {@code LOOMIX_COOKIE}, else {@code ~/.erlang.cookie} (made when missing)
     * @return the node's full name, {@code node()}
     * @throws IllegalStateException when the node is already started
     * @throws UncheckedIOException when the name is taken or the network cannot be set up
     */
    public static synchronized Atom start(String name, String cookie, NodeOptions options) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(options, "options");
        if (running != null) {
            throw new IllegalStateException("this node is already started as " + LocalNode.name()
                    + "; call Node.stop() first (one node per JVM)");
        }
        String full = fullName(name, options.longNames());
        String alive = full.substring(0, full.indexOf('@'));
        String secret = Cookie.resolve(cookie, Path.of(System.getProperty("user.home")));
        int epmdPort = options.epmdPort() > 0 ? options.epmdPort() : Epmd.portFromEnvironment();
        ServerSocket listener = null;
        EpmdServer embedded = null;
        EpmdClient.Registration reg = null;
        NodeTable started = null;
        Services services = null;
        try {
            listener = NodeTable.listener(options.listenPort());
            EpmdNode me = new EpmdNode(alive, listener.getLocalPort(), false);
            EpmdClient epmd = EpmdClient.local(epmdPort);
            try {
                reg = epmd.register(me);
            } catch (IOException e) {
                if (!(e.getCause() instanceof ConnectException)) {
                    throw e;
                }
                embedded = EpmdServer.start(epmdPort);
                LOG.log(System.Logger.Level.INFO, "No epmd runs on port " + epmdPort + ": started an embedded one");
                reg = epmd.register(me);
            }
            Atom node = Atom.of(full);
            LocalNode.start(node, reg.creation());
            long flags = DistFlags.LOOMIX | (options.hidden() ? 0 : DistFlags.PUBLISHED);
            var table = new NodeTable(new NodeTable.Settings(
                    new Handshake.Identity(full, flags, reg.creation(), secret), epmdPort,
                    new Connection.Options(options.tickTime(), options.maxMessage(), options.busyLimit()), options.setupTime(),
                    options.registry()));
            RuntimeHooks.installRemote(table);
            started = table;
            table.listen(listener);
            services = Services.start(node, table, Rex::handle, new IoServer()::handle);
            table.fallbackSender(services.netKernel());
            table.groupLeader(services.groupLeader());
            table.spawnServer(new SpawnService(table));
            // plus, not multipliedBy(2): that goes through BigDecimal, whose first use computes
            // 5^65536 in BigDecimal's static initialiser (20-50 ms at every node start, and C2's time
            // for the OSR compilations it sets off)
            running = new Running(table, listener, reg, embedded, services, secret, options.setupTime(),
                    options.setupTime().plus(options.tickTime()).plus(options.tickTime()));
            return node;
        } catch (IOException | RuntimeException e) {
            // Undo what was started, so a failed start leaves the node as it was (not half alive).
            if (services != null) {
                services.stop();
            }
            if (started != null) {
                started.stop();
                RuntimeHooks.installRemote(null);
            }
            if (LocalNode.isAlive()) {
                LocalNode.stop();
            }
            if (reg != null) {
                reg.close();
            }
            if (embedded != null) {
                embedded.close();
            }
            if (listener != null) {
                try {
                    listener.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot start node " + full + ": " + io.getMessage(), io);
            }
            throw (RuntimeException) e;
        }
    }

    /**
     * Stops distribution: ends the node's {@link Gossip}, closes every connection, unregisters
     * from epmd, returns the node to {@code nonode@nohost}. Pids made meanwhile stay valid local pids.
     */
    public static synchronized void stop() {
        Running r = running;
        if (r == null) {
            return;
        }
        Gossip.stop(); // its heartbeats would name a node that is gone
        running = null;
        r.services.stop();
        r.table.stop();
        RuntimeHooks.installRemote(null);
        try {
            r.listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        r.registration.close();
        if (r.embeddedEpmd != null) {
            r.embeddedEpmd.close();
        }
        LocalNode.stop();
    }

    /** {@code node()}: this node's name, {@code nonode@nohost} when not started. */
    public static Atom self() {
        return LocalNode.name();
    }

    /** Whether {@link #start} has run (and not {@link #stop}). */
    public static synchronized boolean alive() {
        return running != null;
    }

    /** {@code nodes()}: the visible nodes this node is connected to. */
    public static List<Atom> list() {
        Running r = running;
        return r == null ? List.of() : r.table.nodes(false);
    }

    /** {@code nodes(connected)}: visible and hidden. */
    public static List<Atom> listAll() {
        Running r = running;
        return r == null ? List.of() : r.table.nodes(true);
    }

    /** {@code erlang:get_cookie()}. */
    public static String cookie() {
        Running r = require("cookie");
        return r.cookie;
    }

    /** {@code net_adm:ping(Node)}: {@code pong} when the node answers, {@code pang} otherwise. */
    public static Atom ping(String node) {
        return ping(Atom.of(node));
    }

    public static Atom ping(Atom node) {
        Running r = require("ping");
        if (node == self()) {
            return PONG;
        }
        if (!r.table.connect(node)) {
            return PANG;
        }
        Object reply = Process.run(() -> {
            Ref tag = Process.makeRef();
            Process.send(new Name(Atom.of("net_kernel"), node),
                    Tuple.of(Atom.of("$gen_call"), Tuple.of(Process.self(), tag), Tuple.of(Atom.of("is_auth"), self())));
            return Process.receive(tag, r.setupTime, m -> m instanceof Tuple t && t.size() == 2 && tag.equals(t.get(0))
                    ? t.get(1) : null, () -> PANG);
        });
        if (reply == YES) {
            return PONG;
        }
        r.table.disconnect(node);
        return PANG;
    }

    /** {@code monitor_node(Node, true)}: the calling process gets {@link NodeDown} when the node goes. */
    public static void monitor(Atom node) {
        require("monitor").table.monitor(node, Process.self());
    }

    public static void monitor(String node) {
        monitor(Atom.of(node));
    }

    /** {@code net_kernel:monitor_nodes(true)}: {@link NodeUp} and {@link NodeDown} for every visible node. */
    public static void monitorAll() {
        require("monitorAll").table.watchAll(Process.self(), true);
    }

    /** {@code net_kernel:monitor_nodes(false)}. */
    public static void demonitorAll() {
        require("demonitorAll").table.watchAll(Process.self(), false);
    }

    /** {@code erlang:disconnect_node(Node)}: true when it was connected. */
    public static boolean disconnect(Atom node) {
        return require("disconnect").table.disconnect(node);
    }

    public static boolean disconnect(String node) {
        return disconnect(Atom.of(node));
    }

    /** {@code net_kernel:connect_node(Node)}: true when connected (now or already). */
    public static boolean connect(String node) {
        return require("connect").table.connect(Atom.of(node));
    }

    // ---- spawning on a node ----

    /**
     * {@code erlang:spawn(Node, Module, Function, Args)}: runs the public static method
     * {@code function} of class {@code module} (overload chosen by the arguments) in a new process
     * on {@code node}, a Loomix node (or this one). Returns once the node has answered. An
     * unreachable node gives, as in Erlang, the pid of a process that exits {@code noconnection}
     * at once; a function that does not exist there makes the new process exit
     * {@code {undef, [{Module, Function, Args, []}]}}.
     *
     * @param args Java values that are terms (numbers, strings, atoms, pids, tuples, lists, ...)
     */
    public static Pid spawn(String node, Class<?> module, String function, List<?> args) {
        return spawn(Atom.of(node), Atom.of(module.getName()), Atom.of(function), args);
    }

    /** {@code erlang:spawn/4} with an Erlang module: {@code Node.spawn(erlNode, Atom.of("io"), Atom.of("format"), List.of("hi~n"))}. */
    public static Pid spawn(Atom node, Atom module, Atom function, List<?> args) {
        return Spawns.spawn(table(), spawnWait(), node, module, function, args, Spawns.Kind.PLAIN).pid();
    }

    /** {@code erlang:spawn_link/4}: the new process is linked to the caller (a process) from its first moment. */
    public static Pid spawnLink(String node, Class<?> module, String function, List<?> args) {
        return spawnLink(Atom.of(node), Atom.of(module.getName()), Atom.of(function), args);
    }

    public static Pid spawnLink(Atom node, Atom module, Atom function, List<?> args) {
        return Spawns.spawn(table(), spawnWait(), node, module, function, args, Spawns.Kind.LINK).pid();
    }

    /** {@code erlang:spawn_monitor/4}: the caller (a process) gets a {@link io.loomix.Down} when it exits. */
    public static Process.Monitored spawnMonitor(String node, Class<?> module, String function, List<?> args) {
        return spawnMonitor(Atom.of(node), Atom.of(module.getName()), Atom.of(function), args);
    }

    public static Process.Monitored spawnMonitor(Atom node, Atom module, Atom function, List<?> args) {
        var s = Spawns.spawn(table(), spawnWait(), node, module, function, args, Spawns.Kind.MONITOR);
        return new Process.Monitored(s.pid(), s.ref());
    }

    /**
     * Spawns a lambda on another Loomix node, as {@code spawn(Node, Fun)}: its class must exist
     * there too, and what it captures must be terms.
     * {@snippet :
     * int n = 42;
     * Pid p = Node.spawn(Atom.of("other@host"), () -> Process.send(Name.of("log", "me@host"), n));
     * }
     *
     * @throws IllegalArgumentException when fn captures a value that is not a term
     */
    public static Pid spawn(Atom node, RemoteRunnable fn) {
        return spawn(node, LAMBDA, RUN, List.of(Lambdas.toTerm(fn)));
    }

    public static Pid spawnLink(Atom node, RemoteRunnable fn) {
        return spawnLink(node, LAMBDA, RUN, List.of(Lambdas.toTerm(fn)));
    }

    public static Process.Monitored spawnMonitor(Atom node, RemoteRunnable fn) {
        return spawnMonitor(node, LAMBDA, RUN, List.of(Lambdas.toTerm(fn)));
    }

    /**
     * Where spawn requests and rpc from other nodes look a module up before the class path: for
     * code loaded at run time, e.g. {@code Node.classResolver(name ->
     * Code.server().currentClass(name).orElse(null))}, so a class that arrived by {@code nl} can be
     * spawned and called by name. The resolver returns null for names it does not know; null
     * removes it. Called for every request, from any thread.
     */
    public static void classResolver(java.util.function.Function<String, Class<?>> resolver) {
        io.loomix.dist.rpc.Apply.classResolver(resolver);
    }

    /** The connection table, null when the node is not started. */
    static NodeTable table() {
        Running r = running;
        return r == null ? null : r.table;
    }

    private static Duration spawnWait() {
        Running r = running;
        return r == null ? Duration.ZERO : r.spawnWait;
    }

    private static synchronized Running require(String what) {
        if (running == null) {
            throw new IllegalStateException("Node." + what + " needs a started node: call Node.start(name, cookie, options) first");
        }
        return running;
    }

    /** name -> name@host (short or long host name); name@host as is. */
    static String fullName(String name, boolean longNames) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a node name must not be empty");
        }
        int at = name.indexOf('@');
        if (at == 0 || at == name.length() - 1 || name.indexOf('@', at + 1) >= 0) {
            throw new IllegalArgumentException("'" + name + "' is not a node name: use name or name@host");
        }
        if (at > 0) {
            return name;
        }
        try {
            InetAddress local = InetAddress.getLocalHost();
            String host = longNames ? local.getCanonicalHostName() : local.getHostName();
            int dot = host.indexOf('.');
            if (!longNames && dot > 0) {
                host = host.substring(0, dot);
            }
            return name + "@" + host;
        } catch (UnknownHostException e) {
            throw new UncheckedIOException("cannot find this host's name to complete '" + name
                    + "': give the node as name@host", e);
        }
    }
}
