package io.loomix.internal;

import io.loomix.Atom;
import io.loomix.Name;
import io.loomix.Pid;
import io.loomix.Ref;
import io.loomix.TimerCancelled;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Erlang's message timers: send_after (relative and absolute), read_timer and cancel_timer, on
 * the node's {@link TimerWheel}. A timer never fires early: delays are checked here, and the
 * wheel files deadlines from their distance to now, which is exact for any delay a long counts.
 */
public final class SendTimers {
    /** The longest timer: what a long counts in nanoseconds, about 292 years (Erlang's limit is 2.3 s less). */
    public static final Duration MAX_TIMER = Duration.ofNanos(Long.MAX_VALUE);

    private final Kernel kernel;
    private final ConcurrentHashMap<Ref, TimerWheel.Timer> pending = new ConcurrentHashMap<>();

    SendTimers(Kernel kernel) {
        this.kernel = kernel;
    }

    /**
     * send_after/3: {@code dest} is a Pid, an Atom or a String (a name looked up when the timer
     * fires), or a Name. A delay no long can count is badarg, as Erlang's beyond its own limit.
     */
    public Ref sendAfter(Object dest, Object message, Duration delay) {
        Objects.requireNonNull(delay, "sendAfter: delay must not be null (use Duration.ZERO to send at once)");
        if (delay.isNegative() || delay.compareTo(MAX_TIMER) > 0) {
            throw new IllegalArgumentException("badarg: sendAfter delay must be between 0 and " + MAX_TIMER
                    + " (about 292 years), was " + delay + "; to never send, start no timer");
        }
        return start(destination(dest, "sendAfter"), message, delay.toNanos());
    }

    /**
     * send_after/4 with {@code {abs, true}}: fires at {@code when}, read against the wall clock once,
     * now (later clock changes do not move it, as Erlang's absolute timers follow monotonic time).
     * A time in the past sends at once.
     */
    public Ref sendAt(Object dest, Object message, Instant when) {
        Objects.requireNonNull(when, "sendAt: time must not be null");
        Duration delay = Duration.between(Instant.now(), when);
        if (delay.compareTo(MAX_TIMER) > 0) {
            throw new IllegalArgumentException("badarg: sendAt time must be at most " + MAX_TIMER
                    + " (about 292 years) from now, was " + when);
        }
        return start(destination(dest, "sendAt"), message, Math.max(0, delay.toNanos()));
    }

    /** cancel_timer/1: the milliseconds that were left, or empty if it fired or is unknown. */
    public OptionalLong cancel(Ref ref) {
        Kernel.notNull(ref, "cancelTimer: ref");
        TimerWheel.Timer timer = pending.remove(ref);
        if (timer == null || !timer.cancel()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(millisLeft(timer));
    }

    /** cancel_timer/2 with {@code {async, true}}: the answer arrives as a {@link TimerCancelled} message. */
    public void cancelAsync(Ref ref) {
        Proc me = kernel.self("cancelTimerAsync");
        me.deliver(new TimerCancelled(ref, cancel(ref)));
    }

    /** read_timer/1: the milliseconds left, or empty if it fired, was cancelled or is unknown. */
    public OptionalLong read(Ref ref) {
        Kernel.notNull(ref, "readTimer: ref");
        TimerWheel.Timer timer = pending.get(ref);
        if (timer == null || !TimerWheel.pending(timer)) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(millisLeft(timer));
    }

    private static Object destination(Object dest, String function) {
        return switch (dest) {
            case Pid p -> p;
            case Atom a -> a;
            case String s -> Atom.of(s);
            case Name n -> n;
            case null -> throw new IllegalArgumentException("badarg: " + function + " destination must not be null");
            default -> throw new IllegalArgumentException("badarg: " + function + " destination must be a Pid, a"
                    + " name (Atom or String) or a Name, got " + dest.getClass().getName());
        };
    }

    private Ref start(Object dest, Object message, long delayNanos) {
        kernel.check(message);
        Ref ref = kernel.newRef();
        TimerWheel.Timer timer = kernel.timers.start(Clock.now() + delayNanos, () -> {
            pending.remove(ref);
            deliver(dest, message);
        });
        pending.put(ref, timer);
        if (!TimerWheel.pending(timer)) {
            pending.remove(ref, timer); // it fired before the put, so its own remove found nothing
        }
        return ref;
    }

    /** How many timers this node still tracks: each one started, neither fired nor cancelled. */
    int tracked() {
        return pending.size();
    }

    /**
     * Cancels every pending message timer; returns how many. For the end of a test's manual time:
     * what is left of its timers would fire into a test that is over.
     */
    long cancelAll() {
        long cancelled = 0;
        for (Ref ref : pending.keySet()) {
            TimerWheel.Timer timer = pending.remove(ref);
            if (timer != null && timer.cancel()) {
                cancelled++;
            }
        }
        return cancelled;
    }

    /** On the timer thread: a name is looked up now, and a message to a name no one holds is dropped. */
    private void deliver(Object dest, Object message) {
        switch (dest) {
            case Pid pid -> kernel.send(pid, message);
            case Atom name -> {
                Pid pid = kernel.names().whereis(name);
                if (pid != null) {
                    kernel.send(pid, message);
                }
            }
            case Name name -> kernel.send(name, message);
            default -> throw new IllegalStateException("not a destination: " + dest);
        }
    }

    private static long millisLeft(TimerWheel.Timer timer) {
        return Math.max(0, Math.ceilDiv(TimerWheel.remaining(timer), 1_000_000L));
    }
}
