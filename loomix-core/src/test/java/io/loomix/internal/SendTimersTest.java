package io.loomix.internal;

import io.loomix.Process;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertTrue;

class SendTimersTest {
    /**
     * A timer due at once can fire before {@code sendAfter} has filed it under its ref; the
     * ref must not then stay tracked for ever (a leak of one entry per such timer).
     */
    @Test
    void stressATimerThatFiresBeforeItIsFiledLeavesNothingTracked() {
        SendTimers timers = Kernel.get().sendTimers();
        int before = timers.tracked(); // earlier tests' timers may still be pending
        int n = 200_000;
        Process.run(() -> {
            for (int i = 0; i < n; i++) {
                Process.sendAfter(Process.self(), i, Duration.ZERO);
            }
            for (int i = 0; i < n; i++) {
                Process.receive(Duration.ofSeconds(30), m -> m, () -> {
                    throw new AssertionError("a zero-delay timer's message did not arrive");
                });
            }
            return null;
        });
        int after = timers.tracked();
        assertTrue(after <= before, "timers tracked after all " + n + " fired: " + after + ", before: " + before);
    }
}
