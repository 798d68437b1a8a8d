package io.loomix.internal;

import io.loomix.Down;
import io.loomix.Exit;
import io.loomix.ExitReason;
import io.loomix.Name;
import io.loomix.NoProcException;
import io.loomix.Pid;
import io.loomix.Ref;
import io.loomix.internal.remote.RemoteNode;

import java.util.Objects;

/**
 * Links, monitors and exit signals between processes: link/unlink, exit/2, monitor (by pid, by
 * name, with OTP 24's {@code alias} and {@code tag} options), demonitor, and what a process's
 * exit sends through them. Signals for processes of other nodes go to {@link RemoteSignals}. The
 * state lives on each {@link Proc} (its links, the monitors it holds, its watchers); this class
 * keeps the rules that tie the two sides together.
 */
public final class Signals {
    private final Kernel kernel;

    Signals(Kernel kernel) {
        this.kernel = kernel;
    }

    /**
     * link/1; for a dead target, noproc as Erlang gives it. A link that already exists stays when
     * the target turns out to be exiting: its exit arrives through it with the real reason (erl
     * answers {@code true} and delivers {@code killed}), so only a new link is undone.
     */
    public void link(Pid other) {
        Proc me = kernel.self("link");
        Kernel.notNull(other, "link: pid");
        me.checkExit();
        if (other.equals(me.pid)) {
            return;
        }
        if (!kernel.isLocal(other)) {
            kernel.remoteSignals().linkRemote(me, other);
            return;
        }
        Proc target = kernel.lookup(other);
        if (target != null) {
            Proc.Linked mine = me.addLink(other);
            if (target.addLink(me.pid) != Proc.Linked.GONE || mine == Proc.Linked.ALREADY) {
                return;
            }
            me.removeLink(other);
        }
        if (me.trapsExits()) {
            me.deliver(new Exit(other, ExitReason.NOPROC));
        } else {
            throw new NoProcException("link", other);
        }
    }

    /**
     * unlink/1: once it returns, the link has no effect on the caller. An Exit that arrived
     * before may stay queued; a signal that arrived before kills a non-trapping caller here.
     */
    public void unlink(Pid other) {
        Proc me = kernel.self("unlink");
        Kernel.notNull(other, "unlink: pid");
        boolean had = me.removeLink(other);
        if (!kernel.isLocal(other)) {
            kernel.remoteSignals().unlinkRemote(me, other, had);
        } else {
            Proc target = kernel.lookup(other);
            if (target != null) {
                target.removeLink(me.pid);
            }
        }
        me.checkExit();
    }

    /** A linked process exited: tell {@code to}, if it still holds the link. */
    void linkExit(Pid from, Pid to, ExitReason reason) {
        if (!kernel.isLocal(to)) {
            kernel.remoteSignals().linkExitRemote(from, to, reason);
            return;
        }
        Proc target = kernel.lookup(to);
        if (target != null) {
            target.linkSignal(from, reason);
        }
    }

    /** exit/2. */
    public void exit(Pid to, ExitReason reason) {
        Kernel.notNull(to, "exit: pid");
        Kernel.notNull(reason, "exit: reason (use ExitReason.NORMAL for a normal exit)");
        Proc sender = kernel.current();
        Pid from = sender != null ? sender.pid : to;
        if (!kernel.isLocal(to)) {
            RemoteNode r = kernel.remote();
            if (r != null) {
                r.exit(sender != null ? sender.pid : null, to, reason);
            }
        } else {
            Proc target = kernel.lookup(to);
            if (target != null) {
                target.exitSignal(from, reason, false);
            }
        }
        if (sender != null) {
            sender.checkExit();
        }
    }

    public Ref monitor(Pid target) {
        return monitor(target, io.loomix.MonitorOption.NONE);
    }

    public Ref monitor(Name name) {
        return monitor(name, io.loomix.MonitorOption.NONE);
    }

    /** erlang:monitor/3 for a pid: options {@code alias} and {@code tag} as in OTP 24. */
    public Ref monitor(Pid target, io.loomix.MonitorOption... options) {
        Kernel.notNull(target, "monitor: pid");
        return monitor(target, target, options);
    }

    /** erlang:monitor/3 for {@code {Name, Node}}; the Down names the Name. */
    public Ref monitor(Name name, io.loomix.MonitorOption... options) {
        Kernel.notNull(name, "monitor: name");
        if (!Nodes.isLocalNode(name.node())) {
            return monitor(null, name, options);
        }
        Proc target = kernel.names().registeredProc(name.name());
        return monitor(target == null ? null : target.pid, name, options);
    }

