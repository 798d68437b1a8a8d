package io.loomix.internal;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The runtime's clock switched by hand. Core's tests use {@link Clock} directly, as here: the test
 * kit's ManualClock depends on loomix-core, so core's tests cannot depend on the kit (a Maven cycle).
 */
class ClockTest {
    private static final long HOUR = TimeUnit.HOURS.toNanos(1);

    @AfterEach
    void backToRealTime() {
        Clock.restoreReal();
    }

    @Test
    void manualTimeStandsStillMovesByWhatAdvanceSaysAndRealTimeGoesOnFromIt() {
        installWhenNoTimersArePending();
        long start = Clock.now();
        assertEquals(start, Clock.now());
        Clock.advance(Duration.ofHours(1));
        assertEquals(start + HOUR, Clock.now());
        Clock.restoreReal();
        long after = Clock.now() - (start + HOUR);
        assertTrue(after >= 0 && after < TimeUnit.MINUTES.toNanos(1), "real time went on from manual time, by " + after + " ns");
    }

    @Test
    void advanceFiresWhatIsDueInDeadlineThenStartOrderBeforeItReturns() {
        installWhenNoTimersArePending();
        TimerWheel wheel = Kernel.get().timers;
        List<Integer> fired = Collections.synchronizedList(new ArrayList<>());
        long now = Clock.now();
        long ms = TimeUnit.MILLISECONDS.toNanos(1);
        for (int i = 0; i < 100; i++) {
            int index = i;
            wheel.start(now + (i * 37L % 10) * ms, () -> fired.add(index));
        }
        wheel.start(now + 10 * ms, () -> fired.add(-1));
        Clock.advance(Duration.ofMillis(9));
        List<Integer> expected = IntStream.range(0, 100).boxed().sorted(Comparator.comparingLong(i -> i * 37L % 10)).toList();
        assertEquals(expected, List.copyOf(fired));
        assertEquals(1, Clock.pendingTimers());
        Clock.advance(Duration.ofMillis(1));
        assertEquals(-1, fired.getLast());
        assertEquals(0, Clock.pendingTimers());
    }

    @Test
    void manualTimeIsRefusedWhereItWouldLie() {
        var notInstalled = assertThrows(IllegalStateException.class, () -> Clock.advance(Duration.ofSeconds(1)));
        assertTrue(notInstalled.getMessage().contains("manual time is not installed"), notInstalled.getMessage());
        TimerWheel.Timer real = Kernel.get().timers.start(Clock.now() + HOUR, () -> {});
        try {
            var pending = assertThrows(IllegalStateException.class, Clock::installManual);
            assertTrue(pending.getMessage().contains("running in real time"), pending.getMessage());
        } finally {
            real.cancel();
        }
        installWhenNoTimersArePending();
        var twice = assertThrows(IllegalStateException.class, Clock::installManual);
        assertTrue(twice.getMessage().contains("installed already"), twice.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Clock.advance(Duration.ofNanos(-1)));
    }

    /** Earlier tests' timers (receive timeouts being cancelled) may still be on the wheel for a moment. */
    private static void installWhenNoTimersArePending() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (Clock.pendingTimers() > 0 && System.nanoTime() - deadline < 0) {
            Thread.onSpinWait();
        }
        Clock.installManual();
    }
}
