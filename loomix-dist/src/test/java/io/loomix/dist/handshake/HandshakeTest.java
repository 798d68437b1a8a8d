package io.loomix.dist.handshake;

import io.loomix.dist.epmd.EpmdClient;
import io.loomix.dist.epmd.EpmdNode;
import io.loomix.dist.testing.Child;
import io.loomix.dist.testing.Erl;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HandshakeTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String HOST = Erl.shortHost();

    private static Handshake.Identity id(String name, String cookie) {
        return new Handshake.Identity(name + "@" + HOST, DistFlags.LOOMIX | DistFlags.PUBLISHED, 7, cookie);
    }

    /** Runs both sides on loopback; returns the acceptor's outcome (a Result or the exception). */
    private static Object[] both(Handshake.Identity a, Handshake.Identity b) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Object> accepted = CompletableFuture.supplyAsync(() -> {
                try (Socket s = server.accept()) {
                    return Handshake.accept(s, b, peer -> Handshake.Admission.OK, TIMEOUT);
                } catch (IOException e) {
                    return e;
                }
            });
            Object initiated;
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                initiated = Handshake.initiate(s, a, b.name(), TIMEOUT);
            } catch (HandshakeException e) {
                initiated = e;
            }
            return new Object[] {initiated, accepted.get()};
        }
    }

    @Test
    void sameCookieConnectsAndAgreesOnFlags() throws Exception {
        Object[] r = both(id("a", "secret"), id("b", "secret"));
        var a = (Handshake.Result) r[0];
        var b = (Handshake.Result) r[1];
        assertEquals("b@" + HOST, a.peerName());
        assertEquals("a@" + HOST, b.peerName());
        assertEquals(a.agreedFlags(), b.agreedFlags());
        assertTrue(a.published());
    }

    @Test
    void wrongCookieIsRefusedBothWaysNamingThePeer() throws Exception {
        Object[] r = both(id("a", "one"), id("b", "two"));
        var a = (HandshakeException) r[0];
        var b = (HandshakeException) r[1];
        assertEquals("a@" + HOST, b.peer());
        assertTrue(b.getMessage().contains("different cookie"), b.getMessage());
        assertEquals("b@" + HOST, a.peer());
        assertTrue(a.getMessage().contains("different cookie"), a.getMessage());
    }

    @Test
    void digestIsMd5OfCookieAndUnsignedChallenge() {
        // erlang:md5("abc" ++ integer_to_list(16#FFFFFFFF)) as computed by erl
        assertEquals("beec35cc2e8e170d9c45291c5c1eb475",
                java.util.HexFormat.of().formatHex(Handshake.digest(-1, "abc")));
    }

    @Test
    void aPeerThatStallsMidHandshakeTimesOut() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
             Socket accepted = server.accept()) {
            client.getOutputStream().write(new byte[] {0, 30, 'N', 0}); // says 30 bytes, sends 2
            var e = assertThrows(HandshakeException.class, () -> Handshake.accept(accepted, id("b", "c"),
                    peer -> Handshake.Admission.OK, Duration.ofMillis(300)));
            assertTrue(e.getMessage().contains("timed out"), e.getMessage());
            var e2 = assertThrows(HandshakeException.class,
                    () -> Handshake.initiate(client, id("a", "c"), "b@" + HOST, Duration.ofMillis(300)));
            assertTrue(e2.getMessage().contains("timed out"), e2.getMessage());
        }
    }

    @Test
    void aPeerWithoutMandatoryFlagsIsNotAllowed() throws Exception {
        var old = new Handshake.Identity("a@" + HOST, DistFlags.MANDATORY_25 & ~DistFlags.MAP_TAG, 7, "c");
        Object[] r = both(old, id("b", "c"));
        var b = (HandshakeException) r[1];
        assertTrue(b.getMessage().contains("MAP_TAG"), b.getMessage());
        var a = (HandshakeException) r[0];
        assertTrue(a.getMessage().contains("not_allowed"), a.getMessage());
    }

    @Test
    void erlConnectsToUsAndWeToErl() throws Exception {
        int epmdPort = Child.freePort();
        try (Child epmd = Child.epmd(epmdPort);
             ServerSocket listen = new ServerSocket(0);
             var reg = EpmdClient.local(epmdPort).register(new EpmdNode("hsjava", listen.getLocalPort(), false));
             Child erl = Erl.start(epmdPort, "hserl", "cookie1",
                     "net_kernel:monitor_nodes(true), io:format(\"ready~n\"),"
                             + " io:format(\"connect ~p~n\", [net_kernel:connect_node('hsjava@" + HOST + "')]),"
                             + " receive {nodeup, N} -> io:format(\"nodeup ~p~n\", [N]) end, timer:sleep(infinity).")) {
            erl.await("ready");
            var me = new Handshake.Identity("hsjava@" + HOST, DistFlags.LOOMIX | DistFlags.PUBLISHED, reg.creation(), "cookie1");
            try (Socket s = listen.accept()) {
                var peer = Handshake.accept(s, me, n -> Handshake.Admission.OK, TIMEOUT);
                assertEquals("hserl@" + HOST, peer.peerName());
                assertEquals(DistFlags.LOOMIX | DistFlags.PUBLISHED, peer.agreedFlags(), "OTP offers every flag we do");
                erl.await("connect true");
                erl.await("nodeup hsjava@" + HOST);
            }
            // and the other way: we dial erl, found through epmd
            int erlPort = EpmdClient.local(epmdPort).lookup("hserl").orElseThrow().port();
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), erlPort)) {
                var peer = Handshake.initiate(s, id("hsjava2", "cookie1"), "hserl@" + HOST, TIMEOUT);
                assertEquals("hserl@" + HOST, peer.peerName());
            }
        }
    }

    @Test
    void erlRefusesAWrongCookieAndSaysWho() throws Exception {
        int epmdPort = Child.freePort();
        try (Child epmd = Child.epmd(epmdPort);
             Child erl = Erl.start(epmdPort, "hserl2", "right", "io:format(\"ready~n\"), timer:sleep(infinity).")) {
            erl.await("ready");
            int erlPort = EpmdClient.local(epmdPort).lookup("hserl2").orElseThrow().port();
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), erlPort)) {
                var e = assertThrows(HandshakeException.class,
                        () -> Handshake.initiate(s, id("intruder", "wrong"), "hserl2@" + HOST, TIMEOUT));
                assertEquals("hserl2@" + HOST, e.peer());
                assertTrue(e.getMessage().contains("different cookie"), e.getMessage());
            }
            erl.await(l -> l.contains("intruder@" + HOST) && l.contains("rejected"), TIMEOUT);
        }
    }
}
