package io.loomix.dist;

import io.loomix.Atom;
import io.loomix.Process;
import io.loomix.dist.testing.Child;
import io.loomix.dist.testing.Erl;
import io.loomix.dist.testing.PeerMain;
import io.loomix.dist.testing.PrivateEpmd;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.DatagramSocket;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * Autocluster over real UDP multicast on the loopback interface: against erl running libcluster's
 * Gossip strategy (its packet code, written out in Erlang: libcluster itself is not installable
 * here), plain and encrypted, and between two Loomix JVMs.
 */
class GossipErlTest {
    private static final String HOST = Erl.shortHost();
    private static final Duration WAIT = Duration.ofSeconds(30);
    @RegisterExtension
    final PrivateEpmd epmd = new PrivateEpmd();
    private int port;

    @BeforeEach
    void start() throws Exception {
        try (var s = new DatagramSocket(0)) {
            port = s.getLocalPort();
        }
        Node.start("gossiper", "cookie1", NodeOptions.DEFAULT.withEpmdPort(epmd.port()));
    }

    @AfterEach
    void stop() {
        Gossip.stop();
        Node.stop();
    }

    private Gossip.Options options() {
        return Gossip.Options.DEFAULT.withPort(port).onInterface("127.0.0.1").withMaxInterval(Duration.ofMillis(200));
    }

    /**
     * libcluster's Gossip in Erlang: heartbeats every 200 ms, and "heard N" printed once for each
     * other node whose heartbeat it decodes (it does not connect: that is the Loomix side's job here).
     */
    private Child libclusterErl(String name, String secret) {
        String secretTerm = secret == null ? "undefined" : "<<\"" + secret + "\">>";
        String code = "Port = " + port + ", Group = {233,252,1,32}, Secret = " + secretTerm + ","
                + " {ok, S} = gen_udp:open(Port, [binary, {active, true}, {ip, {0,0,0,0}}, {reuseaddr, true},"
                + "  {broadcast, true}, {add_membership, {Group, {127,0,0,1}}}, {multicast_if, {127,0,0,1}},"
                + "  {multicast_ttl, 1}, {multicast_loop, true}]),"
                + " Pad = fun(M) -> N = 16 - (byte_size(M) rem 16), <<M/binary, (binary:copy(<<N>>, N))/binary>> end,"
                + " Enc = fun(M) when Secret =:= undefined -> M;"
                + "          (M) -> IV = crypto:strong_rand_bytes(16),"
                + "                 [IV, crypto:crypto_one_time(aes_256_cbc, crypto:hash(sha256, Secret), IV, Pad(M), true)] end,"
                + " Dec = fun(<<\"heartbeat::\", _/binary>> = P) when Secret =:= undefined -> {ok, P};"
                + "          (<<IV:16/binary, C/binary>>) when Secret =/= undefined ->"
                + "              try P = crypto:crypto_one_time(aes_256_cbc, crypto:hash(sha256, Secret), IV, C, false),"
                + "                  {ok, binary_part(P, 0, byte_size(P) - binary:last(P))}"
                + "              catch _:_ -> error end;"
                + "          (_) -> error end,"
                + " Beat = fun() -> gen_udp:send(S, Group, Port,"
                + "          Enc(iolist_to_binary([<<\"heartbeat::\">>, term_to_binary(#{node => node()})]))) end,"
                + " Loop = fun L(Heard) -> receive"
                + "   beat -> Beat(), erlang:send_after(200, self(), beat), L(Heard);"
                + "   {udp, _, _, _, Pkt} -> case Dec(Pkt) of"
                + "     {ok, <<\"heartbeat::\", R/binary>>} -> case binary_to_term(R) of"
                + "       #{node := N} when N =/= node() -> case lists:member(N, Heard) of"
                + "         false -> io:format(\"heard ~s~n\", [N]), L([N | Heard]); true -> L(Heard) end;"
                + "       _ -> L(Heard) end;"
                + "     _ -> L(Heard) end end end,"
                + " self() ! beat, io:format(\"ready~n\"), Loop([]).";
        return Erl.start(epmd.port(), name, "cookie1", code);
    }

    /** Waits (bounded) for a NodeUp of {@code node}, or finds it connected already. */
    private static Object awaitUp(Atom node) {
        return Process.run(() -> {
            Node.monitorAll();
            if (Node.list().contains(node)) {
                return new NodeUp(node);
            }
            return Process.receive(WAIT, m -> m instanceof NodeUp u && u.node().equals(node) ? u : null,
                    () -> "no NodeUp of " + node + " within " + WAIT + "; connected: " + Node.listAll());
        });
    }

    @Test
    void anErlNodeGossipingAsLibclusterDoesIsFoundAndConnectedAndReadsOurHeartbeats() throws Exception {
        try (Child erl = libclusterErl("lc", null)) {
            erl.await("ready");
            Gossip.start(options());
            Atom lc = Atom.of("lc@" + HOST);
            assertInstanceOf(NodeUp.class, awaitUp(lc));
            assertEquals("heard " + Node.self().name(), erl.await(l -> l.startsWith("heard"), WAIT));
        }
    }

    @Test
    void encryptedHeartbeatsWithLibclustersCipherWorkBothWays() throws Exception {
        try (Child erl = libclusterErl("lcs", "s3cret")) {
            erl.await("ready");
            Gossip.start(options().withSecret("s3cret"));
            Atom lcs = Atom.of("lcs@" + HOST);
            assertInstanceOf(NodeUp.class, awaitUp(lcs));
            assertEquals("heard " + Node.self().name(), erl.await(l -> l.startsWith("heard"), WAIT));
        }
    }

    @Test
    void stoppingTheNodeEndsItsGossip() throws Exception {
        Gossip.start(options());
        assertEquals(true, Process.whereis("loomix_gossip").isPresent());
        Node.stop();
        assertEquals(false, Process.whereis("loomix_gossip").isPresent(), "gossip outlived its node");
    }

    @Test
    void twoLoomixJvmsFindEachOther() throws Exception {
        try (Child peer = Child.start(Map.of(), PeerMain.command("gpeer", "cookie1", epmd.port(),
                "-Dpeer.gossipPort=" + port))) {
            peer.await(l -> l.startsWith("ready"), Duration.ofSeconds(60));
            Gossip.start(options());
            assertInstanceOf(NodeUp.class, awaitUp(Atom.of("gpeer@" + HOST)));
        }
    }
}
