package io.loomix.internal;

import java.time.Duration;

/**
 * The runtime's one clock for timers: what "now" is for {@code sendAfter}, {@code readTimer},
 * {@code cancelTimer} and receive timeouts (so {@code Process.sleep} and every behaviour's
 * timeout, which are receive timeouts), and when a deadline has passed. The timer wheel, the
 * message timers and a timed receive ask it and nothing else.
 *
 * <p>Real time is {@code System.nanoTime()} plus an offset that is 0 until manual time has been
 * used. Manual time (the test kit's {@code ManualClock}) stands still until {@link #advance}
 * moves it; the timer wheel then fires what is due by the new time, in deadline order, before
 * {@code advance} returns. Switching either way keeps "now" where it is, so the timeline stays
 * continuous and monotonic and a timer's remaining time carries over.
 *
 * <p>On the normal path this costs, beside {@code System.nanoTime()}, two reads of volatile fields
 * that are written only when a test switches clocks (plain loads on x86) and an add: no
 * allocation, no lock.
 */
public final class Clock {
    private static volatile boolean manual;
    private static volatile long manualNow;
    /** Real time's shift, so that leaving manual time does not move "now" back. */
    private static volatile long offset;
    /** Serialises switching and advancing: tests that use manual time run one at a time. */
    private static final Object SWITCH = new Object();

    private Clock() {}

    /** Now, in the runtime's timeline (nanoseconds; wraps like nanoTime, so compare by difference). */
    static long now() {
        return manual ? manualNow : System.nanoTime() + offset;
    }

    /** Whether {@code deadline} (a {@link #now()} value) has come. */
    static boolean passed(long deadline) {
        return now() - deadline >= 0;
    }

    static boolean manual() {
        return manual;
    }

    // ---- manual time (the test kit, through io.loomix.internal.clock) ----

    /**
     * Stops the runtime's clock where it is. Refuses while timers are pending: they were started
     * in real time and would silently stand still.
     *
     * @throws IllegalStateException if manual time is installed already, or timers are pending
     */
    public static void installManual() {
        synchronized (SWITCH) {
            if (manual) {
                throw new IllegalStateException("manual time is installed already (by a test running at the same"
                        + " time?): tests that use manual time must run one at a time in a JVM");
            }
            TimerWheel wheel = wheel("install manual time");
            long pending = wheel.pendingAfterTurn();
            if (pending > 0) {
                throw new IllegalStateException(pending + " timer(s) are running in real time (sendAfter timers"
                        + " or receive timeouts started before manual time); manual time would stop them. Cancel"
                        + " them or let them fire first, and do not run real-time tests beside manual-time ones");
            }
            manualNow = System.nanoTime() + offset;
            manual = true;
        }
    }

    /**
     * Moves manual time on by {@code by} and returns once the timer wheel has fired every timer
     * due by then, in deadline order (timers due at the same time in the order they were started):
     * their messages are in the mailboxes and the processes whose receive timed out are woken.
     *
     * @throws IllegalStateException if manual time is not installed, or called on the timer thread
     */
    public static void advance(Duration by) {
        if (by.isNegative()) {
            throw new IllegalArgumentException("time moves forward only: advance by " + by);
        }
        synchronized (SWITCH) {
            requireManual("advance");
            TimerWheel wheel = wheel("advance manual time");
            manualNow += exactNanos(by);
            wheel.pendingAfterTurn();
        }
    }

    /** Manual time now (nanoseconds, in the same timeline as {@link #now()}). */
    public static long manualNow() {
        synchronized (SWITCH) {
            requireManual("read manual time");
            return manualNow;
        }
    }

    /**
     * Timers pending now: started (by sendAfter or a timed receive), not yet fired or cancelled.
     * Waits for one turn of the timer wheel, so that timers just started or cancelled count.
     */
    public static long pendingTimers() {
        return wheel("count timers").pendingAfterTurn();
    }

    /**
     * Back to real time, continuing from manual time's "now". The {@code sendAfter} timers still
     * pending are dropped (they belong to the test that is ending; the count is returned); receive
     * timeouts go on in real time with the time they had left, so a process that outlives the
     * test is not left waiting for good. Does nothing if manual time is not installed.
     */
    public static long restoreReal() {
        synchronized (SWITCH) {
            if (!manual) {
                return 0;
            }
            long dropped = Kernel.get().sendTimers().cancelAll();
            offset = manualNow - System.nanoTime();
            manual = false;
            wheel("restore real time").pendingAfterTurn(); // wakes the wheel into real-time ticking
            return dropped;
        }
    }

    public static boolean isManual() {
        return manual;
    }

    private static void requireManual(String what) {
        if (!manual) {
            throw new IllegalStateException("cannot " + what + ": manual time is not installed (use the test kit's"
                    + " ManualClock, and only while its test runs)");
        }
    }

    private static TimerWheel wheel(String what) {
        TimerWheel wheel = Kernel.get().timers;
        if (wheel.isTimerThread()) {
            throw new IllegalStateException("cannot " + what + " on the timer thread");
        }
        return wheel;
    }

    private static long exactNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException beyondALong) {
            throw new IllegalArgumentException("advance by at most " + Duration.ofNanos(Long.MAX_VALUE)
                    + " (what a long counts in nanoseconds) at a time, was " + d);
        }
    }
}
