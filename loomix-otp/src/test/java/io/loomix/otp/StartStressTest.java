package io.loomix.otp;

import io.loomix.Exit;
import io.loomix.ExitReason;
import io.loomix.Pid;
import io.loomix.testkit.ProcessExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Random;

import static io.loomix.Process.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Starts raced by kills at random moments, on every carrier at once: a start must always return
 * (before the fix, a server killed before acking left its starter waiting forever), with the pid
 * or {@code killed}, and a failed start leaves no Exit in the trapping starter's mailbox.
 */
class StartStressTest {
    /** Long runs: minutes are allowed on a loaded two-core machine. */
    @RegisterExtension
    static final ProcessExtension loomix = ProcessExtension.create().withTimeout(Duration.ofMinutes(5));
    private static final int STARTERS = 4;
    private static final int ROUNDS = 300;

    record Outcome(boolean started, Object detail) {}

    static final class Slowish extends GenServer<Integer> {
        private final Pid test;
        private final int spins;

        Slowish(Pid test, int spins) {
            this.test = test;
            this.spins = spins;
        }

        @Override
        protected Init<Integer> init() {
            send(test, self());
            long x = 0;
            for (int i = 0; i < spins; i++) {
                x += i * 31L; // a little work, so kills land before, during and after init
            }
            return ok((int) x);
        }
    }

    @Test
    void startsRacedByKillsAlwaysReturnAndLeaveNoExitBehind() {
        Random random = new Random(3);
        for (int round = 0; round < ROUNDS; round++) {
            Pid test = self();
            for (int s = 0; s < STARTERS; s++) {
                int spins = random.nextInt(20_000);
                spawn(() -> {
                    trapExit(true);
                    try {
                        Pid pid = GenServer.startLink(new Slowish(test, spins));
                        send(test, new Outcome(true, pid));
                    } catch (StartException e) {
                        List<Object> left = flush().stream().filter(m -> m instanceof Exit).toList();
                        send(test, new Outcome(false, left.isEmpty() ? e.reason() : "Exit left: " + left));
                    }
                });
            }
            for (int s = 0; s < STARTERS; s++) {
                Pid server = receive(m -> m instanceof Pid p ? p : null);
                if (random.nextBoolean()) {
                    exit(server, ExitReason.KILL);
                }
            }
            for (int s = 0; s < STARTERS; s++) {
                Outcome o = receive(Duration.ofSeconds(20), m -> m instanceof Outcome x ? x : null, () -> null);
                assertNotNull(o, "round " + round + ": a start never returned");
                if (o.started()) {
                    exit((Pid) o.detail(), ExitReason.KILL); // its starter has exited normally, which a server ignores
                } else {
                    assertEquals(ExitReason.KILLED, o.detail(), "round " + round);
                }
            }
        }
    }
}
