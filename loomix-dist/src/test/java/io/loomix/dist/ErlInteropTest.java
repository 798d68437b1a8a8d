package io.loomix.dist;

import io.loomix.Atom;
import io.loomix.Binary;
import io.loomix.Name;
import io.loomix.Pid;
import io.loomix.Process;
import io.loomix.Tuple;
import io.loomix.dist.testing.Child;
import io.loomix.dist.testing.Erl;
import io.loomix.dist.testing.LogCapture;
import io.loomix.dist.testing.PrivateEpmd;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A Loomix node and real erl nodes on a private epmd: ping, send, global, cookies, ticks, fragments. */
class ErlInteropTest {
    private static final String HOST = Erl.shortHost();
    private static final Duration WAIT = Duration.ofSeconds(30);
    @RegisterExtension
    final PrivateEpmd epmd = new PrivateEpmd();
    private Atom me;

    @BeforeEach
    void start() throws Exception {
        // Erlang's tick time (60 s), as the erl peers have: a node with a shorter one drops them
        me = Node.start("loomix", "cookie1", NodeOptions.DEFAULT.withEpmdPort(epmd.port()));
    }

    private Child erl(String name, String cookie, String code, String... extra) {
        return Erl.start(epmd.port(), name, cookie, code, extra);
    }

    /** A registered process that answers {From, Msg} with {reply, Msg}. */
    private static Pid echo(String name) {
        Pid pid = Process.spawn(() -> {
            while (true) {
                if (Process.receive() instanceof Tuple t && t.size() == 2 && t.get(0) instanceof Pid from) {
                    Process.send(from, Tuple.of(Atom.of("reply"), t.get(1)));
                }
            }
        });
        Process.register(name, pid);
        return pid;
    }

    @Test
    void erlPingsUsSendsToARegisteredProcessAndSyncsGlobal() throws Exception {
        Pid echo = echo("echo");
        try (Child erl = erl("x", "cookie1",
                "io:format(\"ping ~p~n\", [net_adm:ping('" + me.name() + "')]),"
                        + "io:format(\"nodes ~p~n\", [nodes()]),"
                        + "{echo, '" + me.name() + "'} ! {self(), {hello, <<\"w\">>, 42}},"
                        + "receive {reply, R} -> io:format(\"reply ~p~n\", [R]) after 10000 -> io:format(\"no reply~n\") end,"
                        + "{T, S} = timer:tc(global, sync, []), io:format(\"sync ~p in ~p us~n\", [S, T]),"
                        // rpc asks every new node which rpc it speaks; the answer lands in this table
                        + "Rex = fun W(0) -> none; W(K) -> case ets:lookup(persistent_term:get(rex_nodes_observer), '" + me.name() + "') of"
                        + " [] -> timer:sleep(10), W(K - 1); [E] -> E end end,"
                        + "io:format(\"rex ~p~n\", [Rex(500)]), halt().")) {
            erl.await("ping pong");
            assertEquals("nodes [" + me.name() + "]", erl.await("nodes"));
            assertEquals("reply {hello,<<\"w\">>,42}", erl.await("reply"));
            String sync = erl.await(l -> l.startsWith("sync"), WAIT);
            assertTrue(sync.startsWith("sync ok"), sync);
            assertEquals("rex {" + me.name() + ",true}", erl.await("rex"), "features_reply: erpc is served");
        } finally {
            Process.exit(echo, Atom.of("kill"));
        }
    }

    @Test
    void wePingErlAndTalkToItsRegisteredProcess() throws Exception {
        Atom x = Atom.of("y@" + HOST);
        try (Child erl = erl("y", "cookie1",
                "register(shell, self()), io:format(\"ready~n\"),"
                        + "receive {From, Msg} -> From ! {got, Msg} end, timer:sleep(infinity).")) {
            erl.await("ready");
            assertEquals(Atom.of("pong"), Node.ping(x));
            assertEquals(java.util.List.of(x), Node.list());
            Object reply = Process.run(() -> {
                Process.send(Name.of("shell", x.name()), Tuple.of(Process.self(), Binary.utf8("hi")));
                return Process.receive(Duration.ofSeconds(10), m -> m, () -> "timeout");
            });
            assertEquals(Tuple.of(Atom.of("got"), "hi"), reply, "a UTF-8 binary arrives as a String");
        }
    }

    @Test
    void theFirstSendConnects() throws Exception {
        try (Child erl = erl("z", "cookie1",
                "register(shell, self()), io:format(\"ready~n\"),"
                        + "receive Msg -> io:format(\"got ~p~n\", [Msg]) end, timer:sleep(infinity).")) {
            erl.await("ready");
            assertEquals(java.util.List.of(), Node.list());
            Process.run(() -> Process.send(Name.of("shell", "z@" + HOST), Atom.of("first")));
            assertEquals("got first", erl.await("got"));
        }
    }

