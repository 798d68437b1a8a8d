package io.loomix.internal;

import io.loomix.Atom;
import io.loomix.Down;
import io.loomix.Exit;
import io.loomix.ExitReason;
import io.loomix.Name;
import io.loomix.Pid;
import io.loomix.Ref;
import io.loomix.internal.remote.RemoteNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.loomix.Process.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The seam between the runtime and distribution, with a fake {@link RemoteNode} that records
 * every signal the runtime sends to another node, and the inbound calls a peer would cause.
 */
class RemoteSignalsTest {
    private static final Atom PEER = Atom.of("peer@fake");
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final Kernel kernel = Kernel.get();
    private final RemoteSignals inbound = kernel.remoteSignals();
    private final Recorder remote = new Recorder();
    private static final AtomicInteger NEXT = new AtomicInteger(1000);

    /** What the runtime asked the network to carry. */
    sealed interface Signal {}
    record Send(Object to, Object message) implements Signal {}
    record AliasSend(Pid from, Ref alias, Object message) implements Signal {}
    record Link(Pid from, Pid to) implements Signal {}
    record Unlink(Pid from, Pid to) implements Signal {}
    record LinkExit(Pid from, Pid to, ExitReason reason) implements Signal {}
    record Exit2(Pid from, Pid to, ExitReason reason) implements Signal {}
    record Monitor(Pid from, Object target, Ref ref) implements Signal {}
    record Demonitor(Pid from, Object target, Ref ref) implements Signal {}
    record DownSent(Object monitored, Pid watcher, Ref ref, ExitReason reason) implements Signal {}

    static class Recorder implements RemoteNode {
        final LinkedBlockingQueue<Signal> signals = new LinkedBlockingQueue<>();

        public void send(Pid to, Object message) { signals.add(new Send(to, message)); }
        public void send(Name to, Object message) { signals.add(new Send(to, message)); }
        public void aliasSend(Pid from, Ref alias, Object message) { signals.add(new AliasSend(from, alias, message)); }
        public void link(Pid from, Pid to) { signals.add(new Link(from, to)); }
        public void unlink(Pid from, Pid to) { signals.add(new Unlink(from, to)); }
        public void linkExit(Pid from, Pid to, ExitReason reason) { signals.add(new LinkExit(from, to, reason)); }
        public void exit(Pid from, Pid to, ExitReason reason) { signals.add(new Exit2(from, to, reason)); }
        public void monitor(Pid from, Object target, Ref ref) { signals.add(new Monitor(from, target, ref)); }
        public void demonitor(Pid from, Object target, Ref ref) { signals.add(new Demonitor(from, target, ref)); }
        public void down(Object monitored, Pid watcher, Ref ref, ExitReason reason) {
            signals.add(new DownSent(monitored, watcher, ref, reason));
        }

        Signal next() throws InterruptedException {
            Signal s = signals.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertNotNull(s, "no signal went out");
            return s;
        }
    }

    /** A pid of a process on the fake peer, new for each test so tests do not share links. */
    private static Pid remotePid() {
        return new Pid(PEER, NEXT.incrementAndGet(), 0, 7);
    }

    @BeforeEach
    void install() {
        inbound.nodeDown(PEER); // whatever an earlier test left
        kernel.installRemote(remote);
    }

    @AfterEach
    void uninstall() {
        kernel.installRemote(null);
        inbound.nodeDown(PEER);
    }

    private static Object awaitMessage(java.util.function.Predicate<Object> p) {
        return receive(WAIT, m -> p.test(m) ? m : null, () -> fail("no such message arrived"));
    }