    /** Monitors {@code target} (null: no such process, so noproc at once); Down names {@code object}. */
    private Ref monitor(Pid target, Object object, io.loomix.MonitorOption[] options) {
        Proc me = kernel.self("monitor");
        me.checkExit();
        Object tag = null;
        io.loomix.MonitorOption.Alias aliasMode = null;
        for (io.loomix.MonitorOption o : Kernel.notNull(options, "monitor: options")) {
            switch (Kernel.notNull(o, "monitor: option")) {
                case io.loomix.MonitorOption.Tag(Object t) -> tag = t;
                case io.loomix.MonitorOption.Alias a -> aliasMode = a;
            }
        }
        Ref ref = kernel.makeRef(me);
        Proc.Held held = new Proc.Held(target, object, tag, aliasMode != null
                && aliasMode != io.loomix.MonitorOption.Alias.EXPLICIT_UNALIAS);
        if (aliasMode != null) {
            kernel.aliases.add(me, ref, aliasMode == io.loomix.MonitorOption.Alias.REPLY_DEMONITOR, true);
        }
        if (target != null && target.equals(me.pid)) {
            return ref; // Erlang makes no monitor on oneself
        }
        if (target == null ? object instanceof Name n && !Nodes.isLocalNode(n.node()) : !kernel.isLocal(target)) {
            kernel.remoteSignals().monitorRemote(me, ref, held, target != null ? target : object);
            return ref;
        }
        Proc proc = target == null ? null : kernel.lookup(target);
        if (proc != null) {
            me.addMonitor(ref, held);
            if (proc.addWatcher(ref, new Proc.Watcher(me.pid, object))) {
                return ref;
            }
            me.removeMonitor(ref);
        }
        me.monitorDown(ref, held, ExitReason.NOPROC);
        return ref;
    }

    /**
     * monitor/1 on {@code target} whose Down names {@code shownAs} instead of the pid: for values
     * that a process stands for, such as ports.
     */
    public Ref monitorAs(Pid target, Object shownAs) {
        Objects.requireNonNull(target, "monitor: target must not be null");
        return monitor(target, Objects.requireNonNull(shownAs, "monitor: shownAs must not be null"),
                io.loomix.MonitorOption.NONE);
    }

    /**
     * demonitor/2 with Erlang's {@code info}: true if the monitor was active and is now removed,
     * and then no Down for it will ever arrive; false if there was none, or its Down is already
     * in the mailbox (with flush, removed from it). A Down is delivered only by whoever removes
     * the monitor from the watcher, atomically with the removal (Proc.monitorDown), so the two
     * cases cannot overlap.
     */
    public boolean demonitor(Ref ref, boolean flush) {
        Proc me = kernel.self("demonitor");
        Kernel.notNull(ref, "demonitor: ref");
        Proc.Held held = me.removeMonitor(ref);
        if (held != null) {
            if (held.alias()) {
                kernel.aliases.drop(me, ref);
            }
            dropWatch(me, ref, held);
            return true;
        }
        if (flush) {
            me.removeFirst(m -> m instanceof Down d && d.ref().equals(ref)
                    || m instanceof io.loomix.TaggedDown t && t.ref().equals(ref));
        }
        return false;
    }

    /** The monitor {@code ref} that {@code owner} held ended: the watched side forgets it. */
    void dropWatch(Proc owner, Ref ref, Proc.Held held) {
        Pid target = held.pid();
        if (target == null ? held.object() instanceof Name n && !Nodes.isLocalNode(n.node()) : !kernel.isLocal(target)) {
            kernel.remoteSignals().demonitorRemote(owner, ref, target != null ? target : held.object());
            return;
        }
        Proc proc = target == null ? null : kernel.lookup(target);
        if (proc != null) {
            proc.removeWatcher(ref);
        }
    }

    /** The monitored process {@code dead} exited: tell the watcher, if it still holds the monitor. */
    void down(Pid dead, Proc.Watcher watcher, Ref ref, ExitReason reason) {
        if (!kernel.isLocal(watcher.pid())) {
            kernel.remoteSignals().downRemote(dead, watcher, ref, reason);
            return;
        }
        Proc w = kernel.lookup(watcher.pid());
        if (w != null) {
            w.monitorDown(ref, watcher.object(), reason);
        }
    }
}
