package io.loomix.internal.remote;

import io.loomix.Atom;
import io.loomix.ExitReason;
import io.loomix.Name;
import io.loomix.Pid;
import io.loomix.Ref;
import io.loomix.internal.Kernel;
import io.loomix.internal.RemoteSignals;

/**
 * All that distribution may reach of the runtime, and the only runtime package loomix-core
 * exports (to {@code io.loomix.dist} alone): installing the outbound {@link RemoteNode}, handing
 * in what peers send (messages, links, exits, monitors, a lost node), and the few lookups that
 * needs. The rest of {@code io.loomix.internal} stays closed to every other module. Any thread.
 */
public final class RuntimeHooks {
    private RuntimeHooks() {}

    private static Kernel kernel() {
        return Kernel.get();
    }

    private static RemoteSignals signals() {
        return Kernel.get().remoteSignals();
    }

    /** Installs the outbound side of distribution; null uninstalls it (messages to other nodes are then dropped). */
    public static void installRemote(RemoteNode node) {
        kernel().installRemote(node);
    }

    /**
     * Installs the poller the scheduler's idle carriers consult (see {@link IdlePoller}); false
     * when processes run on the JDK's default scheduler, which has no carriers of ours to poll
     * with (the caller then reads its input on threads of its own). Once per JVM: a second
     * poller replaces the first.
     */
    public static boolean installIdlePoller(IdlePoller poller) {
        return kernel().installIdlePoller(poller);
    }

    /** The calling process, or null when called outside one. */
    public static Pid selfOrNull() {
        return kernel().selfOrNull();
    }

    /**
     * Whether the caller is a live process that may wait here (distribution suspends such a sender
     * while a connection's output is over its busy limit, as BEAM does on a busy distribution port);
     * false outside a process and in a process that is exiting.
     */
    public static boolean selfMaySuspend() {
        return kernel().selfMaySuspend();
    }

    /** Marks the calling process suspended on a busy connection (its status then says so) or not. */
    public static void selfSuspended(boolean on) {
        kernel().selfSuspended(on);
    }

    /** In a process: dies here if an exit signal waits for it (a wait outside receive honours a kill). */
    public static void selfCheckExit() {
        kernel().selfCheckExit();
    }

    /** Whether {@code pid} belongs to this node's current incarnation. */
    public static boolean isLocal(Pid pid) {
        return kernel().isLocal(pid);
    }

    /** The process registered as {@code name} here, or null. */
    public static Pid whereis(Atom name) {
        return kernel().names().whereis(name);
    }

    /** Delivers a message from a peer to a local process. */
    public static void send(Pid to, Object message) {
        kernel().send(to, message);
    }

    /** Delivers a message from a peer to a local alias. */
    public static void send(Ref alias, Object message) {
        kernel().send(alias, message);
    }

    // ---- signals from peers (RemoteSignals) ----

    public static void linkFrom(Pid from, Pid to) {
        signals().linkFrom(from, to);
    }

    /** As {@link #linkFrom}, but false (and nothing sent) when {@code to} is gone. */
    public static boolean tryLinkFrom(Pid from, Pid to) {
        return signals().tryLinkFrom(from, to);
    }

    public static void unlinkFrom(Pid from, Pid to) {
        signals().unlinkFrom(from, to);
    }

    public static void linkExitFrom(Pid from, Pid to, ExitReason reason) {
        signals().linkExitFrom(from, to, reason);
    }

    public static void exitFrom(Pid from, Pid to, ExitReason reason) {
        signals().exitFrom(from, to, reason);
    }

    public static void monitorFrom(Pid watcher, Object target, Ref ref) {
        signals().monitorFrom(watcher, target, ref);
    }

    public static void demonitorFrom(Pid watcher, Object target, Ref ref) {
        signals().demonitorFrom(watcher, target, ref);
    }

    public static void downFrom(Atom node, Pid watcher, Ref ref, ExitReason reason) {
        signals().downFrom(node, watcher, ref, reason);
    }

    /**
     * A spawn request with the monitor option was answered: records the monitor the other node
     * set up, so that the new process's DOWN (or a lost connection) reaches {@code watcher}.
     */
    public static void spawnMonitored(Pid watcher, Pid spawned, Ref ref) {
        signals().spawnMonitored(watcher, spawned, ref);
    }

    /** The connection to {@code node} is gone: its links and monitors fire with {@code noconnection}. */
    public static void nodeDown(Atom node) {
        signals().nodeDown(node);
    }

    /** A token for the links and monitors of {@code node}'s present connection (see the three-argument linkFrom). */
    public static Object connectionOf(Atom node) {
        return signals().connectionOf(node);
    }

    /** A link asked for on {@code connection} and made later; breaks at once with noconnection if that connection is gone. */
    public static void linkFrom(Pid from, Pid to, Object connection) {
        signals().linkFrom(from, to, connection);
    }

    /** A monitor asked for on {@code connection} and made later; dropped if that connection is gone. */
    public static void monitorFrom(Pid watcher, Pid target, Ref ref, Object connection) {
        signals().monitorFrom(watcher, target, ref, connection);
    }

    /**
     * {@link #nodeDown} in two steps: call this where the connection stops being routed to (it only
     * closes the connection's links and monitors, in constant time), and run what it returns, which
     * fires them, once any lock is released.
     */
    public static Runnable nodeClosing(Atom node) {
        return signals().nodeClosing(node);
    }
}
