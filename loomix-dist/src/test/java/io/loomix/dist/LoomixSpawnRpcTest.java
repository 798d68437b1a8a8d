package io.loomix.dist;

import io.loomix.Atom;
import io.loomix.Down;
import io.loomix.Exit;
import io.loomix.ExitReason;
import io.loomix.Pid;
import io.loomix.Process;
import io.loomix.Tuple;
import io.loomix.dist.term.ExitReasons;
import io.loomix.dist.testing.Child;
import io.loomix.dist.testing.Erl;
import io.loomix.dist.testing.PeerMain;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.loomix.Process.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Spawn requests and rpc between two Loomix nodes in two JVMs (the peer runs {@link PeerMain}),
 * and across a cluster of two Loomix nodes and one erl.
 */
class LoomixSpawnRpcTest {
    private static final String HOST = Erl.shortHost();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration T = Duration.ofSeconds(20);
    private int epmdPort;
    private Atom me;

    @BeforeEach
    void start() {
        epmdPort = Child.freePort();
        me = Node.start("mainsr", "c4", NodeOptions.DEFAULT.withEpmdPort(epmdPort).withTickTime(Duration.ofSeconds(4)));
    }

    @AfterEach
    void stop() {
        Node.stop();
    }

    private Child peer(String name) throws InterruptedException {
        Child c = Child.start(Map.of(), PeerMain.command(name, "c4", epmdPort));
        c.await(l -> l.startsWith("ready"), Duration.ofSeconds(60));
        return c;
    }

    private static Object await(java.util.function.Predicate<Object> p) {
        return receive(WAIT, m -> p.test(m) ? m : null, () -> fail("no such message within " + WAIT));
    }

    private static boolean isReply(Object m, Object what) {
        return m instanceof Tuple t && t.size() == 3 && t.get(0) == Atom.of("reply") && what.equals(t.get(1));
    }

    @Test
    void spawnAndRpcBetweenTwoJvms() throws Exception {
        try (Child p = peer("srpeer")) {
            Atom peer = Atom.of("srpeer@" + HOST);
            Object[] got = run(() -> {
                Object max = Rpc.call(peer.name(), Math.class, "max", List.of(3, 7), T);
                Object undef = Rpc.call(peer, Atom.of("no.such.Class"), Atom.of("f"), List.of(1), T);
                Object crash = Rpc.call(peer.name(), SpawnTargets.class, "crash", List.of("boom"), T);
                Object node = Rpc.call(peer, Atom.of("erlang"), Atom.of("node"), List.of(), T);
                Object nodes = Rpc.call(peer, Atom.of("erlang"), Atom.of("nodes"), List.of(), T);
                var m = Node.spawnMonitor(peer.name(), SpawnTargets.class, "reply", List.of(self(), Atom.of("hi")));
                Tuple hi = (Tuple) await(x -> isReply(x, Atom.of("hi")));
                Down normal = (Down) await(x -> x instanceof Down d && d.ref().equals(m.ref()));
                Pid self = self();
                int n = 42;
                var l = Node.spawnMonitor(peer, () -> Process.send(self, Tuple.of(Atom.of("lambda"), n, Process.node())));
                Tuple lambda = (Tuple) await(x -> x instanceof Tuple t && t.get(0) == Atom.of("lambda"));
                Down lambdaDown = (Down) await(x -> x instanceof Down d && d.ref().equals(l.ref()));
                trapExit(true);
                Pid w = Node.spawnLink(peer.name(), SpawnTargets.class, "awaitExit", List.of());
                send(w, Atom.of("stop_now"));
                Exit linked = (Exit) await(x -> x instanceof Exit e && e.from().equals(w));
                Rpc.cast(peer.name(), SpawnTargets.class, "reply", List.of(self(), Atom.of("casted")));
                await(x -> isReply(x, Atom.of("casted")));
                var undefSpawn = Node.spawnMonitor(peer, Atom.of("no.such.Class"), Atom.of("f"), List.of());
                Down undefDown = (Down) await(x -> x instanceof Down d && d.ref().equals(undefSpawn.ref()));
                return new Object[] {max, undef, crash, node, nodes, hi, m.pid().node(), normal.reason(), lambda,
                        lambdaDown.reason(), linked.reason(), ExitReasons.toTerm(undefDown.reason())};
            });
            assertEquals(7L, got[0]);
            assertEquals(Tuple.of(Atom.of("badrpc"), Tuple.of(Atom.of("EXIT"), Tuple.of(Atom.of("undef"),
                    List.of(Tuple.of(Atom.of("no.such.Class"), Atom.of("f"), List.of(1L), List.of()))))), got[1]);
            Tuple crash = (Tuple) ((Tuple) ((Tuple) ((Tuple) got[2]).get(1)).get(1)).get(0);
            assertEquals(Atom.of("java.lang.IllegalStateException"), crash.get(0));
            assertEquals(peer, got[3]);
            assertEquals(List.of(me), got[4]);
            assertEquals(peer, ((Tuple) got[5]).get(2));
            assertEquals(peer, got[6]);
            assertEquals(ExitReason.NORMAL, got[7]);
            assertEquals(Tuple.of(Atom.of("lambda"), 42L, peer), got[8]);
            assertEquals(ExitReason.NORMAL, got[9]);
            assertEquals(new ExitReason.Term(Atom.of("stop_now")), got[10]);
            assertEquals(Tuple.of(Atom.of("undef"), List.of(Tuple.of(Atom.of("no.such.Class"), Atom.of("f"), List.of(), List.of()))),
                    got[11]);
        }
    }

