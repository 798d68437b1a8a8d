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
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Replies read by the carriers themselves (the connection is polled, see DistPoller) reach many
 * processes on both carriers in each one's order: 16 processes send bursts to an erl echo and
 * take the echoes in turn, while some of them keep their carrier busy between bursts (so the
 * ticker and the other carrier poll too).
 */
class CarrierPollStressTest {
    private static final String HOST = Erl.shortHost();
    @RegisterExtension
    final PrivateEpmd epmd = new PrivateEpmd();

    @BeforeEach
    void start() throws Exception {
        Node.start("loomix", "cookie1", NodeOptions.DEFAULT.withEpmdPort(epmd.port()));
    }

    @Test
    void echoesPolledByTheCarriersReachEachSenderInOrder() throws Exception {
        int senders = 16;
        int rounds = 150;
        int burst = 20;
        String code = "register(echo, self()), io:format(\"ready~n\"),"
                + " Loop = fun L() -> receive {From, I} -> From ! {echo, I}, L() end end, Loop().";
        try (Child erl = Erl.start(epmd.port(), "echo", "cookie1", code)) {
            erl.await("ready");
            Name echo = Name.of("echo", "echo@" + HOST);
            var wrong = new ConcurrentLinkedQueue<String>();
            int finished = Process.run(() -> {
                Pid parent = Process.self();
                for (int s = 0; s < senders; s++) {
                    boolean busy = s % 4 == 0;
                    Process.spawn(() -> {
                        long next = 0;
                        for (int r = 0; r < rounds; r++) {
                            for (int k = 0; k < burst; k++) {
                                Process.send(echo, Tuple.of(Process.self(), (long) r * burst + k));
                            }
                            if (busy) {
                                spin(200_000);
                            }
                            for (int k = 0; k < burst; k++) {
                                Object m = Process.receive(Duration.ofSeconds(30), msg -> msg, () -> "nothing within 30 s");
                                if (!(m instanceof Tuple t) || !(t.get(1) instanceof Number n) || n.longValue() != next) {
                                    wrong.add(Process.self() + ": " + m + " where echo " + next + " was due");
                                    Process.send(parent, Atom.of("done"));
                                    return;
                                }
                                next++;
                            }
                        }
                        Process.send(parent, Atom.of("done"));
                    });
                }
                int n = 0;
                for (int s = 0; s < senders; s++) {
                    n += Process.receive(Duration.ofSeconds(120), m -> 1, () -> 0);
                }
                return n;
            });
            assertEquals(List.of(), List.copyOf(wrong));
            assertEquals(senders, finished, "senders that finished");
        }
    }

    /** Keeps the carrier busy for about {@code nanos} (no receive, no blocking). */
    private static void spin(long nanos) {
        long until = System.nanoTime() + nanos;
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }
}
