package io.loomix.dist;

import io.loomix.Atom;
import io.loomix.Down;
import io.loomix.ExitReason;
import io.loomix.Pid;
import io.loomix.Ref;
import io.loomix.Tuple;
import io.loomix.dist.testing.Child;
import io.loomix.dist.testing.Erl;
import io.loomix.dist.testing.GlobalErl;
import io.loomix.dist.testing.GlobalPeer;
import io.loomix.dist.testing.PrivateEpmd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.loomix.Process.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Global names between Loomix nodes in separate JVMs (the peer runs {@link GlobalPeer}), and in a
 * cluster of two Loomix nodes and one erl.
 */
class GlobalClusterTest {
    private static final String HOST = Erl.shortHost();
    private static final Duration WAIT = Duration.ofSeconds(30);
    @RegisterExtension
    final PrivateEpmd epmd = new PrivateEpmd();

    private Atom start(String name) {
        return Node.start(name, "gc", NodeOptions.DEFAULT.withEpmdPort(epmd.port()));
    }

    private Child peer(String name) throws InterruptedException {
        Child c = Child.start(Map.of(), GlobalPeer.command(name, "gc", epmd.port()));
        c.await(l -> l.startsWith("ready"), Duration.ofSeconds(60));
        return c;
    }

    /** One command to the peer, its one-line answer. */
    private static String ask(Child peer, String command) throws InterruptedException {
        String word = command.split(" ")[0];
        String reply = switch (word) {
            case "register" -> "registered";
            case "sync" -> "synced";
            case "connect" -> "connected";
            default -> word;
        };
        peer.send(command + "\n");
        return peer.await(l -> l.startsWith(reply + " "), WAIT);
    }

    private static Pid idle() {
        return spawn(() -> receive(m -> m == Atom.of("stop") ? m : null));
    }

    private static String show(Pid p) {
        return GlobalPeer.show(Optional.of(p));
    }

    @Test
    void twoLoomixNodesShareNamesAndResolveAConflict() throws Exception {
        start("gla"); // gla@h < glb@h: this node decides the conflict and keeps its pid
        try (Child peer = peer("glb")) {
            Atom other = Atom.of("glb@" + HOST);
            run(() -> {
                // "dup" on both sides before they meet
                String theirs = ask(peer, "register dup");
                assertTrue(theirs.startsWith("registered dup yes glb@"), theirs);
                Pid ours = idle();
                assertTrue(Global.register("dup", ours));
                Ref watch = monitor(ours);
                assertTrue(Node.connect(other.name()));
                assertTrue(Global.sync(WAIT));
                assertEquals("synced true", ask(peer, "sync"));
                assertEquals(Optional.of(ours), Global.whereis("dup"));
                assertEquals("where dup " + show(ours), ask(peer, "where dup"));
                assertTrue(receive(Duration.ZERO, m -> m instanceof Down d && d.ref().equals(watch) ? d : null, () -> null) == null,
                        "the winner lives");
                assertEquals("alive dup false", ask(peer, "alive dup"), "the loser was killed");

                String reg = ask(peer, "register from_peer");
                assertTrue(reg.startsWith("registered from_peer yes glb@"), reg);
                Pid peerPid = Global.whereis("from_peer").orElseThrow();
                assertEquals(reg.substring("registered from_peer yes ".length()), show(peerPid));
                Pid mine = idle();
                assertTrue(Global.register("from_main", mine));
                assertEquals("where from_main " + show(mine), ask(peer, "where from_main"));
                assertTrue(ask(peer, "register from_main").startsWith("registered from_main no "));

                // a registered process that exits loses its name on the other node too
                exit(mine, Atom.of("kill"));
                assertEquals("gone from_main undefined", ask(peer, "gone from_main"));
                return null;
            });
        }
    }

    @Test
    void aKilledLoomixPeersNamesAreReleased() throws Exception {
        start("glk");
        Child peer = peer("glkpeer");
        try {
            Atom other = Atom.of("glkpeer@" + HOST);
            assertTrue(Node.connect(other.name()));
            assertTrue(Global.sync(WAIT));
            ask(peer, "register doomed");
            assertEquals(other, Global.whereis("doomed").orElseThrow().node());
            run(() -> {
                Node.monitor(other);
                peer.close(); // SIGKILL
                receive(WAIT, m -> m instanceof NodeDown d && d.node() == other ? d : null, () -> fail("no nodedown"));
                return null;
            });
            // the name server had its DOWN before NodeDown went out; a round trip through it has handled it
            assertTrue(Global.sync(WAIT));
            assertEquals(Optional.empty(), Global.whereis("doomed"));
        } finally {
            peer.close();
        }
    }

