package io.loomix.dist.net;

import io.loomix.Atom;
import io.loomix.ExitReason;
import io.loomix.Name;
import io.loomix.Pid;
import io.loomix.Process;
import io.loomix.Ref;
import io.loomix.dist.NodeDown;
import io.loomix.dist.NodeUp;
import io.loomix.dist.epmd.EpmdClient;
import io.loomix.dist.handshake.DistFlags;
import io.loomix.dist.handshake.Handshake;
import io.loomix.dist.handshake.HandshakeException;
import io.loomix.dist.term.ExitReasons;
import io.loomix.dist.term.TermRegistry;
import io.loomix.internal.remote.RemoteNode;
import io.loomix.internal.remote.RuntimeHooks;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The node's connections, as OTP's net_kernel keeps them: at most one per peer, made on the first
 * send to it (auto-connect) or accepted from it, with nodeup/nodedown for those who asked. It is
 * also the runtime's {@link RemoteNode}: every message for another node passes through
 * {@link #send(Pid, Object)} or {@link #send(Name, Object)}.
 *
 * <p>Order: messages from one sender to one node leave in the order sent, also those queued while
 * the connection was being made (they are written before any later one). Delivery is not
 * guaranteed across a lost connection: what was queued or in flight then is lost, as in Erlang.
 */
public final class NodeTable implements RemoteNode {
    private static final System.Logger LOG = System.getLogger("io.loomix.dist");

    /** What the table needs from the node that owns it. */
    public record Settings(Handshake.Identity identity, int epmdPort, Connection.Options connection,
                           Duration setupTime, TermRegistry registry) {}

    private final Settings settings;
    private final Atom self;
    private final ConcurrentHashMap<Atom, Peer> peers = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<Pid> watchers = new CopyOnWriteArrayList<>();
    private final AtomicLong sequences = new AtomicLong(1);
    private final AtomicLong unlinkIds = new AtomicLong(1);
    private final Frames frames;
    private volatile Pid fallbackSender;
    private volatile Pid groupLeader;
    private volatile IncomingSpawn.Server spawnServer;
    /** The {@link SpawnLinks} keeper, and the linked requests it watches (their requesters are linked to it). */
    private volatile Pid spawnLinks;
    private final java.util.Set<Ref> watchedLinks = ConcurrentHashMap.newKeySet();
    private volatile boolean stopped;

    /** A message waiting for its connection: the control message is chosen once the flags are known. */
    private record Outgoing(Pid from, Object to, Object message) {}

    /** One peer node: its connection when up, what waits for it, who monitors it. Guarded by itself. */
    private static final class Peer {
        final Atom node;
        volatile Connection conn;
        final List<Outgoing> pending = new ArrayList<>();
        final List<Pid> monitors = new ArrayList<>();
        /**
         * Spawn requests sent there and not yet answered: request id -> requester. Added to under
         * the peer's monitor (so a peer that goes down takes every request made before), taken
         * from without it, by whoever removes the id first: the poller that reads the reply must
         * never wait for this monitor (see {@link NodeTable#replied}).
         */
        final Map<Ref, Pid> spawning = new ConcurrentHashMap<>();
        boolean dialing;
        boolean accepting;

        Peer(Atom node) {
            this.node = node;
        }

        boolean idle() {
            return conn == null && !dialing && !accepting && pending.isEmpty() && monitors.isEmpty()
                    && spawning.isEmpty();
        }

        /** Takes every pending spawn request, for a peer that went down; each id once. */
        Map<Ref, Pid> takeSpawning() {
            Map<Ref, Pid> taken = new HashMap<>();
            for (Ref id : spawning.keySet()) {
                Pid from = spawning.remove(id);
                if (from != null) {
                    taken.put(id, from);
                }
            }
            return taken;
        }
    }

    public NodeTable(Settings settings) {
        this.settings = settings;
        this.self = Atom.of(settings.identity().name());
        this.frames = new Frames(settings.registry());
    }

    /** The pid that sends for callers that are not processes (a REG_SEND needs a sender). */
    public void fallbackSender(Pid pid) {
        fallbackSender = pid;
    }

    /** The group leader spawn requests name (a process that answers io requests). */
    public void groupLeader(Pid pid) {
        groupLeader = pid;
    }

    /** Where spawn requests from other nodes go; without one they are answered {@code notsup}. */
    public void spawnServer(IncomingSpawn.Server server) {
        spawnServer = server;
    }

    IncomingSpawn.Server spawnServer() {
        return spawnServer;
    }

    /** Where linked spawn requests keep their requester's exit reason ({@link SpawnLinks}). */
    void spawnLinks(Pid keeper) {
        spawnLinks = keeper;
    }

    // ---- spawn requests ----

    /**
     * Asks {@code node} to run {@code module:function(args)} in a new process; the answer comes to
     * {@code from} as a {@link SpawnResult} with {@code id} (noconnection when the node cannot be
     * reached or goes down before it answers). With {@code link} / {@code monitor} the new
     * process is linked to / monitored by {@code from} (the monitor's ref is {@code id}) from its
     * first moment.
     */
    public void spawnRequest(Pid from, Atom node, Ref id, Atom module, Atom function, List<Object> args,
                             boolean link, boolean monitor) {
        spawnRequest(from, node, id, module, function, args, link, monitor, true);
    }

    /**
     * As above; without {@code reply} nothing comes back, not even noconnection (erpc:cast's
     * {@code {reply, no}}).
     */
    public void spawnRequest(Pid from, Atom node, Ref id, Atom module, Atom function, List<Object> args,
                             boolean link, boolean monitor, boolean reply) {
        List<Object> options = new ArrayList<>(2);
        if (link) {
            options.add(Atom.of("link"));
        }
        if (monitor) {
            options.add(Atom.of("monitor"));
        }
        Pid gl = groupLeader != null ? groupLeader : fallbackSender;
        var request = new Control.SpawnRequest(id, from, gl, module, function, args.size(), List.copyOf(options));
        if (stopped || node == self) {
            if (reply) {
                Process.send(from, new SpawnResult(id, null, SpawnResult.NOCONNECTION));
            }
            return;
        }
        while (reply) {
            Peer p = peers.computeIfAbsent(node, Peer::new);
            synchronized (p) {
                if (peers.get(node) != p) {
                    continue;
                }
                p.spawning.put(id, from);
            }
            break;
        }
        Pid keeper = spawnLinks;
        if (link && reply && keeper != null && from.equals(RuntimeHooks.selfOrNull())) {
            // BEAM answers a reply that finds its requester dead with the requester's own exit
            // reason; the keeper, linked to the requester until then, hears that reason
            watchedLinks.add(id);
            Process.send(keeper, new SpawnLinks.Watch(from, id));
            try {
                Process.link(keeper);
            } catch (io.loomix.NoProcException stopping) {
                // the node is stopping: the request will be answered noconnection
            }
        }
        try {
            route(node, new Outgoing(from, request, args));
        } catch (RuntimeException e) {
            abandon(node, id); // an argument that is not a term: nothing was sent
            throw e;
        }
    }

    /**
     * A reply with {@code link}: links {@code child} to its requester, or, when the requester is
     * gone, sends {@code child} the EXIT BEAM sends (the requester's reason when it was kept,
     * else noproc). Reader thread.
     */
    void linkReply(Pid child, Pid requester, Ref id) {
        Pid keeper = spawnLinks;
        if (!watchedLinks.remove(id) || keeper == null) {
            RuntimeHooks.linkFrom(child, requester);
        } else if (RuntimeHooks.tryLinkFrom(child, requester)) {
            Process.send(keeper, new SpawnLinks.Done(requester, id));
        } else {
            Process.send(keeper, new SpawnLinks.Orphan(requester, id, child));
        }
    }

    /** Request {@code id} ended without a linked child: its requester need not be watched any more. */
    void unwatch(Pid from, Ref id) {
        Pid keeper = spawnLinks;
        if (watchedLinks.remove(id) && keeper != null) {
            Process.send(keeper, new SpawnLinks.Done(from, id));
        }
    }

    /**
     * The request {@code id} to {@code node} was answered: false when it was not pending (a stray
     * reply). Called by a carrier polling the connection, so it does not take the peer's monitor:
     * the requesters take it, and a carrier that blocked on it while the JVM had picked a waiting
     * requester, queued on that very carrier, as the monitor's next owner stalled both nodes until
     * the JVM's timed re-check of the monitor (dist_spawn at 4k-13k spawns/s; docs/notes/spawn3.md).
     */
    boolean replied(Atom node, Ref id) {
        Peer p = peers.get(node);
        return p != null && p.spawning.remove(id) != null;
    }

    /** The requester of {@code id} stopped waiting: a reply that comes later is dropped. */
    public void abandon(Atom node, Ref id) {
        Peer p = peers.get(node);
        Pid from = p == null ? null : p.spawning.remove(id);
        if (from != null) {
            unwatch(from, id);
        }
    }

    /** The reply to a served request, sent by the new process {@code pid} itself before it runs anything. */
    public void spawned(IncomingSpawn request, Pid pid) {
        long flags = (request.link() ? Control.SpawnReply.LINK : 0) | (request.monitor() ? Control.SpawnReply.MONITOR : 0);
        signal(request.from().node(), pid, new Control.SpawnReply(request.id(), request.from(), flags, pid));
    }

    /** A served request that made no process, with Erlang's reason ({@code badopt}, {@code system_limit}, ...). */
    public void spawnFailed(IncomingSpawn request, Atom reason) {
        signal(request.from().node(), null, new Control.SpawnReply(request.id(), request.from(), 0, reason));
    }

    /** Tells the requesters of {@code spawning} (taken from a peer that went down) there is no process. */
    private void noconnection(Map<Ref, Pid> spawning) {
        spawning.forEach((id, from) -> {
            unwatch(from, id);
            Process.send(from, new SpawnResult(id, null, SpawnResult.NOCONNECTION));
        });
    }

    // ---- outbound ----

    @Override
    public void send(Pid to, Object message) {
        route(to.node(), new Outgoing(sender(), to, message));
    }

    @Override
    public void send(Name to, Object message) {
        route(to.node(), new Outgoing(sender(), to.name(), message));
    }

    @Override
    public void aliasSend(Pid from, Ref alias, Object message) {
        Pid sender = from != null ? from : fallbackSender;
        route(alias.node(), new Outgoing(sender, new Control.AliasSend(sender, alias), message));
    }

    @Override
    public void link(Pid from, Pid to) {
        signal(to.node(), from, new Control.Link(from, to));
    }

    /** Erlang's UNLINK_ID: the peer removes its side and acknowledges (the ack needs no action here). */
    @Override
    public void unlink(Pid from, Pid to) {
        signal(to.node(), from, new Control.UnlinkId(unlinkIds.getAndIncrement(), from, to, false));
    }

    @Override
    public void linkExit(Pid from, Pid to, ExitReason reason) {
        signal(to.node(), from, new Control.Exit(from, to, ExitReasons.toTerm(reason)));
    }

    @Override
    public void exit(Pid from, Pid to, ExitReason reason) {
        Pid sender = from != null ? from : fallbackSender;
        if (sender != null) {
            signal(to.node(), sender, new Control.Exit2(sender, to, ExitReasons.toTerm(reason)));
        }
    }

    @Override
    public void monitor(Pid from, Object target, Ref ref) {
        signal(nodeOf(target), from, new Control.MonitorP(from, wireTarget(target), ref));
    }

    @Override
    public void demonitor(Pid from, Object target, Ref ref) {
        signal(nodeOf(target), from, new Control.DemonitorP(from, wireTarget(target), ref));
    }

    @Override
    public void down(Object monitored, Pid watcher, Ref ref, ExitReason reason) {
        signal(watcher.node(), null, new Control.MonitorPExit(monitored, watcher, ref, ExitReasons.toTerm(reason)));
    }

    private void signal(Atom node, Pid from, Control control) {
        route(node, new Outgoing(from, control, null));
    }

    private static Atom nodeOf(Object target) {
        return target instanceof Name n ? n.node() : ((Pid) target).node();
    }

    /** A monitor names a pid, or a registered name by its atom alone. */
    private static Object wireTarget(Object target) {
        return target instanceof Name n ? n.name() : target;
    }

    /** Sends a control message (no message term) to a node that is connected; dropped otherwise. */
    void sendControl(Connection c, Control control) {
        frames.encode(c.flags(), 0, control, null, c::send);
    }

    private Pid sender() {
        Pid me = RuntimeHooks.selfOrNull();
        return me != null ? me : fallbackSender;
    }

    private void route(Atom node, Outgoing out) {
        if (node == self || stopped) {
            return; // a pid of an earlier incarnation of this node: dropped, as Erlang drops it
        }
        boolean dials = dials(out.to());
        while (true) {
            Peer p = dials ? peers.computeIfAbsent(node, Peer::new) : peers.get(node);
            if (p == null) {
                return; // see dials
            }
            Connection c = p.conn;
            if (c == null) {
                synchronized (p) {
                    if (peers.get(node) != p) {
                        continue; // forgotten meanwhile: use its successor
                    }
                    c = p.conn;
                    if (c == null) {
                        if (!dials && !p.dialing && !p.accepting) {
                            return; // see dials
                        }
                        p.pending.add(out);
                        dial(p);
                        return;
                    }
                }
            }
            write(c, out);
            return;
        }
    }

    /**
     * Whether a signal connects to its node when nothing does yet. Not the ones that end a link or
     * monitor (DEMONITOR_P, UNLINK_ID, a link's EXIT, MONITOR_P_EXIT): a link or monitor lives as
     * long as the connection it was made on, so with no connection up or on its way the peer holds
     * no side of it any more, and ERTS drops them too.
     */
    private static boolean dials(Object to) {
        return !(to instanceof Control.DemonitorP || to instanceof Control.UnlinkId
                || to instanceof Control.Exit || to instanceof Control.MonitorPExit);
    }

    private void write(Connection c, Outgoing out) {
        long flags = c.flags();
        Control control = switch (out.to()) {
            case Control signal -> signal;
            case Pid pid -> out.from() != null && (flags & DistFlags.SEND_SENDER) != 0
                    ? new Control.SendSender(out.from(), pid) : new Control.Send(pid);
            case Atom name -> new Control.RegSend(out.from(), name);
            default -> throw new IllegalStateException("not a destination: " + out.to());
        };
        if (control instanceof Control.RegSend r && r.from() == null) {
            LOG.log(System.Logger.Level.WARNING, "Dropped a message to " + out.to() + " at " + c.peerName()
                    + ": it was sent from outside a process before the node's services started");
            return;
        }
        long seq = out.from() == null ? 0 : sequences.getAndIncrement();
        frames.encode(flags, seq, control, GenShapes.out(out.message()), c::send);
    }

    // ---- connection set-up ----

    /** Starts an outbound attempt unless one runs. Holds p. */
    private void dial(Peer p) {
        if (p.dialing || p.accepting) {
            return;
        }
        p.dialing = true;
        Thread.ofVirtual().name("loomix-dist-dial-" + p.node).start(() -> dialNow(p));
    }

    private void dialNow(Peer p) {
        String node = p.node.name();
        Socket socket = null;
        try {
            int at = node.indexOf('@');
            if (at <= 0 || at == node.length() - 1) {
                throw new HandshakeException(node, "not a node name (name@host)");
            }
            InetAddress host = InetAddress.getByName(node.substring(at + 1));
            var found = new EpmdClient(host, settings.epmdPort()).lookup(node.substring(0, at));
            if (found.isEmpty()) {
                throw new HandshakeException(node, "epmd on " + host.getHostAddress() + " does not know '"
                        + node.substring(0, at) + "': the node is not running");
            }
            socket = newSocket();
            socket.connect(new InetSocketAddress(host, found.get().port()), (int) settings.setupTime().toMillis());
            Handshake.Result r = Handshake.initiate(socket, settings.identity(), node, settings.setupTime(),
                    () -> stillPending(p));
            up(p, socket, r);
        } catch (IOException e) {
            closeQuietly(socket);
            String why = e instanceof HandshakeException ? e.getMessage() : e.toString();
            if (e instanceof HandshakeException h && h.superseded()) {
                awaitTheirs(p);
            } else {
                LOG.log(System.Logger.Level.WARNING, "Connection attempt to node " + node + " failed: " + why);
            }
            failed(p, why, true);
        }
    }

    /**
     * dist_util's is_pending, for a peer that answered alive: true unless a connection from the
     * peer was accepted or is being accepted meanwhile (answering true would make the peer drop
     * that connection, the one both sides are about to use, with what was sent on it).
     */
    private static boolean stillPending(Peer p) {
        synchronized (p) {
            return (p.conn == null || !p.conn.isOpen()) && !p.accepting;
        }
    }

    /**
     * The peer answered nok (or alive, and ours was superseded): it is dialing us at the same
     * moment and its attempt wins. As erl's
     * dist_util does on nok, wait (still counted as dialing, so nothing queued for the peer is
     * dropped and no nodedown goes out) until that connection is up, for at most the setup time.
     */
    private void awaitTheirs(Peer p) {
        long deadline = System.nanoTime() + settings.setupTime().toNanos();
        synchronized (p) {
            while (p.conn == null && !stopped) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                try {
                    p.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * A server socket for {@link #listen} on {@code port} (0: any free one). Its sockets come from
     * channels, which the carriers can poll (see {@link DistPoller}), unless that is turned off.
     */
    public static ServerSocket listener(int port) throws IOException {
        if (!DistPoller.ENABLED) {
            return new ServerSocket(port);
        }
        ServerSocketChannel channel = ServerSocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(new InetSocketAddress(port), 50);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        return channel.socket();
    }

    /** An unconnected socket for a connection attempt; from a channel, as {@link #listener}'s. */
    private static Socket newSocket() throws IOException {
        return DistPoller.ENABLED ? SocketChannel.open().socket() : new Socket();
    }

    /** Accepts connections until the server socket closes. */
    public void listen(ServerSocket server) {
        Thread.ofPlatform().daemon().name("loomix-dist-accept").start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Thread.ofVirtual().name("loomix-dist-accepting").start(() -> accept(s));
                } catch (IOException e) {
                    if (!server.isClosed()) {
                        LOG.log(System.Logger.Level.WARNING, "accept failed: " + e);
                    }
                }
            }
        });
    }

    private void accept(Socket s) {
        Peer[] claimed = new Peer[1];
        Handshake.Gate gate = new Handshake.Gate() {
            @Override
            public Handshake.Admission admit(String peerName) {
                if (stopped) {
                    return Handshake.Admission.NOT_ALLOWED;
                }
                Peer p = peers.computeIfAbsent(Atom.of(peerName), Peer::new);
                synchronized (p) {
                    if (p.accepting) {
                        return Handshake.Admission.NOK;
                    }
                    Connection c = p.conn;
                    Handshake.Admission a = c != null && c.isOpen() ? Handshake.Admission.ALIVE
                            : !p.dialing ? Handshake.Admission.OK
                            : self.name().compareTo(peerName) > 0 ? Handshake.Admission.NOK
                            : Handshake.Admission.OK_SIMULTANEOUS;
                    if (a != Handshake.Admission.NOK) {
                        p.accepting = true;
                        claimed[0] = p;
                    }
                    return a;
                }
            }

            @Override
            public void replaceOld(String peerName) {
                Connection old = claimed[0].conn;
                if (old != null) {
                    old.close("replaced by a new connection from " + peerName);
                }
            }
        };
        try {
            Handshake.Result r = Handshake.accept(s, settings.identity(), gate, settings.setupTime());
            up(claimed[0], s, r);
        } catch (HandshakeException e) {
            closeQuietly(s);
            LOG.log(System.Logger.Level.WARNING, "Connection attempt from node " + e.peer() + " rejected: " + e.getMessage());
            if (claimed[0] != null) {
                failed(claimed[0], e.getMessage(), false);
            }
        }
    }

    private void up(Peer p, Socket socket, Handshake.Result r) {
        Connection c = new Connection(socket, r, settings.connection(), new Inbox(this, settings.registry()));
        List<Pid> tell;
        Teardown ended = null;
        synchronized (p) {
            p.dialing = false;
            p.accepting = false;
            Connection old = p.conn;
            if (old != null && old.isOpen()) {
                // both our attempt and the peer's got through: keep the first
                closeQuietly(socket);
                return;
            }
            if (old != null) {
                // It has ended (the peer restarted and replaced it, or its reader saw it close), but
                // whoever closed it has not taken it down yet and will find it replaced: its links,
                // monitors and nodedown go now, before anything is routed to the new connection.
                p.conn = null;
                ended = takeDown(p, "the connection ended and a new one replaced it", old.peer().published());
            }
            for (Outgoing out : p.pending) {
                try {
                    write(c, out);
                } catch (RuntimeException e) {
                    // its sender has moved on; one bad message must not stop the connection
                    LOG.log(System.Logger.Level.WARNING, "Dropped a message to " + out.to() + " at " + p.node
                            + " that cannot be sent: " + e.getMessage());
                }
            }
            p.pending.clear();
            p.conn = c;
            p.notifyAll();
            tell = r.published() ? List.copyOf(watchers) : List.of();
        }
        if (ended != null) {
            LOG.log(System.Logger.Level.INFO, "Node " + r.peerName() + " is down: its connection ended and a new one replaced it");
            ended.run(); // its nodedown before the new connection's nodeup
        }
        c.start();
        LOG.log(System.Logger.Level.DEBUG, () -> "Connected to " + r.peerName());
        for (Pid w : tell) {
            Process.send(w, new NodeUp(p.node));
        }
    }

    private void failed(Peer p, String reason, boolean dialed) {
        Teardown t;
        synchronized (p) {
            if (dialed) {
                p.dialing = false;
            } else {
                p.accepting = false;
            }
            if (p.conn != null || p.dialing || p.accepting) {
                return; // another attempt is still on, or already made it
            }
            p.pending.clear();
            // Here, with the pending signals dropped: what is routed from now on waits for a new attempt.
            t = takeDown(p, reason, false);
        }
        t.run();
        forgetIfIdle(p);
    }

    /** Connection.Handler#onClose, through the inbox. */
    void closed(Connection c, String reason) {
        Peer p = peers.get(Atom.of(c.peerName()));
        if (p == null) {
            RuntimeHooks.nodeDown(Atom.of(c.peerName())); // the table was stopped
            return;
        }
        Teardown t;
        synchronized (p) {
            if (p.conn != c) {
                return; // never registered, or replaced by a new connection, which took it down (see up)
            }
            p.conn = null;
            t = takeDown(p, reason, c.peer().published());
        }
        LOG.log(System.Logger.Level.INFO, "Node " + c.peerName() + " is down: " + reason);
        t.run();
        forgetIfIdle(p);
    }

    /**
     * What the end of a peer's connection (or of the last attempt to make one) leaves to do once
     * the peer's monitor is released: fire the links and monitors that went with it (processes
     * told of the nodedown may look at them, as on BEAM, so they go first), answer its pending spawn
     * requests with noconnection, and tell its node monitors.
     */
    private final class Teardown implements Runnable {
        private final Atom node;
        private final String reason;
        private final Runnable down;
        private final List<Pid> tell;
        private final Map<Ref, Pid> spawning;

        Teardown(Atom node, String reason, Runnable down, List<Pid> tell, Map<Ref, Pid> spawning) {
            this.node = node;
            this.reason = reason;
            this.down = down;
            this.tell = tell;
            this.spawning = spawning;
        }

        @Override
        public void run() {
            down.run();
            noconnection(spawning);
            for (Pid m : tell) {
                Process.send(m, new NodeDown(node, reason));
            }
        }
    }

    /**
     * Holds p, whose connection or attempt has just ended (p.conn is no longer it): closes its
     * links and monitors at once, before anything is routed to the next connection (a monitor
     * indexed after this belongs to that one: see RemoteSignals.monitorRemote), and takes what
     * is to be told. {@code published}: the subscribers of every published node's ups and downs
     * hear of this one too.
     */
    private Teardown takeDown(Peer p, String reason, boolean published) {
        Runnable down = RuntimeHooks.nodeClosing(p.node);
        List<Pid> tell = new ArrayList<>(p.monitors);
        p.monitors.clear();
        if (published) {
            tell.addAll(watchers);
        }
        Map<Ref, Pid> spawning = p.takeSpawning();
        p.notifyAll();
        return new Teardown(p.node, reason, down, tell, spawning);
    }

    private void forgetIfIdle(Peer p) {
        synchronized (p) {
            if (p.idle()) {
                peers.remove(p.node, p);
            }
        }
    }

    // ---- what Node offers ----

    /**
     * Connects unless connected; waits up to the setup time. True when connected. Any thread.
     */
    public boolean connect(Atom node) {
        if (node == self) {
            return true;
        }
        Peer p = peers.computeIfAbsent(node, Peer::new);
        long deadline = System.nanoTime() + settings.setupTime().toNanos() + 1_000_000_000L;
        synchronized (p) {
            if (p.conn == null) {
                dial(p);
            }
            try {
                while (p.conn == null && (p.dialing || p.accepting)) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    p.wait(Math.max(1, left / 1_000_000));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return p.conn != null;
        }
    }

    /** nodes(): the visible peers, or all of them. */
    public List<Atom> nodes(boolean includeHidden) {
        List<Atom> out = new ArrayList<>();
        for (Peer p : peers.values()) {
            Connection c = p.conn;
            if (c != null && c.isOpen() && (includeHidden || c.peer().published())) {
                out.add(p.node);
            }
        }
        out.sort(null);
        return out;
    }

    /** monitor_node(Node, true) for {@code watcher}: NodeDown when it goes (now, if it cannot be reached). */
    public void monitor(Atom node, Pid watcher) {
        if (node == self) {
            return;
        }
        Peer p = peers.computeIfAbsent(node, Peer::new);
        synchronized (p) {
            p.monitors.add(watcher);
            if (p.conn == null) {
                dial(p);
            }
        }
    }

    /** net_kernel:monitor_nodes(true/false). */
    public void watchAll(Pid watcher, boolean on) {
        if (on) {
            watchers.addIfAbsent(watcher);
        } else {
            watchers.remove(watcher);
        }
    }

    /** disconnect_node/1: true when there was a connection. */
    public boolean disconnect(Atom node) {
        Peer p = peers.get(node);
        Connection c = p == null ? null : p.conn;
        if (c == null) {
            return false;
        }
        c.close("disconnected by this node");
        return true;
    }

    /** Closes every connection; sends are dropped from now on. */
    public void stop() {
        stopped = true;
        for (Peer p : peers.values()) {
            Connection c = p.conn;
            if (c != null) {
                c.close("this node stopped");
            }
            // also the peers still being dialled: nothing will carry their links and monitors now
            RuntimeHooks.nodeDown(p.node);
            Map<Ref, Pid> spawning;
            synchronized (p) {
                spawning = p.takeSpawning();
            }
            noconnection(spawning);
        }
        peers.clear();
    }

    public Atom self() {
        return self;
    }

    private static void closeQuietly(Socket s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
