package io.loomix.otp;

import io.loomix.Exited;
import io.loomix.Pid;
import io.loomix.testkit.Probe;
import io.loomix.testkit.ProcessExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Random;

import static io.loomix.Process.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Replies racing the timeouts that give up on them, on every carrier: whatever the interleaving,
 * a caller that gave up (a caught {@code Task.await} timeout, an abandoning
 * {@code receiveResponse}) never finds the late reply in its mailbox.
 */
class LateReplyStressTest {
    /** Long runs: minutes are allowed on a loaded two-core machine. */
    @RegisterExtension
    static final ProcessExtension loomix = ProcessExtension.create().withTimeout(Duration.ofMinutes(5));
    private static final Probe PROBE = Probe.withTimeout(Duration.ofSeconds(20));

    private static final int ROUNDS = 400;
    private static final int CALLERS = 4;

    record Work(int spins) {}

    static final class Worker extends GenServer<Integer> {
        @Override
        protected Init<Integer> init() {
            return ok(0);
        }

        @Override
        protected CallResult<Integer> handleCall(Object request, From from, Integer n) {
            return reply(spin(((Work) request).spins()), n);
        }
    }

    private static long spin(int spins) {
        long x = 0;
        for (int i = 0; i < spins; i++) {
            x += i * 31L;
        }
        return x;
    }

    @Test
    void aTaskAwaitGivenUpNeverLeavesItsReply() {
        race((random, test) -> {
            trapExit(true);
            Task<Long> t = Task.async(() -> spin(random));
            try {
                t.await(Duration.ofMillis(1));
            } catch (Exited timedOut) {
                // given up: the reply may be in flight
            }
            PROBE.expectDown(monitor(t.pid())); // the task has replied (or not) by now
            return flush().stream().filter(m -> !(m instanceof io.loomix.Exit)).toList();
        });
    }

    @Test
    void anAbandonedRequestNeverLeavesItsReply() {
        race((random, test) -> {
            Pid server = GenServer.start(new Worker());
            RequestId id = GenServer.sendRequest(server, new Work(random));
            GenServer.receiveResponse(id, Duration.ofMillis(1));
            GenServer.call(server, new Work(0)); // the server has answered the first request by now
            GenServer.stop(server);
            return List.copyOf(flush());
        });
    }

    @Test
    void aCallThatTimesOutEitherAnswersOrLeavesNothing() {
        race((random, test) -> {
            Pid server = GenServer.start(new Worker());
            try {
                GenServer.call(server, new Work(random), Duration.ofMillis(1)); // a late reply may still answer
            } catch (Exited timedOut) {
                // given up
            }
            GenServer.call(server, new Work(0)); // the server has answered the first call by now
            GenServer.stop(server);
            return List.copyOf(flush());
        });
    }

    interface Round {
        List<Object> run(int spins, Pid test);
    }

    private static void race(Round round) {
        Random random = new Random(11);
        Pid test = self();
        for (int r = 0; r < ROUNDS; r++) {
            for (int c = 0; c < CALLERS; c++) {
                int spins = random.nextInt(400_000);
                spawn(() -> send(test, List.of("left", round.run(spins, test))));
            }
            for (int c = 0; c < CALLERS; c++) {
                Object left = receive(Duration.ofSeconds(20), m -> m instanceof List<?> l && "left".equals(l.get(0))
                        ? l.get(1) : null, () -> "no answer");
                assertEquals(List.of(), left, "round " + r + ": left in the caller's mailbox");
            }
        }
    }
}
