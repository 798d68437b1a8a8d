package io.loomix.otp;

import java.time.Duration;
import java.util.ArrayDeque;

/**
 * OTP's restart intensity: at most {@code maxRestarts} restarts within any {@code period}; one
 * more and the supervisor gives up. Pure: time is passed in, in nanoseconds.
 */
final class RestartIntensity {
    private final int maxRestarts;
    private final long periodNanos;
    /** Times of the restarts still inside the window, oldest first. */
    private final ArrayDeque<Long> restarts = new ArrayDeque<>();

    RestartIntensity(int maxRestarts, Duration period) {
        this.maxRestarts = maxRestarts;
        this.periodNanos = period.toNanos();
    }

    /** Records a restart at {@code now}; false when it is one too many and the supervisor must give up. */
    boolean add(long now) {
        restarts.addLast(now);
        while (!restarts.isEmpty() && now - restarts.peekFirst() > periodNanos) {
            restarts.removeFirst();
        }
        return restarts.size() <= maxRestarts;
    }
}