    @Test
    void aWrongCookieIsRefusedBothWaysAndLoggedWithThePeer() throws Exception {
        try (LogCapture log = new LogCapture();
             Child erl = erl("w", "other",
                     "io:format(\"ready~n\"), io:format(\"ping ~p~n\", [net_adm:ping('" + me.name() + "')]),"
                             + " timer:sleep(infinity).")) {
            erl.await("ping pang");
            log.await(WAIT, "w@" + HOST, "rejected", "different cookie");
            assertEquals(Atom.of("pang"), Node.ping("w@" + HOST));
            log.await(WAIT, "w@" + HOST, "failed", "cookie");
            assertEquals(java.util.List.of(), Node.list());
        }
    }

    @Test
    void nodeUpAndNodeDownReachMonitors() throws Exception {
        var events = Process.run(() -> {
            Node.monitorAll();
            try (Child erl = erl("v", "cookie1", "io:format(\"ping ~p~n\", [net_adm:ping('" + me.name()
                    + "')]), receive stop -> halt() end.")) {
                var up = Process.receive(Duration.ofSeconds(30), m -> m instanceof NodeUp u ? u : null, () -> null);
                Node.monitor(Atom.of("v@" + HOST));
                erl.close(); // killed: the connection drops
                var down = Process.receive(Duration.ofSeconds(30), m -> m instanceof NodeDown d ? d : null, () -> null);
                var down2 = Process.receive(Duration.ofSeconds(30), m -> m instanceof NodeDown d ? d : null, () -> null);
                return new Object[] {up, down, down2};
            }
        });
        assertEquals(new NodeUp(Atom.of("v@" + HOST)), events[0]);
        assertEquals(Atom.of("v@" + HOST), ((NodeDown) events[1]).node());
        assertEquals(Atom.of("v@" + HOST), ((NodeDown) events[2]).node(), "monitorAll and monitor both fire");
    }

    @Test
    void aStoppedPeerIsDownAfterTheTickTime() throws Exception {
        Node.stop();
        // another name: epmd may not have noticed yet that the first one went
        me = Node.start("loomixtick", "cookie1", NodeOptions.DEFAULT.withEpmdPort(epmd.port()).withTickTime(Duration.ofSeconds(2)));
        try (Child erl = erl("u", "cookie1", "io:format(\"ready~n\"), timer:sleep(infinity).",
                "-kernel", "net_ticktime", "2")) {
            erl.await("ready");
            Atom u = Atom.of("u@" + HOST);
            var down = Process.run(() -> {
                Node.monitor(u);
                assertEquals(Atom.of("pong"), Node.ping(u));
                // freeze erl: no ticks come, and after about the tick time (2 s) it is down
                ProcessHandle.of(erl.pid()).ifPresent(h -> {
                    signal("STOP", h.pid());
                    h.descendants().forEach(d -> signal("STOP", d.pid()));
                });
                return Process.receive(Duration.ofSeconds(20), m -> m instanceof NodeDown d ? d : null, () -> null);
            });
            assertInstanceOf(NodeDown.class, down);
            assertEquals("net_tick_timeout", ((NodeDown) down).reason());
        }
    }

    /**
     * A frozen erl node (SIGSTOP) reads nothing: a Loomix process sending it 32 MiB is suspended,
     * with status {@code suspended} as {@code process_info} says on BEAM, once more than the busy
     * limit waits to be written; once erl runs again, every message arrives, in order.
     */
    @Test
    void aProcessSendingToAFrozenErlNodeIsSuspendedAndAllItSentArrivesWhenItRunsAgain() throws Exception {
        int chunks = 128;
        try (Child erl = erl("f", "cookie1",
                "register(sink, self()), io:format(\"ready~n\"),"
                        + " Loop = fun L(N) -> receive {chunk, N, B} when byte_size(B) =:= 262144 -> L(N + 1);"
                        + " {done, From} -> From ! {got, N} after 60000 -> io:format(\"stuck at ~p~n\", [N]) end end,"
                        + " Loop(0), timer:sleep(infinity).")) {
            erl.await("ready");
            Atom f = Atom.of("f@" + HOST);
            Name sink = Name.of("sink", f.name());
            Object got = Process.run(() -> {
                assertEquals(Atom.of("pong"), Node.ping(f));
                Pid tester = Process.self();
                Binary chunk = Binary.of(new byte[256 * 1024]);
                ProcessHandle.of(erl.pid()).ifPresent(h -> {
                    signal("STOP", h.pid());
                    h.descendants().forEach(d -> signal("STOP", d.pid()));
                });
                Pid sender = Process.spawn(() -> {
                    for (long i = 0; i < chunks; i++) {
                        Process.send(sink, Tuple.of(Atom.of("chunk"), i, chunk));
                    }
                    Process.send(sink, Tuple.of(Atom.of("done"), tester));
                });
                try {
                    long deadline = System.nanoTime() + WAIT.toNanos();
                    while (!Process.info(sender).map(i -> i.status().equals("suspended")).orElse(false)) {
                        assertTrue(System.nanoTime() < deadline, "the sender was not suspended: "
                                + Process.info(sender).map(i -> i.status()).orElse("gone"));
                        Process.receive(Duration.ofMillis(1), m -> null, () -> null);
                    }
                } finally {
                    ProcessHandle.of(erl.pid()).ifPresent(h -> {
                        h.descendants().forEach(d -> signal("CONT", d.pid()));
                        signal("CONT", h.pid());
                    });
                }
                return Process.receive(WAIT, m -> m instanceof Tuple t && t.get(0) == Atom.of("got") ? t : null,
                        () -> "no answer from erl within " + WAIT);
            });
            assertEquals(Tuple.of(Atom.of("got"), (long) chunks), got, "erl got every chunk, in order");
        }
    }

