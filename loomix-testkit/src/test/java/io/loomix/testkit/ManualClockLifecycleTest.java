package io.loomix.testkit;

import io.loomix.Pid;
import io.loomix.Ref;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.OptionalLong;

import static io.loomix.Process.*;
import static org.junit.jupiter.api.Assertions.*;

/** Installing and removing manual time by hand: what goes on in real time after, and what is refused. */
@ExtendWith(ProcessExtension.class)
class ManualClockLifecycleTest {
    private final Probe probe = Probe.create();

    @Test
    void afterManualTimeRealTimeGoesOnFromWhereManualTimeStood() {
        try (ManualClock clock = ManualClock.install()) {
            clock.advance(Duration.ofHours(1));
        }
        // Had the clock gone back an hour, the timer wheel would wait out that hour first.
        sendAfter(self(), "real", Duration.ofMillis(20));
        probe.expectMessage("real");
    }

    @Test
    void aReceiveTimeoutStillWaitingWhenManualTimeEndsGoesOnInRealTime() {
        Pid me = self();
        try (ManualClock clock = ManualClock.install()) {
            spawnLink(() -> send(me, receive(Duration.ofMillis(100), m -> "got " + m, () -> "timed out")));
            clock.awaitTimers(1);
            clock.advance(Duration.ofMillis(50));
        }
        probe.expectMessage("timed out");
    }

    @Test
    void sendAfterTimersLeftWhenManualTimeEndsAreDropped() {
        Ref timer;
        try (ManualClock clock = ManualClock.install()) {
            timer = sendAfter(self(), "left", Duration.ofMinutes(1));
            assertEquals(OptionalLong.of(60_000), readTimer(timer));
        }
        assertEquals(OptionalLong.empty(), readTimer(timer));
    }

    @Test
    void installingWhileARealTimeTimerIsPendingFailsSayingWhy() {
        Ref timer = sendAfter(self(), "real", Duration.ofHours(1));
        try {
            var e = assertThrows(IllegalStateException.class, ManualClock::install);
            assertTrue(e.getMessage().contains("timer(s) are running in real time"), e.getMessage());
        } finally {
            cancelTimer(timer);
        }
        ManualClock.install().close(); // and once it is cancelled, manual time can be installed
    }

    @Test
    void installingTwiceFails() {
        try (ManualClock clock = ManualClock.install()) {
            var e = assertThrows(IllegalStateException.class, ManualClock::install);
            assertTrue(e.getMessage().contains("manual time is installed already"), e.getMessage());
            clock.advance(Duration.ofSeconds(1)); // the first one still works
        }
    }

    @Test
    void aClockThatIsNotInstalledRefusesToMoveTime() {
        var e = assertThrows(IllegalStateException.class, () -> ManualClock.create().advance(Duration.ofSeconds(1)));
        assertTrue(e.getMessage().contains("not installed"), e.getMessage());
        ManualClock closed = ManualClock.install();
        closed.close();
        assertThrows(IllegalStateException.class, () -> closed.advance(Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> {
            try (ManualClock clock = ManualClock.install()) {
                clock.advance(Duration.ofSeconds(-1));
            }
        });
    }
}