    @Test
    void aKilledPeerTurnsSpawnedLinksAndMonitorsIntoNoconnection() throws Exception {
        Child p = peer("srkill");
        try {
            Atom peer = Atom.of("srkill@" + HOST);
            Object[] got = run(() -> {
                trapExit(true);
                Pid linked = Node.spawnLink(peer.name(), SpawnTargets.class, "awaitExit", List.of());
                var watched = Node.spawnMonitor(peer.name(), SpawnTargets.class, "awaitExit", List.of());
                p.close(); // SIGKILL
                return new Object[] {await(x -> x instanceof Exit e && e.from().equals(linked)),
                        await(x -> x instanceof Down d && d.ref().equals(watched.ref()))};
            });
            assertEquals(ExitReason.NOCONNECTION, ((Exit) got[0]).reason());
            assertEquals(ExitReason.NOCONNECTION, ((Down) got[1]).reason());
        } finally {
            p.close();
        }
    }

    /**
     * Many processes spawning and calling at once each get their own answer (request ids are not
     * mixed up), and spawns in flight when the peer is killed each end: a pid, or noconnection
     * (a pid whose Down says so), never a requester left waiting.
     */
    @Test
    void concurrentSpawnsAndCallsAndAKillMidwayLeaveNoRequesterWaiting() throws Exception {
        Child p = peer("srstress");
        try {
            Atom peer = Atom.of("srstress@" + HOST);
            int clients = 20;
            int each = 25;
            Object[] got = run(() -> {
                Pid me = self();
                for (int c = 0; c < clients; c++) {
                    long base = c * 1000L;
                    spawn(() -> {
                        long ok = 0;
                        for (int i = 0; i < each; i++) {
                            long want = base + i;
                            Object v = Rpc.call(peer.name(), Math.class, "addExact", List.of(base, (long) i), T);
                            var m = Node.spawnMonitor(peer.name(), SpawnTargets.class, "reply", List.of(self(), want));
                            boolean replied = receive(WAIT, x -> isReply(x, want) ? true : null, () -> false);
                            Down d = (Down) receive(WAIT, x -> x instanceof Down dn && dn.ref().equals(m.ref()) ? x : null,
                                    () -> null);
                            if (Long.valueOf(want).equals(v) && replied && d != null && d.reason() == ExitReason.NORMAL) {
                                ok++;
                            }
                        }
                        send(me, Tuple.of(Atom.of("client"), ok));
                    });
                }
                long ok = 0;
                for (int c = 0; c < clients; c++) {
                    ok += (Long) ((Tuple) await(x -> x instanceof Tuple t && t.get(0) == Atom.of("client"))).get(1);
                }
                // now spawns racing the peer's death
                for (int c = 0; c < clients; c++) {
                    spawn(() -> {
                        int ended = 0;
                        for (int i = 0; i < each; i++) {
                            var m = Node.spawnMonitor(peer.name(), SpawnTargets.class, "awaitExit", List.of());
                            Down d = (Down) receive(WAIT, x -> x instanceof Down dn && dn.ref().equals(m.ref()) ? x : null,
                                    () -> null);
                            if (d != null && d.reason() == ExitReason.NOCONNECTION) {
                                ended++;
                            }
                        }
                        send(me, Tuple.of(Atom.of("raced"), (long) ended));
                    });
                }
                p.close(); // SIGKILL while requests are in flight
                long ended = 0;
                for (int c = 0; c < clients; c++) {
                    ended += (Long) ((Tuple) await(x -> x instanceof Tuple t && t.get(0) == Atom.of("raced"))).get(1);
                }
                return new Object[] {ok, ended};
            });
            assertEquals((long) clients * each, got[0], "every call and spawn got its own answer");
            assertEquals((long) clients * each, got[1], "every spawn racing the kill ended with noconnection");
        } finally {
            p.close();
        }
    }

    @Test
    void threeNodesTwoLoomixOneErlSpawnAndCallAcrossTheCluster() throws Exception {
        Atom erlNode = Atom.of("trio@" + HOST);
        try (Child p = peer("triopeer")) {
            Atom peer = Atom.of("triopeer@" + HOST);
            Object[] got = run(() -> {
                register("tester", self());
                try (Child erl = Erl.start(epmdPort, "trio", "c4",
                        "{tester, '" + me.name() + "'} ! ready, receive after infinity -> ok end.", "-kernel", "net_ticktime", "4")) {
                    await(x -> x == Atom.of("ready"));
                    // us -> erl -> the other Loomix node: rpc inside an rpc
                    Object viaErl = Rpc.call(erlNode, Atom.of("rpc"), Atom.of("call"), List.of(peer,
                            Atom.of("java.lang.Math"), Atom.of("max"), List.of(3, 7)), T);
                    // us -> erl: a process there spawns on the peer, whose process messages us
                    Node.spawn(erlNode, Atom.of("erlang"), Atom.of("spawn"), List.of(peer,
                            Atom.of(SpawnTargets.class.getName()), Atom.of("reply"), List.of(self(), Atom.of("trio"))));
                    Tuple trio = (Tuple) await(x -> isReply(x, Atom.of("trio")));
                    // the peer -> erl: the peer's rpc (as Loomix) to erl, asked by us
                    Object peerToErl = Rpc.call(peer.name(), SpawnTargets.class, "nodeOf", List.of(erlNode), T);
                    Object erlNodes = Rpc.call(erlNode, Atom.of("erlang"), Atom.of("nodes"), List.of(), T);
                    return new Object[] {viaErl, trio.get(2), peerToErl, erlNodes};
                }
            });
            assertEquals(7L, got[0]);
            assertEquals(peer, got[1]);
            assertEquals(erlNode, got[2]);
            assertEquals(Set.of(me, peer), Set.copyOf((List<?>) got[3]));
        }
    }
}
