package io.loomix.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WorkloadTest {

    /** A clock that only moves when a round runs: each round takes {@code roundMillis}. */
    private static final class RoundClock {
        final AtomicLong nanos = new AtomicLong(1_000);
        final AtomicInteger rounds = new AtomicInteger();
        final long roundNanos;

        RoundClock(long roundMillis) {
            this.roundNanos = roundMillis * 1_000_000L;
        }

        void round() {
            rounds.incrementAndGet();
            nanos.addAndGet(roundNanos);
        }
    }

    @Test
    void noWarmUpTimeRunsTheRoundOnce() {
        var clock = new RoundClock(5);
        Workload.warmUp(clock::round, 0, clock.nanos::get);
        assertEquals(1, clock.rounds.get());
    }

    @Test
    void theRoundRepeatsUntilTheWarmUpTimeHasPassed() {
        var clock = new RoundClock(5);
        Workload.warmUp(clock::round, 60, clock.nanos::get);
        assertEquals(12, clock.rounds.get(), "rounds of 5 ms in a 60 ms warm-up");
    }

    @Test
    void aRoundLongerThanTheWarmUpTimeRunsOnce() {
        var clock = new RoundClock(100);
        Workload.warmUp(clock::round, 60, clock.nanos::get);
        assertEquals(1, clock.rounds.get());
    }

    @Test
    void theRowsThatMeasureBytesOrWarmUpInFullKeepOneRound() {
        for (Workload workload : Workload.values()) {
            boolean once = switch (workload) {
                case IDLE, IDLE_GENSERVER, CALL_BACKLOG, GENCALL -> true;
                default -> false;
            };
            assertEquals(once, workload.warmupMillis(false) == 0, workload.id());
            assertTrue(workload.warmupMillis(true) <= workload.warmupMillis(false), workload.id());
        }
    }
}