    @Test
    void aMonitorOfARemotePidGoesOutAndItsDownComesBack() throws Exception {
        Pid other = remotePid();
        run(() -> {
            Ref ref = monitor(other);
            try {
                assertEquals(new Monitor(self(), other, ref), remote.next());
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            assertEquals(1, inbound.count(PEER));
            inbound.downFrom(PEER, self(), ref, new ExitReason.Term(Atom.of("boom")));
            assertEquals(new Down(ref, other, new ExitReason.Term(Atom.of("boom"))), awaitMessage(m -> m instanceof Down));
            assertEquals(0, inbound.count(PEER));
        });
    }

    @Test
    void aMonitorOfARemoteNameNamesTheNameAndDemonitorGoesOut() throws Exception {
        Name name = new Name(Atom.of("srv"), PEER);
        Object[] made = run(() -> {
            Ref r = monitor(name);
            assertTrue(demonitor(r));
            // a late MONITOR_P_EXIT for a dropped monitor brings no Down
            inbound.downFrom(PEER, self(), r, ExitReason.NORMAL);
            Ref probe = makeRef();
            send(self(), probe);
            assertEquals(probe, receive(m -> m));
            return new Object[] {self(), r};
        });
        Pid watcher = (Pid) made[0];
        Ref ref = (Ref) made[1];
        assertEquals(new Monitor(watcher, name, ref), remote.next());
        assertEquals(new Demonitor(watcher, name, ref), remote.next());
        assertEquals(0, inbound.count(PEER));
    }

    @Test
    void aDyingWatcherTakesItsRemoteMonitorWithIt() throws Exception {
        Pid other = remotePid();
        Pid p = spawn(() -> {
            monitor(other);
            throw exit(Atom.of("done"));
        });
        Monitor mon = (Monitor) remote.next();
        assertEquals(new Demonitor(p, other, mon.ref()), remote.next());
    }

    @Test
    void aLinkToARemotePidCarriesTheLocalDeath() throws Exception {
        Pid other = remotePid();
        Pid local = spawn(() -> {
            link(other);
            receive();
            throw exit(Atom.of("custom"));
        });
        assertEquals(new Link(local, other), remote.next());
        assertEquals(1, inbound.count(PEER));
        send(local, Atom.of("go"));
        assertEquals(new LinkExit(local, other, new ExitReason.Term(Atom.of("custom"))), remote.next());
        assertEquals(0, inbound.count(PEER));
    }

    @Test
    void anExitThroughARemoteLinkKillsOrIsTrapped() throws Exception {
        Pid other = remotePid();
        Pid victim = spawn(() -> {
            link(other);
            receive();
        });
        assertInstanceOf(Link.class, remote.next());
        run(() -> {
            Ref ref = monitor(victim);
            inbound.linkExitFrom(other, victim, ExitReason.KILLED);
            assertEquals(ExitReason.KILLED, ((Down) awaitMessage(m -> m instanceof Down d && d.ref().equals(ref))).reason());
        });
        Pid other2 = remotePid();
        Exit trapped = run(() -> {
            trapExit(true);
            link(other2);
            inbound.linkExitFrom(other2, self(), new ExitReason.Term(Atom.of("x")));
            return (Exit) awaitMessage(m -> m instanceof Exit);
        });
        assertEquals(new Exit(other2, new ExitReason.Term(Atom.of("x"))), trapped);
    }

    @Test
    void aLinkFromAPeerIsKeptAndALinkToADeadPidAnswersNoproc() throws Exception {
        Pid other = remotePid();
        Pid local = spawn(() -> receive());
        inbound.linkFrom(other, local);
        assertTrue(kernel.info(local).links().contains(other));
        exit(local, ExitReason.KILL);
        assertEquals(new LinkExit(local, other, ExitReason.KILLED), remote.next());

        inbound.linkFrom(other, local); // local is dead now
        assertEquals(new LinkExit(local, other, ExitReason.NOPROC), remote.next());
    }

    @Test
    void unlinkGoesOutAndALaterExitFromTheOldLinkIsIgnored() throws Exception {
        Pid other = remotePid();
        Pid local = spawn(() -> {
            link(other);
            unlink(other);
            receive();
        });
        assertEquals(new Link(local, other), remote.next());
        assertEquals(new Unlink(local, other), remote.next());
        inbound.linkExitFrom(other, local, ExitReason.KILLED);
        assertTrue(kernel.isAlive(local), "an exit through a link that is gone has no effect");
        exit(local, ExitReason.KILL);
    }

    @Test
    void exitToARemotePidAndFromOne() throws Exception {
        Pid other = remotePid();
        Pid sender = run(() -> {
            exit(other, Atom.of("go_away"));
            return self();
        });
        assertEquals(new Exit2(sender, other, new ExitReason.Term(Atom.of("go_away"))), remote.next());
        Pid target = spawn(() -> receive());
        run(() -> {
            Ref ref = monitor(target);
            inbound.exitFrom(other, target, ExitReason.KILL);
            assertEquals(ExitReason.KILLED, ((Down) awaitMessage(m -> m instanceof Down d && d.ref().equals(ref))).reason());
        });
    }

    @Test
    void aRemoteWatcherGetsTheDownByPidOrNameAndNoprocForNoOne() throws Exception {
        Pid watcher = remotePid();
        Ref byPid = Ref.of(PEER, 7, 1, 2, 3);
        Ref byName = Ref.of(PEER, 7, 4, 5, 6);
        Ref missing = Ref.of(PEER, 7, 7, 8, 9);
        Pid local = spawn(() -> receive());
        register("remote_watched", local);
        inbound.monitorFrom(watcher, local, byPid);
        inbound.monitorFrom(watcher, Atom.of("remote_watched"), byName);
        assertEquals(2, inbound.count(PEER));
        inbound.monitorFrom(watcher, Atom.of("nobody_at_all"), missing);
        assertEquals(new DownSent(Atom.of("nobody_at_all"), watcher, missing, ExitReason.NOPROC), remote.next());
        send(local, Atom.of("bye"));
        var downs = new java.util.HashSet<Signal>();
        downs.add(remote.next());
        downs.add(remote.next());
        assertEquals(java.util.Set.of(new DownSent(local, watcher, byPid, ExitReason.NORMAL),
                new DownSent(Atom.of("remote_watched"), watcher, byName, ExitReason.NORMAL)), downs);
        assertEquals(0, inbound.count(PEER));
    }

    @Test
    void aRemoteDemonitorDropsTheWatcher() throws Exception {
        Pid watcher = remotePid();
        Ref ref = Ref.of(PEER, 7, 10, 11, 12);
        Pid local = spawn(() -> receive());
        inbound.monitorFrom(watcher, local, ref);
        inbound.demonitorFrom(watcher, local, ref);
        assertEquals(0, inbound.count(PEER));
        exit(local, ExitReason.KILL);
        assertNull(remote.signals.poll(200, TimeUnit.MILLISECONDS), "no Down for a dropped monitor");
    }

    @Test
    void aNodeDownBreaksEveryLinkAndMonitorWithNoconnection() throws Exception {
        Pid other = remotePid();
        Pid watcher = remotePid();
        Ref theirs = Ref.of(PEER, 7, 13, 14, 15);
        Pid watched = spawn(() -> receive());
        inbound.monitorFrom(watcher, watched, theirs);
        Object[] got = run(() -> {
            trapExit(true);
            link(other);
            Ref ref = monitor(other);
            inbound.nodeDown(PEER);
            return new Object[] {awaitMessage(m -> m instanceof Exit), awaitMessage(m -> m instanceof Down), ref};
        });
        assertEquals(new Exit(other, ExitReason.NOCONNECTION), got[0]);
        assertEquals(new Down((Ref) got[2], other, ExitReason.NOCONNECTION), got[1]);
        assertEquals(0, inbound.count(PEER));
        remote.signals.clear();
        exit(watched, ExitReason.KILL);
        assertNull(remote.signals.poll(200, TimeUnit.MILLISECONDS), "the peer's monitor went with the node");
    }

    @Test
    void anAliasOfAnotherNodeIsSentThroughTheRemote() throws Exception {
        Ref alias = Ref.of(PEER, 7, 20, 21, 22);
        Pid me = run(() -> {
            send(alias, Atom.of("reply"));
            return self();
        });
        assertEquals(new AliasSend(me, alias, Atom.of("reply")), remote.next());
    }

    @Test
    void withoutDistributionRemoteLinksAndMonitorsBreakWithNoconnection() {
        kernel.installRemote(null);
        Pid other = remotePid();
        Object[] got = run(() -> {
            trapExit(true);
            link(other);
            Ref ref = monitor(other);
            return new Object[] {awaitMessage(m -> m instanceof Exit), awaitMessage(m -> m instanceof Down), ref};
        });
        assertEquals(new Exit(other, ExitReason.NOCONNECTION), got[0]);
        assertEquals(new Down((Ref) got[2], other, ExitReason.NOCONNECTION), got[1]);
    }

    /**
     * A recorder whose connection goes down while it carries a link or monitor: the node-down runs
     * after the runtime has indexed the link or monitor and before the signal goes out, which then
     * goes out on the next connection (as distribution queues a signal for a new attempt).
     */
    private final class ClosingWhileSending extends Recorder {
        @Override
        public void link(Pid from, Pid to) {
            inbound.nodeDown(PEER);
            super.link(from, to);
        }

        @Override
        public void monitor(Pid from, Object target, Ref ref) {
            inbound.nodeDown(PEER);
            super.monitor(from, target, ref);
        }
    }

    /**
     * ERTS ties a monitor to its connection: one made while the connection goes down either fires
     * with noconnection or lives on the next connection, never both. Here it fired, so the
     * MONITOR_P that went out on the next connection is followed there by a DEMONITOR_P, and the
     * peer keeps no monitor that nobody here holds.
     */
    @Test
    void aMonitorWhoseConnectionWentDownWhileItWasSentIsUndoneOnTheNextOne() {
        var closing = new ClosingWhileSending();
        kernel.installRemote(closing);
        Pid other = remotePid();
        Object[] got = run(() -> {
            Ref ref = monitor(other);
            return new Object[] {self(), ref, awaitMessage(m -> m instanceof Down)};
        });
        Pid me = (Pid) got[0];
        Ref ref = (Ref) got[1];
        assertEquals(new Down(ref, other, ExitReason.NOCONNECTION), got[2]);
        assertEquals(new Monitor(me, other, ref), closing.signals.poll());
        assertEquals(new Demonitor(me, other, ref), closing.signals.poll(), "the peer's side was not undone");
        assertNull(closing.signals.poll());
        assertEquals(0, inbound.count(PEER));

        // A monitor whose connection stays up is not undone (looked at before its holder exits,
        // which demonitors it).
        kernel.installRemote(remote);
        run(() -> {
            Ref kept = monitor(other);
            assertEquals(new Monitor(self(), other, kept), remote.signals.poll());
            assertNull(remote.signals.poll(), "a monitor on a live connection was undone");
            assertEquals(1, inbound.count(PEER));
        });
    }

    /** As for a monitor: the link broke with noconnection here, so its LINK is undone with an UNLINK_ID. */
    @Test
    void aLinkWhoseConnectionWentDownWhileItWasSentIsUndoneOnTheNextOne() {
        var closing = new ClosingWhileSending();
        kernel.installRemote(closing);
        Pid other = remotePid();
        Object[] got = run(() -> {
            trapExit(true);
            link(other);
            return new Object[] {self(), awaitMessage(m -> m instanceof Exit)};
        });
        Pid me = (Pid) got[0];
        assertEquals(new Exit(other, ExitReason.NOCONNECTION), got[1]);
        assertEquals(new Link(me, other), closing.signals.poll());
        assertEquals(new Unlink(me, other), closing.signals.poll(), "the peer's side was not undone");
        assertNull(closing.signals.poll());
    }

    /**
     * A connection that goes down as distribution takes it down: its links and monitors close under
     * the same lock that every signal is carried under (the peer's monitor in NodeTable), and each
     * signal is recorded with the connection it went out on.
     */
    private static final class Connections extends Recorder {
        final Object lock = new Object();
        int current;
        final java.util.Map<Ref, Integer> monitorOn = new java.util.HashMap<>();
        final java.util.Map<Ref, Integer> demonitorOn = new java.util.HashMap<>();

        @Override
        public void monitor(Pid from, Object target, Ref ref) {
            synchronized (lock) {
                monitorOn.put(ref, current);
            }
        }

        @Override
        public void demonitor(Pid from, Object target, Ref ref) {
            synchronized (lock) {
                demonitorOn.put(ref, current);
            }
        }

        void goDown(RemoteSignals signals) {
            Runnable down;
            synchronized (lock) {
                current++;
                down = signals.nodeClosing(PEER);
            }
            down.run();
        }

        String describe(Ref ref) {
            synchronized (lock) {
                return "MONITOR_P on connection " + monitorOn.get(ref) + ", DEMONITOR_P on " + demonitorOn.get(ref)
                        + ", the connection now " + current;
            }
        }

        /** Whether the peer still holds the monitor {@code ref}: its connection is up and no DEMONITOR_P followed on it. */
        boolean peerHolds(Ref ref) {
            synchronized (lock) {
                int on = monitorOn.get(ref);
                return on == current && !Integer.valueOf(on).equals(demonitorOn.get(ref));
            }
        }
    }

    /** A holder's answer: whether a Down came for its monitor, whether the peer holds it, and the connections it went on. */
    record Answer(boolean gotDown, boolean peerHolds, String connections) {}

    /**
     * Many processes monitor the peer while its connection goes down again and again: afterwards
     * each holds its monitor (no Down) exactly when the peer holds it too. A monitor the peer keeps
     * and nobody here holds (its Down came, but its MONITOR_P lives on a later connection) is the
     * race of the test above; one held here that the peer dropped would never fire.
     */
    @Test
    void monitorsRacingConnectionsThatGoDownAreHeldHereExactlyWhenThePeerHoldsThem() throws Exception {
        var connections = new Connections();
        kernel.installRemote(connections);
        for (int round = 0; round < 30; round++) {
            int n = 40;
            Pid other = remotePid();
            var reported = new LinkedBlockingQueue<Ref>();
            var stop = new java.util.concurrent.atomic.AtomicBoolean();
            Thread closer = Thread.ofPlatform().start(() -> {
                while (!stop.get()) {
                    connections.goDown(inbound);
                    Thread.yield();
                }
            });
            Pid[] holders = new Pid[n];
            for (int i = 0; i < n; i++) {
                holders[i] = spawn(() -> {
                    Ref ref = monitor(other);
                    reported.add(ref);
                    Pid asker = (Pid) receive(m -> m instanceof Pid p ? p : null);
                    Object down = receive(Duration.ZERO, m -> m instanceof Down d && d.ref().equals(ref) ? d : null, () -> null);
                    // Looked at before this process exits, which demonitors what it holds.
                    send(asker, new Answer(down != null, connections.peerHolds(ref), connections.describe(ref)));
                });
            }
            for (int i = 0; i < n; i++) {
                assertNotNull(reported.poll(WAIT.toSeconds(), TimeUnit.SECONDS), "a process did not monitor");
            }
            stop.set(true);
            closer.join();
            // Every close has run to its end: the Downs it fired are in the mailboxes.
            run(() -> {
                for (Pid h : holders) {
                    send(h, self());
                    Answer answer = receive(WAIT, m -> m instanceof Answer a ? a : null, () -> fail("no answer"));
                    assertEquals(!answer.gotDown(), answer.peerHolds(),
                            (answer.gotDown() ? "a Down came for a monitor the peer still holds" : "a monitor the peer dropped is held here")
                            + " (" + answer.connections() + ")");
                }
            });
            connections.goDown(inbound); // the next round starts clean
        }
    }

    /**
     * A spawn request's new process links to and is monitored by its requester as it starts, on
     * behalf of the request's connection. If that connection went down in between, the link breaks
     * at once with noconnection and the monitor is dropped, as if both had been made before; they
     * do not join the next connection's links and monitors.
     */
    @Test
    void aLinkOrMonitorMadeForAConnectionThatWentDownMeanwhileBreaksAtOnce() throws Exception {
        Pid requester = remotePid();
        Object connection = inbound.connectionOf(PEER);
        inbound.nodeDown(PEER); // the request's connection goes down before the new process starts
        Ref theirs = Ref.of(PEER, 7, 30, 31, 32);
        Object got = run(() -> {
            trapExit(true);
            inbound.linkFrom(requester, self(), connection);
            inbound.monitorFrom(requester, self(), theirs, connection);
            return awaitMessage(m -> m instanceof Exit);
        });
        assertEquals(new Exit(requester, ExitReason.NOCONNECTION), got);
        assertEquals(0, inbound.count(PEER), "they joined the next connection's links and monitors");
        // The process has exited: nothing goes to the peer for a link or monitor it no longer has.
        assertNull(remote.signals.poll(), "a signal went out for a link or monitor of a connection that is gone");

        // On a connection that is still up, both are kept.
        Object live = inbound.connectionOf(PEER);
        Pid kept = spawn(() -> receive());
        inbound.linkFrom(requester, kept, live);
        inbound.monitorFrom(requester, kept, theirs, live);
        assertEquals(2, inbound.count(PEER));
        exit(kept, ExitReason.KILL);
        assertInstanceOf(LinkExit.class, remote.next());
        assertInstanceOf(DownSent.class, remote.next());
    }

    /**
     * Many processes link to and monitor the peer while it goes down: each gets exactly one Exit
     * and one Down, whichever side of the node-down its link and monitor fell.
     */
    @Test
    void aNodeDownRacingNewLinksAndMonitorsMissesNone() {
        for (int round = 0; round < 50; round++) {
            int n = 40;
            Pid other = remotePid();
            var downs = new AtomicInteger();
            run(() -> {
                Pid parent = self();
                for (int i = 0; i < n; i++) {
                    spawn(() -> {
                        trapExit(true);
                        link(other);
                        Ref ref = monitor(other);
                        awaitMessage(m -> m instanceof Exit e && e.reason() == ExitReason.NOCONNECTION);
                        awaitMessage(m -> m instanceof Down d && d.ref().equals(ref));
                        send(parent, Atom.of("ok"));
                    });
                }
                // keep taking the node down until every process has had its signals
                int ok = 0;
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (ok < n) {
                    assertTrue(System.nanoTime() < deadline, "only " + ok + " of " + n + " processes were told");
                    inbound.nodeDown(PEER);
                    ok += receive(Duration.ofMillis(1), m -> m == Atom.of("ok") ? 1 : null, () -> 0);
                }
                downs.addAndGet(ok);
            });
            assertEquals(n, downs.get());
        }
    }
}
