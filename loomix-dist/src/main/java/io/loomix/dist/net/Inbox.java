package io.loomix.dist.net;

import io.loomix.Atom;
import io.loomix.Pid;
import io.loomix.Ref;
import io.loomix.dist.term.DecodeException;
import io.loomix.dist.term.DecodeLimits;
import io.loomix.dist.term.TermDecoder;
import io.loomix.dist.term.TermRegistry;
import io.loomix.dist.term.ExitReasons;
import io.loomix.internal.Kernel;
import io.loomix.internal.RemoteSignals;

/**
 * Incoming messages of one connection, on its reader thread: decodes the control term and the
 * message and hands them to the runtime: messages to {@link Kernel}, links, exits and monitors to
 * {@link RemoteSignals}, in the order they came, so signals between two processes stay ordered.
 */
final class Inbox implements Connection.Handler {
    private static final System.Logger LOG = System.getLogger("io.loomix.dist");

    private final NodeTable table;
    private final Kernel kernel;
    private final TermDecoder decoder;
    private final RemoteSignals signals;
    /** The peer's node name, read once (the reader thread only). */
    private Atom peer;

    Inbox(NodeTable table, Kernel kernel, TermRegistry registry) {
        this.table = table;
        this.kernel = kernel;
        this.decoder = new TermDecoder(registry, DecodeLimits.DEFAULT);
        this.signals = kernel.remoteSignals();
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
                Pid to = kernel.whereis(s.name());
                if (to != null) {
                    deliver(to, message);
                }
            }
            case Control.AliasSend s -> {
                if (isLocal(s.alias())) {
                    guarded(() -> kernel.send(s.alias(), GenShapes.in(message)));
                }
            }
            case Control.MonitorP m -> signals.monitorFrom(m.from(), m.target(), m.ref());
            case Control.DemonitorP m -> signals.demonitorFrom(m.from(), m.target(), m.ref());
            case Control.MonitorPExit m -> signals.downFrom(peer(c), m.to(), m.ref(), ExitReasons.fromTerm(m.reason()));
            case Control.Link l -> signals.linkFrom(l.from(), l.to());
            case Control.Exit e -> signals.linkExitFrom(e.from(), e.to(), ExitReasons.fromTerm(e.reason()));
            case Control.Exit2 e -> signals.exitFrom(e.from(), e.to(), ExitReasons.fromTerm(e.reason()));
            case Control.UnlinkId u when !u.ack() -> {
                signals.unlinkFrom(u.from(), u.to());
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
        if (kernel.isLocal(to)) {
            guarded(() -> kernel.send(to, GenShapes.in(message)));
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