    @Test
    void aNameRegisteredOnAnyOfThreeNodesIsSeenOnTheOtherTwo() throws Exception {
        Atom me = start("gt1");
        try (Child peer = peer("gt2")) {
            Atom other = Atom.of("gt2@" + HOST);
            assertTrue(Node.connect(other.name()));
            assertTrue(Global.sync(WAIT));
            run(() -> {
                register("tester", self());
                try (Child erl = Erl.start(epmd.port(), "gt3", "gc", GlobalErl.program(List.of(me.name(), other.name()), null))) {
                    Pid e = (Pid) ((Tuple) receive(WAIT, m -> m instanceof Tuple t && t.get(0) == Atom.of("erl") ? t : null,
                            () -> fail("erl did not start"))).get(1);
                    assertTrue(Global.sync(WAIT));
                    assertEquals("synced true", ask(peer, "sync"));

                    Pid mine = idle();
                    assertTrue(Global.register("on_loomix_1", mine));
                    assertEquals("where on_loomix_1 " + show(mine), ask(peer, "where on_loomix_1"));
                    assertEquals(mine, askErl(e, "where", "on_loomix_1").get(2));

                    String reg = ask(peer, "register on_loomix_2");
                    Pid peerPid = Global.whereis("on_loomix_2").orElseThrow();
                    assertEquals("registered on_loomix_2 yes " + show(peerPid), reg);
                    assertEquals(peerPid, askErl(e, "where", "on_loomix_2").get(2));

                    Tuple byErl = askErl(e, "register", "on_erl");
                    assertEquals(Atom.of("yes"), byErl.get(2));
                    Pid erlPid = (Pid) byErl.get(3);
                    assertEquals(Optional.of(erlPid), Global.whereis("on_erl"));
                    assertEquals("where on_erl " + show(erlPid), ask(peer, "where on_erl"));
                } catch (InterruptedException ex) {
                    throw new IllegalStateException(ex);
                }
                return null;
            });
        }
    }

    /**
     * prevent_overlapping_partitions (OTP 25's default): when this node drops erl, the peer, still
     * connected to both, hears of it from both (lost_connection) and asks each to disconnect it, as
     * the middle node of three erl nodes does; so this node loses the peer too.
     */
    @Test
    void aLostConnectionLeavesNoOverlappingPartitions() throws Exception {
        Atom me = start("gp1");
        try (Child peer = peer("gp2")) {
            Atom other = Atom.of("gp2@" + HOST);
            assertTrue(Node.connect(other.name()));
            assertTrue(Global.sync(WAIT));
            run(() -> {
                register("tester", self());
                try (Child erl = Erl.start(epmd.port(), "gp3", "gc", GlobalErl.program(List.of(me.name(), other.name()), null))) {
                    Pid e = (Pid) ((Tuple) receive(WAIT, m -> m instanceof Tuple t && t.get(0) == Atom.of("erl") ? t : null,
                            () -> fail("erl did not start"))).get(1);
                    assertTrue(Global.sync(WAIT));
                    assertEquals("synced true", ask(peer, "sync"));
                    Node.monitorAll();
                    assertTrue(Node.disconnect(e.node()));
                    NodeDown down = (NodeDown) receive(WAIT, m -> m instanceof NodeDown d && d.node() == other ? d : null,
                            () -> fail("the peer, connected to both, did not ask us to disconnect"));
                    assertEquals(other, down.node());
                    assertFalse(Node.list().contains(other));
                } catch (InterruptedException ex) {
                    throw new IllegalStateException(ex);
                }
                return null;
            });
        }
    }

    private static Tuple askErl(Pid erl, String op, String name) {
        send(erl, Tuple.of(self(), Atom.of(op), Atom.of(name)));
        return (Tuple) receive(WAIT, m -> m instanceof Tuple t && t.size() >= 3 && t.get(1) == Atom.of(name)
                && !(t.get(0) instanceof Pid) ? t : null, () -> fail("erl did not answer " + op + " " + name));
    }
}
