package io.loomix.dist.net;

import io.loomix.Atom;
import io.loomix.Pid;
import io.loomix.Ref;
import io.loomix.dist.term.DecodeException;
import io.loomix.dist.term.DecodeLimits;
import io.loomix.dist.term.TermDecoder;
import io.loomix.dist.term.TermRegistry;
import io.loomix.dist.term.ExitReasons;
import io.loomix.internal.remote.RuntimeHooks;

import java.util.List;

/**
 * Incoming messages of one connection, on its reader thread: decodes the control term and the
 * message and hands them to the runtime ({@link RuntimeHooks}): messages, links, exits and
 * monitors, in the order they came, so signals between two processes stay ordered.
 */
final class Inbox implements Connection.Handler {
    private static final System.Logger LOG = System.getLogger("io.loomix.dist");
    private static final Atom LINK = Atom.of("link");
    private static final Atom MONITOR = Atom.of("monitor");

    private final NodeTable table;
    private final TermDecoder decoder;
    /** The peer's node name, read once (the reader thread only). */
    private Atom peer;

    Inbox(NodeTable table, TermRegistry registry) {
        this.table = table;
        this.decoder = new TermDecoder(registry, DecodeLimits.DEFAULT);
    }

    @Override
    public void onMessage(Connection c, Inbound in) throws ProtocolException {
        final Control control;
        final Object message;
        try {
            decoder.reset(in.bytes(), in.offset(), in.length());
            decoder.atomCacheRefs(in.atomRefs());
            control = Control.parse(in.versioned() ? decoder.readVersioned() : decoder.readTerm());
            message = !control.hasMessage() ? null : in.versioned() ? decoder.readVersioned() : decoder.readTerm();
        } catch (DecodeException e) {
            throw new ProtocolException("undecodable message: " + e.getMessage(), e);
        }
        switch (control) {
            case Control.Send s -> deliver(s.to(), message);
            case Control.SendSender s -> deliver(s.to(), message);
            case Control.RegSend s -> {
                Pid to = RuntimeHooks.whereis(s.name());
                if (to != null) {
                    deliver(to, message);
                }
            }
            case Control.AliasSend s -> {
                if (isLocal(s.alias())) {
                    guarded(() -> RuntimeHooks.send(s.alias(), GenShapes.in(message)));
                }
            }
            case Control.MonitorP m -> RuntimeHooks.monitorFrom(m.from(), m.target(), m.ref());
            case Control.DemonitorP m -> RuntimeHooks.demonitorFrom(m.from(), m.target(), m.ref());
            case Control.MonitorPExit m -> RuntimeHooks.downFrom(peer(c), m.to(), m.ref(), ExitReasons.fromTerm(m.reason()));
            case Control.Link l -> RuntimeHooks.linkFrom(l.from(), l.to());
            case Control.Exit e -> RuntimeHooks.linkExitFrom(e.from(), e.to(), ExitReasons.fromTerm(e.reason()));
            case Control.Exit2 e -> RuntimeHooks.exitFrom(e.from(), e.to(), ExitReasons.fromTerm(e.reason()));
            case Control.UnlinkId u when !u.ack() -> {
                RuntimeHooks.unlinkFrom(u.from(), u.to());
                table.sendControl(c, new Control.UnlinkId(u.id(), u.to(), u.from(), true));
            }
            case Control.SpawnRequest r -> spawnRequest(c, r, message);
            case Control.SpawnReply r -> spawnReply(c, r);
            case Control.UnlinkId u -> {
                // the peer has removed its side; ours went when unlink/1 was called
            }
            default -> LOG.log(System.Logger.Level.DEBUG, () -> "Ignored from " + c.peerName() + ": " + control
                    + " (group leaders are not served)");
        }
    }

    /**
     * SPAWN_REQUEST: options {@code link} and {@code monitor} are honoured, the others a BEAM
     * process would take (priority, heap sizes, ...) have no meaning here and are ignored; a
     * malformed option list is {@code badopt}, as ERTS answers.
     */
    private void spawnRequest(Connection c, Control.SpawnRequest r, Object args) {
        boolean link = false;
        boolean monitor = false;
        boolean bad = !(r.options() instanceof List<?>) || !(args instanceof List<?>) || ((List<?>) args).size() != r.arity();
        if (!bad) {
            for (Object o : (List<?>) r.options()) {
                if (o == LINK) {
                    link = true;
                } else if (o == MONITOR || o instanceof io.loomix.Tuple t && t.size() == 2 && t.get(0) == MONITOR) {
                    monitor = true;
                } else if (!(o instanceof Atom || o instanceof io.loomix.Tuple)) {
                    bad = true;
                }
            }
        }
        @SuppressWarnings("unchecked")
        var request = new IncomingSpawn(r.id(), r.from(), r.module(), r.function(),
                bad ? List.of() : List.copyOf((List<Object>) args), link, monitor, RuntimeHooks.connectionOf(peer(c)));
        IncomingSpawn.Server server = table.spawnServer();
        if (bad || server == null) {
            table.spawnFailed(request, Atom.of(bad ? "badopt" : "notsup"));
            return;
        }
        try {
            server.spawn(request);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Could not spawn " + r.module() + ":" + r.function() + "/" + r.arity()
                    + " for " + c.peerName() + ": " + e);
            table.spawnFailed(request, Atom.of("system_limit"));
        }
    }

    /**
     * SPAWN_REPLY: the link and monitor the peer made are recorded here before the requester
     * hears of the pid, so a signal of the new process that follows on this connection finds them.
     */
    private void spawnReply(Connection c, Control.SpawnReply r) {
        if (!table.replied(peer(c), r.id()) || !RuntimeHooks.isLocal(r.to())) {
            return;
        }
        if (r.result() instanceof Pid pid) {
            if ((r.flags() & Control.SpawnReply.LINK) != 0) {
                table.linkReply(pid, r.to(), r.id());
            } else {
                table.unwatch(r.to(), r.id());
            }
            if ((r.flags() & Control.SpawnReply.MONITOR) != 0) {
                RuntimeHooks.spawnMonitored(r.to(), pid, r.id());
            }
            guarded(() -> RuntimeHooks.send(r.to(), new SpawnResult(r.id(), pid, null)));
        } else {
            table.unwatch(r.to(), r.id());
            Atom why = r.result() instanceof Atom a ? a : Atom.of("badarg");
            guarded(() -> RuntimeHooks.send(r.to(), new SpawnResult(r.id(), null, why)));
        }
    }

    private Atom peer(Connection c) {
        Atom p = peer;
        if (p == null) {
            p = peer = Atom.of(c.peerName());
        }
        return p;
    }

    @Override
    public void onClose(Connection c, String reason) {
        table.closed(c, reason);
    }

    private void deliver(Pid to, Object message) {
        // a pid of another node or another incarnation of this one is dropped, never forwarded
        if (RuntimeHooks.isLocal(to)) {
            guarded(() -> RuntimeHooks.send(to, GenShapes.in(message)));
        }
    }

    /** A message the runtime refuses (strict mode) is dropped with a log line; the connection lives on. */
    private static void guarded(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Dropped an incoming message: " + e.getMessage());
        }
    }

    private static boolean isLocal(Ref ref) {
        return io.loomix.LocalNode.isLocal(ref.node(), ref.creation());
    }
}
