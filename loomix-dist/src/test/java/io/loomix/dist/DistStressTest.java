package io.loomix.dist;

import io.loomix.Atom;
import io.loomix.Name;
import io.loomix.Pid;
import io.loomix.Process;
import io.loomix.Tuple;
import io.loomix.dist.testing.Child;
import io.loomix.dist.testing.Erl;
import io.loomix.dist.testing.PrivateEpmd;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Many processes send at once to a node that is not connected yet, so their first messages queue
 * while the connection is made and later ones go straight out: each sender's messages must still
 * arrive in order. Repeated over fresh connections.
 */
class DistStressTest {
    private static final String HOST = Erl.shortHost();
    @RegisterExtension
    final PrivateEpmd epmd = new PrivateEpmd();

    @BeforeEach
    void start() throws Exception {
        Node.start("loomix", "cookie1", NodeOptions.DEFAULT.withEpmdPort(epmd.port()));
    }

    @Test
    void concurrentSendersKeepTheirOrderAcrossConnectionSetUp() throws Exception {
        rounds(40, 2_000, 5);
    }

    /**
     * The same with many short rounds: each starts right after this node cut the previous
     * connection, so the new one is made while the peer may still be tearing down the old one.
     */
    @Test
    void messagesSentRightAfterADisconnectAllArrive() throws Exception {
        rounds(8, 100, 60);
    }

    private void rounds(int senders, int each, int rounds) throws Exception {
        // counts per sender; any message out of order is reported with the sender and position
        String code = "register(shell, self()), io:format(\"ready~n\"),"
                + " Loop = fun L(M, 0) -> io:format(\"all in order~n\"), L(#{}, " + senders * each + ");"
                + " L(M, N) -> receive {S, I} -> case maps:get(S, M, 0) of I -> L(M#{S => I + 1}, N - 1);"
                + " Want -> io:format(\"out of order: ~p sent ~p, expected ~p~n\", [S, I, Want]), halt() end end end,"
                + " Loop(#{}, " + senders * each + ").";
        try (Child erl = Erl.start(epmd.port(), "sink", "cookie1", code)) {
            erl.await("ready");
            Atom sink = Atom.of("sink@" + HOST);
            for (int round = 0; round < rounds; round++) {
                Node.disconnect(sink);
                assertEquals(List.of(), Node.list());
                var done = Process.run(() -> {
                    Pid parent = Process.self();
                    for (int s = 0; s < senders; s++) {
                        Process.spawn(() -> {
                            for (long i = 0; i < each; i++) {
                                Process.send(Name.of("shell", sink.name()), Tuple.of(Process.self(), i));
                            }
                            Process.send(parent, Atom.of("sent"));
                        });
                    }
                    for (int s = 0; s < senders; s++) {
                        Process.receive(Duration.ofSeconds(60), m -> m, () -> {
                            throw new AssertionError("a sender did not finish");
                        });
                    }
                    return true;
                });
                assertEquals(true, done);
                assertEquals("all in order", erl.await(l -> l.contains("order"), Duration.ofSeconds(30)), "round " + round);
            }
        }
    }
}
