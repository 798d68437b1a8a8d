package io.loomix.preempt;

import io.loomix.Down;
import io.loomix.ExitReason;
import io.loomix.Pid;
import io.loomix.internal.Kernel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static io.loomix.Process.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * CPU-bound processes, more of them than carriers, must not stop the others. Without yield points
 * these tests hang (every carrier stays on a spinner), and the timeout fails them.
 */
@Timeout(120)
class PreemptionTest {
    /** Written so the JIT keeps the spin loops. */
    static final AtomicLong SINK = new AtomicLong();

    private static int spinnerCount() {
        return Kernel.get().schedulers() * 3 + 1;
    }

    /** An endless loop that neither allocates nor calls anything that blocks. */
    static void spin(long seed) {
        long x = seed;
        for (;;) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            if (x == 42) {
                SINK.set(x);
            }
        }
    }

    /**
     * An endless run of counted loops of two billion iterations each: the agent strip-mines them,
     * so the only yield point such a process passes for seconds is the one between two strips.
     */
    static void spinCounted(int n) {
        long x = 1;
        for (;;) {
            for (int i = 0; i < n; i++) {
                x += i ^ (x >>> 3);
            }
            SINK.set(x);
        }
    }

    private static List<Pid> startSpinners(int n) {
        List<Pid> pids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long seed = i + 1;
            pids.add(spawn(() -> spin(seed)));
        }
        return pids;
    }

    /** {@code rounds} round trips with a fresh ponger; each must come back. */
    private static void pingPong(int rounds) {
        Pid ponger = spawn(() -> {
            for (;;) {
                if (receive() instanceof Pid from) {
                    send(from, "pong");
                } else {
                    return;
                }
            }
        });
        for (int i = 0; i < rounds; i++) {
            send(ponger, self());
            assertEquals("pong", receive());
        }
        send(ponger, "stop");
    }

    private static void killAll(List<Pid> pids) {
        for (Pid p : pids) {
            exit(p, ExitReason.KILL);
        }
    }

    @Test
    void pingPongMakesProgressNextToSpinners() {
        run(() -> {
            List<Pid> spinners = startSpinners(spinnerCount());
            pingPong(2_000);
            killAll(spinners);
        });
    }

    @Test
    void pingPongMakesProgressNextToSpinnersInsideLongCountedLoops() {
        run(() -> {
            List<Pid> spinners = new ArrayList<>();
            for (int i = 0; i < spinnerCount(); i++) {
                spinners.add(spawn(() -> spinCounted(Integer.MAX_VALUE)));
            }
            pingPong(2_000);
            killAll(spinners);
        });
    }

    @Test
    void everySpinnerGetsToRun() {
        run(() -> {
            Pid parent = self();
            int n = spinnerCount();
            List<Pid> pids = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int id = i;
                // Each reports once it has run, then spins forever: all reports need preemption.
                pids.add(spawn(() -> {
                    send(parent, id);
                    spin(id);
                }));
            }
            boolean[] seen = new boolean[n];
            for (int i = 0; i < n; i++) {
                seen[(Integer) receive()] = true;
            }
            for (boolean s : seen) {
                assertTrue(s);
            }
            killAll(pids);
        });
    }

    @Test
    void aSpinnerCanBeKilledAndCountsReductions() {
        run(() -> {
            List<Pid> spinners = startSpinners(spinnerCount());
            Pid victim = spinners.getFirst();
            // Reductions grow by a slice's worth each time the spinner is preempted.
            long reds;
            do {
                reds = info(victim).orElseThrow().reductions();
            } while (reds < 3 * 4000);
            Monitored watched = new Monitored(victim, monitor(victim));
            exit(victim, ExitReason.KILL);
            Down down = receive(m -> m instanceof Down d && d.ref().equals(watched.ref()) ? d : null);
            assertEquals(ExitReason.KILLED, down.reason());
            killAll(spinners);
        });
    }
}
