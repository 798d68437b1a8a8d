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

/**
 * Incoming messages of one connection, on its reader thread: decodes the control term and the
 * message and hands them to the runtime ({@link RuntimeHooks}): messages, links, exits and
 * monitors, in the order they came, so signals between two processes stay ordered.
 */
final class Inbox implements Connection.Handler {
    private static final System.Logger LOG = System.getLogger("io.loomix.dist");

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
            case Control.UnlinkId u -> {
                // the peer has removed its side; ours went when unlink/1 was called
            }
            default -> LOG.log(System.Logger.Level.DEBUG, () -> "Ignored from " + c.peerName() + ": " + control
                    + " (spawn requests and group leaders are not served yet)");
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
