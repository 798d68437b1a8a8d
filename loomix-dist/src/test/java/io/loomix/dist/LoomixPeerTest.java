package io.loomix.dist;

import io.loomix.Atom;
import io.loomix.Name;
import io.loomix.Process;
import io.loomix.Tuple;
import io.loomix.dist.testing.Child;
import io.loomix.dist.testing.Erl;
import io.loomix.dist.testing.PeerMain;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two Loomix nodes in separate JVMs over loopback; the embedded epmd of the first serves both. */
class LoomixPeerTest {
    private static final String HOST = Erl.shortHost();
    private int epmdPort;

    @BeforeEach
    void start() {
        epmdPort = Child.freePort();
        // no epmd runs on this port: the node starts its embedded one, which the peer then uses
        Node.start("main", "c2", NodeOptions.DEFAULT.withEpmdPort(epmdPort));
    }

    @AfterEach
    void stop() {
        Node.stop();
    }

    private Child peer(String name, String cookie) throws InterruptedException {
        Child c = Child.start(Map.of(), PeerMain.command(name, cookie, epmdPort));
        c.await(l -> l.startsWith("ready"), Duration.ofSeconds(60));
        return c;
    }

    @Test
    void pingSendAndOrderAcrossJvms() throws Exception {
        try (Child p = peer("peer", "c2")) {
            Atom peer = Atom.of("peer@" + HOST);
            assertEquals(Atom.of("pong"), Node.ping(peer));
            assertEquals(List.of(peer), Node.list());
            int n = 10_000;
            List<Object> replies = Process.run(() -> {
                for (long i = 0; i < n; i++) {
                    Process.send(Name.of("echo", peer.name()), Tuple.of(Process.self(), i));
                }
                var got = new java.util.ArrayList<Object>();
                for (int i = 0; i < n; i++) {
                    got.add(Process.receive(Duration.ofSeconds(20), m -> m, () -> "timeout"));
                }
                return got;
            });
            for (int i = 0; i < n; i++) {
                assertEquals(Tuple.of(Atom.of("reply"), (long) i), replies.get(i), "reply " + i);
            }
        }
    }

    @Test
    void aPeerWithAnotherCookieIsRefused() throws Exception {
        try (Child p = peer("other", "not-c2")) {
            assertEquals(Atom.of("pang"), Node.ping("other@" + HOST));
            assertEquals(List.of(), Node.list());
        }
    }

    @Test
    void aKilledPeerIsReportedDown() throws Exception {
        Child p = peer("doomed", "c2");
        Atom doomed = Atom.of("doomed@" + HOST);
        Object down = Process.run(() -> {
            Node.monitor(doomed);
            assertEquals(Atom.of("pong"), Node.ping(doomed));
            p.close();
            return Process.receive(Duration.ofSeconds(30), m -> m instanceof NodeDown d ? d : null, () -> "timeout");
        });
        assertTrue(down instanceof NodeDown d && d.node() == doomed, String.valueOf(down));
        assertEquals(Atom.of("pang"), Node.ping(doomed));
    }
}
