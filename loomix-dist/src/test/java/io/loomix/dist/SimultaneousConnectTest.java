package io.loomix.dist;

import io.loomix.Atom;
import io.loomix.Name;
import io.loomix.Process;
import io.loomix.dist.epmd.EpmdClient;
import io.loomix.dist.epmd.EpmdNode;
import io.loomix.dist.handshake.DistFlags;
import io.loomix.dist.handshake.Handshake;
import io.loomix.dist.testing.PrivateEpmd;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.DataInputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Two nodes dialing each other at once: the one with the greater name answers the other's attempt
 * {@code nok} and its own attempt wins (dist_util). A scripted peer {@code zfake} plays that side:
 * this node dials it to deliver a message, gets {@code nok}, and the peer then dials this node.
 * What was queued for the peer must go out on the peer's connection, as erl's dialer waits on
 * {@code nok} instead of failing (before: the queue was dropped and a nodedown went out).
 */
class SimultaneousConnectTest {
    private static final String COOKIE = "nokcookie";
    private static final Duration WAIT = Duration.ofSeconds(20);
    @RegisterExtension
    final PrivateEpmd epmd = new PrivateEpmd();

    @RepeatedTest(3)
    void whatWasQueuedBeforeANokGoesOutOnThePeersConnection() throws Exception {
        Atom me = Node.start("anok", COOKIE, NodeOptions.DEFAULT.withEpmdPort(epmd.port()));
        String host = me.name().substring(me.name().indexOf('@') + 1);
        String fake = "zfake@" + host;
        EpmdClient epmdClient = EpmdClient.local(epmd.port());
        int ourPort = epmdClient.lookup("anok").orElseThrow().port();
        try (ServerSocket server = new ServerSocket(0);
             var reg = epmdClient.register(new EpmdNode("zfake", server.getLocalPort(), false))) {
            server.setSoTimeout((int) WAIT.toMillis());
            Process.spawn(() -> Process.send(new Name(Atom.of("sink"), Atom.of(fake)), Atom.of("queued_before_nok")));
            try (Socket theirs = server.accept()) {
                theirs.setSoTimeout((int) WAIT.toMillis());
                DataInputStream in = new DataInputStream(theirs.getInputStream());
                in.readFully(new byte[in.readUnsignedShort()]); // send_name
                theirs.getOutputStream().write(new byte[] {0, 4, 's', 'n', 'o', 'k'});
                theirs.getOutputStream().flush();
            }
            try (Socket ours = new Socket(InetAddress.getByName(host), ourPort)) {
                Handshake.initiate(ours, new Handshake.Identity(fake, DistFlags.LOOMIX | DistFlags.PUBLISHED, 1, COOKIE),
                        me.name(), WAIT);
                assertTrue(received(ours, "queued_before_nok"), "the message queued before nok came on the peer's connection");
            }
        }
    }

    /**
     * The other order of the same race: the peer's own attempt gets through first (this node,
     * the smaller, accepts it with ok_simultaneous), and the peer then answers this node's attempt
     * {@code alive} (it has a connection to us: the new one). dist_util answers is_pending: false,
     * since this attempt is no longer the pending one, and the peer keeps the connection. Before,
     * this node answered true, and a real erl then dropped the connection it had just made,
     * with what was sent on it (a nodedown on both sides, and global's lost_connection to the
     * rest of the cluster).
     */
    @RepeatedTest(3)
    void anAliveAnswerAfterThePeersConnectionGotThroughKeepsThatConnection() throws Exception {
        Atom me = Node.start("aalive", COOKIE, NodeOptions.DEFAULT.withEpmdPort(epmd.port()));
        String host = me.name().substring(me.name().indexOf('@') + 1);
        String fake = "zalive@" + host;
        EpmdClient epmdClient = EpmdClient.local(epmd.port());
        int ourPort = epmdClient.lookup("aalive").orElseThrow().port();
        try (ServerSocket server = new ServerSocket(0);
             var reg = epmdClient.register(new EpmdNode("zalive", server.getLocalPort(), false))) {
            server.setSoTimeout((int) WAIT.toMillis());
            Process.spawn(() -> Process.send(new Name(Atom.of("sink"), Atom.of(fake)), Atom.of("queued_before_alive")));
            try (Socket theirs = server.accept()) {
                theirs.setSoTimeout((int) WAIT.toMillis());
                DataInputStream in = new DataInputStream(theirs.getInputStream());
                in.readFully(new byte[in.readUnsignedShort()]); // send_name; the status waits
                try (Socket ours = new Socket(InetAddress.getByName(host), ourPort)) {
                    Handshake.initiate(ours, new Handshake.Identity(fake, DistFlags.LOOMIX | DistFlags.PUBLISHED, 1, COOKIE),
                            me.name(), WAIT);
                    theirs.getOutputStream().write(new byte[] {0, 6, 's', 'a', 'l', 'i', 'v', 'e'});
                    theirs.getOutputStream().flush();
                    byte[] answer = new byte[in.readUnsignedShort()];
                    in.readFully(answer);
                    assertEquals("sfalse", new String(answer, StandardCharsets.US_ASCII),
                            "is_pending: this node's attempt is not the pending one any more");
                    assertTrue(received(ours, "queued_before_alive"), "the queued message came on the peer's connection");
                    Process.spawn(() -> Process.send(new Name(Atom.of("sink"), Atom.of(fake)), Atom.of("sent_after_alive")));
                    assertTrue(received(ours, "sent_after_alive"), "the peer's connection is still this node's way to it");
                    assertEquals(java.util.List.of(Atom.of(fake)), Node.list());
                }
            }
        }
    }

    /** Reads distribution frames until one holds {@code text} (true) or nothing more comes within WAIT. */
    private static boolean received(Socket s, String text) throws Exception {
        byte[] want = text.getBytes(StandardCharsets.UTF_8);
        s.setSoTimeout((int) WAIT.toMillis());
        DataInputStream in = new DataInputStream(s.getInputStream());
        long deadline = System.nanoTime() + WAIT.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                byte[] frame = new byte[in.readInt()];
                in.readFully(frame);
                if (indexOf(frame, want) >= 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException | java.io.EOFException e) {
            return false;
        }
        return false;
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
