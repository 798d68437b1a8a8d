package io.loomix.dist.net;

import io.loomix.Atom;
import io.loomix.Pid;
import io.loomix.Ref;
import io.loomix.dist.term.DecodeException;
import io.loomix.dist.term.DecodeLimits;
import io.loomix.dist.term.TermDecoder;
import io.loomix.dist.term.TermRegistry;
import io.loomix.internal.Kernel;

/**
 * Incoming messages of one connection, on its reader thread: decodes the control term and the
 * message and hands them to the runtime. Signals this part does not carry yet (links, exit/2,
 * monitors of live processes: issue 10) get the answer that keeps the peer consistent, or none.
 */
final class Inbox implements Connection.Handler {
    private static final System.Logger LOG = System.getLogger("io.loomix.dist");
    private static final Atom NOPROC = Atom.of("noproc");

    private final NodeTable table;
    private final Kernel kernel;
    private final TermDecoder decoder;

    Inbox(NodeTable table, Kernel kernel, TermRegistry registry) {
        this.table = table;
        this.kernel = kernel;
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
                Pid to = kernel.whereis(s.name());
                if (to != null) {
                    deliver(to, message);
                }
            }
            case Control.AliasSend s -> {
                if (isLocal(s.alias())) {
                    guarded(() -> kernel.send(s.alias(), message));
                }
            }
            case Control.MonitorP m -> {
                if (!exists(m.target())) {
                    table.sendControl(c, new Control.MonitorPExit(m.target(), m.from(), m.ref(), NOPROC));
                }
            }
            case Control.Link l -> {
                if (!exists(l.to())) {
                    table.sendControl(c, new Control.Exit(l.to(), l.from(), NOPROC));
                }
            }
            case Control.UnlinkId u when !u.ack() ->
                    table.sendControl(c, new Control.UnlinkId(u.id(), u.to(), u.from(), true));
            default -> LOG.log(System.Logger.Level.DEBUG, () -> "Ignored from " + c.peerName() + ": " + control
                    + " (remote links, exits and monitors come with issue 10)");
        }
    }

    @Override
    public void onClose(Connection c, String reason) {
        table.closed(c, reason);
    }

    private void deliver(Pid to, Object message) {
        // a pid of another node or another incarnation of this one is dropped, never forwarded
        if (kernel.isLocal(to)) {
            guarded(() -> kernel.send(to, message));
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

    private boolean exists(Object target) {
        return switch (target) {
            case Pid pid -> kernel.isLocal(pid) && kernel.isAlive(pid);
            case Atom name -> kernel.whereis(name) != null;
            default -> false;
        };
    }

    private static boolean isLocal(Ref ref) {
        return io.loomix.LocalNode.isLocal(ref.node(), ref.creation());
    }
}