    private static void signal(String sig, long pid) {
        try {
            new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).start().waitFor();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void largeMessagesGoBothWaysInFragments() throws Exception {
        Pid echo = echo("big");
        byte[] bytes = new byte[300_000];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 31);
        }
        try (Child erl = erl("t", "cookie1",
                "register(shell, self()), io:format(\"ready~n\"),"
                        + "receive {From, Bin} -> {big, '" + me.name() + "'} ! {self(), Bin},"
                        + " receive {reply, Back} -> From ! {size, byte_size(Back), erlang:md5(Back) =:= erlang:md5(Bin)} end end,"
                        + " timer:sleep(infinity).")) {
            erl.await("ready");
            Object reply = Process.run(() -> {
                Process.send(Name.of("shell", "t@" + HOST), Tuple.of(Process.self(), Binary.of(bytes)));
                return Process.receive(Duration.ofSeconds(20), m -> m, () -> "timeout");
            });
            assertEquals(Tuple.of(Atom.of("size"), 300_000L, true), reply);
        } finally {
            Process.exit(echo, Atom.of("kill"));
        }
    }

    @Test
    void messagesFromOneProcessArriveInOrder() throws Exception {
        int n = 20_000;
        try (Child erl = erl("s", "cookie1",
                "register(shell, self()), io:format(\"ready~n\"),"
                        + "Loop = fun L(I) when I =:= " + n + " -> io:format(\"in order~n\");"
                        + " L(I) -> receive I -> L(I + 1); Other -> io:format(\"out of order ~p at ~p~n\", [Other, I]) end end,"
                        + " Loop(0), timer:sleep(infinity).")) {
            erl.await("ready");
            Process.run(() -> {
                for (int i = 0; i < n; i++) {
                    Process.send(Name.of("shell", "s@" + HOST), i);
                }
            });
            assertEquals("in order", erl.await(l -> l.contains("order"), WAIT));
        }
    }

    @Test
    void hiddenNodesAreNotListed() throws Exception {
        Node.stop();
        me = Node.start("loomixh", "cookie1", NodeOptions.DEFAULT.withEpmdPort(epmd.port()).withHidden(true));
        try (Child erl = erl("r", "cookie1", "io:format(\"ping ~p~n\", [net_adm:ping('" + me.name() + "')]),"
                + " io:format(\"nodes ~p ~p~n\", [nodes(), nodes(hidden)]), timer:sleep(infinity).")) {
            assertEquals("nodes [] [" + me.name() + "]", erl.await("nodes"));
            assertEquals(java.util.List.of(), Node.list());
            assertEquals(java.util.List.of(Atom.of("r@" + HOST)), Node.listAll());
        }
    }

    @Test
    void aBrokenConnectionDisturbsNoOther() throws Exception {
        try (LogCapture log = new LogCapture();
             Child erl = erl("q", "cookie1", "io:format(\"ready~n\"), timer:sleep(infinity).")) {
            erl.await("ready");
            Atom q = Atom.of("q@" + HOST);
            assertEquals(Atom.of("pong"), Node.ping(q));
            // a fake node that completes the handshake, then sends a frame no node would send
            int port = io.loomix.dist.epmd.EpmdClient.local(epmd.port()).lookup("loomix").orElseThrow().port();
            try (var s = new java.net.Socket("127.0.0.1", port)) {
                var id = new io.loomix.dist.handshake.Handshake.Identity("fake@" + HOST,
                        io.loomix.dist.handshake.DistFlags.LOOMIX, 5, "cookie1");
                io.loomix.dist.handshake.Handshake.initiate(s, id, me.name(), WAIT);
                var out = new java.io.DataOutputStream(s.getOutputStream());
                out.writeInt(5);
                out.write(new byte[] {(byte) 131, 68, 0, 99, 99}); // a distribution header, then tag 99
                out.flush();
                s.setSoTimeout(10_000);
                while (true) {
                    int len = new java.io.DataInputStream(s.getInputStream()).readInt(); // ticks, until closed
                    assertTrue(len >= 0);
                }
            } catch (java.io.EOFException closed) {
                // the node closed the bad connection
            }
            log.await(WAIT, "fake@" + HOST, "undecodable");
            assertEquals(Atom.of("pong"), Node.ping(q));
            assertEquals(java.util.List.of(q), Node.list());
        }
    }
}
