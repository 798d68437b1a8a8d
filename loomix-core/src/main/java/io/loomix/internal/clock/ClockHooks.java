package io.loomix.internal.clock;

import io.loomix.internal.Clock;

import java.time.Duration;
import java.util.Objects;

/**
 * All that the test kit may reach of the runtime's clock, and exported to {@code io.loomix.testkit}
 * alone: install manual time, move it, count the timers pending, go back to real time. Manual
 * time moves every timer of the runtime ({@code sendAfter}, receive timeouts and so sleeps and
 * the behaviours' timeouts), since they all read the one {@code Clock}. The rules (one manual
 * time per JVM, no real-time timers pending at install) are {@code Clock}'s.
 */
public final class ClockHooks {
    private ClockHooks() {}

    /** @throws IllegalStateException if manual time is installed already, or timers are pending */
    public static void installManual() {
        Clock.installManual();
    }

    /** Moves manual time on; returns once every timer due by then has fired, in deadline order. */
    public static void advance(Duration by) {
        Clock.advance(Objects.requireNonNull(by, "advance: duration must not be null"));
    }

    /** Manual time now, in nanoseconds (only differences mean anything). */
    public static long manualNow() {
        return Clock.manualNow();
    }

    public static boolean isManual() {
        return Clock.isManual();
    }

    /** Timers started and not yet fired or cancelled, after a turn of the timer thread. */
    public static long pendingTimers() {
        return Clock.pendingTimers();
    }

    /** Back to real time from manual time's now; drops the pending sendAfter timers and returns how many. */
    public static long restoreReal() {
        return Clock.restoreReal();
    }
}
